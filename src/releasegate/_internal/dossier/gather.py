"""The dossier's data, assembled from the records (its JSON form; ``schema.json`` documents it).

Every section is present in every dossier: a section whose record is missing is empty (or
null) and ``gaps`` says which record is missing and which command writes it.
"""

from __future__ import annotations

import math
import re
import shlex
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate import __version__
from releasegate._internal.dossier import FORMAT
from releasegate._internal.dossier.components import components_of
from releasegate._internal.dossier.records import (
    Gaps,
    Unreadable,
    audit_of,
    checks_of,
    dicts,
    dists_of,
    ledger_of,
    obj,
    read_json,
    sums_of,
    text,
)
from releasegate._internal.dossier.signatures import signatures_of

if TYPE_CHECKING:
    from pathlib import Path

PYPI_SIMPLE = "https://pypi.org/simple/"


@dataclass(frozen=True)
class Registry:
    name: str
    kind: str
    index_url: str | None = None


@dataclass(frozen=True)
class Sources:
    """Where each record is (paths the user or the configuration gave)."""

    dist_dir: Path
    reports: tuple[Path, ...] = ()
    sbom: Path | None = None
    ledger: Path | None = None
    audit_log: Path | None = None
    registries: tuple[Registry, ...] = ()
    name: str | None = None
    version: str | None = None
    member: str | None = None
    """A workspace member's dossier: only its files (by project name) and its results (the
    reports' ``member``) are shown, other members' are another release."""
    now: float = field(default_factory=time.time)


def _gate(check: dict[str, Any]) -> dict[str, Any]:
    return {
        "check": text(check.get("check")),
        "member": text(check.get("member")) or None,
        "passed": check.get("passed") is True,
        "summary": text(check.get("summary")),
        "findings": [_finding(f) for f in dicts(check.get("findings"))],
    }


def _finding(finding: dict[str, Any]) -> dict[str, Any]:
    line = finding.get("line")
    return {
        "severity": text(finding.get("severity")),
        "rule": text(finding.get("rule")),
        "message": text(finding.get("message")),
        "path": text(finding.get("path")) or None,
        "line": line if isinstance(line, int) and not isinstance(line, bool) else None,
        "hint": text(finding.get("hint")) or None,
    }


def _gate_name(check: dict[str, Any]) -> str:
    """The gate of a result, without its workspace member (``member/gate``)."""
    return text(check.get("check")).rsplit("/", 1)[-1]


def _data(checks: list[dict[str, Any]], gate: str) -> dict[str, Any] | None:
    found = [c.get("data") for c in checks if _gate_name(c) == gate]
    return next((d for d in reversed(found) if isinstance(d, dict)), None)


def _release(artifacts: list[dict[str, Any]], sources: Sources) -> dict[str, Any]:
    from releasegate._internal.publish.artifacts import parse_dist_filename

    parsed = [parse_dist_filename(a["filename"]) for a in artifacts]
    names = sorted({p[0] for p in parsed if p is not None})
    versions = sorted({p[1] for p in parsed if p is not None})
    return {
        "name": names[0] if len(names) == 1 else sources.name,
        "version": versions[0] if len(versions) == 1 else sources.version,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(sources.now)),
        "tool": {"name": "releasegate", "version": __version__},
    }


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _of_member(artifact: dict[str, Any], member: str | None) -> bool:
    from releasegate._internal.publish.artifacts import parse_dist_filename

    if member is None:
        return True
    parsed = parse_dist_filename(artifact["filename"])
    return parsed is not None and _normalised(parsed[0]) == _normalised(member)


def _member_checks(checks: list[dict[str, Any]], member: str | None) -> list[dict[str, Any]]:
    """A member's results, and those of no member (a single project's report)."""
    if member is None:
        return checks
    return [
        c
        for c in checks
        if not text(c.get("member")) or _normalised(text(c["member"])) == _normalised(member)
    ]


def _artifacts(sources: Sources, gaps: Gaps) -> list[dict[str, Any]]:
    artifacts = [a for a in dists_of(sources.dist_dir) if _of_member(a, sources.member)]
    if not artifacts:
        gaps.missing("artifacts", f"no sdist or wheel in {sources.dist_dir.name}/")
    sums: dict[str, str] = {}
    try:
        sums = sums_of(sources.dist_dir / "SHA256SUMS")
    except Unreadable as exc:
        gaps.missing("SHA256SUMS", f"{exc} (written by `releasegate build`)")
    for artifact in artifacts:
        listed = sums.get(artifact["filename"])
        artifact["sha256sums"] = (
            "absent" if listed is None else "same" if listed == artifact["sha256"] else "differs"
        )
    return artifacts


