"""Dependency licenses of uv workspace members, from the workspace's one ``uv.lock`` (issue 30).

Resolving each member with pip cost 33-67 s a member on the MCP SDK and ten minutes on
autogen. The lock already says what each member ships: its runtime requirements and extras,
through the members it requires, never a dependency group. A failed lookup is remembered for a
bounded time and said once per run, not once per member.
"""

from __future__ import annotations

import http.server
import io
import json
import random
import re
import threading
import time
import zipfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.metadata import cache, depmeta, memberdeps
from tests.conftest import run_cli
from tests.license_support import license_index, make_wheel
from tests.metadata.test_license_deps import _uv_lock

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo
    from tests.license_support import Index

__all__ = ["license_index"]  # the fixture, used by name

DENIED = "license/dependency-license-denied"
UNDISTRIBUTED = frozenset({"dev", "test", "docs"})
ROOT = """\
[tool.uv.workspace]
members = ["packages/*"]

[tool.releasegate.license]
reuse = "never"
sdist-coverage = false
index-url = "{url}"
allowed = ["MIT"]
"""
MEMBER = """\
[project]
name = "{name}"
version = "1.0.0"
requires-python = ">=3.10"
dependencies = [{dependencies}]
{extra}
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
{tail}
"""


def _member(name: str, dependencies: str, extra: str = "", tail: str = "") -> str:
    return MEMBER.format(name=name, dependencies=dependencies, extra=extra, tail=tail)


def _workspace(make_repo: Callable[..., GitRepo], index: Index) -> GitRepo:
    """``app`` requires ``lib`` (a workspace source) and rg-permissive, and rg-copyleft in its
    ``gpl`` extra; ``lib`` requires rg-winonly (Apache-2.0). Both have GPL and unknown-license
    packages in their dev groups, which ship to no one."""
    files: dict[str, str | bytes] = {
        "pyproject.toml": ROOT.format(url=index.url),
        "packages/lib/pyproject.toml": _member(
            "lib", '"rg-winonly"', tail='[dependency-groups]\ndev = ["rg-devtool"]\n'
        ),
        "packages/lib/lib/__init__.py": "",
        "packages/app/pyproject.toml": _member(
            "app",
            '"lib", "rg-permissive"',
            '[project.optional-dependencies]\ngpl = ["rg-copyleft"]\n',
            '[tool.uv.sources]\nlib = { workspace = true }\n\n[dependency-groups]\ndev = ["rg-mystery"]\n',
        ),
        "packages/app/app/__init__.py": "",
    }
    repo = make_repo(files)
    _uv_lock(repo.root, index)
    return repo


def findings(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    """``check ARGS`` at the workspace root: its findings, each with its member's check name."""
    cache_dir = {"RELEASEGATE_CACHE_DIR": str(root.parent / "releasegate-cache")}
    completed = run_cli("check", *args, "--format", "json", cwd=root, env=cache_dir)
    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    found = [{**f, "check": r["check"]} for r in report["checks"] for f in r["findings"]]
    return completed.returncode, found


def _said(found: list[dict[str, object]]) -> list[tuple[str, str, str, str]]:
    return sorted(
        (str(f["check"]), str(f["rule"]), str(f["path"]), str(f["message"]).split(" is lic")[0])
        for f in found
        if str(f["rule"]).startswith("license/dependency")
    )


@pytest.mark.slow  # real uv lock, the CLI three times
def test_members_licenses_come_from_the_workspace_lock_once_and_a_dead_index_is_said_once(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    repo = _workspace(make_repo, license_index)
    before = len(license_index.requests)
    code, found = findings(repo.root, "license")
    assert code == 1
    # What ships: app's extra and lib's requirement (through app, and in lib itself); never a
    # dev group's GPL or unknown license; every finding points at the lock, where uv pins it.
    assert _said(found) == [
        ("app/license", DENIED, "uv.lock", "dependency rg-copyleft 1.0"),
        ("app/license", DENIED, "uv.lock", "dependency rg-winonly 1.0"),
        ("lib/license", DENIED, "uv.lock", "dependency rg-winonly 1.0"),
    ]
    asked = license_index.requests[before:]
    # Nothing resolved (the members themselves are not on the index), and rg-winonly's
    # metadata read once although both members ship it.
    assert not any("/simple/lib/" in p or "/simple/app/" in p for p in asked), asked
    assert sum(p.endswith("rg_winonly-1.0-py3-none-any.whl.metadata") for p in asked) == 1

    pyproject = repo.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(license_index.url, "http://127.0.0.1:9/"))
    (repo.root.parent / "releasegate-cache").rename(repo.root.parent / "old-cache")
    code, found = findings(repo.root, "license")
    undecidable = [f for f in found if str(f["rule"]).endswith("dependency-license-undecidable")]
    assert code == 1
    # rg-winonly ships with both members: its failed lookup is said once, not once per member.
    said = " ".join(str(f["message"]) for f in undecidable)
    assert said.count("rg-winonly 1.0") == 1, said
    assert "cannot be reached" in said
    # The next run remembers the dead index instead of waiting for it again.
    code, found = findings(repo.root, "license")
    assert "remembered from an earlier lookup" in json.dumps(found)


LOCK = """\
version = 1
requires-python = ">=3.10"

[manifest]
members = ["app", "lib"]

[[package]]
name = "app"
version = "1.0.0"
source = { editable = "packages/app" }
dependencies = [{ name = "lib" }, { name = "web", extra = ["fast"] }]

[package.optional-dependencies]
docs = [{ name = "sphinx" }]
plot = [{ name = "numpy", version = "2.0.0", source = { registry = "https://pypi.org/simple" } }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "lib"
version = "1.0.0"
source = { editable = "packages/lib" }
dependencies = [{ name = "attrs" }]

[package.dev-dependencies]
dev = [{ name = "mypy" }]

[[package]]
name = "web"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "h11" }]

[package.optional-dependencies]
fast = [{ name = "uvloop" }]
slow = [{ name = "trio" }]

[[package]]
name = "numpy"
version = "1.26.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "attrs"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "h11"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "uvloop"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "trio"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "sphinx"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "mypy"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
"""


def test_a_members_closure_follows_runtime_requirements_named_extras_and_members(
    tmp_path: Path,
) -> None:
    (tmp_path / "uv.lock").write_text(LOCK)
    graph = memberdeps._graph(tmp_path / "uv.lock")
    assert graph is not None
    # Through lib (a member: not itself a dependency) to attrs; web's ``fast`` extra only,
    # because that is what app names; the fork's numpy 2.0.0 only; no dev group, no docs extra.
    assert memberdeps.closure(graph, "app", UNDISTRIBUTED) == {
        ("attrs", "1.0"),
        ("web", "1.0"),
        ("h11", "1.0"),
        ("uvloop", "1.0"),
        ("numpy", "2.0.0"),
    }
    assert memberdeps.closure(graph, "lib", UNDISTRIBUTED) == {("attrs", "1.0")}
    assert memberdeps.closure(graph, "web", UNDISTRIBUTED) is None  # not a member


def test_a_failed_lookup_is_remembered_for_a_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path))
    dead = "http://127.0.0.1:9/simple/"
    wanted = depmeta.Wanted("anything", "1.0")
    first = depmeta.Fetcher(dead, {}).fields_all([wanted])[wanted]
    assert isinstance(first, str)
    assert "cannot be reached" in first
    again = depmeta.Fetcher(dead, {}).fields_all([wanted])[wanted]
    assert isinstance(again, str)
    assert "remembered from an earlier lookup" in again
    # Older than FAILURE_TTL: asked again.
    old = {"why": first, "at": time.time() - depmeta.FAILURE_TTL - 1}
    cache.put(depmeta.NAMESPACE_FAILED, depmeta.Fetcher(dead, {}).index_url, old)
    later = depmeta.Fetcher(dead, {}).fields_all([wanted])[wanted]
    assert isinstance(later, str)
    assert "remembered" not in later


