"""``releasegate verify [FILE...]``: check Sigstore bundles offline against an identity policy."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

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


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.project import Project
    from releasegate._internal.sign.verify_run import verify_project

    project = Project(Path(args.root), Path(args.config) if args.config else None)
    flags = {name: getattr(args, name) for name in _POLICY_FLAGS}
    report = verify_project(
        project, args.files, Path(args.bundle) if args.bundle else None, flags, args.staging
    )
    emit(report, args)
    return exit_code(report)
