"""Every git call goes through releasegate's git module: a missing git is one clear error."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.builder.sources import git_top_level, tracked_files
from releasegate._internal.git import Git, GitMissing
from tests.conftest import run_cli
from tests.semver_support import project

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

# An argv that starts with git: ["git", ...
_RUNS_GIT = re.compile(r'\[\s*"git"\s*,')


@pytest.fixture
def no_git_path(tmp_path: Path) -> str:
    """A PATH that has python but no git."""
    bin_dir = tmp_path / "bin-without-git"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    return str(bin_dir)


@pytest.mark.parametrize("command", [("check", "semver"), ("install-hooks",)])
def test_a_missing_git_is_one_clear_error(
    make_repo: Callable[..., GitRepo], no_git_path: str, command: tuple[str, ...]
) -> None:
    repo = make_repo(project("1.2.0"), tag="v1.1.0")
    result = run_cli(*command, cwd=repo.root, env={"PATH": no_git_path})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    # A gate reports it as its cannot-run finding, a command as its error: once either way.
    assert output.count("git is not installed") == 1, output
    assert "Traceback" not in output
    assert "bug" not in output


def test_without_git_a_plain_directory_is_simply_not_a_repository(
    tmp_path: Path, no_git_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", no_git_path)
    plain = tmp_path / "plain"
    plain.mkdir()
    assert Git(plain).is_repository is False


def test_without_git_the_builder_still_walks_the_tree(
    make_repo: Callable[..., GitRepo], no_git_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo(project("1.2.0"))
    assert tracked_files(repo.root) is not None
    monkeypatch.setenv("PATH", no_git_path)
    assert tracked_files(repo.root) is None
    assert git_top_level(repo.root) is None
    with pytest.raises(GitMissing):
        _ = Git(repo.root).is_repository


def test_archive_failure_names_the_commit(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.2.0"))
    with pytest.raises(Exception, match="git archive 0000000000 failed"):
        Git(repo.root).archive("0" * 10, ["pyproject.toml"])


def test_no_module_but_git_py_runs_git() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "releasegate"
    offenders = [
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if _RUNS_GIT.search(path.read_text(encoding="utf-8")) and path.name != "git.py"
    ]
    assert offenders == []
