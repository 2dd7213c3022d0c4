"""The lockfile gate on lockfiles written by real Poetry (1 and 2 layouts) and real PDM.

The lockfiles in tests/fixtures/lockfiles/ were made by the real tools against the
loopback index of tests/lockfile_support.py (see regenerate.py there for how); the
verdicts here were compared with ``poetry check --lock`` and ``pdm lock --check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks

if TYPE_CHECKING:
    from releasegate._internal.findings import Finding

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lockfiles"
LOCKS = {"poetry1": "poetry.lock", "poetry2": "poetry.lock", "pdm": "pdm.lock"}


def project(tmp_path: Path, name: str) -> Path:
    for file in ("pyproject.toml", LOCKS[name]):
        shutil.copyfile(FIXTURES / name / file, tmp_path / file)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def errors(root: Path) -> list[Finding]:
    context = CheckContext(Project(root), CheckOptions())
    return [f for f in run_checks(["lockfile"], context).findings() if f.severity.value == "error"]


def rules(root: Path) -> set[str]:
    return {f.rule for f in errors(root)}


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_real_lock_is_clean(tmp_path: Path, name: str) -> None:
    """Dev dependencies and groups are declarations: nothing locked for them is stale."""
    assert errors(project(tmp_path, name)) == []


# Where each layout declares the dev group's six, and a spelling that no longer fits 1.17.0.
DEV_SIX = {
    "poetry1": ('six = ">=1.16"', 'six = ">=1.18"'),
    "poetry2": ('six = ">=1.16"', 'six = ">=1.18"'),
    "pdm": ('dev = ["six>=1.16"]', 'dev = ["six>=1.18"]'),
}


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_changed_group_specifier_is_seen(tmp_path: Path, name: str) -> None:
    root = project(tmp_path, name)
    edit(root / "pyproject.toml", *DEV_SIX[name])
    found = errors(root)
    assert [f.rule for f in found] == ["version-drift"], found
    assert "six>=1.18" in found[0].message


ADDED = {
    "poetry1": ('six = ">=1.16"', 'six = ">=1.16"\nflask = ">=2"'),
    "poetry2": ('six = ">=1.16"', 'six = ">=1.16"\nflask = ">=2"'),
    "pdm": ('dev = ["six>=1.16"]', 'dev = ["six>=1.16", "flask>=2"]'),
}


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_added_group_dependency_is_not_locked(tmp_path: Path, name: str) -> None:
    root = project(tmp_path, name)
    edit(root / "pyproject.toml", *ADDED[name])
    found = errors(root)
    assert [f.rule for f in found] == ["not-locked"], found
    text = (root / "pyproject.toml").read_text()
    assert found[0].line == text[: text.index("flask")].count("\n") + 1


def test_pdm_dependency_locked_only_for_another_group(tmp_path: Path) -> None:
    """six is locked for dev (and via dateutil); declaring it for an unlocked group is drift.

    ``pdm install -G docs`` installs only what the lock marks for that group, so a lock
    that holds the package for other groups only does not satisfy the declaration.
    """
    root = project(tmp_path, "pdm")
    edit(
        root / "pyproject.toml", 'dev = ["six>=1.16"]', 'dev = ["six>=1.16"]\ndocs = ["iniconfig"]'
    )
    edit(root / "pdm.lock", 'groups = ["default", "dev"]', 'groups = ["default", "dev", "docs"]')
    found = errors(root)
    assert [f.rule for f in found] == ["not-locked"], found
    assert "'docs'" in found[0].message


@pytest.mark.parametrize("name", sorted(LOCKS))
def test_removed_entry_and_hash(tmp_path: Path, name: str) -> None:
    """``poetry check --lock`` and ``pdm lock --check`` compare only the content hash and pass
    both; the lock can no longer install iniconfig, or install it safely."""
    root = project(tmp_path, name)
    lock = root / LOCKS[name]
    text = lock.read_text()
    start = text.index('[[package]]\nname = "iniconfig"')
    end = text.index("[[package]]", start + 1)
    lock.write_text(text[:start] + text[end:])
    assert rules(root) == {"not-locked"}
    digest = "sha256:1d8daf143bc27dd6fae31eaa2b36a4b41e86fe8c044ddb9c64245a7dc30d64a2"
    lock.write_text(text.replace(f', hash = "{digest}"', ""))
    assert rules(root) == {"missing-hash"}


def test_pdm_lock_is_detected_and_read_with_groups() -> None:
    from releasegate._internal.lockfiles import detect, parse_file

    root = FIXTURES / "pdm"
    assert detect(root) == ["pdm.lock"]
    lock = parse_file(root, "pdm.lock")
    assert lock.groups == ("default", "dev")
    six = next(e for e in lock.entries if e.name == "six")
    assert (six.version, six.groups, len(six.hashes)) == ("1.17.0", ("default", "dev"), 1)
    dateutil = next(e for e in lock.entries if e.name == "python-dateutil")
    assert dateutil.requires == ("six",)
