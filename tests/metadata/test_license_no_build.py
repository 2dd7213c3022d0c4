"""The default license gate reads files only: it never runs the project's build backend."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

# An in-tree backend (backend-path) is the checkout's own code: building runs it.
BACKEND = """\
from pathlib import Path


def _ran(*args, **kwargs):
    Path(__file__).with_name("BACKEND_RAN").write_text("the checkout's code ran")
    raise SystemExit("no build here")


build_sdist = build_wheel = get_requires_for_build_sdist = get_requires_for_build_wheel = _ran
"""
PYPROJECT = """\
[build-system]
requires = []
build-backend = "evil"
backend-path = ["."]

[project]
name = "demo"
version = "1.0.0"
license = "MIT"

[tool.releasegate.license]
reuse = "never"
dependencies = false
"""


def test_default_license_gate_runs_no_code_of_the_checkout_and_says_what_it_skipped(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo({"pyproject.toml": PYPROJECT, "evil.py": BACKEND})
    done = run_cli("check", "license", "--format", "json", cwd=repo.root)
    assert not (repo.root / "BACKEND_RAN").exists()
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    found = [(f["rule"], f["severity"]) for gate in report["checks"] for f in gate["findings"]]
    assert found == [("license/sdist-coverage-off", "note")]
