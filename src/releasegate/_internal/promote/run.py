"""What ``releasegate promote`` does with a project: read, check, rewrite, prove, record.

Nothing is written unless every source artifact passes: a safe archive that matches its
RECORD and its Sigstore bundle (when one is beside it), version metadata that states the
source version, and no other statement of that version in the payload. Each promoted file
is written beside its final name and renamed into place only after its payload digest,
read back from the written bytes, equals the source's.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.archives import Limits, RawZipError, read_archive
from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.findings import REGISTERED, Finding, Severity, quoted
from releasegate._internal.promote import embedded, payload, record
from releasegate._internal.promote.sdist import write_sdist
from releasegate._internal.promote.settings import PromoteSettings
from releasegate._internal.promote.source import WHEEL, Source, kind_of, read_source
from releasegate._internal.promote.versions import Step, promotion, rollforward
from releasegate._internal.promote.wheel import record_problems, write_wheel
from releasegate._internal.publish import audit
from releasegate._internal.publish.settings import PublishSettings
from releasegate._internal.releases import SemverSettings
from releasegate._internal.runner import report_of, result_of

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.findings import Report
    from releasegate._internal.governance.decision import Decision
    from releasegate._internal.project import Project

CHECK = "promote"
ROLLBACK_TOOL = "releasegate rollback"


@dataclass(frozen=True)
class PromoteRequest:
    files: Sequence[Path]
    to: str
    outdir: Path | None = None
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    source: str | None = None
    """``--from``: a version (or ``NAME==VERSION``) downloaded from a registry, not ``files``."""
    registry: str | None = None
    replaces: str | None = None
    """A rollback: the bad version the files (of a good, final one) are released above, as the
    patch after it (or ``to`` when given); the records name both."""


@dataclass
class PromoteOutcome:
    report: Report
    written: list[Path] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    refused: bool = False
    """The governance policy refused the run: nothing was fetched or written."""


def _finding(
    rule: str,
    message: str,
    path: str,
    *,
    line: int | None = None,
    hint: str | None = None,
    severity: Severity = REGISTERED,
) -> Finding:
    return Finding(CHECK, rule, message, severity, path=path, line=line, hint=hint)


def _sources(project: Project, files: Sequence[Path]) -> list[Path]:
    if files:
        return list(files)
    dist = project.root / project.config.settings(PublishSettings).dist_dir
    found = sorted(p for p in dist.iterdir() if kind_of(p)) if dist.is_dir() else []
    if not found:
        raise UsageError("nothing to promote: name the wheels and sdist, or build into dist/")
    return found


def _signature_findings(project: Project, path: Path) -> list[Finding]:
    """A Sigstore bundle beside the artifact must verify (offline, with the verify policy)."""
    from releasegate._internal.sign.verifying import Subject, find_bundle

    subject = Subject(path, project.relative(path))
    if find_bundle(subject) is None:
        return []
    from releasegate._internal.sign.policy import IdentityPolicy
    from releasegate._internal.sign.settings import VerifySettings
    from releasegate._internal.sign.trust import Instance, offline_verifier
    from releasegate._internal.sign.verifying import Verification, verify_subject

    settings = project.config.settings(VerifySettings)
    instance = Instance.of(settings.staging)
    check = Verification(
        offline_verifier(instance), IdentityPolicy.from_sources(settings.policy, {}), instance
    )
    return [f for f in verify_subject(check, subject) if f.severity is Severity.ERROR]


def _checks(project: Project, source: Source, keep: tuple[str, ...]) -> list[Finding]:
    shown = project.relative(source.path)
    findings = _signature_findings(project, source.path)
    if source.kind == WHEEL:
        findings += [
            _finding(
                "tampered",
                f"{source.path.name}: {problem}",
                shown,
                hint="promote only the bytes that were tested; fetch the original",
            )
            for problem in record_problems(source.archive, source.layout)
        ]
    for found in embedded.embedded(source.archive, source.layout, keep):
        findings.append(
            _finding(
                "embedded-version",
                f"{source.path.name} states its version {source.layout.version} in its payload: "
                f"{found.text}",
                found.path,
                line=found.line,
                hint="read the version with importlib.metadata.version(), or list the file in "
                "[tool.releasegate.promote] rewrite",
            )
        )
    return findings


def _read_all(
    project: Project, paths: Sequence[Path], settings: PromoteSettings
) -> tuple[list[Source], list[Finding]]:
    sources, findings = [], []
    for path in paths:
        found = read_source(path, settings.rewrite)
        if isinstance(found, str):
            findings.append(_finding("unreadable", f"{path.name}: {found}", project.relative(path)))
            continue
        sources.append(found)
        findings += _checks(project, found, settings.keep)
    return sources, findings


def _step(sources: Sequence[Source], request: PromoteRequest, labels: tuple[str, ...]) -> Step:
    versions = {s.layout.version for s in sources}
    if len(versions) != 1:
        raise UsageError(
            f"the artifacts name several versions ({', '.join(sorted(versions))}): "
            "promote one release at a time"
        )
    if request.replaces is not None:
        return rollforward(versions.pop(), request.replaces, request.to or None)
    return promotion(versions.pop(), request.to, labels)


def _context(project: Project, request: PromoteRequest, step: Step) -> record.Context:
    env = request.env
    if request.replaces is None:
        return record.Context(env, _commit(project, env), _when(env))
    lineage = {"restores": step.source, "replaces": request.replaces}
    return record.Context(env, _commit(project, env), _when(env), lineage, ROLLBACK_TOOL)


def _write(source: Source, step: Step, data: bytes, partial: Path, final: str) -> None:
    if source.kind == WHEEL:
        write_wheel(source.archive, source.layout, step, data, partial)
    else:
        write_sdist(source.archive, source.layout, step, data, partial, filename=final)


def _digest_of(path: Path, layout: payload.Layout) -> str | None:
    archive = read_archive(path, Limits().keeping_everything())
    return None if archive.problems else payload.digest(archive, layout)


def _promote_one(
    source: Source, step: Step, outdir: Path, context: record.Context
) -> tuple[Path, dict[str, Any]]:
    """Write one promoted artifact; FatalError (nothing left behind) if its proof fails."""
    expected = payload.digest(source.archive, source.layout)
    entry = record.artifact_record(
        source=(source.path.name, source.sha256, step.source),
        target=step.target,
        payload_digest=expected,
        rewritten=embedded.changes(source.archive, source.layout, step),
        context=context,
    )
    final = outdir / source.target_name(step.target)
    # Named so that its suffix still says what it is: it is read back before the rename.
    partial = final.with_name(f".partial-{final.name}")
    try:
        _write(source, step, record.encode(entry), partial, final.name)
    except RawZipError as error:
        partial.unlink(missing_ok=True)
        raise FatalError(
            f"{source.path.name} changed while it was promoted: {error}",
            hint="promote a copy that nothing else writes to",
        ) from None
    layout = payload.Layout(source.kind, source.layout.stem, step.target, source.layout.rewrite)
    found = _digest_of(partial, layout)
    if found != expected:
        partial.unlink()
        raise FatalError(
            f"{final.name}: payload digest {found} differs from the source's {expected}",
            hint="a listed file to rewrite also states the new version elsewhere; "
            "this is a bug otherwise",
        )
    partial.replace(final)
    return final, entry


def _when(env: Mapping[str, str]) -> float:
    """``SOURCE_DATE_EPOCH`` when set, so that promoting the same files again gives the same
    bytes (the record's time is the only thing that would differ); else now."""
    value = env.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return time.time()
    try:
        return float(int(value))
    except ValueError:
        raise UsageError(
            f"SOURCE_DATE_EPOCH={quoted(value)} is not a whole number of seconds",
            hint="set it to the time of the release commit: git log -1 --format=%ct",
        ) from None


def _commit(project: Project, env: Mapping[str, str]) -> str | None:
    return env.get("GITHUB_SHA") or (project.git.head if project.git.is_repository else None)


def promote_project(project: Project, request: PromoteRequest) -> PromoteOutcome:
    from releasegate._internal.governance.decision import decide

    # Before anything is fetched or written: the policy on the default branch decides.
    decision = decide(project, "promote", dry_run=False, env=request.env)
    if decision is not None and not decision.allowed:
        return _refused(project, request, decision)
    outcome = _promote_from(project, request, decision.record() if decision else None)
    if decision is not None:
        outcome.report = report_of([decision.result(project), *outcome.report.results], project)
    return outcome


def _refused(project: Project, request: PromoteRequest, decision: Decision) -> PromoteOutcome:
    """Nothing fetched or written; the refusal audited."""
    log = project.root / project.config.settings(PublishSettings).audit_log
    entry = {
        "tool": record.TOOL,
        "phase": "refused",
        "who": audit.who(request.env),
        "commit": _commit(project, request.env),
        "when": audit.iso(time.time()),
        "to": request.to,
        "governance": decision.record(),
    }
    audit.append(log, entry)
    return PromoteOutcome(report_of([decision.result(project)], project), refused=True)


def _promote_from(
    project: Project, request: PromoteRequest, governance: dict[str, Any] | None
) -> PromoteOutcome:
    if request.source is None:
        return _promote(project, request, _sources(project, request.files), governance)
    if request.files:
        raise UsageError("name the files to promote or --from a registry, not both")
    from releasegate._internal.promote.fetch import fetch

    with tempfile.TemporaryDirectory(prefix="releasegate-promote-") as folder:
        paths = fetch(project, request.source, request.registry, Path(folder), request.env)
        return _promote(project, request, paths, governance)


def _promote(
    project: Project,
    request: PromoteRequest,
    paths: Sequence[Path],
    governance: dict[str, Any] | None = None,
) -> PromoteOutcome:
    started = time.monotonic()
    settings = project.config.settings(PromoteSettings)
    sources, findings = _read_all(project, paths, settings)
    step = _step(sources, request, project.config.settings(SemverSettings).labels)
    outcome = PromoteOutcome(report_of([], project))
    if not any(f.severity is Severity.ERROR for f in findings):
        outdir = request.outdir or project.root / project.config.settings(PublishSettings).dist_dir
        outdir.mkdir(parents=True, exist_ok=True)
        context = _context(project, request, step)
        for source in sources:
            path, entry = _promote_one(source, step, outdir, context)
            outcome.written.append(path)
            outcome.records.append(entry)
            findings.append(
                _finding(
                    "promoted",
                    f"{source.path.name} -> {path.name}: payload {entry['payload_digest']}",
                    project.relative(path),
                )
            )
        log = project.root / project.config.settings(PublishSettings).audit_log
        entry = record.audit_entry(outcome.records, context)
        audit.append(log, {**entry, "governance": governance} if governance else entry)
    summary = f"{len(outcome.written)} of {len(sources)} promoted {step.source} -> {step.target}"
    result = result_of(
        CHECK, findings, project, seconds=time.monotonic() - started, summary=summary
    )
    outcome.report = report_of([result], project)
    return outcome
