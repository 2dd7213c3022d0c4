"""``--resolve`` against a real local index, the drift pip-compile --dry-run misses, the hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.findings import Severity
from tests.conftest import HookSource, run_hook
from tests.lockfile_support import (
    OLDER,
    PYPROJECT,
    REQUIREMENTS_IN,
    RUNNING,
    Generated,
    pip_compile,
)
from tests.lockfiles.test_lockfile import UNPIN, check, rules, the

# The session fixtures (index, wheelhouse, generated) are a plugin shared by both lockfile
# test modules, so that the index starts and the lockers run once per session.
pytest_plugins = ("tests.lockfile_support",)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo


DRIFTED_IN = "python-dateutil>=2.8\niniconfig>=2\n"


def _project(
    root: Path, generated: Generated, requirements_in: str, index_url: str | None = None
) -> None:
    config = f'\n[tool.releasegate.lockfile]\nindex-url = "{index_url}"\n' if index_url else ""
    (root / "pyproject.toml").write_text(PYPROJECT + config)
    (root / "requirements.in").write_text(requirements_in)
    (root / "requirements.txt").write_text(generated.requirements)


@pytest.fixture
def quiet_pip(monkeypatch: pytest.MonkeyPatch) -> None:
    """pip-compile run by --resolve sees only the configured index, and gives up at once."""
    monkeypatch.setenv("PIP_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)
    for name in ("UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_FIND_LINKS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("UV_NO_CONFIG", "1")


def test_dry_run_exits_zero_on_drift_releasegate_does_not(
    generated: Generated, tmp_path: Path
) -> None:
    _project(tmp_path, generated, DRIFTED_IN)
    dry = pip_compile(
        tmp_path,
        generated.index,
        "--dry-run",
        "--generate-hashes",
        "-o",
        "requirements.txt",
        "requirements.in",
    )
    assert dry.returncode == 0, dry.stderr
    assert "iniconfig==2.0.0" in dry.stdout + dry.stderr  # it knew, and still said 0
    found = the(check(tmp_path), "version-drift")
    assert (found.path, found.line) == (
        "requirements.txt",
        generated.requirements.splitlines().index("iniconfig==1.1.1 \\") + 1,
    )


@pytest.mark.usefixtures("quiet_pip")
def test_resolve_reports_what_the_resolver_would_change(
    generated: Generated, tmp_path: Path
) -> None:
    _project(tmp_path, generated, DRIFTED_IN, generated.index.url)
    before = (tmp_path / "requirements.txt").read_text()
    findings = [f for f in check(tmp_path, resolve=True) if f.rule == "resolve-differs"]
    assert [f.message for f in findings] == ["re-resolving moves iniconfig from 1.1.1 to 2.0.0"]
    assert (tmp_path / "requirements.txt").read_text() == before  # nothing the user owns is touched


@pytest.mark.usefixtures("quiet_pip")
def test_resolve_in_sync(generated: Generated, tmp_path: Path) -> None:
    _project(tmp_path, generated, REQUIREMENTS_IN, generated.index.url)
    assert check(tmp_path, resolve=True) == []


@pytest.mark.usefixtures("quiet_pip")
def test_resolve_against_a_dead_index_is_a_finding(generated: Generated, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/simple/"
    _project(tmp_path, generated, REQUIREMENTS_IN, dead)
    found = the(check(tmp_path, resolve=True), "resolve-failed")
    assert found.path == "requirements.txt"
    assert "uv pip compile failed" in found.message


def _by_python(root: Path, generated: Generated, config: str = "") -> None:
    """A lock pip-compile made on this Python for a project that supports the one before."""
    pyproject = PYPROJECT.replace('requires-python = ">=3.10"', f'requires-python = ">={OLDER}"')
    assert f'requires-python = ">={OLDER}"' in pyproject
    (root / "pyproject.toml").write_text(
        f'{pyproject}\n[tool.releasegate.lockfile]\nindex-url = "{generated.index.url}"\n{config}'
    )
    (root / "requirements.in").write_text("byversion\n")
    done = pip_compile(
        root, generated.index, "--generate-hashes", "--no-emit-index-url", "requirements.in"
    )
    assert done.returncode == 0, done.stderr
    assert "byversion==2.0" in (root / "requirements.txt").read_text()


@pytest.mark.usefixtures("quiet_pip")
def test_resolve_is_for_the_projects_python(generated: Generated, tmp_path: Path) -> None:
    """byversion 2.0 needs this Python; on the project's oldest Python only 1.0 installs."""
    _by_python(tmp_path, generated)
    found = [(f.rule, f.message) for f in check(tmp_path, resolve=True)]
    assert found == [("resolve-differs", "re-resolving moves byversion from 2.0 to 1.0")]


@pytest.mark.usefixtures("quiet_pip")
def test_resolve_python_version_is_configurable(generated: Generated, tmp_path: Path) -> None:
    _by_python(tmp_path, generated, f'python-version = "{RUNNING}"\n')
    assert check(tmp_path, resolve=True) == []


@pytest.mark.usefixtures("quiet_pip")
def test_resolve_without_uv_says_the_target_is_not_honoured(
    generated: Generated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pip-compile resolves only for the interpreter it runs on: never silently."""
    from releasegate._internal.lockfiles import resolve

    monkeypatch.setattr(resolve, "find_uv", lambda: None)
    _by_python(tmp_path, generated)
    (finding,) = check(tmp_path, resolve=True)
    assert (finding.rule, finding.severity) == ("resolve-python-not-honoured", Severity.WARNING)
    assert f"for Python {RUNNING}" in finding.message
    assert f"project's Python {OLDER}" in finding.message


def test_resolve_other_formats_say_so(generated: Generated, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "uv.lock").write_text(generated.uv_lock)
    assert "resolve-unsupported" in rules(check(tmp_path, resolve=True))


@pytest.mark.slow
def test_precommit_hook_passes_good_and_fails_bad(
    generated: Generated,
    make_repo: Callable[..., GitRepo],
    precommit_home: Path,
    hook_source: HookSource,
) -> None:
    repo = make_repo(
        {
            "pyproject.toml": PYPROJECT,
            "requirements.in": REQUIREMENTS_IN,
            "requirements.txt": generated.requirements,
        }
    )
    good = run_hook(repo, precommit_home, hook_source, "releasegate-lockfile")
    assert good.returncode == 0, good.stdout + good.stderr
    repo.commit({"requirements.txt": UNPIN["requirements"](generated.requirements)})
    bad = run_hook(repo, precommit_home, hook_source, "releasegate-lockfile")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "requirements.txt:" in bad.stdout
    assert "[lockfile/not-pinned]" in bad.stdout
