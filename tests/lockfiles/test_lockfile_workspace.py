"""A uv workspace: uv.lock holds every member's dependencies and groups.

Found on pydantic (root package plus the `pydantic-core` member, locked together): a pin on the
member was "declared but not locked", and the member's own dev tools were "stale" — 12 false
errors where `uv lock --check` passes.
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
pytestmark = pytest.mark.slow  # the loopback index and a real `uv lock`

ROOT = """\
[project]
name = "app"
version = "1.0.0"
requires-python = ">=3.10"
dependencies = ["core==0.5.0", "python-dateutil>=2.8"]

[tool.uv.sources]
core = {{ workspace = true }}

[tool.uv.workspace]
members = ["core"]

[[tool.uv.index]]
name = "local"
url = "{index}"
default = true

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""

MEMBER = """\
[project]
name = "core"
version = "0.5.0"
requires-python = ">=3.10"
dependencies = ["six{six}"]

[dependency-groups]
dev = ["iniconfig<2"]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""


def workspace(root: Path, index: Index, six: str) -> None:
    (root / "pyproject.toml").write_text(ROOT.format(index=index.url))
    (root / "app").mkdir()
    (root / "app" / "__init__.py").write_text("")
    member = root / "core"
    (member / "core").mkdir(parents=True)
    (member / "core" / "__init__.py").write_text("")
    (member / "pyproject.toml").write_text(MEMBER.format(six=six))


def lockfile_findings(root: Path) -> list[Finding]:
    report = run_checks(["lockfile"], CheckContext(Project(root), CheckOptions()))
    return [f for f in report.findings() if f.rule != "build-requires-unpinned"]


def test_members_and_their_groups_are_declarations(
    index: Index, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workspace(tmp_path, index, ">=1.16")
    done = uv(tmp_path, index, tmp_path_factory.mktemp("uv-cache"), "lock")
    assert done.returncode == 0, done.stderr
    assert "iniconfig" in (tmp_path / "uv.lock").read_text()  # the member's dev group

    assert lockfile_findings(tmp_path) == []


def test_a_drift_in_a_member_is_still_found(
    index: Index, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    workspace(tmp_path, index, ">=1.16")
    done = uv(tmp_path, index, tmp_path_factory.mktemp("uv-cache"), "lock")
    assert done.returncode == 0, done.stderr
    (tmp_path / "core" / "pyproject.toml").write_text(MEMBER.format(six="<1.16"))

    drifts = [f for f in lockfile_findings(tmp_path) if f.rule == "version-drift"]
    assert len(drifts) == 1
    assert "six" in drifts[0].message
