"""``releasegate promote --to VERSION [DIST... | --from VERSION]``: the tested pre-release,
released as is."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "promote a tested pre-release (wheels, sdist) to a later version without rebuilding it"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        metavar="DIST",
        help="the pre-release's wheels and sdist (default: every one in dist/)",
    )
    parser.add_argument(
        "--to",
        required=True,
        metavar="VERSION",
        help="the version to promote to: 1.4.0, 1.4.0-rc.2, a later label (rc) or final",
    )
    parser.add_argument(
        "--from",
        dest="source",
        metavar="VERSION",
        help="download the pre-release (1.4.0rc2 or NAME==VERSION) from a configured registry "
        "instead of naming files; Sigstore bundles served beside them are verified",
    )
    parser.add_argument(
        "--registry",
        metavar="NAME",
        help="the [[tool.releasegate.registries]] entry --from downloads from "
        "(default: the only one of kind pypi)",
    )
    parser.add_argument(
        "--outdir", metavar="DIR", help="where the promoted files go (default: dist/)"
    )


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.display import display
    from releasegate._internal.project import Project
    from releasegate._internal.promote.run import PromoteRequest, promote_project

    root = Path(args.root)
    project = Project(root, Path(args.config) if args.config else None)
    outdir = root / args.outdir if args.outdir else None
    request = PromoteRequest(
        [root / f for f in args.files], args.to, outdir, source=args.source, registry=args.registry
    )
    outcome = promote_project(project, request)
    emit(outcome.report, args)
    for path in outcome.written:
        print(f"wrote {display(project.relative(path))}", file=sys.stderr)
    # The checkout's severity overrides may soften the report; never a refusal.
    return 1 if outcome.refused else exit_code(outcome.report)
