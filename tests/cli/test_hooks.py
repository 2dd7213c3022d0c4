"""The hooks as users run them: real pre-commit, and plain git hooks on real commits."""

from __future__ import annotations

import os
import shlex
import shutil
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


def test_every_hook_is_documented_and_in_the_snippet() -> None:
    page = (REPO_ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert [hook for hook in hook_ids() if f"| `{hook}` |" not in page] == []
    snippet = (REPO_ROOT / "docs" / "snippets" / "pre-commit-config.yaml").read_text()
    listed = [hook["id"] for hook in yaml.safe_load(snippet)["repos"][0]["hooks"]]
    assert sorted(listed) == sorted(hook_ids())


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


def bare_path(tmp_path: Path) -> str:
    """A PATH with git and the shell tools but no Python and no releasegate, as a GUI client
    may run hooks: the installed hook must find the interpreter it recorded."""
    bin_dir = tmp_path / "bare-bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("git", "mktemp", "rm"):
        found = shutil.which(name)
        assert found is not None
        link = bin_dir / name
        if not link.exists():
            link.symlink_to(found)
    return str(bin_dir)


def commit(repo: GitRepo, *paths: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **GIT_ENV, "PATH": bare_path(tmp_path)}
    env.pop("GITHUB_ACTIONS", None)
    repo.git("add", *(paths or ("-A",)))
    return subprocess.run(
        ["git", "commit", "-m", "fix: x"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_install_hooks_blocks_a_bad_commit(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo(complete_project("1.0.0"))
    result = run_cli("install-hooks", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    assert hook.stat().st_mode & stat.S_IXUSR
    assert shlex.quote(sys.executable) in hook.read_text(encoding="utf-8")
    repo.write(complete_project("1.1.0", package_version="1.0.0"))
    blocked = commit(repo, tmp_path=tmp_path)
    assert blocked.returncode != 0
    assert "src/demo/__init__.py:3: error:" in blocked.stdout + blocked.stderr
    repo.write(complete_project("1.1.0"))
    passed = commit(repo, tmp_path=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr


@pytest.mark.slow  # over 1 s: four commits through the hook
def test_pre_commit_hook_checks_what_is_staged_not_the_working_tree(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo(complete_project("1.0.0"))
    assert run_cli("install-hooks", "--hook", "pre-commit", cwd=repo.root).returncode == 0
    # A staged mismatch, then the working tree fixed without staging the fix.
    repo.write(complete_project("1.1.0", package_version="1.0.0"))
    repo.git("add", "-A")
    repo.write({"src/demo/__init__.py": complete_project("1.1.0")["src/demo/__init__.py"]})
    blocked = commit(repo, "pyproject.toml", tmp_path=tmp_path)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    assert "src/demo/__init__.py:3: error:" in blocked.stdout + blocked.stderr
    # Fully staged it is clean; an unrelated unstaged breakage must not block it.
    repo.git("add", "-A")
    repo.write({"pyproject.toml": "[project\nbroken"})
    passed = commit(repo, "src/demo/__init__.py", tmp_path=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    # The user's index and files are as they were.
    assert repo.git("status", "--porcelain").strip() == "M pyproject.toml"
    assert (repo.root / "pyproject.toml").read_text(encoding="utf-8") == "[project\nbroken"


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
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo(complete_project("1.0.0"))
    assert run_cli("install-hooks", "--hook", "commit-msg", cwd=repo.root).returncode == 0
    assert not (repo.root / ".git" / "hooks" / "pre-commit").exists()
    env = {**os.environ, **GIT_ENV, "PATH": bare_path(tmp_path)}
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


def documented_minimum() -> str:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (minimum,) = {hook["minimum_pre_commit_version"] for hook in hooks}
    return str(minimum)


def test_every_hook_states_its_stages_and_the_minimum_pre_commit() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks if "stages" not in h] == []
    assert [h["id"] for h in hooks if "commit-msg" in h["stages"]] == ["releasegate-commit-msg"]
    # pre-commit 3.2.0 introduced the stage names pre-commit, pre-push, pre-merge-commit.
    assert documented_minimum() == "3.2.0"
    page = (REPO_ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    assert f"pre-commit {documented_minimum()}" in page


@pytest.fixture(scope="session")
def precommit_versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The documented minimum pre-commit (from PyPI, in a throwaway venv) and the current one."""
    venv = tmp_path_factory.mktemp("pre-commit-minimum")
    version = documented_minimum()
    python = venv / "bin" / "python"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv:
        steps = [
            [uv, "venv", "-q", "-p", sys.executable, str(venv)],
            [uv, "pip", "install", "-q", "--python", str(python), f"pre-commit=={version}"],
        ]
    else:
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(python), "-m", "pip", "install", "-q", f"pre-commit=={version}"],
        ]
    for step in steps:
        subprocess.run(step, check=True, capture_output=True, timeout=300)
    return {
        version: [str(python), "-m", "pre_commit"],
        "current": [sys.executable, "-m", "pre_commit"],
    }


@pytest.mark.slow  # pre-commit from PyPI, a hook environment, several pre-commit runs
@pytest.mark.parametrize("which", ["minimum", "current"])
def test_hooks_run_at_their_stages_only_under_minimum_and_current_pre_commit(
    which: str,
    precommit_versions: dict[str, list[str]],
    make_repo: Callable[..., GitRepo],
    precommit_home: Path,
    hook_source: HookSource,
) -> None:
    command = precommit_versions["current" if which == "current" else documented_minimum()]
    repo = make_repo(complete_project("1.0.0"))
    config = repo.root.parent / "config.yaml"
    config.write_text(
        hook_source.config("releasegate-license", "releasegate-commit-msg"), encoding="utf-8"
    )
    message = repo.root.parent / "MSG"
    message.write_text("fix: handle empty input\n", encoding="utf-8")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(precommit_home)}
    env.pop("GITHUB_ACTIONS", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, "run", "-c", str(config), "--all-files", *args],
            cwd=repo.root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )

    at_commit_msg = run("--hook-stage", "commit-msg", "--commit-msg-filename", str(message))
    at_commit = run("--hook-stage", "pre-commit")

    log = at_commit_msg.stdout + at_commit_msg.stderr
    assert at_commit_msg.returncode == 0, log
    assert "releasegate Conventional Commits message" in log
    assert "releasegate license" not in log  # it ran twice per commit before
    assert "releasegate license" in at_commit.stdout, at_commit.stdout + at_commit.stderr
    assert "releasegate Conventional Commits" not in at_commit.stdout
