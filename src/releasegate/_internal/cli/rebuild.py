"""``releasegate rebuild SDIST WHEEL``: rebuild a published wheel from its sdist and compare."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = (
    "rebuild a published wheel from its published sdist under the recorded conditions "
    "(BUILDINFO.json) and compare"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sdist", metavar="SDIST", help="the published sdist (.tar.gz)")
    parser.add_argument("wheel", metavar="WHEEL", help="the published wheel (.whl)")
    parser.add_argument(
        "--buildinfo",
        metavar="FILE",
        help="the build record (default: BUILDINFO.json beside WHEEL; without one the backend "
        "version comes from the wheel and SOURCE_DATE_EPOCH from the sdist)",
    )
    parser.add_argument(
        "--source-date-epoch", metavar="SECONDS", type=int, help="override SOURCE_DATE_EPOCH"
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="rebuild with the current interpreter's backend (no pinned versions)",
    )
    parser.add_argument("--keep", metavar="DIR", help="keep the rebuilt wheel in DIR")


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.builder.diff import CHECK
    from releasegate._internal.builder.pep517 import BuildFailed
    from releasegate._internal.builder.rebuild import RebuildOptions, rebuild
    from releasegate._internal.checks.reproducible import ReproducibleSettings
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.errors import UsageError
    from releasegate._internal.findings import Finding, Severity
    from releasegate._internal.project import Project
    from releasegate._internal.runner import report_of, result_of

    sdist, wheel = Path(args.sdist).resolve(), Path(args.wheel).resolve()
    for path, suffix in ((sdist, ".tar.gz"), (wheel, ".whl")):
        if not path.name.endswith(suffix) or not path.is_file():
            raise UsageError(f"{path}: expected an existing {suffix} file")
    project = Project(Path(args.root), Path(args.config) if args.config else None)
    settings = project.config.settings(ReproducibleSettings)
    options = RebuildOptions(
        isolated=not args.no_isolation,
        installer=settings.installer,
        buildinfo=Path(args.buildinfo) if args.buildinfo else None,
        source_date_epoch=args.source_date_epoch,
        keep=Path(args.keep) if args.keep else None,
    )
    try:
        result = rebuild(sdist, wheel, options)
    except BuildFailed as failed:
        findings: tuple[Finding, ...] = (
            Finding(CHECK, "build-failed", failed.message, Severity.ERROR, hint=failed.hint),
        )
    else:
        said = "how the rebuild ran: " + "; ".join(result.conditions.said)
        findings = (*result.findings, Finding(CHECK, "conditions", said, Severity.NOTE))
    report = report_of([result_of("rebuild", findings, project)], project)
    emit(report, args)
    return exit_code(report)
