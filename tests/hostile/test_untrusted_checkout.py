"""A stranger's checkout runs nothing: default gates and commands start no program but git.

Each checkout is full of canaries, code that a build or an install would run: an in-tree
backend (``backend-path``), a ``setup.py``, a hatch metadata hook, an sdist-only dependency
whose ``setup.py`` writes a file, a local-path dependency, served by a loopback index the
checkout configures. The job holds fake secrets. Every default gate, ``version``, ``plan`` and
``report`` runs in-process under an audit hook (tests/audit_support.py) that records every
process start, whoever makes it: only git may run, with none of the secrets in its
environment, and no canary may fire (issue 27).
"""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import tarfile
import threading
import zipfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.cli import main
from tests.audit_support import Started, processes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.conftest import GitRepo

SECRETS = {
    "GITHUB_TOKEN": "ghp_canaryGithubToken0123456789abcdefABCD",
    "PYPI_TOKEN": "pypi-canaryPypiToken0123456789abcdef",
    "TWINE_PASSWORD": "canary-twine-password-0123456789",
    "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "canary-oidc-request-token-0123456789",
}


def canary(target: str) -> str:
    """Python that records, at ``target``, that it ran and which token it could see."""
    return (
        "import os, pathlib\n"
        f"pathlib.Path({target}).write_text(os.environ.get('GITHUB_TOKEN', 'ran, no token'))\n"
    )


IN_TREE_BACKEND = (
    canary('pathlib.Path(__file__).with_name("CANARY")')
    + """
def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(directory, config_settings=None):
    raise SystemExit("a canary builds nothing")


build_wheel = build_sdist = get_requires_for_build_sdist = prepare_metadata_for_build_wheel
"""
)
RUNS_SETUP_PY = """\
import runpy

runpy.run_path("setup.py")


def get_requires_for_build_wheel(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(directory, config_settings=None):
    raise SystemExit("a canary builds nothing")


build_wheel = build_sdist = get_requires_for_build_sdist = prepare_metadata_for_build_wheel
"""
HATCH_HOOK = (
    canary('pathlib.Path(__file__).with_name("CANARY")')
    + """
from hatchling.metadata.plugin.interface import MetadataHookInterface


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata):
        metadata["version"] = "1.0.0"
"""
)


def _pyproject(index: str, build: str, version: str, dependencies: str, extra: str = "") -> str:
    return f"""\
[build-system]
{build}

[project]
name = "demo"
{version}
description = "A checkout full of canaries"
license = "MIT"
requires-python = ">=3.10"
dependencies = [{dependencies}]
{extra}
[tool.releasegate.license]
index-url = "{index}"
"""


REUSE = {
    # REUSE is checked by a library (reuse) that starts git and ldconfig by itself.
    "LICENSES/MIT.txt": "MIT License\n",
    "REUSE.toml": 'version = 1\n\n[[annotations]]\npath = ["**"]\n'
    'SPDX-FileCopyrightText = "2026 Canary"\nSPDX-License-Identifier = "MIT"\n',
}


IN_TREE = 'requires = []\nbuild-backend = "canary_backend"\nbackend-path = ["."]'
DYNAMIC = 'dynamic = ["version"]'


def checkouts(index: str, root: Path) -> dict[str, dict[str, str]]:
    """Each canary alone in its checkout, so that each can be shown to fire on its own."""
    local = (root / "vendor" / "localdep").as_uri()
    found = _canaries(index, local)
    return {kind: {**REUSE, **files} for kind, files in found.items()}


