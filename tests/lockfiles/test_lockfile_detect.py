"""Zero-configuration detection of requirements lockfiles in sub-directories.

sigstore-python keeps its pip-compile lock in ``install/requirements.txt`` (compiled from
``install/requirements.in`` inside ``install/``); projects keep pinned, unhashed tool lists
in ``docs/requirements.txt`` for Read the Docs. The first is a lockfile, the second an input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.findings import Severity
from releasegate._internal.lockfiles import detect
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from tests.lockfile_support import PYPROJECT, REQUIREMENTS_IN, Generated

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from releasegate._internal.findings import Finding
    from tests.conftest import GitRepo

pytest_plugins = ("tests.lockfile_support",)

DOCS = "sphinx==7.1.2\nfuro==2024.1.29\n"


def findings(root: Path) -> list[Finding]:
    return list(run_checks(["lockfile"], CheckContext(Project(root), CheckOptions())).findings())


def sigstore_layout(generated: Generated) -> dict[str, str]:
    """The generated pip-compile lock, as if compiled inside install/ (its header says so)."""
    return {
        "pyproject.toml": PYPROJECT,
        "install/requirements.in": REQUIREMENTS_IN,
        "install/requirements.txt": generated.requirements,
        "docs/requirements.txt": DOCS,
    }


def test_sub_directory_lock_is_found_without_configuration(
    generated: Generated, make_repo: Callable[..., GitRepo]
) -> None:
    repo = make_repo(sigstore_layout(generated))
    assert detect(repo.root, nested=True) == ["docs/requirements.txt", "install/requirements.txt"]
    found = findings(repo.root)
    assert [f.rule for f in found if f.severity is not Severity.NOTE] == []
    (note,) = found
    assert note.rule == "taken-as-input"
    assert note.path == "docs/requirements.txt"
    assert "lockfiles checked: install/requirements.txt" in note.message
    # Drift in the lock's own input (relative to install/) is seen.
    repo.commit({"install/requirements.in": REQUIREMENTS_IN + "six<1.17\n"})
    drift = [f for f in findings(repo.root) if f.severity is Severity.ERROR]
    assert [(f.rule, f.path) for f in drift] == [("version-drift", "install/requirements.txt")]


def test_hashed_sub_directory_file_is_a_lock(
    generated: Generated, make_repo: Callable[..., GitRepo]
) -> None:
    """Without a header, hashes still make a lock: an unhashed entry among them is an error."""
    body = generated.requirements.split("\n#\n", 2)[-1]  # the header dropped
    assert "pip-compile" not in body
    text = body.replace("iniconfig==1.1.1 \\\n", "iniconfig==1.1.1\n#", 1)
    repo = make_repo({"pyproject.toml": PYPROJECT, "ci/requirements.txt": text})
    assert "missing-hash" in {f.rule for f in findings(repo.root)}


def test_search_is_bounded(make_repo: Callable[..., GitRepo]) -> None:
    pinned = "iniconfig==1.1.1\n"
    repo = make_repo(
        {
            "pyproject.toml": PYPROJECT,
            ".gitignore": "scratch/\n",
            "a/b/requirements.txt": pinned,
            "a/requirements/ci.txt": pinned,
            "a/b/c/requirements.txt": pinned,
            "node_modules/x/requirements.txt": pinned,
            "build/requirements.txt": pinned,
            "tests/fixtures/requirements.txt": pinned,  # pdm's test data
            ".github/requirements.txt": pinned,
            "a/notes.txt": pinned,
        }
    )
    repo.write({"scratch/requirements.txt": pinned, "untracked/requirements.txt": pinned})
    assert detect(repo.root, nested=True) == ["a/b/requirements.txt", "a/requirements/ci.txt"]
    assert detect(repo.root) == []


def test_outside_git_the_walk_skips_environments(tmp_path: Path) -> None:
    for name in ("install/requirements.txt", "myenv/requirements.txt", "x/y/z/requirements.txt"):
        (tmp_path / name).parent.mkdir(parents=True)
        (tmp_path / name).write_text("iniconfig==1.1.1\n")
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert detect(tmp_path, nested=True) == ["install/requirements.txt"]
