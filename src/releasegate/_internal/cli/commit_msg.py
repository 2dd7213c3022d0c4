"""``releasegate commit-msg FILE``: is this commit message a Conventional Commit?

Run by the ``releasegate-commit-msg`` hook at git's commit-msg stage, which passes the
file holding the message being committed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "check that a commit message follows Conventional Commits (the commit-msg hook)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("message_file", metavar="FILE", help="file with the commit message")


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.api.commits import clean, problems
    from releasegate._internal.api.settings import ApiSettings
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.errors import FatalError
    from releasegate._internal.findings import Finding
    from releasegate._internal.runner import report_of, result_of

    project = open_project(args)
    settings = project.config.settings(ApiSettings)
    path = Path(args.message_file)
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise FatalError(f"{path}: cannot read the commit message: {exc.strerror}") from None
    shown = str(args.message_file)
    findings = tuple(
        Finding("commit-msg", "conventional-commit", message, path=shown, line=line, hint=hint)
        for line, message, hint in problems(clean(text), settings.commit_types)
    )
    report = report_of([result_of("commit-msg", findings, project)], project)
    emit(report, args)
    return exit_code(report)
