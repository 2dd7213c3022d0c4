"""``releasegate verify-mirrors``: do all registries serve the same files for a version?"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.findings import Report

HELP = "compare what every configured registry serves for a version: missing and mismatched files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--version",
        dest="release_version",
        metavar="V",
        help="the version to compare (default: the dists' version, else [project] version; "
        "'all' for every version)",
    )
    parser.add_argument(
        "--dist-dir",
        metavar="DIR",
        help="local dists used as the reference when present (default: dist/)",
    )
    parser.add_argument(
        "--registry", action="append", metavar="NAME", help="only this registry (repeatable)"
    )


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.cli.publish import events_for
    from releasegate._internal.publish.verify_mirrors import MirrorOptions, verify_mirrors

    project = open_project(args)
    options = MirrorOptions(args.release_version, args.dist_dir, args.registry)
    # The publish events: under Actions they mask a minted trusted-publishing token.
    report = verify_mirrors(project, options, events_for(sys.stderr))
    _yank_table(yanked_rows(report), args)
    emit(report, args)
    return exit_code(report)


def yanked_rows(report: Report) -> list[tuple[str, str, str]]:
    """The per-registry yank rows the run kept in its result's data (strings it wrote)."""
    rows: list[tuple[str, str, str]] = []
    for result in report.results:
        kept = result.data.get("yanked", ())
        if isinstance(kept, (list, tuple)):
            rows += [(str(a), str(b), str(c)) for a, b, c in kept]
    return rows


def _yank_table(rows: list[tuple[str, str, str]], args: argparse.Namespace) -> None:
    """Per registry, each file yanked somewhere: on the terminal or log, and in the job
    summary under Actions (where a reviewer looks)."""
    if not rows:
        return
    from releasegate._internal.cli.publish import print_table
    from releasegate._internal.display import display

    shown = [tuple(display(cell) for cell in row) for row in rows]
    machine = args.format in ("json", "sarif", "markdown") and not args.output
    header = ("registry", "file", "yank state")
    print_table("yanked files, per registry", header, shown, sys.stderr if machine else sys.stdout)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:  # noqa: PTH123 - a path from Actions
            handle.write(summary_table(rows))


def summary_table(rows: list[tuple[str, str, str]]) -> str:
    """The job summary's table; every cell escaped (a reason is the index's text)."""
    from releasegate._internal.report.markdown import cell

    lines = ["### Yanked files, per registry", "", "| registry | file | yank state |"]
    lines.append("| --- | --- | --- |")
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n\n"