def _canaries(index: str, local: str) -> dict[str, dict[str, str]]:
    return {
        "in-tree backend": {
            "pyproject.toml": _pyproject(index, IN_TREE, DYNAMIC, '"rg-plain"'),
            "canary_backend.py": IN_TREE_BACKEND,
        },
        "setup.py": {
            "pyproject.toml": _pyproject(
                index,
                'requires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"',
                DYNAMIC,
                '"rg-plain"',
            ),
            "setup.py": canary('pathlib.Path(__file__).with_name("CANARY")')
            + 'from setuptools import setup\nsetup(version="1." + "0.0")\n',
        },
        "hatch hook": {
            "pyproject.toml": _pyproject(
                index,
                'requires = ["hatchling"]\nbuild-backend = "hatchling.build"',
                DYNAMIC,
                '"rg-plain"',
                "\n[tool.hatch.metadata.hooks.custom]\n",
            ),
            "hatch_build.py": HATCH_HOOK,
        },
        "config asks for builds": {
            "pyproject.toml": _pyproject(
                index,
                IN_TREE,
                'version = "1.0.0"',
                '"rg-plain"',
                '\n[tool.releasegate]\nchecks = ["semver", "license", "manifest", "reproducible"]\n',
            ).replace(
                "[tool.releasegate.license]", "[tool.releasegate.license]\nsdist-coverage = true"
            ),
            "canary_backend.py": IN_TREE_BACKEND,
        },
        "sdist-only dependency": {
            "pyproject.toml": _pyproject(
                index, IN_TREE, 'version = "1.0.0"', '"rg-plain", "rg-sdist-canary"'
            ),
            "canary_backend.py": "raise SystemExit('not this one')\n",
        },
        "local-path dependency": {
            "pyproject.toml": _pyproject(
                index, IN_TREE, 'version = "1.0.0"', f'"rg-local @ {local}"'
            ),
            "canary_backend.py": "raise SystemExit('not this one')\n",
            "vendor/localdep/pyproject.toml": (
                '[build-system]\nrequires = []\nbuild-backend = "canary_backend"\n'
                'backend-path = ["."]\n\n[project]\nname = "rg-local"\nversion = "1.0"\n'
            ),
            "vendor/localdep/canary_backend.py": IN_TREE_BACKEND.replace(
                'with_name("CANARY")', 'parents[2].joinpath("CANARY")'
            ),
        },
    }


def _wheel(name: str, version: str, headers: str) -> bytes:
    dist = f"{name.replace('-', '_')}-{version}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        meta = f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{headers}"
        archive.writestr(f"{dist}.dist-info/METADATA", meta)
        archive.writestr(f"{dist}.dist-info/WHEEL", "Wheel-Version: 1.0\nTag: py3-none-any\n")
        archive.writestr(f"{dist}.dist-info/RECORD", "")
    return buffer.getvalue()


