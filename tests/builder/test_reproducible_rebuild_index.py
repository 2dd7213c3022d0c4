"""``releasegate rebuild NAME==VERSION``: the release comes from a real index (pypiserver),
hash-checked, then rebuilt as local files are (issue 16)."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, ClassVar

import pytest

from releasegate._internal.errors import UsageError
from releasegate._internal.publish.download import _version_of, parse_pin
from tests.conftest import run_cli
from tests.publish_support import copy_into, start_pypiserver, wait_http
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo


@pytest.mark.parametrize("text", ["demo", "demo>=1", "demo==1.*", "demo==1,!=2", "==1", "x y"])
def test_only_one_exact_version_is_a_release(text: str) -> None:
    with pytest.raises(UsageError):
        parse_pin(text)


def test_names_from_the_index_are_checked_before_they_become_paths() -> None:
    assert parse_pin("Demo_Flit==1.0") == ("demo-flit", "1")
    assert _version_of("demo_flit-1.0.0.tar.gz", "demo-flit") == ("sdist", "1")
    assert _version_of("demo_flit-1.0.0-py3-none-any.whl", "demo-flit") == ("wheel", "1")
    for hostile in ("../demo_flit-1.0.0.tar.gz", "a/demo_flit-1.0.0.tar.gz", "other-1.0.0.tar.gz"):
        assert _version_of(hostile, "demo-flit") is None


@pytest.fixture
def release(make_repo: Callable[..., GitRepo]) -> tuple[Path, Path]:
    repo = make_repo(project_files("flit"))
    built = run_cli("build", "--no-isolation", cwd=repo.root)
    assert built.returncode == 0, built.stderr
    dist = repo.root / "dist"
    return next(dist.glob("*.tar.gz")), next(dist.glob("*.whl"))


def _tampered(wheel: Path, target: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info, data + b"EVIL = 1\n" if info.filename.endswith("core.py") else data)
    target.write_bytes(out.getvalue())


def _report(stdout: str) -> tuple[list[str], dict[str, object]]:
    check = json.loads(stdout)["checks"][0]
    return [f["rule"] for f in check["findings"]], check["data"]


@pytest.mark.slow
def test_rebuild_by_name_from_pypiserver_and_refuse_a_tampered_wheel(
    release: tuple[Path, Path], tmp_path: Path
) -> None:
    sdist, wheel = release
    server = start_pypiserver(tmp_path / "index", "index", "secret")
    try:
        wait_http(server.index_url)
        copy_into(server, sdist)
        copy_into(server, wheel)
        args = ("rebuild", "demo-flit==1.0.0", "--index-url", server.index_url)
        ok = run_cli(*args, "--no-isolation", "--format", "json", cwd=tmp_path)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        rules, data = _report(ok.stdout)
        assert "reproducible/downloaded" in rules
        assert "reproducible/reproduced" in rules
        assert data["reproduced"] is True
        artifacts = data["artifacts"]
        assert isinstance(artifacts, list)
        (artifact,) = artifacts
        published = hashlib.sha256(wheel.read_bytes()).hexdigest()
        assert artifact["name"] == wheel.name
        assert [b["sha256"] for b in artifact["builds"]] == [published, published]

        # The index serves another wheel under the same name: its hash is the index's, so it is
        # downloaded, and the rebuild shows it was not built from the sdist.
        _tampered(wheel, tmp_path / wheel.name)
        copy_into(server, tmp_path / wheel.name)
        bad = run_cli(*args, "--no-isolation", "--format", "json", cwd=tmp_path)
        assert bad.returncode == 1, bad.stdout + bad.stderr
        rules, data = _report(bad.stdout)
        assert "reproducible/not-reproduced" in rules
        assert "reproducible/content" in rules
        assert data["reproduced"] is False
        missing = run_cli(
            "rebuild", "demo-flit==9.9", "--index-url", server.index_url, cwd=tmp_path
        )
        assert missing.returncode == 1
        assert "has no sdist" in missing.stderr
    finally:
        server.stop()


class _LyingIndex(BaseHTTPRequestHandler):
    """A PEP 503 page whose sha256 is not the file's: what a tampering mirror serves."""

    files: ClassVar[dict[str, bytes]] = {}

    def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002 - the base class names them
        return

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        if self.path.startswith("/simple/"):
            links = "".join(f'<a href="/files/{n}#sha256={"0" * 64}">{n}</a>' for n in self.files)
            body = f"<html><body>{links}</body></html>".encode()
        elif name in self.files:
            body = self.files[name]
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def lying_index(release: tuple[Path, Path]) -> Iterator[str]:
    _LyingIndex.files = {p.name: p.read_bytes() for p in release}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LyingIndex)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_a_download_whose_hash_is_not_the_indexs_is_refused(
    lying_index: str, tmp_path: Path
) -> None:
    refused = run_cli(
        "rebuild", "demo_flit==1.0.0", "--index-url", lying_index, "--no-isolation", cwd=tmp_path
    )
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "refusing to rebuild against it" in refused.stderr
    assert "index states " + "0" * 64 in refused.stderr


def test_flit_core_is_pinned_from_a_flit_generator_line(tmp_path: Path) -> None:
    # flask 3.1.0's wheel says `Generator: flit 3.10.1`; its [build-system] requires flit_core.
    from releasegate._internal.archives import read_archive
    from releasegate._internal.builder.rebuild import RebuildOptions, conditions_of
    from tests.repro_support import tar_gz, tar_member, zip_bytes

    wheel = tmp_path / "flask-3.1.0-py3-none-any.whl"
    wheel.write_bytes(
        zip_bytes(
            [("flask-3.1.0.dist-info/WHEEL", b"Wheel-Version: 1.0\nGenerator: flit 3.10.1\n")]
        )
    )
    sdist = tmp_path / "flask-3.1.0.tar.gz"
    sdist.write_bytes(tar_gz([tar_member("flask-3.1.0/pyproject.toml", b"", mtime=1731522007)]))
    said = conditions_of(
        read_archive(sdist), read_archive(wheel), RebuildOptions(), ["flit_core<4"]
    )
    assert said.pins == {"flit_core": "3.10.1"}
    assert said.source_date_epoch == 1731522007
