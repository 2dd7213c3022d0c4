"""``releasegate check`` options that send results to GitHub, and how their outcome is printed.

The work lives in ``releasegate._internal.github.feedback``; this module only maps arguments and
prints. Feedback never changes the exit code: that reflects the findings alone.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.errors import ReleasegateError
    from releasegate._internal.findings import Report
    from releasegate._internal.github.feedback import FeedbackOptions


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "GitHub (token from GITHUB_TOKEN, never from the command line)"
    )
    group.add_argument(
        "--report-statuses",
        action="store_true",
        help="one commit status (or check run, see --status-kind) per gate, named releasegate/<gate>",
    )
    # A separate option, not an optional value of --report-statuses: that would swallow a
    # gate name written after it (`--report-statuses semver`).
    group.add_argument(
        "--status-kind",
        choices=["status", "check-run"],
        default="status",
        help="what --report-statuses creates (default: status)",
    )
    group.add_argument(
        "--comment",
        action="store_true",
        help="create or update the one pull request comment with the summary table",
    )
    group.add_argument(
        "--sarif-file", metavar="PATH", help="also write a SARIF report for code scanning"
    )
    group.add_argument("--json-report", metavar="PATH", help="also write the JSON report")
    group.add_argument(
        "--github-output",
        action="store_true",
        help="write the step outputs version, result, hashes, report-path to GITHUB_OUTPUT",
    )


def options_from(args: argparse.Namespace) -> FeedbackOptions:
    from releasegate._internal.github.feedback import FeedbackOptions

    return FeedbackOptions(
        statuses=args.status_kind if args.report_statuses else None,
        comment=bool(args.comment),
        sarif_file=args.sarif_file,
        json_report=args.json_report,
        github_output=bool(args.github_output),
    )


def _any_wanted(args: argparse.Namespace) -> bool:
    wanted = (args.report_statuses, args.comment, args.sarif_file, args.json_report)
    return any(wanted) or bool(args.github_output)


def deliver(report: Report, args: argparse.Namespace, exit_code: int) -> bool:
    """Send what the options ask for; True when a part of it failed (and was printed)."""
    if not _any_wanted(args):
        return False  # a hook's run: the GitHub modules are not even imported
    options = options_from(args)
    from releasegate._internal.display import display, display_lines
    from releasegate._internal.github.feedback import deliver as send
    from releasegate._internal.workflow_commands import escape_data, in_actions

    config = Path(args.config) if args.config else None
    delivery = send(report, Path(args.root), config, options, exit_code)
    for line in delivery.done:
        print(f"releasegate: {display(line)}", file=sys.stderr)
    actions = in_actions()
    for error in delivery.errors:
        if actions:
            # An annotation, so the refusal shows on the run page next to the findings.
            shown = escape_data(display_lines(error.diagnostics()))
            print(f"::error title=releasegate GitHub feedback::{shown}")
        print(f"releasegate: error: {display_lines(error.diagnostics())}", file=sys.stderr)
    return bool(delivery.errors)


def error_report(error: ReleasegateError, gates: list[str], root: str) -> Report:
    """A run that could not start (a configuration error) as one failing finding per gate.

    A required status check that is never posted leaves the pull request waiting forever
    with no reason shown; a failing ``releasegate/<gate>`` says what is wrong (issue 17).
    """
    from releasegate._internal.checks import GATES
    from releasegate._internal.errors import TomlError
    from releasegate._internal.findings import Finding, GateResult, Report

    path, line = (error.path, error.line) if isinstance(error, TomlError) else (None, None)
    names = gates or [name for name, entry in GATES.items() if entry.default]
    results = [
        GateResult(
            name,
            (
                Finding(
                    name,
                    "configuration-error",
                    error.message,
                    path=path,
                    line=line,
                    hint=error.hint,
                ),
            ),
        )
        for name in names
    ]
    return Report.of(results, root)


def deliver_error(error: ReleasegateError, args: argparse.Namespace) -> None:
    """Before the error is printed and exits 2: an annotation, failing statuses, the comment."""
    from releasegate._internal.display import display_lines
    from releasegate._internal.workflow_commands import escape_data, escape_property, in_actions

    report = error_report(error, list(args.checks), str(Path(args.root).resolve()))
    first = next(report.findings())
    if in_actions():
        where = f"file={escape_property(first.path)}," if first.path else ""
        where += f"line={first.line}," if first.path and first.line else ""
        shown = escape_data(display_lines(error.diagnostics()))
        print(f"::error {where}title=releasegate configuration::{shown}")
    deliver(report, args, error.exit_code)
