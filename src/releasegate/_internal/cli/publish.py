"""``releasegate publish``: every configured registry at once, content-addressed.

One output path: progress (events, then the plan or closing table) goes to the progress
stream, which is stdout for people and stderr when stdout carries a machine-readable
report; the verdict is the run's Report, rendered by ``emit`` like every command's.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

from releasegate._internal.display import display

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator, Sequence
    from typing import TextIO

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project
    from releasegate._internal.publish.progress import PlainEvents, RichEvents
    from releasegate._internal.publish.run import PublishResult
    from releasegate._internal.publish.scrub import Scrubber

HELP = "upload the dists to every configured registry in parallel, verified and audited"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from releasegate._internal.cli.output import add_json_report

    add_json_report(parser)
    parser.add_argument("--dry-run", action="store_true", help="print the plan and stop")
    parser.add_argument(
        "--resume",
        action="store_true",
        help="trust the ledger for files an earlier run verified; plan the rest again",
    )
    parser.add_argument("--dist-dir", metavar="DIR", help="where the dists are (default: dist/)")
    parser.add_argument(
        "--registry", action="append", metavar="NAME", help="only this registry (repeatable)"
    )
    from releasegate._internal.cli.check import add_member_arguments

    add_member_arguments(parser)


def events_for(stream: TextIO) -> PlainEvents | RichEvents:
    from releasegate._internal.publish import progress
    from releasegate._internal.workflow_commands import in_actions

    if in_actions():
        return progress.GithubEvents(stream)
    if stream.isatty():
        return progress.RichEvents(stream)
    return progress.PlainEvents(stream)


def print_table(
    title: str, header: Sequence[str], rows: Sequence[Sequence[str]], stream: TextIO
) -> None:
    """A rich table on a terminal; aligned plain text elsewhere (logs, CI, pipes)."""
    if not stream.isatty():
        widths = [
            max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)
        ]
        lines = [title] + [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
            for row in (header, *rows)
        ]
        stream.write("\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for column in header:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    Console(file=stream).print(table)


def _table(result: PublishResult, stream: TextIO) -> None:
    from releasegate._internal.publish import results

    if result.refused and not result.prepared:
        return  # nothing was planned: the report names every failed condition
    if result.outcomes:
        rows = results.closing_rows(result.outcomes)
        print_table("releasegate publish", results.CLOSING_HEADER, rows, stream)
    else:
        rows = results.plan_rows(result.prepared)
        print_table("releasegate publish --dry-run: plan", results.PLAN_HEADER, rows, stream)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """Ctrl-C, SIGTERM (a cancelled CI job): no new upload starts, the run winds down and
    is audited; a second signal stops at once."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:  # noqa: ARG001 - signal's signature
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _emit_plan_json(result: PublishResult, report: Report) -> None:
    """``--dry-run --format json``: the report with the plan itself under ``plan``."""
    from releasegate._internal.publish.results import plan_json
    from releasegate._internal.report import OutputFormat, render

    buffer = io.StringIO()
    render(report, OutputFormat.JSON, buffer)
    document = {**json.loads(buffer.getvalue()), "plan": plan_json(result.prepared)}
    sys.stdout.write(json.dumps(document, indent=2) + "\n")


def _run(project: Project, args: argparse.Namespace, stream: TextIO) -> int:
    from releasegate._internal.cli.check import is_workspace, no_workspace
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.publish.results import to_report
    from releasegate._internal.publish.run import PublishOptions, publish

    if is_workspace(project):
        return _run_workspace(project, args, stream)
    no_workspace(args)
    events = events_for(stream)
    with _stop_on_signals() as stop, events:
        options = PublishOptions(args.dist_dir, args.registry, args.dry_run, args.resume, stop)
        result = publish(project, options, events)
    for warning in result.warnings:
        print(f"releasegate: warning: {display(warning)}", file=sys.stderr)
    _table(result, stream)
    report = to_report(result, project)
    if args.dry_run and args.format == "json" and not args.output:
        _emit_plan_json(result, report)
    else:
        emit(report, args)
    if result.refused and not args.dry_run:
        # The checkout's severity overrides may soften the report; never the refusal.
        return 1
    return _interrupted() if result.interrupted else exit_code(report)


