"""GitHub Actions workflow commands (annotations, groups) and the job summary."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.findings import Severity
from releasegate._internal.report import markdown, mermaid
from releasegate._internal.report.grouping import group
from releasegate._internal.report.locations import repository_prefix
from releasegate._internal.report.text import summary_line
from releasegate._internal.workflow_commands import escape_data, escape_property

if TYPE_CHECKING:
    from typing import TextIO

    from releasegate._internal.findings import Finding, Report

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


SUMMARY_LIMIT = 256_000
"""Characters of the job summary: under GitHub's 1 MiB per step even at 4 bytes a character."""


def annotation(finding: Finding, prefix: str = "", more: str | None = None) -> str:
    """``prefix``: the project folder within the repository (annotations name files from its root);
    ``more``: what the finding stands for besides itself (a group, ``grouping.py``)."""
    properties = [f"title={escape_property(finding.rule_id)}"]
    if finding.path:
        properties.insert(0, f"file={escape_property(prefix + finding.path)}")
        if finding.line:
            properties.insert(1, f"line={finding.line}")
    message = finding.message + (f"\n{more}" if more else "")
    message += f"\nHint: {finding.hint}" if finding.hint else ""
    return f"::{_COMMANDS[finding.severity]} {','.join(properties)}::{escape_data(message)}"


def write_summary(report: Report) -> None:
    """Append the markdown summary to the job summary file when Actions provides one."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            elsewhere = "the SARIF file or JSON report"
            # A publish run's timeline and a workspace's waves, drawn by GitHub (Mermaid).
            drawn = mermaid.diagrams(report)
            handle.write(markdown.render(report, SUMMARY_LIMIT, elsewhere, drawn))


def render(report: Report, out: TextIO) -> None:
    prefix = repository_prefix(report.root)
    for result in report.results:
        # The Report displayed every string (display.py); a command's data is also encoded.
        out.write(f"::group::releasegate {escape_data(result.check)}\n")
        for finding in result.findings:
            location = finding.location()
            out.write(
                f"{location + ': ' if location else ''}{finding.severity.value}: {finding.message}\n"
            )
        out.write("::endgroup::\n")
        # One annotation per cause: GitHub shows only the first ten of each kind per step.
        # What was already on the base is in the log above, not pinned to the diff.
        fresh = [f for f in result.findings if f.baseline != "unchanged"]
        for entry in group(fresh):
            out.write(annotation(entry.first, prefix, entry.rest()) + "\n")
    out.write(summary_line(report) + "\n")
    write_summary(report)