def test_a_failure_is_reported_once_per_reader() -> None:
    fetcher = depmeta.Fetcher("http://127.0.0.1:9/simple/", {}, offline=True)
    assert fetcher.first_report("x", "1.0", "why")
    assert not fetcher.first_report("x", "1.0", "why")
    assert fetcher.first_report("y", "1.0", "why")


def test_an_artifact_over_the_bound_is_refused_before_download_and_never_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, license_index: Index
) -> None:
    # torch's and CUDA's wheels have no metadata file and are hundreds of MB; the resolver
    # asks core_metadata directly, and a ValueError there was an internal error (exit 3).
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(depmeta, "MAX_DOWNLOAD", 100)
    fetcher = depmeta.Fetcher(license_index.url, {})
    found = fetcher.core_metadata(depmeta.Wanted("rg-nometa", "1.0"))
    assert isinstance(found, str)
    assert "bytes, more than 100" in found


class _RangedHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, answering ``Range: bytes=-N`` and ``bytes=A-B`` as PyPI's CDN does."""

    served: list[int]

    def log_message(self, *_: object) -> None:
        return

    def do_GET(self) -> None:
        asked = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if asked is None or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        first, last = asked.groups()
        start = len(data) - int(last) if not first else int(first)
        end = len(data) - 1 if not first or not last else min(int(last), len(data) - 1)
        start = max(0, start)
        body = data[start : end + 1]
        self.served.append(len(body))
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_large_wheel_without_a_metadata_file_is_read_by_range_requests(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # torch 2.5.1 and the CUDA wheels autogen locks: no metadata file, hundreds of MB; their
    # licenses were undecidable (over the download bound) and cost a minute each to refuse.
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(depmeta, "MAX_DOWNLOAD", 100_000)
    grown = io.BytesIO(make_wheel("rg-huge", "1.0", "License-Expression: BSD-3-Clause\n", ()))
    with zipfile.ZipFile(grown, "a") as archive:  # the METADATA first, 3 MB after it
        archive.writestr("rg_huge/blob.bin", random.Random(0).randbytes(3_000_000))
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "rg_huge-1.0-py3-none-any.whl").write_bytes(grown.getvalue())
    page = tmp_path / "simple" / "rg-huge"
    page.mkdir(parents=True)
    (page / "index.html").write_text(
        '<a href="../../files/rg_huge-1.0-py3-none-any.whl">rg_huge-1.0-py3-none-any.whl</a>\n'
    )
    served: list[int] = []
    handler = type("Handler", (_RangedHandler,), {"served": served})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/simple/"
        wanted = depmeta.Wanted("rg-huge", "1.0")
        found = depmeta.Fetcher(url, {}).fields_all([wanted])[wanted]
    finally:
        server.shutdown()
        server.server_close()
    assert isinstance(found, depmeta.LicenseFields), found
    assert found.expression == "BSD-3-Clause"
    assert "range requests" in found.origin
    assert sum(served) < 1_000_000, served  # the tail and the member, not the 3 MB wheel
