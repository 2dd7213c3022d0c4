"""``releasegate rebuild``: rebuild a published wheel from its sdist and compare.

Either local files (``SDIST WHEEL``) or a release on an index (``NAME==VERSION``), whose files
are downloaded and checked against the index's sha256 first.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from releasegate._internal.builder.plugins import IndexFiles
    from releasegate._internal.builder.rebuild import RebuildOptions
    from releasegate._internal.findings import Finding
    from releasegate._internal.publish.download import Release
    from releasegate._internal.simple_index import IndexFile

HELP = (
    "rebuild a published wheel from its published sdist (files, or NAME==VERSION from an index) "
    "under the recorded conditions (BUILDINFO.json) and compare"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from releasegate._internal.publish.download import PYPI_SIMPLE

    parser.add_argument(
        "targets",
        metavar="SDIST WHEEL | NAME==VERSION",
        nargs="+",
        help="the published sdist (.tar.gz) and wheel (.whl), or a release to download",
    )
    parser.add_argument(
        "--index-url",
        metavar="URL",
        default=PYPI_SIMPLE,
        help=f"with NAME==VERSION: the simple index to download from (default: {PYPI_SIMPLE})",
    )
    parser.add_argument(
        "--buildinfo",
        metavar="FILE",
        help="the build record (default: BUILDINFO.json beside WHEEL; without one the backend "
        "version comes from the wheel and SOURCE_DATE_EPOCH from the sdist)",
    )
    parser.add_argument(
        "--source-date-epoch",
        metavar="SECONDS|none",
        type=_epoch,
        help="rebuild with this SOURCE_DATE_EPOCH, or `none` for unset (default: recorded in "
        "BUILDINFO.json, else each plausible value inferred from the published files in turn)",
    )
    parser.add_argument(
        "--tz",
        metavar="TZ",
        help="rebuild in this time zone (a POSIX TZ such as UTC0 or <+01>-1; default: UTC, or "
        "the one the published wheel's zip times show)",
    )
    parser.add_argument(
        "--no-isolation",
        action="store_true",
        help="rebuild with the current interpreter's backend (no pinned versions)",
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="keep the rebuilt wheel (and downloaded files) in DIR"
    )


UNSET = "none"


def _epoch(text: str) -> int | str:
    """``--source-date-epoch``: seconds since the epoch, or ``none`` (unset)."""
    import argparse

    if text.lower() == UNSET:
        return UNSET
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds or {UNSET!r}, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("SOURCE_DATE_EPOCH is not negative")
    return value


def _index_reader(index_url: str) -> IndexFiles:
    """The index's files of a project, read once per project per run."""
    import functools

    from releasegate._internal.http import session
    from releasegate._internal.publish.download import index_files

    reader = session()

    @functools.cache
    def files_of(name: str) -> list[IndexFile]:
        return index_files(reader, index_url, name)

    return files_of


def _local(targets: list[str]) -> tuple[Path, Path]:
    from releasegate._internal.errors import UsageError

    if len(targets) != 2:
        raise UsageError(
            "expected SDIST WHEEL (two files) or NAME==VERSION (one release)",
            hint="e.g. `releasegate rebuild dist/x-1.0.tar.gz dist/x-1.0-py3-none-any.whl` "
            "or `releasegate rebuild x==1.0`",
        )
    sdist, wheel = Path(targets[0]).resolve(), Path(targets[1]).resolve()
    for path, suffix in ((sdist, ".tar.gz"), (wheel, ".whl")):
        if not path.name.endswith(suffix) or not path.is_file():
            raise UsageError(f"{path}: expected an existing {suffix} file")
    return sdist, wheel


def _rebuild_all(
    sdist: Path, wheels: tuple[Path, ...], options: RebuildOptions, data: dict[str, object]
) -> list[Finding]:
    from releasegate._internal.builder.diff import CHECK
    from releasegate._internal.builder.pep517 import OUTPUT_KEY, BuildFailed
    from releasegate._internal.builder.rebuild import rebuild
    from releasegate._internal.findings import Finding

    findings: list[Finding] = []
    artifacts: list[dict[str, object]] = []
    output: list[dict[str, str]] = []
    for wheel in wheels:
        try:
            result = rebuild(sdist, wheel, options)
        except BuildFailed as failed:
            findings.append(Finding(CHECK, "build-failed", failed.message, hint=failed.hint))
            output.append({"build": f"the rebuild of {wheel.name}", "output": failed.output})
            continue
        said = "how the rebuild ran: " + "; ".join(result.conditions.said)
        findings.extend((*result.findings, Finding(CHECK, "conditions", said)))
        artifacts.append(result.data())
        output.append({"build": f"the rebuild of {wheel.name}", "output": result.output})
    data["reproduced"] = bool(artifacts) and all(a["identical"] for a in artifacts)
    data["sdist"] = sdist.name
    data["artifacts"] = artifacts
    data[OUTPUT_KEY] = [entry for entry in output if entry["output"]]
    return findings


def _downloaded_notes(release: Release, index_url: str) -> list[Finding]:
    from releasegate._internal.builder.diff import CHECK
    from releasegate._internal.findings import Finding

    notes = [
        Finding(
            CHECK,
            "downloaded",
            f"{release.name} {release.version} from {index_url}: "
            + ", ".join(p.name for p in (release.sdist, *release.wheels))
            + (" (sha256 as the index states)" if not release.unhashed else ""),
        )
    ]
    if release.unhashed:
        notes.append(
            Finding(
                CHECK,
                "unhashed-download",
                "the index states no sha256 for "
                + ", ".join(release.unhashed)
                + ": what was rebuilt against is what the server sent",
                hint="use an index that publishes hashes (PEP 503 #sha256= or PEP 691 JSON)",
            )
        )
    if release.skipped:
        notes.append(
            Finding(
                CHECK,
                "not-rebuilt",
                "wheels for other platforms or interpreters were not rebuilt: "
                + ", ".join(release.skipped),
            )
        )
    return notes


def run(args: argparse.Namespace) -> int:
    from releasegate._internal.builder.rebuild import RebuildOptions
    from releasegate._internal.builder.settings import ReproducibleSettings
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.publish.download import download_release
    from releasegate._internal.runner import report_of, result_of

    targets = list(args.targets)
    by_name = len(targets) == 1 and not targets[0].endswith((".tar.gz", ".whl"))
    local = None if by_name else _local(targets)
    from releasegate._internal.cli import open_project

    project = open_project(args, run_backend=True)
    settings = project.config.settings(ReproducibleSettings)
    keep = Path(args.keep) if args.keep else None
    options = RebuildOptions(
        isolated=not args.no_isolation,
        installer=settings.installer,
        buildinfo=Path(args.buildinfo) if args.buildinfo else None,
        source_date_epoch=args.source_date_epoch if args.source_date_epoch != UNSET else None,
        epoch_unset=args.source_date_epoch == UNSET,
        tz=args.tz,
        keep=keep,
        index_files=_index_reader(args.index_url),
    )
    data: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="releasegate-download-") as tmp:
        if local is not None:
            findings = _rebuild_all(local[0], (local[1],), options, data)
        else:
            folder = keep / "published" if keep is not None else Path(tmp)
            release = download_release(targets[0], args.index_url, folder)
            findings = [
                *_downloaded_notes(release, args.index_url),
                *_rebuild_all(release.sdist, release.wheels, options, data),
            ]
    report = report_of([result_of("rebuild", findings, project, data=data)], project)
    emit(report, args)
    return exit_code(report)
