"""The ``releasegate-commit-msg`` hook under real pre-commit, on real ``git commit``s."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import GIT_ENV, REPO_ROOT

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A committed snapshot of this checkout (working tree included), for ``repo:`` to point at."""
    root = tmp_path_factory.mktemp("releasegate-snapshot")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    return root, rev


def _git_commit(repo: GitRepo, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        ["git", "commit", "--allow-empty", "-m", message],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


def test_commit_msg_hook_blocks_bad_messages_and_passes_good_ones(
    make_repo: Callable[..., GitRepo], precommit_home: Path, hook_source: tuple[Path, str]
) -> None:
    source, rev = hook_source
    config = f"repos:\n- repo: {source}\n  rev: {rev}\n  hooks:\n  - id: releasegate-commit-msg\n"
    repo = make_repo({".pre-commit-config.yaml": config, "README.md": "hello\n"})
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(precommit_home)}
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install", "--hook-type", "commit-msg"],
        cwd=repo.root,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )

    rejected = _git_commit(repo, precommit_home, "updated stuff")
    assert rejected.returncode != 0, rejected.stdout + rejected.stderr
    assert "not a Conventional Commit" in rejected.stdout + rejected.stderr
    assert repo.git("log", "--format=%s", "-1").strip() == "initial"  # the commit was refused

    accepted = _git_commit(repo, precommit_home, "feat(readme): greet the reader")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert repo.git("log", "--format=%s", "-1").strip() == "feat(readme): greet the reader"