def _sdist(name: str, version: str, fired: Path) -> bytes:
    """An sdist-only upload (Metadata 2.1: its requirements are known only by building it)."""
    top = f"{name.replace('-', '_')}-{version}"
    files = {
        "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\nLicense: MIT\n",
        "pyproject.toml": (
            '[build-system]\nrequires = []\nbuild-backend = "canary_backend"\n'
            'backend-path = ["."]\n'
        ),
        "canary_backend.py": RUNS_SETUP_PY,
        "setup.py": canary(repr(str(fired))),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{member}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _page(root: Path, name: str, filename: str, data: bytes, metadata: bytes | None) -> None:
    (root / "files" / filename).write_bytes(data)
    attribute = ""
    if metadata is not None:
        (root / "files" / f"{filename}.metadata").write_bytes(metadata)
        attribute = f' data-core-metadata="sha256={hashlib.sha256(metadata).hexdigest()}"'
    page = root / "simple" / name
    page.mkdir(parents=True)
    digest = hashlib.sha256(data).hexdigest()
    page.joinpath("index.html").write_text(
        f'<a href="../../files/{filename}#sha256={digest}"{attribute}>{filename}</a>\n'
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture(scope="module")
def canary_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A loopback index: rg-plain (a wheel), rg-sdist-canary (an sdist whose setup.py writes
    the returned path when anything builds it)."""
    root = tmp_path_factory.mktemp("canary-index")
    fired = root / "SDIST-CANARY"
    (root / "files").mkdir()
    plain = _wheel("rg-plain", "1.0", "License-Expression: MIT\n")
    with zipfile.ZipFile(io.BytesIO(plain)) as archive:
        metadata = archive.read("rg_plain-1.0.dist-info/METADATA")
    _page(root, "rg-plain", "rg_plain-1.0-py3-none-any.whl", plain, metadata)
    sdist = _sdist("rg-sdist-canary", "1.0", fired)
    _page(root, "rg-sdist-canary", "rg_sdist_canary-1.0.tar.gz", sdist, None)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/simple/", fired
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def job(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A pull request job: fake secrets in the environment, a cold metadata cache."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_ACTIONS", "GITHUB_REF", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))


def _assert_only_git(started: list[Started], output: str) -> None:
    assert {s.program for s in started} <= {"git"}, [s.argv for s in started]
    for item in started:
        assert item.env is not None, f"{item.argv} inherits the whole environment"
        leaked = [k for k, v in SECRETS.items() if v in item.env.values()]
        assert not leaked, (item.argv, leaked)
    for value in SECRETS.values():
        assert value not in output


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[Started]]:
    with processes() as started:
        code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out + out.err, list(started)


COMMANDS: dict[str, tuple[str, ...]] = {
    "check": ("check", "--format", "json"),
    "check --format github": ("check", "--format", "github"),
    "version": ("version",),
    "version --next auto": ("version", "--next", "auto"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    "kind",
    [
        "in-tree backend",
        "setup.py",
        "hatch hook",
        "config asks for builds",
        "sdist-only dependency",
        "local-path dependency",
    ],
)
@pytest.mark.usefixtures("job")
def test_no_canary_fires_and_only_git_runs(  # noqa: PLR0917 - pytest passes fixtures by name
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    command: str,
    tmp_path: Path,
) -> None:
    index, sdist_fired = canary_index
    sdist_fired.unlink(missing_ok=True)
    root = tmp_path / "checkout"
    repo = make_repo(checkouts(index, root)[kind], name="checkout")
    if command == "check --format github":
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        monkeypatch.setenv("GITHUB_REF", "refs/pull/7/merge")
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    code, output, started = _run(capsys, "-C", str(repo.root), *COMMANDS[command])
    assert code in (0, 1), output[-3000:]
    assert not (repo.root / "CANARY").exists(), "the checkout's code ran"
    assert not sdist_fired.exists(), "a dependency's sdist was built"
    _assert_only_git(started, output)


@pytest.mark.usefixtures("job")
def test_report_from_a_checkout_s_run_starts_nothing(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    repo = make_repo(checkouts(canary_index[0], tmp_path / "c")["in-tree backend"], name="c")
    report = tmp_path / "report.json"
    _run(capsys, "-C", str(repo.root), "check", "--format", "json", "--output", str(report))
    code, output, started = _run(capsys, "-C", str(repo.root), "report", "--from", str(report))
    assert code == 0, output
    assert started == []
    _assert_only_git(started, output)


@pytest.mark.usefixtures("job")
def test_plan_of_a_workspace_runs_no_member_backend(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    member = checkouts(canary_index[0], Path("/unused"))["in-tree backend"]
    files = {
        "pyproject.toml": '[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        "packages/a/pyproject.toml": member["pyproject.toml"].replace('"demo"', '"member-a"'),
        "packages/a/canary_backend.py": member["canary_backend.py"],
    }
    repo = make_repo(files)
    for args in (("plan",), ("plan", "--format", "github-matrix"), ("check", "--format", "json")):
        code, output, started = _run(capsys, "-C", str(repo.root), *args)
        assert code in (0, 1), output[-3000:]
        assert not (repo.root / "packages" / "a" / "CANARY").exists(), args
        _assert_only_git(started, output)


def test_a_release_run_asks_the_backend_with_the_scrubbed_environment(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    job: None,
    tmp_path: Path,
) -> None:
    # A tag build is trusted to run its backend, and the backend still sees no secret.
    repo = make_repo(checkouts(canary_index[0], tmp_path / "c")["setup.py"], name="c")
    code, output, started = _run(capsys, "-C", str(repo.root), "version", "--allow-backend")
    assert code == 0, output
    assert "pep440: 1.0.0" in output
    assert (repo.root / "CANARY").read_text() == "ran, no token"
    assert {s.program for s in started} - {"git"}, "the backend ran in a process"
    _assert_only_git([s for s in started if s.program == "git"], output)
    for item in started:
        assert item.env is not None
        assert not set(SECRETS) & set(item.env)


def test_without_trust_the_semver_gate_says_it_did_not_ask_the_backend(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    job: None,
    tmp_path: Path,
) -> None:
    repo = make_repo(checkouts(canary_index[0], tmp_path / "c")["in-tree backend"], name="c")
    code, output, _ = _run(capsys, "-C", str(repo.root), "check", "semver", "--format", "json")
    assert code == 0, output
    (finding,) = json.loads(output)["checks"][0]["findings"]
    assert finding["rule"] == "semver/no-version"
    assert finding["severity"] == "warning"
    assert "the build backend was not asked" in finding["message"]
    assert "--allow-backend" in finding["hint"]


@pytest.mark.usefixtures("job")
def test_builds_the_checkout_asks_for_are_said_not_done(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    files = checkouts(canary_index[0], tmp_path / "c")["config asks for builds"]
    repo = make_repo(files, name="c")
    code, output, _ = _run(capsys, "-C", str(repo.root), "check", "--format", "json")
    found = {
        f["rule"]: f["severity"]
        for gate in json.loads(output)["checks"]
        for f in gate["findings"]
        if "trust" in f["message"] or "not-trusted" in f["rule"]
    }
    assert found == {
        "manifest/build-not-trusted": "warning",
        "reproducible/build-not-trusted": "warning",
        "license/sdist-unavailable": "warning",
    }, output
    assert code == 0


@pytest.mark.parametrize("gate", ["manifest", "reproducible"])
@pytest.mark.usefixtures("job")
def test_a_build_the_job_asks_for_runs_the_backend_without_the_secrets(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    gate: str,
) -> None:
    # Named on the command line, a build gate is trusted to run the backend: the venv's
    # creation, the installer and the backend's processes all get the child environment.
    repo = make_repo(checkouts(canary_index[0], tmp_path / "c")["in-tree backend"], name="c")
    code, output, started = _run(capsys, "-C", str(repo.root), "check", gate, "--format", "json")
    assert code == 1, output  # the canary backend refuses to build
    assert (repo.root / "CANARY").read_text() == "ran, no token"
    assert {s.program for s in started} - {"git"}, "the backend ran in a process"
    for item in started:
        assert item.env is not None, f"{item.argv} inherits the whole environment"
        assert not set(SECRETS) & set(item.env), item.argv


@pytest.mark.usefixtures("job")
def test_the_api_gate_comparing_with_a_release_starts_only_git(
    make_repo: Callable[..., GitRepo],
    canary_index: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    files = checkouts(canary_index[0], tmp_path / "c")["sdist-only dependency"]
    files["src/demo/__init__.py"] = "def kept():\n    pass\n\n\ndef removed():\n    pass\n"
    repo = make_repo(files, tag="v1.0.0", name="c")
    repo.commit(
        {
            "src/demo/__init__.py": "def kept():\n    pass\n",
            "pyproject.toml": files["pyproject.toml"].replace('"1.0.0"', '"1.0.1"'),
        }
    )
    code, output, started = _run(capsys, "-C", str(repo.root), "check", "--format", "json")
    rules = {f["rule"] for gate in json.loads(output)["checks"] for f in gate["findings"]}
    assert "api/object-removed" in rules, output  # griffe read both sides
    assert code == 1
    assert not (repo.root / "CANARY").exists()
    _assert_only_git(started, output)
