"""``releasegate yank VERSION --reason TEXT`` (``--undo``): a bad release withdrawn everywhere.

The plan (each registry, how it yanks, what it serves now) is shown first. In CI the run
stops there unless ``--yes`` says it is meant; elsewhere it goes on. Progress and manual
steps go to the progress stream (stderr when stdout carries a machine-readable report).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from releasegate._internal.display import display

if TYPE_CHECKING:
    import argparse
    from typing import TextIO

    from releasegate._internal.publish.yank import YankOptions, YankResult

HELP = (
    "yank a version (PEP 592) on every configured registry, verified and audited; --undo reverses"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("release_version", metavar="VERSION", help="the version to yank")
    parser.add_argument(
        "--reason",
        metavar="TEXT",
        help="why (required to yank): shown by pip and on every registry's page",
    )
    parser.add_argument("--undo", action="store_true", help="take the yank off again")
    parser.add_argument(
        "--yes",
        action="store_true",
        help="do it: in CI the default is to show the plan and stop",
    )
    parser.add_argument("--dry-run", action="store_true", help="show the plan and stop")
    parser.add_argument(
        "--registry", action="append", metavar="NAME", help="only this registry (repeatable)"
    )
    parser.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long a manual step (PyPI's yank page) is waited for (default: 600)",
    )


def options_of(args: argparse.Namespace, env: dict[str, str]) -> YankOptions:
    from releasegate._internal.errors import UsageError
    from releasegate._internal.publish.settings import in_ci
    from releasegate._internal.publish.yank import YankOptions

    if args.undo and args.reason is not None:
        raise UsageError("--undo takes no --reason: the yank is taken off")
    reason = None if args.undo else " ".join((args.reason or "").split())
    if reason == "":
        raise UsageError(
            "--reason TEXT is required: pip shows it to whoever pins the yanked version"
        )
    if args.wait < 0:
        raise UsageError("--wait must be 0 or more seconds")
    dry_run = args.dry_run or (in_ci(env) and not args.yes)
    return YankOptions(args.release_version, reason, args.registry, dry_run, args.wait)


def _state(states: dict[str, str | None] | None) -> str:
    if states is None:
        return "-"
    if not states:
        return "no files"
    marks = {("yanked" if s is not None else "served") for s in states.values()}
    return "/".join(sorted(marks)) + f" ({len(states)})"


def print_result(result: YankResult, options: YankOptions, stream: TextIO) -> None:
    from releasegate._internal.cli.publish import print_table
    from releasegate._internal.publish.yank import in_effect

    rows = []
    for o in result.outcomes:
        if o.error:
            verdict = "failed"
        elif not o.before:
            verdict = "nothing served"
        elif result.dry_run:
            verdict = "planned"
        elif o.after is not None and in_effect(o.after, options.reason):
            verdict = "in effect"
        else:
            verdict = "NOT in effect"
        why = o.error or o.step or ""
        rows.append(
            (
                o.name,
                o.kind,
                o.method.value,
                _state(o.before),
                _state(o.after),
                verdict,
                display(why),
            )
        )
    action = "undo yank" if options.reason is None else "yank"
    title = f"releasegate {action} {result.project} {options.version}" + (
        " --dry-run: plan" if result.dry_run else ""
    )
    header = ("registry", "kind", "method", "before", "after", "verdict", "step / why")
    print_table(title, header, rows, stream)
    if result.dry_run:
        stream.write("nothing was changed: run with --yes to do it\n")


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.cli.publish import events_for
    from releasegate._internal.publish.yank import CHECK, findings_of, yank
    from releasegate._internal.runner import report_of, result_of

    machine = args.format in ("json", "sarif", "markdown") and not args.output
    stream = sys.stderr if machine else sys.stdout
    env = dict(os.environ)
    options = options_of(args, env)
    project = open_project(args)

    def say(line: str) -> None:
        stream.write(f"{display(line)}\n")
        stream.flush()

    events = events_for(stream)
    with events:
        result = yank(project, options, events, say, env)
    print_result(result, options, stream)
    findings = findings_of(result.outcomes, options)
    summary = f"{len(result.outcomes)} registries, {options.version}: " + (
        "planned" if result.dry_run else f"{len(findings)} problem(s)"
    )
    governed = [result.governance.result(project)] if result.governance else []
    yanked = result_of(CHECK, findings, project, summary=summary)
    report = report_of([*governed, yanked], project)
    emit(report, args)
    # Refused by the policy: a failure whatever the checkout's severity overrides say.
    return max(exit_code(report), 1) if result.refused else exit_code(report)
