"""Renderers of a Report, one module per output format."""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import TextIO

    from releasegate._internal.findings import Report


class OutputFormat(str, enum.Enum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"
    MARKDOWN = "markdown"


def default_format() -> OutputFormat:
    """Workflow commands under GitHub Actions, text everywhere else."""
    from releasegate._internal.workflow_commands import in_actions

    return OutputFormat.GITHUB if in_actions() else OutputFormat.TEXT


def render(
    report: Report, fmt: OutputFormat, stream: TextIO | None = None, *, verbose: bool = False
) -> None:
    """Write ``report`` to ``stream`` in ``fmt``; renderers are imported only when used."""
    out = stream if stream is not None else sys.stdout
    if fmt is OutputFormat.TEXT:
        from releasegate._internal.report import text

        text.render(report, out, verbose=verbose)
    elif fmt is OutputFormat.JSON:
        from releasegate._internal.report import json_report

        json_report.render(report, out)
    elif fmt is OutputFormat.SARIF:
        from releasegate._internal.report import sarif

        sarif.render(report, out)
    elif fmt is OutputFormat.GITHUB:
        from releasegate._internal.report import github

        github.render(report, out)
    elif fmt is OutputFormat.MARKDOWN:
        from releasegate._internal.report import markdown

        out.write(markdown.render(report))
    else:  # pragma: no cover - the enum is exhaustive
        raise AssertionError(fmt)
