"""Human-readable text: rich on a terminal, plain ``path:line: severity message`` lines otherwise.

Plain lines keep pre-commit output greppable and keep rich out of hook start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Severity
from releasegate._internal.report.grouping import group

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

    from rich.console import Console

    from releasegate._internal.findings import Finding, Report


def _plain_line(finding: Finding) -> str:
    location = finding.location()
    prefix = f"{location}: " if location else ""
    return f"{prefix}{finding.severity.value}: {finding.message} [{finding.rule_id}]"


def _new_hint(finding: Finding, hinted: set[tuple[str, str]]) -> bool:
    """Whether to print the hint: once per rule and text in a gate (15 files without hashes
    share one fix)."""
    if not finding.hint or (finding.rule_id, finding.hint) in hinted:
        return False
    hinted.add((finding.rule_id, finding.hint))
    return True


def summary_line(report: Report) -> str:
    """The closing line: it names what failed (gates, workspace members), not all that ran."""
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    if report.failed:
        checks = ", ".join(r.check for r in report.results if r.failed)
        verdict = f"failed ({checks})"
    else:
        ran = len(report.results)
        members = list(dict.fromkeys(r.member for r in report.results if r.member))
        within = f" in {', '.join(members)}" if members else ""
        verdict = f"passed ({ran} check{'' if ran == 1 else 's'}{within})"
    line = f"releasegate: {verdict}: {errors} error(s), {warnings} warning(s)"
    if report.baseline:
        old = sum(1 for f in report.findings() if f.baseline == "unchanged")
        line += f"; {old} already on {report.baseline}, shown as notes"
    return line


def render_plain(report: Report, out: TextIO, *, verbose: bool = False) -> None:
    for result in report.results:
        if verbose or result.summary or (result.member and result.findings):
            detail = f": {result.summary}" if result.summary else ""
            out.write(f"[{result.check}] {'failed' if result.failed else 'passed'}{detail}\n")
        hinted: set[tuple[str, str]] = set()
        for entry in group(result.findings):
            finding = entry.first
            out.write(_plain_line(finding) + "\n")
            rest = entry.rest()
            if rest:
                out.write(f"  {rest}\n")
            if _new_hint(finding, hinted):
                out.write(f"  hint: {finding.hint}\n")
    out.write(summary_line(report) + "\n")


def render(report: Report, out: TextIO, *, verbose: bool = False) -> None:
    if out.isatty():
        render_terminal(report, out)
    else:
        render_plain(report, out, verbose=verbose)


# Stands for the text in a style's template; a private-use character, never in a message.
_SLOT = "\ue000"


def _painter(console: Console, style: str) -> Callable[[str], str]:
    """The text in ``style`` as the console writes it (its colours, NO_COLOR, a dumb TERM).

    rich renders each style once; the lines are then plain string work. ``console.print`` per
    finding took 3.7 s for a report of 10,000 findings, 14x the gate that found them, and
    rich markup would also read a ``[...]`` in a message as a tag (issue 22).
    """
    from rich.text import Text

    with console.capture() as capture:
        console.print(Text(_SLOT, style=style), end="", soft_wrap=True)
    before, _, after = capture.get().partition(_SLOT)
    return lambda text: f"{before}{text}{after}"


def render_terminal(report: Report, out: TextIO) -> None:
    from rich.console import Console

    console = Console(file=out, highlight=False)
    bold, dim = _painter(console, "bold"), _painter(console, "dim")
    styles = {
        severity: _painter(console, style)
        for severity, style in (
            (Severity.ERROR, "bold red"),
            (Severity.WARNING, "yellow"),
            (Severity.NOTE, "cyan"),
        )
    }
    failed, passed = _painter(console, "red")("✗"), _painter(console, "green")("✓")
    lines = []
    for result in report.results:
        summary = f" {dim(result.summary)}" if result.summary else ""
        mark = failed if result.failed else passed
        lines.append(f"{mark} {bold(result.check)}{summary} {dim(f'({result.seconds:.2f}s)')}")
        hinted: set[tuple[str, str]] = set()
        for entry in group(result.findings):
            finding = entry.first
            location = f"{bold(finding.location())}: " if finding.location() else ""
            severity = styles[finding.severity](finding.severity.value)
            rule = dim(f"[{finding.rule_id}]")
            lines.append(f"  {location}{severity}: {finding.message} {rule}")
            rest = entry.rest()
            if rest:
                lines.append(f"    {dim(rest)}")
            if _new_hint(finding, hinted):
                lines.append(f"    {dim('hint:')} {finding.hint}")
    verdict = _painter(console, "bold red" if report.failed else "bold green")
    lines.append(verdict(summary_line(report)))
    out.write("\n".join(lines) + "\n")
