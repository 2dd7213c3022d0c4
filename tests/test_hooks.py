"""The hooks as users run them: real pre-commit, and plain git hooks on real commits."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.conftest import GIT_ENV, REPO_ROOT, HookSource, run_cli, run_hook
from tests.semver_support import complete_project, project

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo


def hook_ids() -> list[str]:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    return [hook["id"] for hook in hooks]


def test_every_hook_is_documented_in_the_readme() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [hook for hook in hook_ids() if hook not in readme]
    assert not missing


@pytest.mark.slow
def test_semver_hook_under_real_pre_commit(
    make_repo: Callable[..., GitRepo], precommit_home: Path, hook_source: HookSource
) -> None:
    good = make_repo(project("1.2.0"), tag="v1.2.0")
    result = run_hook(good, precommit_home, hook_source, "releasegate-semver")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "releasegate semver" in result.stdout

    bad = make_repo(project("1.1.0", package="1.0.0"), tag="v1.2.0")
    result = run_hook(bad, precommit_home, hook_source, "releasegate-semver")
    assert result.returncode == 1
    assert "src/demo/__init__.py:3: error:" in result.stdout
    assert (
        "pyproject.toml:3: error: version 1.1.0 is lower than the release tag v1.2.0"
        in result.stdout
    )
    assert "hint: versions only move forward" in result.stdout


def commit(repo: GitRepo) -> subprocess.CompletedProcess[str]:
    # The hook script finds releasegate on PATH: put this interpreter's scripts first.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, **GIT_ENV, "PATH": path}
    env.pop("GITHUB_ACTIONS", None)
    repo.git("add", "-A")
    return subprocess.run(
        ["git", "commit", "-m", "fix: x"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_install_hooks_blocks_a_bad_commit(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(complete_project("1.0.0"))
    result = run_cli("install-hooks", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    assert hook.stat().st_mode & stat.S_IXUSR
    repo.write(complete_project("1.1.0", package_version="1.0.0"))
    blocked = commit(repo)
    assert blocked.returncode != 0
    assert "src/demo/__init__.py:3: error:" in blocked.stdout + blocked.stderr
    repo.write(complete_project("1.1.0"))
    passed = commit(repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_install_hooks_never_overwrites_without_force(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project())
    hook = repo.root / ".git" / "hooks" / "pre-push"
    hook.write_text("#!/bin/sh\necho mine\n")
    result = run_cli("install-hooks", cwd=repo.root)
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert not (repo.root / ".git" / "hooks" / "pre-commit").exists()
    assert run_cli("install-hooks", "--force", cwd=repo.root).returncode == 0
    assert "releasegate" in hook.read_text()


def test_install_hooks_outside_git_is_an_error(tmp_path: Path) -> None:
    result = run_cli("install-hooks", cwd=tmp_path)
    assert result.returncode == 1
    assert "not a git repository" in result.stderr


def test_installed_commit_msg_hook_refuses_a_non_conventional_message(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(complete_project("1.0.0"))
    assert run_cli("install-hooks", "--hook", "commit-msg", cwd=repo.root).returncode == 0
    assert not (repo.root / ".git" / "hooks" / "pre-commit").exists()
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, **GIT_ENV, "PATH": path}
    refused = subprocess.run(
        ["git", "commit", "--allow-empty", "-m", "did stuff"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0
    accepted = subprocess.run(
        ["git", "commit", "--allow-empty", "-m", "fix: handle empty input"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert accepted.returncode == 0, accepted.stderr
