"""``releasegate sign [DIST...]``: Sigstore bundles and PEP 740 attestations beside each file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.sign.token import Identity

HELP = "sign dists with Sigstore: bundles and PEP 740 attestations (needs an identity and network)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="*", metavar="DIST", help="files to sign (default: every file in dist/)"
    )
    parser.add_argument(
        "--identity-token",
        metavar="SOURCE",
        help="where the OIDC token is: env:NAME, a file, or - for stdin (never the token itself); "
        "default: the ambient CI identity, then $SIGSTORE_ID_TOKEN",
    )
    parser.add_argument(
        "--staging", action="store_true", default=None, help="use Sigstore's staging instance"
    )


def _announce(identity: Identity) -> None:
    print(f"signing as {identity}", flush=True)


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.sign.sign_run import SignRequest, sign_project

    project = open_project(args)
    files = [Path(args.root) / f for f in args.files]
    outcome = sign_project(
        project, SignRequest(files, args.identity_token, args.staging), _announce
    )
    if outcome.governance is not None:
        from releasegate._internal.display import display

        print(f"governance: allowed by {display(outcome.governance.where)}", file=sys.stderr)
        for verdict in outcome.governance.verdicts:
            state = verdict.as_dict()["verdict"]
            print(f"  {verdict.condition}: {state}: {display(verdict.detail)}", file=sys.stderr)
    for path in outcome.written:
        print(f"wrote {project.relative(path)}")
    print(
        f"signed with Sigstore {outcome.instance.value}: {len(outcome.written)} file(s) written",
        file=sys.stderr,
    )
    return 0
