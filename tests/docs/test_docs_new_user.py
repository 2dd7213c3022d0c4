"""A new user follows docs/getting-started.md literally (issue 32): the command line, the
pre-commit hooks with pre-push, and the Action under act, each failing on a version mismatch and
passing once it is fixed.

The commands are read from the page, not copied here. Two substitutions stand in for GitHub,
which tests cannot reach: the repository URL becomes a local snapshot of this checkout, and the
pinned SHA that snapshot's commit (``tests/docs/test_docs.py`` checks the pinned commit itself). The
Python packages come from PyPI through pip, as in the hook tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.action.test_action_act import action_copy
from tests.action.test_examples_act import (
    FORK,
    HEAD,
    PULL_REQUEST,
    WORKFLOW_RUN,
    Runner,
    act_run,
    github,
    stubs,
)
from tests.conftest import GIT_ENV
from tests.docs_support import (
    DOCS,
    PINNED_SHA,
    REPOSITORY_URL,
    SNIPPETS,
    includes,
    section,
    shell_commands,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo, HookSource
    from tests.github_support import GitHubStandIn

pytestmark = pytest.mark.slow

# The fixtures this module uses from the act tests (imported names are how pytest finds them).
__all__ = ["act_run", "action_copy", "github", "stubs"]

PAGE = DOCS / "getting-started.md"
PYPROJECT = """\
[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "{version}"
"""


def _files(version: str, package_version: str) -> dict[str, str | bytes]:
    return {
        "pyproject.toml": PYPROJECT.format(version=version),
        "src/demo/__init__.py": f'__version__ = "{package_version}"\n',
        ".gitignore": ".venv/\n",
    }


def _localised(text: str, source: HookSource) -> str:
    return text.replace(REPOSITORY_URL, f"file://{source.root}").replace(PINNED_SHA, source.rev)


def _shell(command: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **GIT_ENV,
        # `python3` is this interpreter, as on a machine whose Python has venv and pip.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    for name in ("PYTHONPATH", "GITHUB_ACTIONS", "VIRTUAL_ENV"):
        env.pop(name, None)
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_command_line_then_pre_commit_hooks_as_the_page_says(
    make_repo: Callable[..., GitRepo], hook_source: HookSource, precommit_home: Path
) -> None:
    project = make_repo(_files("1.1.0", "1.0.0"))
    root = project.root

    # The command line: install, then a failing check, then a passing one.
    commands = [
        _localised(c, hook_source) for c in shell_commands(section(PAGE, "The command line"))
    ]
    assert commands[-1] == ".venv/bin/releasegate check"
    for command in commands[:-1]:
        _ok(_shell(command, root, precommit_home))
    failed = _shell(commands[-1], root, precommit_home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "[semver/version-mismatch]" in failed.stdout
    (root / "src/demo/__init__.py").write_text('__version__ = "1.1.0"\n', encoding="utf-8")
    _ok(_shell(commands[-1], root, precommit_home))
    project.commit({"src/demo/__init__.py": '__version__ = "1.1.0"\n'}, "fix: one version")

    # pre-commit: the page's configuration snippet, then its install commands.
    hooks = section(PAGE, "pre-commit hooks")
    assert includes(PAGE)[0] == SNIPPETS / "pre-commit-config.yaml"
    config = _localised((SNIPPETS / "pre-commit-config.yaml").read_text(), hook_source)
    (root / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    for command in shell_commands(hooks):
        _ok(_shell(_localised(command, hook_source), root, precommit_home))
    assert (root / ".git/hooks/pre-push").is_file()
    assert (root / ".git/hooks/commit-msg").is_file()

    # A commit that makes the versions disagree is refused; fixed, it goes in.
    (root / "pyproject.toml").write_text(PYPROJECT.format(version="1.2.0"), encoding="utf-8")
    refused = _shell("git add -A && git commit -q -m 'feat: 1.2.0'", root, precommit_home)
    assert refused.returncode != 0
    assert "[semver/version-mismatch]" in refused.stdout + refused.stderr
    (root / "src/demo/__init__.py").write_text('__version__ = "1.2.0"\n', encoding="utf-8")
    _ok(_shell("git add -A && git commit -q -m 'feat: 1.2.0'", root, precommit_home))
    # The commit-msg hook is installed too: a message that is no Conventional Commit fails.
    (root / "NOTES").write_text("notes\n", encoding="utf-8")
    bad_message = _shell("git add -A && git commit -q -m 'notes'", root, precommit_home)
    assert bad_message.returncode != 0

    # pre-push runs the hooks that build: the manifest, reproducible and vulns hooks.
    remote = root.parent / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    pushed = _ok(_shell(f"git push -q {remote} main", root, precommit_home))
    for name in ("manifest", "reproducible build", "known vulnerabilities"):
        assert f"releasegate {name}." in pushed, pushed


@pytest.mark.parametrize(
    ("package_version", "verdict"), [("1.1.0", "failure"), ("1.2.0", "success")]
)
def test_the_action_as_the_page_says_under_act(
    package_version: str,
    verdict: str,
    make_repo: Callable[..., GitRepo],
    act_run: Runner,
    github: GitHubStandIn,
) -> None:
    """The two workflow files the page includes, as the act tests run them (this checkout's
    action for the pinned SHA, remote actions stubbed, GitHub a local stand-in)."""
    workflows = [p.name for p in includes(PAGE) if p.suffix == ".yml"]
    assert workflows == ["pr-checks.yml", "pr-report.yml"]
    repo = make_repo(_files("1.2.0", package_version))
    github.seed_pull(12, FORK, "main", HEAD)

    checks = act_run(workflows[0], "pull_request", {"pull_request": PULL_REQUEST}, repo.root)
    assert (checks.returncode == 0) == (verdict == "success"), checks.stdout + checks.stderr

    event: dict[str, Any] = {
        "workflow_run": {**WORKFLOW_RUN["workflow_run"], "conclusion": verdict}
    }
    posted = act_run(
        workflows[1],
        "workflow_run",
        {**WORKFLOW_RUN, **event},
        make_repo(name="empty").root,
        GITHUB_API_URL=github.url,
        GITHUB_REPOSITORY=github.repository,
    )
    assert posted.returncode == 0, posted.stdout + posted.stderr
    states = {
        r.body["context"]: r.body["state"]
        for r in github.requests("POST")
        if "/statuses/" in r.path
    }
    assert states["releasegate/semver"] == verdict, json.dumps(states)
    assert set(states.values()) == {"success", verdict}, json.dumps(states)
