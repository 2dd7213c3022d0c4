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
    from releasegate._internal.cli.output import add_json_report

    add_json_report(parser)
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
        help="where dossier.html and dossier.json go (default: dossier/; at a workspace root, "
        "one folder per member in it)",
    )
    parser.add_argument(
        "--package",
        action="append",
        default=[],
        metavar="NAME",
        help="workspace: only this member's dossier (repeatable; default: every released member)",
    )


def _sources(
    project: Project, args: argparse.Namespace, dist: Path | None = None, member: str | None = None
) -> Sources:
    from pathlib import Path

    from releasegate._internal.dossier.gather import Registry, Sources
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.paths import inside
    from releasegate._internal.publish.settings import PublishSettings, registry_specs

    publish = project.config.settings(PublishSettings)
    dist = dist or project.root / (args.dist_dir or publish.dist_dir)
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
        member=member,
    )


def _members(root: Project, args: argparse.Namespace) -> list[tuple[str, Sources]]:
    """At a workspace root: each released member's records (or those ``--package`` names).

    A member's ledger and audit log are where ``publish`` wrote them (its own settings, the
    root's beneath); its dists are in its own dist/, or among the root's (``uv build --all``).
    """
    from releasegate._internal.errors import UsageError
    from releasegate._internal.publish.settings import PublishSettings
    from releasegate._internal.workspace.discovery import discover, normalised

    members = {m.name: m for m in discover(root)}
    wanted = [normalised(name) for name in args.package]
    unknown = [name for name in wanted if name not in members]
    if unknown:
        raise UsageError(
            f"no workspace member named {', '.join(unknown)}",
            hint=f"the members: {', '.join(sorted(members))}",
        )
    chosen = [members[n] for n in wanted] or [m for m in members.values() if m.unreleased is None]
    found = []
    for member in chosen:
        relative = args.dist_dir or member.project.config.settings(PublishSettings).dist_dir
        own = member.project.root / relative
        dist = own if member.path != "." and _has_dists(own, member.name) else root.root / relative
        found.append((member.name, _sources(member.project, args, dist, member.name)))
    return found


def _has_dists(folder: Path, name: str) -> bool:
    from releasegate._internal.publish.artifacts import parse_dist_filename

    if not folder.is_dir():
        return False
    parsed = (parse_dist_filename(p.name) for p in folder.iterdir())
    return any(p is not None and p[0] == name for p in parsed)


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
    from releasegate._internal.cli.check import is_workspace
    from releasegate._internal.cli.output import emit, exit_code
    from releasegate._internal.dossier.gather import gather
    from releasegate._internal.errors import UsageError
    from releasegate._internal.findings import Finding
    from releasegate._internal.runner import report_of, result_of

    project = open_project(args, run_backend=False)
    if is_workspace(project):
        targets: list[tuple[str | None, Sources]] = list(_members(project, args))
    elif args.package:
        raise UsageError(
            "--package selects workspace members, and this is no workspace",
            hint="a uv workspace ([tool.uv.workspace]) or [tool.releasegate] packages",
        )
    else:
        targets = [(None, _sources(project, args))]
    findings: list[Finding] = []
    written: list[tuple[Path, Path]] = []
    for member, sources in targets:
        dossier = gather(sources)
        out = Path(args.out_dir) / member if member else Path(args.out_dir)
        written.append(_write(out, dossier))
        label = f"{member}: " if member else ""
        findings += [
            Finding(CHECK, f"record-{gap['state']}", f"{label}{gap['record']}: {gap['detail']}")
            for gap in dossier["gaps"]
        ]
    summary = "wrote " + ", ".join(f"{html} and {data}" for html, data in written)
    report = report_of([result_of(CHECK, findings, project, summary=summary)], project)
    print(f"releasegate: {summary}", file=sys.stderr)
    emit(report, args)
    return exit_code(report)
