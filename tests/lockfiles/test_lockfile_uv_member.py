"""A uv.lock inside a uv workspace member is not what uv installs from: it is said, not checked.

Found on pydantic: pydantic-core, a member of the pydantic uv workspace, kept the uv.lock of
the time it was a repository of its own. uv ignores it (`uv lock --check` in the member's
folder reads the root's uv.lock and passes), while the lockfile gate held it to the member's
declarations: "'pytest-benchmark' is declared but not locked", "pytest-speed is locked but
nothing declared needs it" — two false errors about a file nothing installs from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

_HASH = "0" * 64
ROOT = """\
[project]
name = "app"
version = "1.0.0"
dependencies = ["core"]

[tool.uv.sources]
core = {{ workspace = true }}

[tool.uv.workspace]
members = ["packages/*"]
exclude = [{exclude}]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""
MEMBER = """\
[project]
name = "core"
version = "0.5.0"
dependencies = ["six>=1"]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""
# The member's own lock from before it joined the workspace: it still holds a tool it dropped.
MEMBER_LOCK = f"""\
version = 1
requires-python = ">=3.10"

[[package]]
name = "core"
version = "0.5.0"
source = {{ editable = "." }}
dependencies = [{{ name = "six" }}]

[[package]]
name = "six"
version = "1.16.0"
source = {{ registry = "https://pypi.org/simple" }}
sdist = {{ url = "https://files.pythonhosted.org/six-1.16.0.tar.gz", hash = "sha256:{_HASH}" }}

[[package]]
name = "pytest-speed"
version = "0.3.5"
source = {{ registry = "https://pypi.org/simple" }}
sdist = {{ url = "https://files.pythonhosted.org/pytest-speed-0.3.5.tar.gz", hash = "sha256:{_HASH}" }}
"""


def _rules(root: Path) -> list[str]:
    report = run_checks(["lockfile"], CheckContext(Project(root), CheckOptions()))
    return sorted(f.rule for f in report.findings())


def _workspace(make_repo: Callable[..., GitRepo], exclude: str = "") -> GitRepo:
    return make_repo(
        {
            "pyproject.toml": ROOT.format(exclude=exclude),
            "packages/core/pyproject.toml": MEMBER,
            "packages/core/uv.lock": MEMBER_LOCK,
        }
    )


def test_a_members_own_uv_lock_is_said_to_be_unused_not_checked(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = _workspace(make_repo)
    member = repo.root / "packages" / "core"
    assert _rules(member) == ["unused-lockfile"]
    report = run_checks(["lockfile"], CheckContext(Project(member), CheckOptions()))
    (note,) = report.findings()
    assert (note.path, note.severity.value) == ("uv.lock", "note")
    assert "packages/core" in note.message
    assert "../../" in note.message


def test_an_excluded_folder_is_no_member_and_its_lock_is_checked(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = _workspace(make_repo, exclude='"packages/core"')
    assert "stale-entry" in _rules(repo.root / "packages" / "core")


def test_outside_a_repository_nothing_above_the_project_is_read(tmp_path: Path) -> None:
    """Without a checkout to bound the search the lock is checked as the project's own."""
    member = tmp_path / "packages" / "core"
    member.mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(ROOT.format(exclude=""), encoding="utf-8")
    (member / "pyproject.toml").write_text(MEMBER, encoding="utf-8")
    (member / "uv.lock").write_text(MEMBER_LOCK, encoding="utf-8")
    assert "stale-entry" in _rules(member)


def test_no_gate_reads_a_members_own_uv_lock(make_repo: Callable[..., GitRepo]) -> None:
    """License, vulns and the SBOM find lockfiles with ``detect``: the stale lock is not one."""
    from releasegate._internal.lockfiles import detect

    repo = _workspace(make_repo)
    assert detect(repo.root / "packages" / "core", nested=True) == []
    excluded = _workspace(make_repo, exclude='"packages/core"')
    assert detect(excluded.root / "packages" / "core") == ["uv.lock"]


POETRY_PROJECT = """\
[tool.poetry]
name = "tui"
version = "8.0.0"
description = "A Poetry 1 project"
authors = ["A <a@example.org>"]

[tool.poetry.dependencies]
python = ">=3.10"
rich = ">=14.2.0"

[build-system]
requires = ["poetry-core>=1.2.0"]
build-backend = "poetry.core.masonry.api"
"""


def test_a_uv_lock_beside_no_project_table_locks_nothing_and_is_said(
    make_repo: Callable[..., GitRepo],
) -> None:
    """textual: a Poetry project with a stray uv.lock of no packages. uv reads only [project],
    so the lock is no lock of what the project declares (26 false not-locked errors)."""
    from releasegate._internal.lockfiles import detect

    repo = make_repo(
        {"pyproject.toml": POETRY_PROJECT, "uv.lock": 'version = 1\nrequires-python = ">=3.11"\n'}
    )
    assert "uv.lock" not in detect(repo.root)
    rules = _rules(repo.root)
    assert "not-locked" not in rules
    assert "unused-lockfile" in rules


def test_the_project_itself_by_file_url_is_no_download_to_hash(
    make_repo: Callable[..., GitRepo],
) -> None:
    """jsonschema's docs/requirements.txt (pip-compile) installs the project as
    ``jsonschema @ file:.``: the checkout itself, which no hash can pin (pip refuses hashes for
    a directory). It was a url-without-hash error."""
    repo = make_repo(
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
            "docs/requirements.txt": f"demo @ file:.\nsix==1.16.0 --hash=sha256:{_HASH}\n",
        }
    )
    rules = _rules(repo.root)
    assert "url-without-hash" not in rules
    assert "local-path" not in rules
