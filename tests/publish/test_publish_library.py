"""``releasegate.publish()`` called twice in one process, against a loopback upload stand-in."""

from __future__ import annotations

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, ClassVar

import pytest

from tests.repro_support import wheel_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

WHEEL = "demo-1.0.0-py3-none-any.whl"


class _Index(BaseHTTPRequestHandler):
    """The legacy upload API and a PEP 503 page of what was uploaded, nothing more."""

    uploads: ClassVar[list[bytes]] = []
    files: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self, status: int, body: bytes = b"", kind: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.uploads.append(body)
        # The file's bytes follow the last part header; the stand-in keeps one dist.
        self.files[WHEEL] = body.split(b"application/octet-stream\r\n\r\n", 1)[1].rsplit(
            b"\r\n--", 1
        )[0]
        self._reply(200)

    def do_GET(self) -> None:
        if self.path.startswith("/files/"):
            self._reply(200, self.files[WHEEL], "application/octet-stream")
        elif self.path == "/simple/demo/" and self.files:
            sha = hashlib.sha256(self.files[WHEEL]).hexdigest()
            self._reply(200, f'<a href="/files/{WHEEL}#sha256={sha}">{WHEEL}</a>'.encode())
        else:
            self._reply(404)


@pytest.fixture
def index() -> Iterator[tuple[str, type[_Index]]]:
    _Index.uploads = []
    _Index.files = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Index
    finally:
        server.shutdown()
        server.server_close()


def _project(root: Path, url: str) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0.0"\n'
        "[tool.releasegate.publish]\nretries = 0\n"
        f'[[tool.releasegate.registries]]\nname = "index"\nkind = "pypi"\nurl = "{url}/legacy/"\n'
        f'index-url = "{url}/simple/"\ntoken-env = "RG_TEST_TOKEN"\n',
        encoding="utf-8",
    )


def test_a_second_publish_after_signing_uploads_the_attestation(
    index: tuple[str, type[_Index]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import releasegate

    url, stand_in = index
    monkeypatch.setenv("RG_TEST_TOKEN", "pypi-token-Zq8")
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / WHEEL).write_bytes(wheel_bytes(b"payload"))
    _project(tmp_path, url)
    first = releasegate.publish(tmp_path)
    assert not first.failed, [f.message for r in first.results for f in r.findings]

    # The same dist, signed since: its attestation must travel with the next upload. The
    # index forgets the file (a second registry, or a fresh one): the dist is uploaded again.
    (tmp_path / "dist" / f"{WHEEL}.publish.attestation").write_text(
        '{"version": 1}', encoding="utf-8"
    )
    stand_in.files.clear()
    (tmp_path / ".releasegate" / "publish-ledger.json").unlink()
    second = releasegate.publish(tmp_path)

    assert not second.failed, [f.message for r in second.results for f in r.findings]
    assert len(stand_in.uploads) == 2
    assert b'name="attestations"' not in stand_in.uploads[0]
    assert b'name="attestations"' in stand_in.uploads[1]