def _buildinfo(sources: Sources, gaps: Gaps) -> dict[str, Any] | None:
    path = sources.dist_dir / "BUILDINFO.json"
    try:
        info = read_json(path, 4 * 1024 * 1024)
    except Unreadable as exc:
        gaps.missing("BUILDINFO.json", f"{exc} (written by `releasegate build`)")
        return None
    if not isinstance(info, dict):
        gaps.unreadable("BUILDINFO.json", "not a JSON object")
        return None
    system = obj(info.get("build_system"))
    environment = obj(info.get("environment"))
    return {
        "source_date_epoch": text(info.get("source_date_epoch")) or None,
        "python": text(info.get("python")),
        "build_backend": text(system.get("build-backend")),
        "requires": [text(r) for r in system.get("requires", []) if text(r)]
        if isinstance(system.get("requires"), list)
        else [],
        "environment": {text(k): text(v) for k, v in sorted(environment.items())},
    }


def _rebuild_command(release: dict[str, Any], sources: Sources, buildinfo: bool) -> str | None:
    if not release["name"] or not release["version"]:
        return None
    index = next((r.index_url for r in sources.registries if r.index_url), None)
    words = ["releasegate", "rebuild", f"{release['name']}=={release['version']}"]
    if index and index != PYPI_SIMPLE:
        words += ["--index-url", index]
    if buildinfo:
        words += ["--buildinfo", "BUILDINFO.json"]
    return shlex.join(words)


def _build(
    checks: list[dict[str, Any]], release: dict[str, Any], sources: Sources, gaps: Gaps
) -> dict[str, Any]:
    buildinfo = _buildinfo(sources, gaps)
    data = _data(checks, "reproducible") or _data(checks, "build")
    if data is None:
        gaps.missing(
            "reproducibility verdict",
            "no `reproducible` result in the reports (`releasegate build --verify --format json`)",
        )
    verdict = data.get("reproducible") if data else None
    return {
        "buildinfo": buildinfo,
        "reproducible": verdict if isinstance(verdict, bool) else None,
        "builds": [
            {
                "name": text(a.get("name")),
                "identical": a.get("identical") is True,
                "sha256": [text(b.get("sha256")) for b in dicts(a.get("builds"))],
            }
            for a in dicts(data.get("artifacts") if data else None)
        ],
        "conditions": [text(c) for c in (data or {}).get("conditions", []) if text(c)]
        if isinstance((data or {}).get("conditions"), list)
        else [],
        "rebuild_command": _rebuild_command(release, sources, buildinfo is not None),
    }


def _signatures(sources: Sources, artifacts: list[dict[str, Any]], gaps: Gaps) -> list[Any]:
    found = signatures_of(sources.dist_dir, [a["filename"] for a in artifacts])
    unsigned = [a["filename"] for a in artifacts if a["filename"] not in found]
    if unsigned:
        gaps.missing("signatures", f"no bundle beside {', '.join(unsigned)} (`releasegate sign`)")
    return [{"subject": subject, **entry} for subject, items in found.items() for entry in items]


def _sbom(sources: Sources, gaps: Gaps) -> dict[str, Any] | None:
    if sources.sbom is None or not sources.sbom.is_file():
        gaps.missing("SBOM", "no CycloneDX SBOM (`releasegate sbom`, or give --sbom)")
        return None
    try:
        return {"file": sources.sbom.name, **components_of(read_json(sources.sbom))}
    except (Unreadable, ValueError) as exc:
        gaps.unreadable("SBOM", str(exc))
        return None


def _api(checks: list[dict[str, Any]], gaps: Gaps) -> dict[str, Any] | None:
    results = [c for c in checks if _gate_name(c) == "api"]
    if not results:
        gaps.missing("API changes", "no `api` result in the reports (`releasegate check api`)")
        return None
    base = _data(checks, "api") or {}
    given = obj(base.get("base"))
    return {
        "base": {k: v if isinstance(v, bool) else text(v) for k, v in given.items()} or None,
        "summary": "; ".join(text(c.get("summary")) for c in results if text(c.get("summary"))),
        "changes": [_change(c) for c in dicts(base.get("changes"))],
        "findings": [_finding(f) for c in results for f in dicts(c.get("findings"))],
    }


def _change(change: dict[str, Any]) -> dict[str, Any]:
    line = change.get("line")
    return {
        "kind": text(change.get("kind")),
        "impact": text(change.get("impact")),
        "target": text(change.get("target")),
        "detail": text(change.get("detail")),
        "path": text(change.get("path")) or None,
        "line": line if isinstance(line, int) and not isinstance(line, bool) else None,
    }


def _registry_names(sources: Sources, *recorded: dict[str, Any]) -> list[str]:
    names = [r.name for r in sources.registries]
    for record in recorded:
        names += [n for n in record if n not in names]
    return names


