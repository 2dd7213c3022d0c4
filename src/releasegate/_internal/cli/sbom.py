"""``releasegate sbom``: a CycloneDX 1.6 JSON SBOM from the lockfile.

The SBOM goes to ``--output`` (default ``[tool.releasegate.sbom] output``), ``-`` for
stdout; lockfile problems are reported like any check, on stderr when the SBOM
itself is on stdout.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.findings import Report

HELP = "write a CycloneDX 1.6 JSON SBOM of the project and its locked dependencies"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lockfile",
        metavar="PATH",
        help="pylock.toml or pinned requirements*.txt (default: found)",
    )
    parser.add_argument(
        "--database",
        metavar="PATH",
        help="OSV database (directory or zip) whose advisories the SBOM lists as vulnerabilities "
        "(default: [tool.releasegate.vulns] database)",
    )


def _report(report: Report, args: argparse.Namespace, sbom_on_stdout: bool) -> None:
    """The lockfile's problems, rendered like any report; ``--output`` names the SBOM here.

    When the SBOM itself goes to stdout, the report goes to stderr so stdout stays one document.
    """
    from releasegate._internal.cli.output import emit

    as_report = argparse.Namespace(**{**vars(args), "output": None})
    emit(report, as_report, sys.stderr if sbom_on_stdout else None)


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import exit_code
    from releasegate._internal.sbom.run import build_sbom, destination, write_atomically

    project = open_project(args)
    target = destination(project, args.output)
    outcome = build_sbom(project, args.lockfile, offline=args.offline, database=args.database)
    code = exit_code(outcome.report)
    _report(outcome.report, args, sbom_on_stdout=target is None)
    if code != 0:
        # An SBOM of a lockfile that could not be read in full would claim less than is shipped.
        print("no SBOM written: fix the errors above first", file=sys.stderr)
        return code
    if target is None:
        sys.stdout.write(outcome.text)
        return code
    write_atomically(target, outcome.text)
    shown = project.relative(target)
    print(f"wrote {shown}: CycloneDX 1.6, {outcome.components} component(s)", file=sys.stderr)
    return code
