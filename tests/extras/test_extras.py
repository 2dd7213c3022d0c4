"""The base install is what the gates need; everything else is an extra that names itself.

Each test runs the real CLI in a subprocess whose import system refuses every module that
comes with an extra, as a base-only install (a pre-commit hook environment) would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import TYPE_CHECKING

import tomli as tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from releasegate._internal.extras import EXTRA_OF_MODULE
from tests.conftest import GIT_ENV

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

ROOT = Path(__file__).resolve().parents[2]

BASE_ONLY = """
import sys
BLOCKED = set(sys.argv[1].split(","))
class BaseOnly:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, BaseOnly())
from releasegate._internal.cli import main
sys.exit(main(sys.argv[2:]))
"""

PYPROJECT = """\
[project]
name = "demo"
version = "1.0.0"
description = "demo"
readme = "README.md"
license = "MIT"
license-files = ["LICENSE"]
requires-python = ">=3.10"
authors = [{name = "A"}]
[project.urls]
Homepage = "https://example.org"
"""


def run_base_only(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.run(
        [sys.executable, "-c", BASE_ONLY, ",".join(EXTRA_OF_MODULE), *args],
        cwd=cwd,
        env={**inherited, **GIT_ENV},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def project(make_repo: Callable[..., GitRepo], **extra: str) -> GitRepo:
    files = {
        "pyproject.toml": PYPROJECT + extra.pop("config", ""),
        "README.md": "# demo\n",
        "LICENSE": "MIT License\n",
        "src/demo/__init__.py": '__version__ = "1.0.0"\n',
        **extra,
    }
    return make_repo(files, tag="1.0.0")


def test_default_gates_need_no_extra(make_repo: Callable[..., GitRepo]) -> None:
    repo = project(make_repo)
    completed = run_base_only("check", "--format", "json", cwd=repo.root)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "cannot-run" not in completed.stdout
    assert "extra" not in completed.stdout + completed.stderr


def test_reuse_project_without_the_extra_is_told_not_checked(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = project(make_repo, **{"LICENSES/MIT.txt": "MIT License\n"})
    completed = run_base_only("check", "license", cwd=repo.root)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "license/reuse-not-checked" in completed.stdout
    assert "releasegate[reuse]" in completed.stdout


def test_reuse_required_without_the_extra_fails(make_repo: Callable[..., GitRepo]) -> None:
    repo = project(make_repo, config='[tool.releasegate.license]\nreuse = "always"\n')
    completed = run_base_only("check", "license", cwd=repo.root)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "license/reuse-not-checked" in completed.stdout


def test_gate_of_an_extra_cannot_run_and_names_it(make_repo: Callable[..., GitRepo]) -> None:
    repo = project(make_repo)
    completed = run_base_only("check", "manifest", cwd=repo.root)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "manifest/cannot-run" in completed.stdout
    assert "pip install 'releasegate[manifest]'" in completed.stdout


def test_command_of_an_extra_names_it(make_repo: Callable[..., GitRepo]) -> None:
    repo = project(make_repo, **{"requirements.txt": "idna==3.10\n"})
    completed = run_base_only("sbom", "--offline", "--output", "-", cwd=repo.root)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "releasegate[sbom]" in completed.stderr
    assert "internal error" not in completed.stderr


def _requirements(entries: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(entry).name) for entry in entries}


def test_every_extra_module_is_provided_by_its_extra_and_not_by_the_base() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = _requirements(pyproject["dependencies"])
    extras = pyproject["optional-dependencies"]
    providers = packages_distributions()
    for module, extra in EXTRA_OF_MODULE.items():
        dists = {canonicalize_name(d) for d in providers[module]}
        assert dists & _requirements(extras[extra]), (module, extra)
        assert not dists & base, f"{module} is in the base install: drop it from EXTRA_OF_MODULE"
    everything = _requirements(extras["all"])
    assert everything == {"releasegate"}
    named = Requirement(extras["all"][0]).extras
    assert named == {e for e in extras if e not in ("all", "test", "dev")}
