"""A requirements lockfile is compared with exactly what its recorded command compiled.

Found on releasegate's own locks: `uv pip compile --python-version 3.10 --extra dev
pyproject.toml` took `3.10` and `dev` for input files (sync undecidable), and a runtime lock
compiled without extras was held to the specifier an unselected extra gives a package that
came in for another reason (a false version drift).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from tests.lockfile_support import Index, uv

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.findings import Finding

pytest_plugins = ("tests.lockfile_support",)
pytestmark = pytest.mark.slow  # the loopback index and real `uv pip compile` runs

PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["python-dateutil>=2.8"]

[project.optional-dependencies]
lint = ["six==1.16.0"]
dev = ["demo[test]"]
test = ["iniconfig{test_spec}"]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""


def compile_lock(root: Path, index: Index, cache: Path, output: str, *extra: str) -> None:
    done = uv(
        root,
        index,
        cache,
        "pip",
        "compile",
        "--universal",
        "--python-version",
        "3.10",
        "--generate-hashes",
        *extra,
        "--no-emit-index-url",
        "pyproject.toml",
        "-o",
        output,
    )
    assert done.returncode == 0, done.stderr


def lockfile_findings(root: Path) -> list[Finding]:
    report = run_checks(["lockfile"], CheckContext(Project(root), CheckOptions()))
    return [f for f in report.findings() if f.rule != "taken-as-input"]


def test_options_with_values_are_not_inputs_and_unselected_extras_are_not_compared(
    index: Index, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(test_spec="<2"))
    cache = tmp_path_factory.mktemp("uv-cache")
    compile_lock(tmp_path, index, cache, "requirements.txt")
    compile_lock(tmp_path, index, cache, "requirements-dev.txt", "--extra", "dev")
    runtime = (tmp_path / "requirements.txt").read_text()
    assert "--python-version 3.10" in runtime  # the header records the option as typed
    assert "six==1.17.0" in runtime  # through python-dateutil, not through `lint`
    assert "iniconfig==1.1.1" in (tmp_path / "requirements-dev.txt").read_text()

    assert lockfile_findings(tmp_path) == []


def test_an_extra_selected_through_the_project_itself_is_still_compared(
    index: Index, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(test_spec="<2"))
    cache = tmp_path_factory.mktemp("uv-cache")
    compile_lock(tmp_path, index, cache, "requirements-dev.txt", "--extra", "dev")
    # `dev` pulls in `test` through demo[test]: a changed specifier there is a drift.
    (tmp_path / "pyproject.toml").write_text(PYPROJECT.format(test_spec=">=2"))

    drifts = [f for f in lockfile_findings(tmp_path) if f.rule == "version-drift"]
    assert [f.path for f in drifts] == ["requirements-dev.txt"]
    assert "iniconfig" in drifts[0].message
