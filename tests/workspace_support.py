"""A real uv workspace made by ``uv init`` and ``uv add`` (both offline), with git tags per member.

Members: ``core`` and ``util`` need nothing; ``api`` requires ``core``; ``cli`` requires
``api>=0.1,<0.2`` and ``util``. Every member is tagged ``<name>-v0.1.0`` at the first commit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepo
from tests.lockfile_support import clean_env

UV = Path(sys.executable).parent / "uv"
MEMBERS = ("core", "util", "api", "cli")
DEPENDENCIES = {"api": ("core",), "cli": ("api>=0.1,<0.2", "util")}
COMPLETE = """\
readme = "README.md"
license = "MIT"
license-files = ["LICENSE"]
urls = {Homepage = "https://example.invalid"}
"""


def uv(cwd: Path, *args: str) -> None:
    env = clean_env(UV_OFFLINE="1", UV_PYTHON=sys.executable, UV_NO_CACHE="1")
    done = subprocess.run(
        [str(UV), *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def _complete(member: Path) -> None:
    """The metadata the metadata gate requires, so that only the finding under test is found."""
    pyproject = member / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    head, sep, tail = text.partition('requires-python = ">=3.10"\n')
    pyproject.write_text(head + sep + COMPLETE + tail, encoding="utf-8")
    (member / "README.md").write_text(f"# {member.name}\n", encoding="utf-8")
    (member / "LICENSE").write_text("MIT License\n", encoding="utf-8")


def make_workspace(root: Path) -> GitRepo:
    root.mkdir(parents=True)
    uv(root, "init", "--bare", "--vcs", "none", "--name", "ws-root", "--python", ">=3.10", ".")
    for name in MEMBERS:
        uv(root, "init", "--lib", "--vcs", "none", "--no-readme", "--python", ">=3.10",
           f"packages/{name}")  # fmt: skip
        _complete(root / "packages" / name)
    for name, requirements in DEPENDENCIES.items():
        uv(root, "add", "--frozen", "--package", name, *requirements)
    repo = GitRepo(root)
    repo.git("init", "-q", "-b", "main")
    repo.commit(message="workspace")
    for name in MEMBERS:
        repo.git("tag", "-a", f"{name}-v0.1.0", "-m", f"{name} 0.1.0")
    return repo


@pytest.fixture(scope="module")
def workspace_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "ws"
    make_workspace(root)
    return root


@pytest.fixture
def workspace(workspace_template: Path, tmp_path: Path) -> GitRepo:
    """A fresh copy (with its .git) of the module's workspace, for one test to change."""
    root = tmp_path / "ws"
    shutil.copytree(workspace_template, root, symlinks=True)
    return GitRepo(root)


def set_version(repo: GitRepo, member: str, version: str) -> None:
    pyproject = repo.root / "packages" / member / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace('version = "0.1.0"', f'version = "{version}"'), "utf-8")
