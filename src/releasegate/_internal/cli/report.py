"""``releasegate report --from REPORT``: post the statuses and comment of another run's report.

For pull requests from forks, whose runs get a read-only token: their JSON report, uploaded
as an artifact, is posted by a ``workflow_run`` job that has a write token and never checks
out or runs the pull request's code (workflows-examples/pr-report.yml). The report is
hostile input (``github/untrusted.py``); the commit comes from the event, not from the file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.cli import github_options

if TYPE_CHECKING:
    import argparse

HELP = "post statuses / check runs and the PR comment from a JSON report (fork pull requests)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="source",
        metavar="REPORT",
        required=True,
        help="the JSON report of `releasegate check --json-report`, checked as untrusted input",
    )
    github_options.add_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.findings import Severity
    from releasegate._internal.github.untrusted import load_report

    report = load_report(Path(args.source))
    counts = ", ".join(f"{report.count(s)} {s.value}(s)" for s in Severity)
    verdict = "failed" if report.failed else "passed"
    print(f"releasegate: report read: {len(report.results)} gate(s), {verdict}; {counts}")
    sys.stdout.flush()
    # The checked run already failed or passed on these findings: this run fails only when
    # it could not post them.
    return 1 if github_options.deliver(report, args, 0) else 0
