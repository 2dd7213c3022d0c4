"""``releasegate sbom``: a CycloneDX 1.6 JSON SBOM from the lockfile.

The SBOM goes to ``--output`` (default ``[tool.releasegate.sbom] output``), ``-`` for
stdout; lockfile problems are reported like any check, on stderr when the SBOM
itself is on stdout.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "write a CycloneDX 1.6 JSON SBOM of the project and its locked dependencies"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lockfile",
        metavar="PATH",
        help="pylock.toml or pinned requirements*.txt (default: found)",
    )


def _print_problems(report: object, args: argparse.Namespace) -> None:
    from releasegate._internal.cli.output import emit
    from releasegate._internal.findings import Report

    assert isinstance(report, Report)
    if args.output == "-":
        for finding in report.findings():
            where, level = finding.location(), finding.severity.value
            print(
                f"{where}: {level}: {finding.message} [{finding.rule_id}]",
                file=sys.stderr,
            )
        return
    emit(report, argparse.Namespace(**{**vars(args), "output": None}))


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli.output import exit_code
    from releasegate._internal.project import Project
    from releasegate._internal.sbom.run import SbomSettings, build_sbom, write_atomically

    project = Project(Path(args.root), Path(args.config) if args.config else None)
    outcome = build_sbom(project, args.lockfile)
    destination = args.output or project.config.settings(SbomSettings).output
    if destination == "-":
        sys.stdout.write(outcome.text)
    else:
        write_atomically(project.root / destination, outcome.text)
    _print_problems(outcome.report, args)
    if destination != "-":
        print(
            f"wrote {destination}: CycloneDX 1.6, {outcome.components} component(s)",
            file=sys.stderr,
        )
    return exit_code(outcome.report, str(project.config.value("fail-on") or "error"))
