"""Shared by subcommands that produce a Report: format choice and where it goes."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.report import OutputFormat, default_format, render

if TYPE_CHECKING:
    import argparse
    from typing import TextIO

    from releasegate._internal.findings import Report


def chosen_format(args: argparse.Namespace) -> OutputFormat:
    return OutputFormat(args.format) if args.format else default_format()


def add_json_report(parser: argparse.ArgumentParser) -> None:
    """``--json-report``: the JSON report besides the chosen format (the GitHub Action keeps
    each command's for ``releasegate dossier --report``, while the log keeps its annotations).
    ``check`` has its own, delivered with its GitHub feedback."""
    parser.add_argument(
        "--json-report",
        metavar="PATH",
        help="also write the JSON report to PATH, whatever --format",
    )
    parser.set_defaults(_emit_json_report=True)


def _write_whole(report: Report, fmt: OutputFormat, target: Path, *, verbose: bool) -> None:
    """Render whole, then rename: a reader never sees half a report."""
    buffer = io.StringIO()
    render(report, fmt, buffer, verbose=verbose)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(buffer.getvalue(), encoding="utf-8")
    partial.replace(target)


def write_reports(report: Report, args: argparse.Namespace) -> None:
    """The report's files only: ``--json-report`` and ``--output``, each written whole."""
    if getattr(args, "_emit_json_report", False) and args.json_report:
        _write_whole(report, OutputFormat.JSON, Path(args.json_report), verbose=args.verbose)
    if args.output:
        _write_whole(report, chosen_format(args), Path(args.output), verbose=args.verbose)


def emit(report: Report, args: argparse.Namespace, stream: TextIO | None = None) -> None:
    """Render to ``--output`` (written whole, then renamed) or to ``stream`` (stdout)."""
    out = stream if stream is not None else sys.stdout
    fmt = chosen_format(args)
    backend_output(report, sys.stderr, verbose=bool(args.verbose))
    write_reports(report, args)
    if args.output:
        # Still tell a human what happened.
        if fmt is not OutputFormat.TEXT:
            render(report, OutputFormat.TEXT, out, verbose=args.verbose)
    else:
        render(report, fmt, out, verbose=args.verbose)


def exit_code(report: Report) -> int:
    """1 when the report failed (its ``fail-on`` applied by the runner), else 0."""
    return 1 if report.failed else 0


def backend_output(report: Report, out: TextIO, *, verbose: bool) -> None:
    """The backends' output before the verdict: with ``--verbose``, or folded under Actions.

    setuptools prints hundreds of lines per build; they would drown the verdict, so a terminal
    sees them only on request (a failure's last lines are in its finding already).
    """
    from releasegate._internal.findings import BACKEND_OUTPUT

    for result in report.results:
        entries = result.data.get(BACKEND_OUTPUT)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and entry.get("output"):
                title = f"releasegate {result.check}: backend output of {entry.get('build')}"
                write_output(out, title, str(entry["output"]), verbose=verbose)


def write_output(out: TextIO, title: str, text: str, *, verbose: bool) -> None:
    """One build's backend output: in a ``::group::`` under Actions, else only with --verbose."""
    from releasegate._internal.workflow_commands import escape_data, in_actions

    grouped = in_actions()
    if not text or not (verbose or grouped):
        return
    from releasegate._internal.display import display

    # Each line displayed (a backend prints what the checkout chose: escapes, OSC 52) and
    # indented, so that no line of it can start a workflow command.
    body = "".join(f"  | {display(line, inside=True)}\n" for line in text.splitlines())
    title = display(title)
    out.write(
        f"::group::{escape_data(title)}\n{body}::endgroup::\n" if grouped else f"{title}\n{body}"
    )
    out.flush()
