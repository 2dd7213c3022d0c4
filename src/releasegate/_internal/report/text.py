"""Human-readable text: rich on a terminal, plain ``path:line: severity message`` lines otherwise.

Plain lines keep pre-commit output greppable and keep rich out of hook start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Severity

if TYPE_CHECKING:
    from typing import TextIO

    from releasegate._internal.findings import Finding, Report


def _plain_line(finding: Finding) -> str:
    location = finding.location()
    prefix = f"{location}: " if location else ""
    return f"{prefix}{finding.severity.value}: {finding.message} [{finding.rule_id}]"


def summary_line(report: Report) -> str:
    errors, warnings = report.count(Severity.ERROR), report.count(Severity.WARNING)
    checks = ", ".join(r.check for r in report.results) or "none"
    verdict = "failed" if report.failed else "passed"
    return f"releasegate: {verdict} ({checks}): {errors} error(s), {warnings} warning(s)"


def render_plain(report: Report, out: TextIO, *, verbose: bool = False) -> None:
    for result in report.results:
        if verbose or result.summary or (result.member and result.findings):
            detail = f": {result.summary}" if result.summary else ""
            out.write(f"[{result.check}] {'failed' if result.failed else 'passed'}{detail}\n")
        for finding in result.findings:
            out.write(_plain_line(finding) + "\n")
            if finding.hint:
                out.write(f"  hint: {finding.hint}\n")
    out.write(summary_line(report) + "\n")


def render(report: Report, out: TextIO, *, verbose: bool = False) -> None:
    if not out.isatty():
        render_plain(report, out, verbose=verbose)
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False)
    styles = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
    for result in report.results:
        mark = "[red]✗[/]" if result.failed else "[green]✓[/]"
        summary = f" [dim]{escape(result.summary)}[/]" if result.summary else ""
        console.print(f"{mark} [bold]{result.check}[/]{summary} [dim]({result.seconds:.2f}s)[/]")
        for finding in result.findings:
            location = f"[bold]{escape(finding.location())}[/]: " if finding.location() else ""
            style = styles[finding.severity]
            console.print(
                f"  {location}[{style}]{finding.severity.value}[/]: {escape(finding.message)}"
                f" [dim]\\[{finding.rule_id}][/]"
            )
            if finding.hint:
                console.print(f"    [dim]hint:[/] {escape(finding.hint)}")
    console.print(escape(summary_line(report)), style="bold red" if report.failed else "bold green")
