"""Fixtures shared by every test: real git repositories, the CLI as a subprocess, pre-commit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

REPO_ROOT = Path(__file__).resolve().parents[1]

# No test reaches the network unless it is marked ``online``. pytest-socket (addopts in
# pyproject.toml) lets in-process code connect only to loopback, where the tests' own servers
# listen. It cannot see subprocesses: the CLI, pip, uv, pip-compile and pypiserver that the
# tests start talk only to those loopback servers (lockfile_support makes its wheels itself and
# serves them from a local index; publish tests upload to local registries). What still fetches
# from PyPI is marked ``slow``: pre-commit building a hook environment, isolated builds fetching
# a build backend, and act.


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``online`` get the real network back; they skip themselves when unreachable."""
    for item in items:
        if item.get_closest_marker("online") is not None:
            item.add_marker(pytest.mark.enable_socket)


# Every rule releasegate's own code reports must have a row in the rule registry (issue 26):
# a new rule cannot ship without its default severity, its reason and its fix. Each Finding
# made in this process by code under src/ is looked up; the session fails on an unknown one.
# (github/untrusted.py rebuilds findings from a fork's report: their rules are the fork's.)
_SRC = str(REPO_ROOT / "src" / "releasegate")
_FOREIGN = (str(Path("github", "untrusted.py")), "dataclasses.py")
UNREGISTERED: dict[str, str] = {}


def _audit_rules() -> None:
    from releasegate._internal import rules
    from releasegate._internal.findings import Finding

    original = getattr(Finding, "__post_init__", lambda _finding: None)

    def audited(self: Finding) -> None:
        original(self)
        if rules.row(self.rule_id) is not None:
            return
        code = sys._getframe(2).f_code  # the caller of the dataclass __init__
        if code.co_filename.startswith(_SRC) and not code.co_filename.endswith(_FOREIGN):
            UNREGISTERED.setdefault(self.rule_id, f"{code.co_filename}:{code.co_name}")

    Finding.__post_init__ = audited  # type: ignore[method-assign]


_audit_rules()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    del exitstatus
    if UNREGISTERED:
        lines = [f"  {rule} (made in {where})" for rule, where in sorted(UNREGISTERED.items())]
        sys.stderr.write(
            "\nfindings whose rule has no row in src/releasegate/_internal/rules.py:\n"
            + "\n".join(lines)
            + "\n"
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# Commits made by the tests must not depend on the developer's git configuration.
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass
class GitRepo:
    """A real git repository in a temp dir."""

    root: Path

    def git(self, *args: str) -> str:
        completed = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env={**os.environ, **GIT_ENV},
            capture_output=True,
            text=True,
            check=True,
        )
        return completed.stdout

    def write(self, files: Mapping[str, str | bytes]) -> None:
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def commit(
        self,
        files: Mapping[str, str | bytes] | None = None,
        message: str = "change",
        tag: str | None = None,
    ) -> str:
        if files:
            self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        if tag:
            self.git("tag", "-a", tag, "-m", tag)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def make_repo(tmp_path: Path) -> Callable[..., GitRepo]:
    """Factory: ``make_repo({"pyproject.toml": ...}, tag="v1.0.0")`` -> a committed repository."""
    counter = iter(range(1000))

    def factory(
        files: Mapping[str, str | bytes] | None = None,
        tag: str | None = None,
        name: str | None = None,
    ) -> GitRepo:
        root = tmp_path / (name or f"repo{next(counter)}")
        root.mkdir()
        repo = GitRepo(root)
        repo.git("init", "-q", "-b", "main")
        if files is not None:
            repo.commit(files, "initial", tag=tag)
        return repo

    return factory


def inherited_environment() -> dict[str, str]:
    """The test process's environment for a CLI subprocess, without what makes it CI: the
    tests' own CI must not switch the CLI into GitHub mode, nor make yank, rollback and
    publish plan-only (``CI=true``), unless a test asks for it."""
    return {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_") and k != "CI"}


def run_cli(
    *args: str, cwd: Path, env: Mapping[str, str] | None = None, input_text: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``releasegate`` CLI in a subprocess, as a hook or a workflow would."""
    full_env = {**inherited_environment(), **GIT_ENV, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "releasegate", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
        input=input_text,
        timeout=600,
    )


@pytest.fixture(scope="session")
def precommit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit cache for the whole session: the hook environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def run_precommit(repo: GitRepo, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run real ``pre-commit`` in ``repo`` with its cache in ``home``."""
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@dataclass(frozen=True)
class HookSource:
    """A committed snapshot of this checkout (working tree included) for ``repo:`` to point at.

    ``pre-commit try-repo`` snapshots the checkout anew on every call, and pre-commit then
    builds a new hook environment for each snapshot (tens of seconds with our dependencies).
    One snapshot per session means one environment for every hook test.
    """

    root: Path
    rev: str

    def config(self, *hooks: str) -> str:
        listed = "".join(f"      - id: {hook}\n" for hook in hooks)
        return f"repos:\n  - repo: {self.root}\n    rev: {self.rev}\n    hooks:\n{listed}"


@pytest.fixture(scope="session")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    snapshot = GitRepo(tmp_path_factory.mktemp("releasegate-snapshot"))
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
            (snapshot.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot.root / name)
    snapshot.git("init", "-q", "-b", "main")
    return HookSource(snapshot.root, snapshot.commit(message="snapshot"))


def run_hook(
    repo: GitRepo, home: Path, source: HookSource, hook: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    """``pre-commit run HOOK --all-files`` in ``repo``, configured from outside the repository."""
    config = repo.root.parent / f"{repo.root.name}.pre-commit-config.yaml"
    config.write_text(source.config(hook), encoding="utf-8")
    return run_precommit(repo, home, "run", "-c", str(config), hook, "--all-files", *extra)
