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


def emit(report: Report, args: argparse.Namespace, stream: TextIO | None = None) -> None:
    """Render to ``--output`` (written whole, then renamed) or to ``stream`` (stdout)."""
    out = stream if stream is not None else sys.stdout
    fmt = chosen_format(args)
    if args.output:
        buffer = io.StringIO()
        render(report, fmt, buffer, verbose=args.verbose)
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_text(buffer.getvalue(), encoding="utf-8")
        partial.replace(target)
        # Still tell a human what happened.
        if fmt is not OutputFormat.TEXT:
            render(report, OutputFormat.TEXT, out, verbose=args.verbose)
    else:
        render(report, fmt, out, verbose=args.verbose)


def exit_code(report: Report) -> int:
    """1 when the report failed (its ``fail-on`` applied by the runner), else 0."""
    return 1 if report.failed else 0
