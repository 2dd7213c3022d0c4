"""The metadata, license and manifest hooks under real pre-commit on temp repositories.

``try-repo`` snapshots the checkout anew on every call, and pre-commit then builds a
new hook environment each time (a minute apiece). Here the checkout is snapshotted
once into a git repository that a ``.pre-commit-config.yaml`` (kept outside the temp
repositories, so the license hook does not judge it) points at, so the environment
is built once for all of these tests.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.conftest import GIT_ENV, REPO_ROOT, GitRepo, run_precommit
from tests.metadata_support import line_of, project_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow
HOOKS = ("releasegate-metadata", "releasegate-license", "releasegate-manifest")


@pytest.fixture(scope="module")
def hook_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    snapshot = GitRepo(tmp_path_factory.mktemp("hook-repo"))
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    for name in filter(None, listed.stdout.split("\0")):
        if (REPO_ROOT / name).is_file():
            (snapshot.root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, snapshot.root / name)
    snapshot.git("init", "-q", "-b", "main")
    rev = snapshot.commit(message="snapshot")
    config = snapshot.root.parent / "pre-commit-config.yaml"
    hooks = "".join(f"      - id: {hook}\n" for hook in HOOKS)
    config.write_text(
        f"repos:\n  - repo: {snapshot.root}\n    rev: {rev}\n    hooks:\n{hooks}", encoding="utf-8"
    )
    return config


@pytest.fixture
def try_hook(hook_config: Path, precommit_home: Path) -> Callable[..., tuple[int, str]]:
    def run(repo: GitRepo, hook: str, *extra: str) -> tuple[int, str]:
        result = run_precommit(
            repo, precommit_home, "run", "-c", str(hook_config), hook, "--all-files", *extra
        )
        return result.returncode, result.stdout + result.stderr

    return run


def test_metadata_hook(
    make_repo: Callable[..., GitRepo], try_hook: Callable[..., tuple[int, str]]
) -> None:
    code, out = try_hook(make_repo(project_files("hatchling")), "releasegate-metadata")
    assert code == 0, out
    files = project_files(
        "hatchling", license_lines='license = "mit"\nlicense-files = ["LICENCE*"]'
    )
    code, out = try_hook(make_repo(files), "releasegate-metadata")
    text = str(files["pyproject.toml"])
    assert code == 1, out
    assert (
        f"pyproject.toml:{line_of(text, 'license =')}: error: "
        "license 'mit' is not in canonical form" in out
    )
    assert (
        f"pyproject.toml:{line_of(text, 'license-files')}: error: license-files entry 'LICENCE*'"
        in out
    )


def test_license_hook(
    make_repo: Callable[..., GitRepo], try_hook: Callable[..., tuple[int, str]]
) -> None:
    code, out = try_hook(make_repo(project_files("hatchling")), "releasegate-license")
    assert code == 0, out
    files = project_files("hatchling")
    files["src/demo/bare.py"] = "x = 1\n"
    code, out = try_hook(make_repo(files), "releasegate-license")
    assert code == 1, out
    assert "src/demo/bare.py:1: error: src/demo/bare.py has no license information" in out


def isolated(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """The hook's environment has no build backend: build in isolation, as pip would."""
    text = str(files["pyproject.toml"]).replace("build-isolation = false", "build-isolation = true")
    return {**files, "pyproject.toml": text}


def test_manifest_hook_at_pre_push(
    make_repo: Callable[..., GitRepo], try_hook: Callable[..., tuple[int, str]]
) -> None:
    good = make_repo(isolated(project_files("hatchling")))
    code, out = try_hook(good, "releasegate-manifest", "--hook-stage", "pre-push")
    assert code == 0, out
    files = isolated(
        project_files("setuptools", classifiers='    "License :: OSI Approved :: MIT License",\n')
    )
    code, out = try_hook(make_repo(files), "releasegate-manifest", "--hook-stage", "pre-push")
    assert code == 1, out
    assert (
        f"pyproject.toml:{line_of(str(files['pyproject.toml']), '[build-system]')}: error: " in out
    )