def _interrupted() -> int:
    from releasegate._internal.cli import EXIT_INTERRUPTED

    print(
        "releasegate: interrupted: no upload started after the signal; "
        "the audit log records what was done",
        file=sys.stderr,
    )
    return EXIT_INTERRUPTED


def _run_workspace(project: Project, args: argparse.Namespace, stream: TextIO) -> int:
    """Every member with dists, in dependency order (``workspace.publish``)."""
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.publish.progress import GithubEvents, PlainEvents
    from releasegate._internal.publish.run import PublishOptions
    from releasegate._internal.workspace.check import Selection
    from releasegate._internal.workspace.publish import publish_workspace, workspace_report

    # Members of a wave run at once: plain lines interleave readably, a live display would not.
    events = GithubEvents(stream) if isinstance(events_for(stream), GithubEvents) else None
    with _stop_on_signals() as stop, events or PlainEvents(stream) as sink:
        options = PublishOptions(args.dist_dir, args.registry, args.dry_run, args.resume, stop)
        selection = Selection(tuple(args.package), bool(args.changed))
        published = publish_workspace(project, options, sink, selection)
    for entry in published:
        if entry.result is not None:
            for warning in entry.result.warnings:
                shown = display(f"{entry.member.name}: {warning}")
                print(f"releasegate: warning: {shown}", file=sys.stderr)
            _table(entry.result, stream)
    report = workspace_report(project, published)
    emit(report, args)
    if not args.dry_run and any(e.result is not None and e.result.refused for e in published):
        return 1  # a refusal is never softened by the checkout's severity overrides
    return _interrupted() if stop.is_set() else exit_code(report)


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.errors import ReleasegateError
    from releasegate._internal.publish.results import ERROR, INTERRUPTED

    # A machine-readable report on stdout keeps stdout to itself: people read stderr.
    machine = args.format in ("json", "sarif", "markdown") and not args.output
    project: Project | None = None
    try:
        project = open_project(args, run_backend=True)
        return _run(project, args, sys.stderr if machine else sys.stdout)
    except BrokenPipeError:
        raise  # main() reports it; the report was written before the pipe broke
    except KeyboardInterrupt:
        _stopped(args, project, INTERRUPTED, "interrupted before the run had a result")
        raise
    except ReleasegateError as exc:
        _stopped(args, project, ERROR, exc.message, exc.hint)
        raise  # main() reports it
    except Exception as exc:  # noqa: BLE001 - adapters' libraries may quote credentials: scrub
        message = _scrubber(project).text(exc)
        _stopped(args, project, ERROR, f"internal error: {type(exc).__name__}: {message}")
        shown = display(message)
        print(f"releasegate: internal error: {type(exc).__name__}: {shown}", file=sys.stderr)
        return 3


def _scrubber(project: Project | None) -> Scrubber:
    """Every secret the environment holds, and those the configured registries name."""
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.publish.scrub import Scrubber
    from releasegate._internal.publish.settings import registry_specs

    names: list[str | None] = []
    if project is not None:
        with contextlib.suppress(ConfigError):
            names = [
                n for s in registry_specs(project.config) for n in (s.password_env, s.token_env)
            ]
    return Scrubber.for_env(os.environ, names)


def _stopped(
    args: argparse.Namespace,
    project: Project | None,
    outcome: str,
    message: str,
    hint: str | None = None,
) -> None:
    """A run that ended without a result still leaves its report (``--json-report``,
    ``--output``): a dossier then shows why, instead of a missing record."""
    from releasegate._internal.cli.output import write_reports
    from releasegate._internal.publish.results import stopped_report

    try:
        scrub = _scrubber(project).text
        report = stopped_report(outcome, scrub(message), scrub(hint) if hint else None)
        write_reports(report, args)
    except OSError as exc:  # the error being reported matters more than its report
        print(f"releasegate: warning: could not write the report: {exc}", file=sys.stderr)
