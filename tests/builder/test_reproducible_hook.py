"""The `releasegate-reproducible` hook through real pre-commit, and its documentation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import REPO_ROOT, HookSource, run_hook
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

HOOK = "releasegate-reproducible"


def test_hook_is_declared_and_documented() -> None:
    hooks = (REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert f"- id: {HOOK}" in hooks
    assert "stages: [pre-push, manual]" in hooks.split(f"- id: {HOOK}")[1].split("- id:")[0]
    snippet = REPO_ROOT / "docs" / "snippets" / "pre-commit-config.yaml"
    assert f"id: {HOOK}" in snippet.read_text(encoding="utf-8")


@pytest.mark.slow
def test_hook_fails_on_a_backend_that_stamps_the_gzip_header(
    make_repo: Callable[..., GitRepo], precommit_home: Path, hook_source: HookSource
) -> None:
    repo = make_repo(project_files("pdm"))
    result = run_hook(repo, precommit_home, hook_source, HOOK, "--hook-stage", "manual")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "reproducible/gzip-mtime" in result.stdout
    assert "demo_pdm-1.0.0.tar.gz: differs" in result.stdout