def _served(checks: list[dict[str, Any]]) -> dict[str, Any]:
    """registry -> filename -> sha256 as ``verify-mirrors`` downloaded it (None: unreadable)."""
    data = _data(checks, "verify-mirrors") or {}
    served = data.get("served")
    return served if isinstance(served, dict) else {}


def _publish_results(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The publish report's results: one per registry (``publish NAME``), or one for a run that
    stopped before it had any (``publish``), each member's in a workspace."""
    return [c for c in checks if _gate_name(c) == "publish" or _gate_name(c).startswith("publish ")]


def _reported(checks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """registry -> what the publish report says happened there: completed or not, the errors,
    and each file's state (filename -> entry). A workspace's members publish to the same
    registries: their results are merged, each error named by its member."""
    found: dict[str, dict[str, Any]] = {}
    for check in _publish_results(checks):
        data = obj(check.get("data"))
        name = text(data.get("registry"))
        if not name:
            continue
        entry = found.setdefault(
            name,
            {"kind": text(data.get("kind")), "completed": True, "errors": [], "files": {},
             "attached": {}},
        )  # fmt: skip
        entry["attached"] |= {text(k): text(v) for k, v in obj(data.get("attached")).items()}
        entry["completed"] = entry["completed"] and data.get("completed") is True
        member = text(check.get("member"))
        if text(data.get("error")):
            entry["errors"].append(
                f"{member}: {text(data['error'])}" if member else text(data["error"])
            )
        for file in dicts(data.get("files")):
            entry["files"][text(file.get("filename"))] = file
    return found


OUTCOMES = ("error", "interrupted", "refused", "failed", "not-started", "published")
"""A publish run's outcomes, the worst first: several runs (a workspace's members) show the worst."""


def _publish(checks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """How the publish run ended, from its report (None when no publish report was given)."""
    runs: dict[str, dict[str, Any]] = {}
    for check in _publish_results(checks):
        data = obj(check.get("data"))
        outcome = text(data.get("outcome"))
        if outcome not in OUTCOMES:
            continue  # a report of an older releasegate, or a dry run
        member = text(check.get("member")) or None
        run = runs.setdefault(member or "", {"member": member, "outcome": outcome, "error": None})
        run["error"] = run["error"] or text(data.get("error")) or None
    if not runs:
        return None
    worst = min((r["outcome"] for r in runs.values()), key=OUTCOMES.index)
    return {"outcome": worst, "runs": list(runs.values())}


def _file_state(
    artifact: dict[str, Any], entry: dict[str, Any] | None, served: object, reported: object
) -> dict[str, Any]:
    """One file on one registry: what the publish report says (the last run), else the ledger."""
    got = text(served.get(artifact["filename"])) or None if isinstance(served, dict) else None
    sha = artifact["sha256"]
    run = obj(reported)
    if text(run.get("sha256")) != sha:
        run = {}  # another build's file of the same name says nothing about these bytes
    ledger_sha = text(entry.get("sha256")) if entry else ""
    ledger_verified = bool(entry and entry.get("verified") is True and ledger_sha == sha)
    if run:
        state, verified = text(run.get("state")), run.get("verified") is True
        error = text(run.get("error")) or None
    else:
        state = text(entry.get("state")) if entry else "not recorded"
        verified, error = ledger_verified, text(entry.get("error")) or None if entry else None
    return {
        "filename": artifact["filename"],
        "state": state,
        "verified": verified,
        "updated": text(entry.get("updated")) or None if entry else None,
        "served_sha256": got,
        "served_matches": None if got is None else got == sha,
        "error": error,
    }


def _registries(
    sources: Sources, checks: list[dict[str, Any]], artifacts: list[Any], gaps: Gaps
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    ledger: dict[str, Any] = {}
    if sources.ledger is not None:
        try:
            ledger = ledger_of(sources.ledger)
        except Unreadable as exc:
            gaps.missing("publish ledger", f"{exc} (written by `releasegate publish`)")
    served = _served(checks)
    if not served:
        gaps.missing(
            "served hashes", "no `verify-mirrors` result in the reports "
            "(`releasegate verify-mirrors --format json --output FILE`)"
        )  # fmt: skip
    reported = _reported(checks)
    kinds = {r.name: r.kind for r in sources.registries}
    registries = []
    for name in _registry_names(sources, ledger, served, reported):
        run = reported.get(name, {})
        files = run.get("files", {})
        registries.append(
            {
                "name": name,
                "kind": kinds.get(name) or run.get("kind", ""),
                "readable": name not in served or served[name] is not None,
                "completed": run.get("completed") if run else None,
                "errors": run.get("errors", []),
                "files": [
                    _file_state(
                        a,
                        ledger.get(name, {}).get(a["filename"]),
                        served.get(name),
                        files.get(a["filename"]),
                    )
                    for a in artifacts
                ],
            }
        )
    return registries, ledger


def _seconds(value: object) -> float:
    """A duration from the audit log: finite and not negative, else 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    return float(value) if math.isfinite(value) and value >= 0 else 0.0


def _timeline(
    sources: Sources, artifacts: list[dict[str, Any]], ledger: dict[str, Any], gaps: Gaps
) -> list[dict[str, Any]]:
    """Each registry's part of each publish run of these artifacts (from the audit log)."""
    runs: list[dict[str, Any]] = []
    if sources.audit_log is not None:
        try:
            runs = audit_of(sources.audit_log)
        except Unreadable as exc:
            gaps.missing("audit log", f"{exc} (written by `releasegate publish`)")
    ours = {a["sha256"] for a in artifacts}
    bars = []
    for run in runs:
        shas = {text(a.get("sha256")) for a in dicts(run.get("artifacts"))}
        if not shas & ours:
            continue  # another release's run
        for registry in dicts(run.get("registries")):
            name = text(registry.get("name"))
            files = obj(registry.get("files"))
            bars.append(
                {
                    "run": text(run.get("run")),
                    "registry": name,
                    "started": text(run.get("started")),
                    "seconds": _seconds(registry.get("seconds")),
                    "completed": registry.get("completed") is True,
                    "files": [
                        {
                            "filename": text(f),
                            "state": text(s.get("state")) if isinstance(s, dict) else "",
                            "at": text(ledger.get(name, {}).get(f, {}).get("updated")) or None,
                        }
                        for f, s in files.items()
                    ],
                }
            )
    if not bars and not any(g["record"] == "audit log" for g in gaps.entries):
        gaps.missing("publish timeline", "no publish run of these artifacts in the audit log")
    return bars


def _attached(checks: list[dict[str, Any]], record: str) -> list[dict[str, str]]:
    """Where the publish report says each registry attached ``record`` (a GitHub release)."""
    return [
        {"registry": name, "url": entry["attached"][record]}
        for name, entry in _reported(checks).items()
        if entry["attached"].get(record)
    ]


def _governance(
    sources: Sources, artifacts: list[dict[str, Any]], checks: list[dict[str, Any]], gaps: Gaps
) -> Any:
    """The policy's decision that ``publish`` wrote beside the dists; None when not governed.

    Only a record that names these very files (by sha256) is shown: a stale one of another
    release says nothing about this one.
    """
    from releasegate._internal.governance.record import RECORD_FILE

    path = sources.dist_dir / RECORD_FILE
    if not path.is_file():
        return None
    try:
        found = read_json(path, 4 * 1024 * 1024)
    except Unreadable as exc:
        gaps.unreadable("GOVERNANCE.json", str(exc))
        return None
    if not isinstance(found, dict):
        gaps.unreadable("GOVERNANCE.json", "not a JSON object")
        return None
    named = {text(k): text(v) for k, v in obj(found.get("artifacts")).items()}
    ours = {a["filename"]: a["sha256"] for a in artifacts}
    claims = obj(found.get("claims"))
    return {
        "action": text(found.get("action")),
        "allowed": found.get("allowed") is True,
        "policy": text(found.get("policy")),
        "policy_digest": text(found.get("policy_digest")) or None,
        "run": text(found.get("run")) or None,
        "commit": text(found.get("commit")) or None,
        "covers_artifacts": bool(ours) and all(named.get(f) == h for f, h in ours.items()),
        "claims": {text(k): text(v) for k, v in sorted(claims.items())},
        "verdicts": [
            {
                "condition": text(v.get("condition")),
                "verdict": text(v.get("verdict")),
                "detail": text(v.get("detail")),
            }
            for v in dicts(found.get("verdicts"))
        ],
        "attached": _attached(checks, RECORD_FILE),
    }


def gather(sources: Sources) -> dict[str, Any]:
    """The whole dossier as data (JSON-serialisable; ``schema.json``)."""
    gaps = Gaps()
    checks = _member_checks(checks_of(sources.reports, gaps), sources.member)
    if not sources.reports:
        gaps.missing(
            "reports", "no JSON report given (`releasegate check --format json --output FILE`, "
            "then --report FILE)"
        )  # fmt: skip
    artifacts = _artifacts(sources, gaps)
    release = _release(artifacts, sources)
    registries, ledger = _registries(sources, checks, artifacts, gaps)
    return {
        "format": FORMAT,
        "release": release,
        "gates": [_gate(c) for c in checks],
        "governance": _governance(sources, artifacts, checks, gaps),
        "publish": _publish(checks),
        "artifacts": artifacts,
        "build": _build(checks, release, sources, gaps),
        "signatures": _signatures(sources, artifacts, gaps),
        "sbom": _sbom(sources, gaps),
        "api": _api(checks, gaps),
        "registries": registries,
        "timeline": _timeline(sources, artifacts, ledger, gaps),
        "gaps": gaps.entries,
    }
