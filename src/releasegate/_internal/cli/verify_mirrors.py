"""``releasegate verify-mirrors``: do all registries serve the same files for a version?"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.project import Project
    from releasegate._internal.publish.artifacts import Artifact

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


def _local(project: Project, dist_dir: str) -> tuple[Artifact, ...]:
    from releasegate._internal.errors import FatalError
    from releasegate._internal.publish.artifacts import discover

    try:
        return discover(project.root / dist_dir)
    except FatalError:
        return ()  # no local dists: the registries' majority is the reference


def _version(requested: str | None, local: tuple[Artifact, ...], project: Project) -> str | None:
    if requested == "all":
        return None
    if requested:
        return requested
    versions = sorted({a.version for a in local})
    if len(versions) == 1:
        return versions[0]
    declared = project.metadata.get("version")
    return declared if isinstance(declared, str) else None


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.cli.publish import events_for
    from releasegate._internal.errors import UsageError
    from releasegate._internal.publish.mirrors import (
        CHECK,
        compare,
        nothing_compared,
        read_all,
        yank_rows,
    )
    from releasegate._internal.publish.run import make_job
    from releasegate._internal.publish.settings import PublishSettings, registry_specs, select
    from releasegate._internal.runner import report_of, result_of

    started = time.monotonic()
    from releasegate._internal.cli import open_project

    project = open_project(args)
    specs = select(registry_specs(project.config), args.registry)
    local = _local(project, args.dist_dir or project.config.settings(PublishSettings).dist_dir)
    version = _version(args.release_version, local, project)
    if not local and not project.name:
        raise UsageError("no project name: no dists in the dist directory and no [project] name")
    # The publish events: under Actions they mask a minted trusted-publishing token.
    events = events_for(sys.stderr)
    job = make_job(
        project,
        artifacts=local,
        version=version or "",
        events=events,
        env=dict(os.environ),
        read_only=True,
    )
    served = read_all(specs, job, version)
    reference = {a.filename: a.sha256 for a in local if version is None or a.version == version}
    findings = compare(served, reference)
    names = set(reference).union(*(item.files or {} for item in served))
    if not names:  # "passed: 0 files" would be a false success
        findings.append(nothing_compared(version))
    summary = (
        f"{len(specs)} registries, version {version or 'all'}, {len(names)} files: "
        f"{len(findings)} problem(s)"
    )
    result = result_of(
        CHECK, findings, project, seconds=time.monotonic() - started, summary=summary
    )
    report = report_of([result], project)
    _yank_table(yank_rows(served), args)
    emit(report, args)
    return exit_code(report)


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
