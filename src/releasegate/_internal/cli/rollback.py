"""``releasegate rollback --bad VERSION --reason TEXT``: roll forward from the last good build.

The plan is printed first; in CI the run stops there unless ``--yes``. Then the good release's
files are released again above the bad version, published everywhere, and the bad version is
yanked (``promote/rollback.py``).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from releasegate._internal.display import display

if TYPE_CHECKING:
    import argparse

HELP = "release the last good version's files as the next patch, publish it, yank the bad one"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--bad", required=True, metavar="VERSION", help="the bad version")
    parser.add_argument(
        "--reason", required=True, metavar="TEXT", help="why the bad version is yanked"
    )
    parser.add_argument(
        "--good",
        metavar="VERSION",
        help="the release whose files are released again (default: the highest final "
        "release below the bad one, not yanked)",
    )
    parser.add_argument(
        "--to", metavar="VERSION", help="the new version (default: the patch after --bad)"
    )
    parser.add_argument(
        "--from-registry",
        metavar="NAME",
        help="the registry the good files are taken from (default: the first that has them)",
    )
    parser.add_argument(
        "--registry", action="append", metavar="NAME", help="only this registry (repeatable)"
    )
    parser.add_argument("--yes", action="store_true", help="do it: in CI the default is the plan")
    parser.add_argument("--dry-run", action="store_true", help="show the plan and stop")
    parser.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long a manual yank step (PyPI's page) is waited for (default: 600)",
    )


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.cli.publish import events_for
    from releasegate._internal.errors import UsageError
    from releasegate._internal.promote.rollback import RollbackRequest, rollback
    from releasegate._internal.publish.settings import in_ci
    from releasegate._internal.runner import report_of, result_of

    machine = args.format in ("json", "sarif", "markdown") and not args.output
    stream = sys.stderr if machine else sys.stdout
    env = dict(os.environ)
    reason = " ".join(args.reason.split())
    if not reason:
        raise UsageError("--reason TEXT must say why: pip shows it to whoever pins the bad version")
    dry_run = args.dry_run or (in_ci(env) and not args.yes)
    request = RollbackRequest(
        args.bad,
        reason,
        args.good,
        args.to,
        args.from_registry,
        args.registry,
        dry_run,
        args.wait,
    )
    project = open_project(args)

    def say(line: str) -> None:
        stream.write(f"{display(line)}\n")
        stream.flush()

    with events_for(stream) as events:
        outcome = rollback(project, request, events, say, env)
    if dry_run:
        say("nothing was changed: run with --yes to do it")
    results = outcome.results or [
        result_of("rollback", [], project, summary=f"planned: {outcome.plan.target}")
    ]
    report = report_of(results, project)
    emit(report, args)
    return exit_code(report)
