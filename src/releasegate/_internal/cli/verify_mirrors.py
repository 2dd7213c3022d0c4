"""``releasegate verify-mirrors``: do all registries serve the same files for a version?"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "compare what every configured registry serves for a version: missing and mismatched files"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from releasegate._internal.cli.output import add_json_report

    add_json_report(parser)
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
    emit(report, args)
    return exit_code(report)
