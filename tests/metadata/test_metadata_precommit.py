"""The metadata, license and manifest hooks under real pre-commit on temp repositories.

They share the session's snapshot of the checkout (``hook_source``), so the hook
environment is built once for every hook test.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import GitRepo, HookSource, run_precommit
from tests.metadata_support import line_of, project_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow
HOOKS = ("releasegate-metadata", "releasegate-license", "releasegate-manifest")


@pytest.fixture(scope="module")
def hook_config(hook_source: HookSource, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Kept outside the temp repositories, so the license hook does not judge it.
    config = tmp_path_factory.mktemp("hook-config") / "pre-commit-config.yaml"
    config.write_text(hook_source.config(*HOOKS), encoding="utf-8")
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
        # Not canonical but valid: every tool reads it (a warning, issue 26's harm test).
        f"pyproject.toml:{line_of(text, 'license =')}: warning: "
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
