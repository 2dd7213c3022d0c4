"""The releasegate-commit-msg and releasegate-api hooks under real pre-commit, on real commits."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.api_support import edit, package_files, set_version
from tests.conftest import GIT_ENV, HookSource

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


def _git_commit(repo: GitRepo, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    repo.git("add", "-A")
    return subprocess.run(
        ["git", "commit", "--allow-empty", "-m", message],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def _last_subject(repo: GitRepo) -> str:
    return repo.git("log", "--format=%s", "-1").strip()


def test_hooks_block_bad_messages_and_too_small_bumps(
    make_repo: Callable[..., GitRepo], precommit_home: Path, hook_source: HookSource
) -> None:
    source, rev = hook_source.root, hook_source.rev
    config = (
        f"repos:\n- repo: {source}\n  rev: {rev}\n  hooks:\n"
        "  - id: releasegate-commit-msg\n  - id: releasegate-api\n"
    )
    repo = make_repo({**package_files(), ".pre-commit-config.yaml": config}, tag="v1.0.0")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(precommit_home)}
    for hook_type in ("pre-commit", "commit-msg"):
        subprocess.run(
            [sys.executable, "-m", "pre_commit", "install", "--hook-type", hook_type],
            cwd=repo.root,
            env=env,
            check=True,
            capture_output=True,
            timeout=900,
        )

    (repo.root / "README.md").write_text("hello\n", encoding="utf-8")
    rejected = _git_commit(repo, precommit_home, "updated stuff")
    assert rejected.returncode != 0, rejected.stdout + rejected.stderr
    assert "not a Conventional Commit" in rejected.stdout + rejected.stderr
    assert _last_subject(repo) == "initial"  # the commit was refused

    accepted = _git_commit(repo, precommit_home, "docs(readme): greet the reader")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert _last_subject(repo) == "docs(readme): greet the reader"

    edit(repo, "src/shapes/core.py", "precision: int = 2", "precision: int = 3")
    set_version(repo, "1.0.1")
    too_small = _git_commit(repo, precommit_home, "fix(core): round to 3 places")
    assert too_small.returncode != 0, too_small.stdout + too_small.stderr
    assert "needs a major bump" in too_small.stdout + too_small.stderr
    set_version(repo, "2.0.0")
    released = _git_commit(repo, precommit_home, "fix(core)!: round to 3 places")
    assert released.returncode == 0, released.stdout + released.stderr
