"""Shared parts of the vulnerability gate's tests: OSV records, real lockfiles, an OSV stand-in.

The advisories below are real: each row states the public facts of one advisory of the PyPA
advisory database (PYSEC ids) or GitHub's advisory database (GHSA-j8r2-6x86-q33q), as
published in OSV's records: its id and aliases (public identifiers), dates, the PyPI package,
its ``ECOSYSTEM`` range events, ``withdrawn``, the CVSS vector, and an explicit ``versions``
list where a test needs one. The records themselves (their prose, references, ``GIT`` ranges
and full version lists) are not copied: ``write_database`` writes our own OSV records from
these facts, laid out like the PyPA database (``<package>/<ID>.yaml``) and GitHub's
(``github/<GHSA>.json``), and the summaries are ours, a few words each.

The lockfiles in ``fixtures/vulns`` were made by ``uv lock``, ``pip-compile --generate-hashes``
and ``uv pip compile --universal`` from the ``.in`` files and pyproject.toml there.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

FIXTURES = Path(__file__).parent / "fixtures" / "vulns"


@dataclass(frozen=True)
class Advisory:
    """The facts of one real advisory that the gate reads."""

    id: str
    package: str
    ranges: tuple[str, ...]
    """One string per ``ECOSYSTEM`` range: its events in the record's order, "kind version"."""
    aliases: tuple[str, ...]
    modified: str
    published: str
    summary: str
    """Ours, not the advisory's text."""
    severity: str | None = None
    """The CVSS v3 vector."""
    versions: tuple[str, ...] = ()
    withdrawn: str | None = None


