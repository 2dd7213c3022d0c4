"""``releasegate check [CHECK...]``: run gates and report their findings."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.checks import BUILD_GATES, GATES
from releasegate._internal.cli import github_options
from releasegate._internal.cli.helpformat import RawDescriptionHelpFormatter

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.baseline import Base
    from releasegate._internal.checks.base import CheckOptions
    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project

HELP = "run the named gates (default: every enabled gate)"


def _gate_list() -> str:
    rows = [
        f"  {name:<13} {entry.description}{'' if entry.default else ' (only when named)'}"
        for name, entry in GATES.items()
    ]
    return "checks:\n" + "\n".join(rows)


def add_arguments(parser: argparse.ArgumentParser) -> None:

    parser.formatter_class = RawDescriptionHelpFormatter
    parser.epilog = _gate_list()
    parser.add_argument("checks", nargs="*", metavar="CHECK", help=f"one of: {', '.join(GATES)}")
    parser.add_argument(
        "--files",
        nargs="*",
        metavar="FILE",
        help="only these changed files (hooks pass them); default: the whole project",
    )
    parser.add_argument(
        "--release",
        action="store_true",
        help="a release is being made from this commit (implied by a tag build under GitHub Actions)",
    )
    parser.add_argument(
        "--resolve", action="store_true", help="lockfile: re-resolve against the index (online)"
    )
    parser.add_argument(
        "--database",
        metavar="PATH",
        help="vulns: an OSV database (directory or zip of records) instead of the configured source",
    )
    parser.add_argument(
        "--new-since",
        metavar="REF",
        help="fail only on findings that are new or worse than at REF's merge base with HEAD "
        "(fetched from origin when missing); those already there are notes. Not with --release",
    )
    parser.add_argument(
        "--new-since-fallback",
        action="store_true",
        help="when the --new-since base cannot be found or fetched, warn and judge everything "
        "instead of stopping (the Action's default on pull requests)",
    )
    parser.add_argument(
        "--base-name",
        metavar="NAME",
        help="what to call the --new-since base in messages (default: REF as given)",
    )
    add_member_arguments(parser)
    github_options.add_arguments(parser)


def add_member_arguments(parser: argparse.ArgumentParser) -> None:
    """``--package`` and ``--changed``, the workspace selection (check and publish)."""
    parser.add_argument(
        "--package",
        action="append",
        default=[],
        metavar="NAME",
        help="workspace: only this member (repeatable)",
    )
    parser.add_argument(
        "--changed",
        action="store_true",
        help="workspace: only members changed since their own last release, and their dependents",
    )


def no_workspace(args: argparse.Namespace) -> None:
    """Refuse ``--package`` / ``--changed`` outside a workspace (they would select nothing)."""
    from releasegate._internal.errors import UsageError

    if args.package or args.changed:
        raise UsageError(
            "--package and --changed select workspace members, and this is no workspace",
            hint="a uv workspace ([tool.uv.workspace]) or [tool.releasegate] packages",
        )


def _releasing(args: argparse.Namespace) -> bool:
    return bool(args.release) or os.environ.get("GITHUB_REF", "").startswith("refs/tags/")


def _names_a_build(args: argparse.Namespace) -> bool:
    return bool(BUILD_GATES & set(args.checks or ()))


def is_workspace(project: Project) -> bool:
    """A workspace root: checked without importing workspace code (hooks start fast) unless
    the root declares a uv workspace."""
    if project.config.value("packages") is not None:
        return True
    uv = project.pyproject.get("tool", "uv", "workspace") if project.pyproject else None
    if not isinstance(uv, dict):
        return False
    from releasegate._internal.workspace.discovery import member_folders, workspace_globs

    # Members that name no folder with a pyproject.toml (a test scaffold not created yet)
    # leave a single project, not a workspace of one (issue 26).
    globs = workspace_globs(project)
    return globs is not None and bool(member_folders(project.root, *globs))


def _judge(
    project: Project,
    args: argparse.Namespace,
    options: CheckOptions,
    packages: tuple[str, ...],
    changed: bool,
) -> Report:
    """This run's gates on ``project`` (a workspace's members, each labelled)."""
    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.runner import run_checks

    if is_workspace(project):
        from releasegate._internal.workspace.check import Selection, check_workspace

        selection = Selection(packages, changed)
        return check_workspace(project, args.checks, options, selection)
    if packages or changed:
        no_workspace(args)
    return run_checks(args.checks, CheckContext(project, options))


def _judge_base(project: Project, args: argparse.Namespace, options: CheckOptions) -> Report:
    """The same gates at the ``--new-since`` base: the members this run named (``--changed``
    would choose by the base's own history), or every member when the base lacks one of them or
    is no workspace yet (what it lacks is all new anyway)."""
    from releasegate._internal.errors import UsageError

    try:
        return _judge(project, args, options, tuple(args.package), changed=False)
    except UsageError:
        return _judge(project, args, options, (), changed=False)


def _new_since(args: argparse.Namespace) -> str | None:
    """The REF of ``--new-since``, unless this is a release run, which judges everything."""
    from releasegate._internal.errors import UsageError

    if not args.new_since:
        if args.base_name:
            raise UsageError("--base-name names the base of --new-since, which is not given")
        return None
    if args.release:
        raise UsageError(
            "--new-since and --release exclude each other: a release judges everything"
        )
    if _releasing(args):
        print(
            "releasegate: a tag build is a release run, which judges everything: "
            f"--new-since {args.new_since} is not applied",
            file=sys.stderr,
        )
        return None
    return str(args.new_since)


def _base(project: Project, args: argparse.Namespace) -> Base | None:
    """The ``--new-since`` base, found (and fetched) before any gate runs: a bad REF costs nothing."""
    ref = _new_since(args)
    if ref is None:
        return None
    from releasegate._internal.baseline import resolve
    from releasegate._internal.errors import UsageError

    try:
        base = resolve(project.git, ref, args.base_name, offline=bool(args.offline))
    except UsageError as exc:
        if not args.new_since_fallback:
            raise
        # The Action's default: a pull request whose base is not in the checkout (a fork, an
        # event without the base commit) is judged whole rather than not at all.
        print(f"releasegate: warning: {exc.message}; judging everything", file=sys.stderr)
        return None
    if base.warning:
        print(f"releasegate: warning: {base.warning}", file=sys.stderr)
    return base


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.checks.base import CheckOptions
    from releasegate._internal.cli import backend_allowed, open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.errors import ConfigError, UsageError

    if args.offline and args.resolve:
        raise UsageError(
            "--resolve asks the index again, and --offline forbids the network",
            hint="drop one of them",
        )

    try:
        project = open_project(args, run_backend=backend_allowed(args) or _names_a_build(args))
    except ConfigError as exc:
        github_options.deliver_error(exc, args)  # required checks fail visibly, not wait
        raise
    options = CheckOptions(
        files=tuple(args.files) if args.files is not None else None,
        release=_releasing(args),
        resolve=bool(args.resolve),
        offline=bool(args.offline),
        vulns_database=str(Path(args.database).resolve()) if args.database else None,
    )
    base = _base(project, args)
    report = _judge(project, args, options, tuple(args.package), bool(args.changed))
    if base is not None:
        from releasegate._internal.baseline import new_since

        report = new_since(
            project, base, report, lambda there: _judge_base(there, args, options),
            config=Path(args.config) if args.config else None,
        )  # fmt: skip
    emit(report, args)
    code = exit_code(report)
    github_options.deliver(report, args, code)
    return code
