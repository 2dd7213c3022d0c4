"""PEP 735 groups that include others: a drift is reported where its requirement is written.

Found on pipx 1.16.7: "docs" was included by "dev" (directly and through "type") and by "type",
so its one unlocked requirement was four `lockfile/not-locked` errors; `uv lock --check` fails
once, for one reason.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.findings import Severity
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from tests.lockfile_support import Index, uv

if TYPE_CHECKING:
    from pathlib import Path

pytest_plugins = ("tests.lockfile_support",)
pytestmark = pytest.mark.slow  # the loopback index and a real `uv lock`

PROJECT = """\
[project]
name = "app"
version = "1.0.0"
requires-python = ">=3.10"
dependencies = []

[dependency-groups]
dev = [
  {{ include-group = "docs" }},
  {{ include-group = "type" }},
]
type = [
  "iniconfig>=1",
  {{ include-group = "docs" }},
]
docs = [
  "six>=1.16",{extra}
]

[tool.uv]
package = false

[[tool.uv.index]]
name = "local"
url = "{index}"
default = true
"""


def test_an_unlocked_requirement_of_an_included_group_is_one_error(
    index: Index, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    cache = tmp_path_factory.mktemp("uv-cache")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PROJECT.format(index=index.url, extra=""))
    done = uv(tmp_path, index, cache, "lock")
    assert done.returncode == 0, done.stderr
    pyproject.write_text(PROJECT.format(index=index.url, extra='\n  "python-dateutil>=2.8",'))
    assert uv(tmp_path, index, cache, "lock", "--check").returncode != 0  # the anchor agrees

    report = run_checks(["lockfile"], CheckContext(Project(tmp_path), CheckOptions()))
    errors = [f for f in report.findings() if f.severity is Severity.ERROR]

    assert [f.rule for f in errors] == ["not-locked"], [f.message for f in errors]
    assert "python-dateutil" in errors[0].message
    written = pyproject.read_text().splitlines().index('  "python-dateutil>=2.8",') + 1
    assert errors[0].line == written