_A = Advisory
ADVISORIES = (
    # GitHub's own record of CVE-2023-32681, the same bug as PYSEC-2023-74.
    _A("GHSA-j8r2-6x86-q33q", "requests", ("introduced 2.3.0, fixed 2.31.0",), ("CVE-2023-32681",),
       "2023-09-20T19:19:30Z", "2023-05-22T20:36:32Z", "Proxy credentials leak on redirect",
       severity="CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N"),
    _A("PYSEC-2014-8", "jinja2", ("introduced 0, fixed 2.7.2",),
       ("CVE-2014-1402", "GHSA-8r7q-cvjq-x353"),
       "2021-07-05T00:01:22.043149Z", "2014-05-19T14:55:00Z", "Unsafe bytecode cache files"),
    _A("PYSEC-2014-82", "jinja2", ("introduced 0, fixed 2.7.3",), ("CVE-2014-0012",),
       "2021-08-27T03:22:05.027573Z", "2014-05-19T14:55:00Z", "Unsafe bytecode cache directory"),
    _A("PYSEC-2019-217", "jinja2", ("introduced 0, fixed 2.10.1",),
       ("CVE-2019-10906", "GHSA-462w-v97r-4m45"),
       "2021-11-22T04:57:52.862665Z", "2019-04-07T00:29:00Z", "Sandbox escape via format_map"),
    _A("PYSEC-2019-220", "jinja2", ("introduced 0, fixed 2.8.1",),
       ("CVE-2016-10745", "GHSA-hj2j-77xm-mc5v"),
       "2021-11-22T04:57:52.929678Z", "2019-04-08T13:29:00Z", "Sandbox escape via format"),
    _A("PYSEC-2021-66", "jinja2", ("introduced 0, fixed 2.11.3",),
       ("CVE-2020-28493", "SNYK-PYTHON-JINJA2-1012994", "GHSA-g3rq-g295-4j3m"),
       "2021-03-22T16:34:00Z", "2021-02-01T20:15:00Z", "ReDoS in urlize"),
    _A("PYSEC-2022-42969", "py", ("introduced 0, last_affected 1.11.0",),
       ("CVE-2022-42969", "GHSA-w596-4wvx-j9j6"),
       "2022-11-04T11:00:00Z", "2022-11-04T11:00:00Z", "ReDoS on svn info data"),
    # The whole of its explicit version list.
    _A("PYSEC-2021-112", "pywin32", ("introduced 0, fixed 301",),
       ("CVE-2021-32559", "GHSA-hwfp-hg2m-9vr2"),
       "2021-07-08T03:14:30.948663Z", "2021-07-06T12:15:00Z", "Integer overflow adding an ACE",
       versions=("210", "214", "222", "223", "224", "225", "226", "227", "228", "300")),
    # Withdrawn; a few of the versions it lists (it lists every release).
    _A("PYSEC-2023-73", "redis", ("introduced 0",), ("CVE-2023-31655",),
       "2023-06-27T18:49:56.911238Z", "2023-05-18T20:15:00Z", "Withdrawn segfault report",
       versions=("4.5.3", "4.5.4", "4.5.5"), withdrawn="2023-06-06T10:37:00Z"),
    _A("PYSEC-2014-13", "requests", ("introduced 0, fixed 2.3.0",),
       ("CVE-2014-1829", "GHSA-cfj3-7x9c-4p3h"),
       "2021-07-05T00:01:25.632991Z", "2014-10-15T14:55:00Z", "netrc password leak on redirect"),
    _A("PYSEC-2014-14", "requests", ("introduced 0, fixed 2.3.0",),
       ("CVE-2014-1830", "GHSA-652x-xj99-gmcc"),
       "2021-07-05T00:01:25.679942Z", "2014-10-15T14:55:00Z", "Proxy header leak on redirect"),
    _A("PYSEC-2015-17", "requests", ("introduced 2.1.0, fixed 2.6.0",), ("CVE-2015-2296",),
       "2021-07-05T00:01:25.716066Z", "2015-03-18T16:59:00Z", "Session fixation on redirect"),
    _A("PYSEC-2018-28", "requests", ("introduced 0, fixed 2.20.0",),
       ("CVE-2018-18074", "GHSA-x84v-xcm2-53pg"),
       "2021-06-16T00:03:24.800813Z", "2018-10-09T17:29:00Z", "Auth header sent after downgrade"),
    _A("PYSEC-2023-74", "requests", ("introduced 2.3.0, fixed 2.31.0",),
       ("CVE-2023-32681", "GHSA-j8r2-6x86-q33q"),
       "2023-06-05T01:13:00.534973Z", "2023-05-26T18:15:00Z", "Proxy credentials leak"),
    _A("PYSEC-2017-98", "urllib3", ("introduced 1.17, fixed 1.18.1",), ("CVE-2016-9015",),
       "2021-08-27T03:42:51.689777Z", "2017-01-11T16:59:00Z", "Certificate checks skipped"),
    _A("PYSEC-2018-32", "urllib3", ("introduced 0, fixed 1.23",),
       ("CVE-2018-20060", "GHSA-www2-v7xj-xrc6"),
       "2021-06-10T06:51:03.467032Z", "2018-12-11T17:29:00Z", "Auth header kept across hosts"),
    _A("PYSEC-2019-132", "urllib3", ("introduced 0, fixed 1.24.3",),
       ("CVE-2019-11236", "GHSA-r64q-w8jr-g9qp"),
       "2019-06-13T04:29:00Z", "2019-04-15T15:29:00Z", "CRLF injection"),
    _A("PYSEC-2019-133", "urllib3", ("introduced 0, fixed 1.24.2",),
       ("CVE-2019-11324", "GHSA-mh33-7rrq-662w"),
       "2019-09-14T18:15:00Z", "2019-04-18T21:29:00Z", "Wrong CA certificates trusted"),
    _A("PYSEC-2020-148", "urllib3", ("introduced 0, fixed 1.25.9",),
       ("CVE-2020-26137", "GHSA-wqvq-5m8c-6g24"),
       "2020-10-14T05:15:00Z", "2020-09-30T18:15:00Z", "CRLF injection via method"),
    _A("PYSEC-2020-149", "urllib3", ("introduced 1.25.2, fixed 1.25.8",),
       ("CVE-2020-7212", "GHSA-hmv2-79q8-fv6g"),
       "2020-03-09T16:55:00Z", "2020-03-06T20:15:00Z", "Slow URL parsing"),
    _A("PYSEC-2021-108", "urllib3", ("introduced 0, fixed 1.26.5",),
       ("CVE-2021-33503", "GHSA-q2q7-5pp4-w6pg"),
       "2021-07-02T18:56:20.858344Z", "2021-06-29T11:15:00Z", "ReDoS in URL authority"),
    _A("PYSEC-2021-59", "urllib3", ("introduced 1.26.0, fixed 1.26.4",),
       ("CVE-2021-28363", "GHSA-5phf-pp7p-vc2r"),
       "2021-03-23T16:47:00Z", "2021-03-15T18:15:00Z", "HTTPS proxy not verified"),
    _A("PYSEC-2023-192", "urllib3", ("introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17",),
       ("CVE-2023-43804", "GHSA-v845-jxx5-vc9f"),
       "2023-10-10T14:28:19.389317Z", "2023-10-04T17:15:00Z", "Cookie header kept on redirect",
       severity="CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N"),
    _A("PYSEC-2023-207", "urllib3", ("introduced 0, fixed 1.24.2",), ("CVE-2018-25091",),
       "2023-10-19T16:33:01.297810Z", "2023-10-15T19:15:00Z", "Auth header kept across origins",
       severity="CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"),
    _A("PYSEC-2023-212", "urllib3", ("introduced 2.0.0, fixed 2.0.7, introduced 0, fixed 1.26.18",),
       ("CVE-2023-45803", "GHSA-g4mx-q9vg-27p4"),
       "2023-10-25T18:28:34.811764Z", "2023-10-17T20:15:00Z", "Body kept on 303 redirect",
       severity="CVSS:3.1/AV:A/AC:H/PR:H/UI:N/S:U/C:H/I:N/A:N"),
    # Two bugs whose records share the alias GHSA-qcx9-j53g-ccgf: one finding, two CVEs.
    _A("PYSEC-2021-335", "accesscontrol", ("introduced 4.0, fixed 4.3, introduced 5.0, fixed 5.2",),
       ("CVE-2021-32807", "GHSA-qcx9-j53g-ccgf"),
       "2021-09-26T23:32:08.989778Z", "2021-07-30T22:15:00Z", "string.Formatter escapes policy"),
    _A("PYSEC-2021-370", "accesscontrol", ("introduced 4.0, fixed 4.3, introduced 5.0, fixed 5.2",),
       ("CVE-2021-32811", "GHSA-qcx9-j53g-ccgf", "GHSA-g4gq-j4p2-j8fr"),
       "2021-10-12T02:55:32.357329Z", "2021-08-02T22:15:00Z", "Script (Python) code execution"),
    _A("PYSEC-2023-221", "werkzeug", ("introduced 0, fixed 2.3.8, introduced 3.0.0, fixed 3.0.1",),
       ("CVE-2023-46136", "GHSA-hrfv-mqp8-q5rw"),
       "2023-11-08T18:38:34.170214Z", "2023-10-25T18:17:00Z", "Slow multipart parsing",
       severity="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"),
)  # fmt: skip
BY_ID = {advisory.id: advisory for advisory in ADVISORIES}

