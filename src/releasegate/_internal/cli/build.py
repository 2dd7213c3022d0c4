"""``releasegate build``: sdist and wheel into dist/ with SHA256SUMS, optionally verified."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.builder.pep517 import Distribution

HELP = (
    "build the sdist and the wheel from a clean copy of the tracked files, as the reproducible "
    "gate does; --verify builds twice and writes only a verified build"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--outdir", metavar="DIR", default="dist", help="where to write (default: dist/)"
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="build with the current interpreter instead of an isolated environment",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="build twice under varied conditions and compare (the reproducible gate)",
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="with --verify: keep every build's artifacts in DIR (for diffoscope)",
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument(
        "--sdist", action="store_true", help="build only the sdist (not with --verify)"
    )
    only.add_argument(
        "--wheel", action="store_true", help="build only the wheel (not with --verify)"
    )


def _selected(args: argparse.Namespace) -> tuple[Distribution, ...]:
    if args.sdist:
        return ("sdist",)
    if args.wheel:
        return ("wheel",)
    return ("sdist", "wheel")


def _outdir(args: argparse.Namespace) -> Path:
    return (Path(args.root) / str(args.outdir)).resolve()


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.errors import UsageError

    if args.verify and (args.sdist or args.wheel):
        raise UsageError(
            "--verify builds and compares both the sdist and the wheel", hint="drop --sdist/--wheel"
        )
    if args.keep and not args.verify:
        raise UsageError("--keep only applies to --verify")
    return _verify(args) if args.verify else _build(args)


def _build(args: argparse.Namespace) -> int:
    from releasegate._internal.builder.pep517 import backend_output
    from releasegate._internal.builder.settings import ReproducibleSettings
    from releasegate._internal.builder.shipping import CleanBuild, build_clean
    from releasegate._internal.checks.reproducible import stated_version
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import write_output
    from releasegate._internal.hashing import sha256_file
    from releasegate._internal.versionsources import uses_vcs_version

    project = open_project(args, run_backend=True)
    options = project.config.settings(ReproducibleSettings).options()
    outdir = _outdir(args)
    how = CleanBuild(
        isolated=options.isolated and not args.no_isolation,
        installer=options.installer,
        source_date_epoch=options.source_date_epoch,
        set_epoch=options.set_epoch,
        history=uses_vcs_version(project),
        expected_version=stated_version(project),
    )
    log: list[str] = []
    try:
        built = build_clean(project.root, outdir, _selected(args), how, log)
    finally:
        # Before the verdict (or the error), and only on request: it drowns everything else.
        write_output(sys.stderr, "backend output", backend_output(log), verbose=args.verbose)
    rows = [{"path": str(path), "sha256": sha256_file(path)} for path in built]
    if args.format == "json":
        sums, info = str(outdir / "SHA256SUMS"), str(outdir / "BUILDINFO.json")
        json.dump({"artifacts": rows, "sha256sums": sums, "buildinfo": info}, sys.stdout, indent=2)
        print()
    else:
        for row in rows:
            print(f"{row['sha256']}  {row['path']}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from releasegate._internal.builder.settings import ReproducibleSettings
    from releasegate._internal.checks.reproducible import NAME, pin_findings, verify_findings
    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.runner import report_of, result_of

    project = open_project(args, run_backend=True)
    settings = project.config.settings(ReproducibleSettings)
    options = settings.options(
        isolated=False if args.no_isolation else None,
        outdir=_outdir(args),
        keep=Path(args.keep) if args.keep else None,
    )
    data: dict[str, object] = {}
    findings = (*pin_findings(project), *verify_findings(project, options, data))
    report = report_of([result_of(NAME, findings, project, data=data)], project)
    emit(report, args)
    return exit_code(report)
