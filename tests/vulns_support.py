"""Shared parts of the vulnerability gate's tests: real OSV records, real lockfiles, an OSV stand-in.

``fixtures/vulns/osv`` holds real records: PYSEC records of the PyPA advisory database
(requests, urllib3, jinja2, pywin32, werkzeug, a withdrawn redis record, a ``last_affected``
record of py) and GitHub's GHSA-j8r2-6x86-q33q, in the OSV format (CC-BY-4.0, see REUSE.toml).
The lockfiles beside them were made by ``uv lock``, ``pip-compile --generate-hashes`` and
``uv pip compile --universal`` from the ``.in`` files and pyproject.toml there.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator

FIXTURES = Path(__file__).parent / "fixtures" / "vulns"
OSV = FIXTURES / "osv"

# What pip-audit reports for these pins (the same records, through its OSV service pointed
# at the stand-in below), and what the gate must report: package -> {ids} -> smallest fix.
EXPECTED_UV = {
    ("jinja2", "PYSEC-2019-217"): "2.10.1",
    ("jinja2", "PYSEC-2021-66"): "2.11.3",
    ("requests", "PYSEC-2018-28"): "2.20.0",
    ("requests", "GHSA-j8r2-6x86-q33q / PYSEC-2023-74"): "2.31.0",
    ("urllib3", "PYSEC-2019-132"): "1.24.3",
    ("urllib3", "PYSEC-2019-133"): "1.24.2",
    ("urllib3", "PYSEC-2020-148"): "1.25.9",
    ("urllib3", "PYSEC-2021-108"): "1.26.5",
    ("urllib3", "PYSEC-2023-192"): "1.26.17",
    ("urllib3", "PYSEC-2023-207"): "1.24.2",
    ("urllib3", "PYSEC-2023-212"): "1.26.18",
}


def records() -> dict[str, dict[str, Any]]:
    """Every fixture record by id, as OSV's API would serve it (JSON)."""
    import yaml

    found: dict[str, dict[str, Any]] = {}
    for path in sorted(OSV.rglob("*")):
        if path.suffix == ".json":
            found[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".yaml":
            found[path.stem] = json.loads(
                json.dumps(yaml.safe_load(path.read_text()), default=_iso)
            )
    return found


def _iso(value: Any) -> str:
    return str(value.isoformat().replace("+00:00", "Z"))


class OsvStandIn:
    """OSV's API on loopback: ``POST /v1/querybatch`` and ``GET /v1/vulns/{id}``, as documented.

    The server answers ids by package name only (the real one also filters by version; the
    client matches versions itself either way) and pages after ``page_size`` ids, so that the
    client's ``next_page_token`` handling is exercised. ``fail`` makes every answer a 503.
    """

    def __init__(self, page_size: int = 2) -> None:
        self.records = records()
        self.page_size = page_size
        self.fail = False
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def ids_for(self, name: str) -> list[str]:
        return sorted(
            vid
            for vid, record in self.records.items()
            if any(
                a.get("package", {}).get("name", "").lower() == name
                for a in record.get("affected", [])
            )
        )

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                del args

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                stand_in.requests.append(f"POST {self.path}")
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if stand_in.fail or self.path != "/v1/querybatch":
                    self._send(503 if stand_in.fail else 404, {"code": 5, "message": "unavailable"})
                    return
                self._send(200, {"results": [stand_in.answer(q) for q in body["queries"]]})

            def do_GET(self) -> None:
                stand_in.requests.append(f"GET {self.path}")
                vid = self.path.removeprefix("/v1/vulns/")
                if stand_in.fail or vid not in stand_in.records:
                    self._send(503 if stand_in.fail else 404, {"code": 5, "message": "not found"})
                    return
                self._send(200, stand_in.records[vid])

        return Handler

    def answer(self, query: dict[str, Any]) -> dict[str, Any]:
        ids = self.ids_for(query["package"]["name"].lower())
        start = int(query.get("page_token") or 0)
        page = ids[start : start + self.page_size]
        result: dict[str, Any] = {}
        if page:
            result["vulns"] = [
                {"id": v, "modified": self.records[v].get("modified", "")} for v in page
            ]
        if start + self.page_size < len(ids):
            result["next_page_token"] = str(start + self.page_size)
        return result

    def __enter__(self) -> OsvStandIn:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def findings(payload: str) -> Iterator[dict[str, Any]]:
    """Every finding of ``releasegate ... --format json`` output."""
    for check in json.loads(payload)["checks"]:
        yield from check["findings"]