# What the gate must report for the pins of uv.lock and requirements.txt: (package, ids) ->
# the smallest fixed version. These are the advisories' own fixed versions for those pins.
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


def osv_record(advisory: Advisory) -> dict[str, Any]:
    """The OSV record (schema 1.x) stating ``advisory``'s facts, as OSV's API serves it."""
    record: dict[str, Any] = {
        "schema_version": "1.4.0",
        "id": advisory.id,
        "modified": advisory.modified,
        "published": advisory.published,
        "aliases": list(advisory.aliases),
        "summary": advisory.summary,
    }
    if advisory.withdrawn:
        record["withdrawn"] = advisory.withdrawn
    if advisory.severity:
        record["severity"] = [{"type": "CVSS_V3", "score": advisory.severity}]
    affected: dict[str, Any] = {
        "package": {
            "ecosystem": "PyPI",
            "name": advisory.package,
            "purl": f"pkg:pypi/{advisory.package}",
        },
        "ranges": [{"type": "ECOSYSTEM", "events": _events(r)} for r in advisory.ranges],
    }
    if advisory.versions:
        affected["versions"] = list(advisory.versions)
    record["affected"] = [affected]
    return record


def _events(range_: str) -> list[dict[str, str]]:
    return [dict([event.split(" ")]) for event in range_.split(", ")]


def records() -> dict[str, dict[str, Any]]:
    """Every advisory's OSV record by id."""
    return {advisory.id: osv_record(advisory) for advisory in ADVISORIES}


def write_database(root: Path, advisories: Iterable[Advisory] = ADVISORIES) -> Path:
    """OSV records in ``root`` laid out like the advisory databases: PYSEC as YAML, GHSA as JSON.

    YAML records carry their dates as YAML timestamps, unquoted, as many of the PyPA
    database's do (a YAML reader turns them into datetimes); JSON ones carry strings.
    """
    import yaml

    for advisory in advisories:
        record = osv_record(advisory)
        if advisory.id.startswith("GHSA-"):
            path = root / "github" / f"{advisory.id}.json"
            text = json.dumps(record, indent=2)
        else:
            path = root / advisory.package / f"{advisory.id}.yaml"
            for key in ("modified", "published", "withdrawn"):
                if key in record:
                    record[key] = dt.datetime.fromisoformat(record[key].replace("Z", "+00:00"))
            text = yaml.safe_dump(record, sort_keys=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


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
