"""releasegate: release-safety gates for Python packages.

The library surface is what this module exports, and only that: running the gates,
publishing, the findings model and the configuration. Everything under
``releasegate._internal`` may change in any release; releasegate's own API gate holds
this surface to SemVer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.config import Config
from releasegate._internal.findings import Finding, GateResult, Report, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

__version__ = "0.1.0"

__all__ = [
    "Config",
    "Finding",
    "GateResult",
    "Report",
    "Severity",
    "__version__",
    "load_config",
    "run_checks",
]


def load_config(root: str | Path = ".", config_file: str | Path | None = None) -> Config:
    """The validated configuration of the project at ``root``, defaults filled in.

    Raises ``ConfigError`` (a ``ValueError``-like error listing every problem) when invalid.
    """
    from releasegate._internal.project import Project

    return Project(Path(root), Path(config_file) if config_file else None).config


def run_checks(
    root: str | Path = ".",
    checks: Sequence[str] = (),
    *,
    config_file: str | Path | None = None,
    files: Sequence[str] | None = None,
    release: bool = False,
) -> Report:
    """Run the named gates (default: the configured set) on the project at ``root``.

    ``files`` limits the gates to changed files, as the hooks do; ``release`` says a
    release is being made from this commit. ``Report.failed`` is the verdict, with the
    project's ``fail-on`` already applied.
    """
    from releasegate._internal.checks.base import CheckContext, CheckOptions
    from releasegate._internal.project import Project
    from releasegate._internal.runner import run_checks as run

    project = Project(Path(root), Path(config_file) if config_file else None)
    options = CheckOptions(files=tuple(files) if files is not None else None, release=release)
    return run(checks, CheckContext(project, options))
