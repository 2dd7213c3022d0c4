"""Markdown: the job summary, the PR comment body and the check-run summary.

GitHub refuses bodies over its limits with HTTP 422 (65,536 characters for a comment,
65,535 for a check-run summary, 1 MiB for a step summary): a refused body means the
required check never appears (issue 17: ~150 findings made 92,190 characters). With a
``limit`` the gate table is always kept whole, findings follow while they fit, and a last
line says how many were left out and where the full report is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from releasegate._internal.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.findings import Finding, Report

CELL_LIMIT = 1000
"""One message cell at most: a single huge finding must not crowd out all the others."""
ELSEWHERE = "the job summary, the SARIF file or the JSON report of this run"
# Room for the omission line and the closing verdict, whatever the counts.
_RESERVE = 400


# Messages quote the project's files, and in the fork pull-request pattern a whole report
# comes from code nobody has reviewed: a cell shows text, it never becomes HTML, a link, an
# image, a hidden marker, an @mention that notifies someone or a reference that back-links
# another repository's issue.
_MARKUP = frozenset("\\`*_{}[]()#+!|~")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_NOTIFYING = re.compile(r"([@#])(?=[\w-])")


def _escaped(char: str) -> str:
    if char in _ENTITIES:
        return _ENTITIES[char]
    return "\\" + char if char in _MARKUP else char


def _cell(text: str) -> str:
    cell = text.replace("\n", " ").replace("\r", " ")
    if len(cell) > CELL_LIMIT:
        cell = cell[: CELL_LIMIT - 1] + "…"
    cell = _NOTIFYING.sub("\\1\u200b", cell)  # a zero-width space after @ and #
    return "".join(map(_escaped, cell))


def cell(text: str) -> str:
    """``text`` made safe for one cell of a Markdown table a command adds to the summary."""
    return _cell(text)


def _gate_table(report: Report) -> list[str]:
    lines = [
        "## releasegate",
        "",
        "| check | result | errors | warnings | verdict |",
        "|---|---|---|---|---|",
    ]
    for result in report.results:
        errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
        warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
        status = "❌ failed" if result.failed else "✅ passed"
        # The gate's own one-line verdict: the API gate names the release it compared with.
        verdict = _cell(result.summary) if result.summary else ""
        lines.append(f"| {result.check} | {status} | {errors} | {warnings} | {verdict} |")
    return lines


def _row(f: Finding) -> str:
    message = f.message + (f" — {f.hint}" if f.hint else "")
    return (
        f"| {f.severity.value} | {_cell(f.location() or '-')} | `{f.rule_id}` | {_cell(message)} |"
    )


def render(
    report: Report,
    limit: int | None = None,
    elsewhere: str = ELSEWHERE,
    diagrams: Sequence[str] = (),
) -> str:
    """The summary; with ``limit``, at most that many characters (GitHub counts characters).

    ``diagrams``: lines shown after the gate table (the job summary's Mermaid blocks).
    """
    lines = [*_gate_table(report), *diagrams]
    verdict = ["", f"**{'Failed' if report.failed else 'Passed'}**", ""]
    # Under --new-since the old findings are counted, not listed: the change is what is judged.
    findings = [f for f in report.findings() if f.baseline != "unchanged"]
    old = sum(1 for f in report.findings() if f.baseline == "unchanged")
    if old:
        verdict += [f"{old} finding(s) already on {_cell(report.baseline or '')}, not new.", ""]
    if findings:
        lines += ["", "| severity | location | rule | message |", "|---|---|---|---|"]
    budget = None if limit is None else limit - _RESERVE - sum(len(x) + 1 for x in lines)
    shown = 0
    for finding in findings:
        row = _row(finding)
        if budget is not None:
            budget -= len(row) + 1
            if budget < 0:
                break
        lines.append(row)
        shown += 1
    if shown < len(findings):
        lines += ["", f"{len(findings) - shown} more finding(s) not shown here: see {elsewhere}."]
    text = "\n".join(lines + verdict)
    # Only a table too wide for the limit on its own (thousands of gates) gets here.
    return text if limit is None or len(text) <= limit else text[: limit - 2] + "…\n"
