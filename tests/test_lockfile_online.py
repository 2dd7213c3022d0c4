"""``--resolve`` against a real local index, the drift pip-compile --dry-run misses, the hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import HookSource, run_hook
from tests.lockfile_support import PYPROJECT, REQUIREMENTS_IN, Generated, pip_compile
from tests.test_lockfile import UNPIN, check, rules, the

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
def test_resolve_reports_what_pip_compile_would_change(
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
    assert "pip-compile failed" in found.message


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
