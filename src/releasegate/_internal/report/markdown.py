"""Markdown: the job summary and PR comment body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Severity

if TYPE_CHECKING:
    from releasegate._internal.findings import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    lines = ["## releasegate", "", "| check | result | errors | warnings |", "|---|---|---|---|"]
    for result in report.results:
        errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
        status = "❌ failed" if result.failed else "✅ passed"
        lines.append(f"| {result.check} | {status} | {errors} | {warnings} |")
    findings = list(report.findings())
    if findings:
        lines += ["", "| severity | location | rule | message |", "|---|---|---|---|"]
        for f in findings:
            message = f.message + (f" — {f.hint}" if f.hint else "")
            lines.append(
                f"| {f.severity.value} | {_cell(f.location() or '-')} | `{f.rule_id}` | {_cell(message)} |"
            )
    lines += ["", f"**{'Failed' if report.failed else 'Passed'}**", ""]
    return "\n".join(lines)
