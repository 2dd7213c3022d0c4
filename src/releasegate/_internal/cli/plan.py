"""``releasegate plan``: a workspace's members to check, build or release, in order."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "workspace: the members to run, in release order (--format github-matrix for CI)"
FORMATS = ("text", "json", "github-matrix")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # The shared --format lists report formats; a plan is no report and has its own three.
    for action in parser._actions:
        if action.dest == "format":
            action.choices = FORMATS
            action.help = "text (default), json, or github-matrix (strategy.matrix JSON)"
    from releasegate._internal.cli.check import add_member_arguments

    add_member_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.check import is_workspace
    from releasegate._internal.errors import UsageError
    from releasegate._internal.workspace.check import Selection
    from releasegate._internal.workspace.matrix import github_matrix, plan

    project = open_project(args)
    if not is_workspace(project):
        raise UsageError(
            "this is no workspace",
            hint="a uv workspace ([tool.uv.workspace]) or [tool.releasegate] packages",
        )
    found = plan(project, Selection(tuple(args.package), bool(args.changed)))
    planned = found.members
    for name, why in found.unreleased:
        print(f"releasegate: note: {name} is not in the plan: {why}", file=sys.stderr)
    for name in found.unordered:
        print(
            f"releasegate: warning: the dependencies of {name} are dynamic and in no uv.lock:"
            " its place in the release order cannot be known",
            file=sys.stderr,
        )
    fmt = args.format or "text"
    if fmt == "github-matrix":
        text = json.dumps(github_matrix(planned), separators=(",", ":"))
    elif fmt == "json":
        text = json.dumps([p.as_dict() for p in planned], indent=2)
    else:
        rows = [f"{p.wave:<5} {p.name:<24} {p.version or '?':<12} {p.path}" for p in planned]
        text = "\n".join(["wave  member                   version      path", *rows])
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0
