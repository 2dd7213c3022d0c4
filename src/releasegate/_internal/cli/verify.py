"""``releasegate verify [FILE...]``: check Sigstore bundles offline against an identity policy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project

HELP = "verify Sigstore bundles and PEP 740 attestations offline against an identity policy"

_POLICY_FLAGS = {
    "repository": "GitHub repository that must have signed (owner/name)",
    "workflow": "GitHub Actions workflow name",
    "ref": "git ref the workflow ran on, e.g. refs/tags/v1.2.0",
    "trigger": "event that started the workflow, e.g. release",
    "sha": "commit the workflow ran on",
    "identity": "certificate identity (email or URI) when not signed by GitHub Actions",
    "issuer": "OIDC issuer of that identity",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="artifacts to verify (default: every file in dist/)",
    )
    parser.add_argument(
        "--bundle", metavar="PATH", help="the bundle of a single FILE (default: FILE.sigstore.json)"
    )
    for name, text in _POLICY_FLAGS.items():
        parser.add_argument(f"--{name}", help=text)
    parser.add_argument(
        "--staging", action="store_true", default=None, help="use Sigstore's staging trust root"
    )
    parser.add_argument(
        "--promoted-from",
        metavar="SOURCE",
        help="check that FILE is SOURCE promoted (same payload, named by its record) and verify "
        "SOURCE's signature",
    )


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.sign.verify_run import verify_project

    project = open_project(args)
    flags = {name: getattr(args, name) for name in _POLICY_FLAGS}
    files = [args.promoted_from] if args.promoted_from else args.files
    report = verify_project(
        project, files, Path(args.bundle) if args.bundle else None, flags, args.staging
    )
    if args.promoted_from:
        report = _with_lineage(project, report, args)
    emit(report, args)
    return exit_code(report)


def _with_lineage(project: Project, report: Report, args: argparse.Namespace) -> Report:
    """The lineage of a promoted FILE beside the verification of its source's signature."""
    import dataclasses

    from releasegate._internal.errors import UsageError
    from releasegate._internal.promote.lineage import lineage_result

    if len(args.files) != 1:
        raise UsageError("--promoted-from needs exactly one FILE: the promoted artifact")
    root = Path(args.root)
    result = lineage_result(project, root / args.files[0], root / args.promoted_from)
    return dataclasses.replace(report, results=(*report.results, result))
