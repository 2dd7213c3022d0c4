"""``releasegate dossier``: one HTML page (and its JSON) of everything recorded about a release.

It reads records only (reports, dist/, the SBOM, the publish ledger and audit log): no registry
is asked and nothing is built. A record that is missing is listed in the dossier and as a note
here; it never fails the command.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from releasegate._internal.dossier.gather import Sources
    from releasegate._internal.project import Project

HELP = (
    "write the release dossier: one self-contained HTML page (and JSON) from the release's records"
)
CHECK = "dossier"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report",
        action="append",
        default=[],
        metavar="FILE",
        help="a JSON report of check, build --verify, verify, verify-mirrors or publish "
        "(repeatable)",
    )
    parser.add_argument("--dist-dir", metavar="DIR", help="where the dists are (default: dist/)")
    parser.add_argument(
        "--sbom",
        metavar="FILE",
        help="the CycloneDX SBOM (default: [tool.releasegate.sbom] output)",
    )
    parser.add_argument(
        "--out-dir",
        metavar="DIR",
        default="dossier",
        help="where dossier.html and dossier.json go (default: dossier/)",
    )


def _sources(project: Project, args: argparse.Namespace) -> Sources:
    from pathlib import Path

    from releasegate._internal.dossier.gather import Registry, Sources
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.paths import inside
    from releasegate._internal.publish.settings import PublishSettings, registry_specs

    publish = project.config.settings(PublishSettings)
    dist = project.root / (args.dist_dir or publish.dist_dir)
    sbom = Path(args.sbom) if args.sbom else _configured_sbom(project)
    try:
        specs = registry_specs(project.config)
    except ConfigError:
        specs = ()
    return Sources(
        dist_dir=dist,
        reports=tuple(Path(p) for p in args.report),
        sbom=sbom,
        ledger=inside(project.root, publish.ledger, "[tool.releasegate.publish] ledger"),
        audit_log=inside(project.root, publish.audit_log, "[tool.releasegate.publish] audit-log"),
        registries=tuple(Registry(s.name, s.kind.value, s.index_url) for s in specs),
        name=project.name,
        version=_declared_version(project),
    )


def _configured_sbom(project: Project) -> Path | None:
    from releasegate._internal.paths import inside
    from releasegate._internal.sbom.run import SbomSettings

    output = project.config.settings(SbomSettings).output
    return None if output == "-" else inside(project.root, output, "[tool.releasegate.sbom] output")


def _declared_version(project: Project) -> str | None:
    version = project.metadata.get("version")
    return version if isinstance(version, str) else None


def _write(out_dir: Path, dossier: dict[str, object]) -> tuple[Path, Path]:
    import json

    from releasegate._internal.dossier.page import render

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in (
        ("dossier.html", render(dossier)),
        ("dossier.json", json.dumps(dossier, indent=2, ensure_ascii=False) + "\n"),
    ):
        partial = out_dir / (name + ".partial")
        partial.write_text(content, encoding="utf-8")
        partial.replace(out_dir / name)
        written.append(out_dir / name)
    return written[0], written[1]


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from releasegate._internal.cli import open_project
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.dossier.gather import gather
    from releasegate._internal.findings import Finding
    from releasegate._internal.runner import report_of, result_of

    project = open_project(args, run_backend=False)
    dossier = gather(_sources(project, args))
    html, data = _write(Path(args.out_dir), dossier)
    findings = [
        Finding(CHECK, f"record-{gap['state']}", f"{gap['record']}: {gap['detail']}")
        for gap in dossier["gaps"]
    ]
    summary = f"wrote {html} and {data}"
    report = report_of([result_of(CHECK, findings, project, summary=summary)], project)
    print(f"releasegate: {summary}", file=sys.stderr)
    emit(report, args)
    return exit_code(report)
