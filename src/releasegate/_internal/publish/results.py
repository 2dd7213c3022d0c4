"""A publish run as a Report (the verdict, rendered like any command's) and as tables for people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.publish.outcome import FileState
from releasegate._internal.publish.plan import Action
from releasegate._internal.publish.progress import plan_summary, verdict
from releasegate._internal.runner import report_of, result_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.findings import GateResult, Report
    from releasegate._internal.project import Project
    from releasegate._internal.publish.executor import Prepared
    from releasegate._internal.publish.outcome import RegistryOutcome
    from releasegate._internal.publish.run import PublishResult

CHECK = "publish"


def _findings(outcome: RegistryOutcome, dist_dir: str) -> list[Finding]:
    severity = Severity.ERROR if outcome.required else Severity.WARNING
    findings = []
    if outcome.error:
        findings.append(
            Finding(
                CHECK,
                "registry-failed",
                f"{outcome.name}: {outcome.error}",
                severity,
                hint="fix the cause, then `releasegate publish --resume`",
            )
        )
    for name, file in outcome.files.items():
        if file.state is FileState.CONFLICT:
            findings.append(
                Finding(
                    CHECK,
                    "conflict",
                    f"{outcome.name}: {file.error}",
                    severity,
                    path=f"{dist_dir}/{name}",
                    hint="a published file is never replaced: release a new version",
                )
            )
        elif not file.verified and file.error:
            findings.append(
                Finding(
                    CHECK,
                    "upload-failed",
                    f"{outcome.name}: {name}: {file.error}",
                    severity,
                    path=f"{dist_dir}/{name}",
                    hint="`releasegate publish --resume` retries what is left",
                )
            )
    findings.extend(_extra(outcome.name, extra, severity) for extra in outcome.extra.items())
    if not findings and not outcome.completed:
        # Never a silent failure: an incomplete registry always carries a finding.
        findings.append(
            Finding(
                CHECK,
                "registry-incomplete",
                f"{outcome.name}: not every file was uploaded and verified",
                severity,
                hint="`releasegate publish --resume` retries what is left",
            )
        )
    return findings


def _extra(registry: str, extra: tuple[str, str], severity: Severity) -> Finding:
    name, sha = extra
    return Finding(
        CHECK,
        "extra",
        f"{registry}: also serves {name} (sha256 {sha}) for this version, which is not part "
        "of the release",
        severity,
        hint="pip may install this file instead of the released ones: find out who uploaded "
        "it and remove it (`releasegate verify-mirrors` judges every registry the same way)",
    )


def _plan_findings(item: Prepared, dist_dir: str) -> list[Finding]:
    """A dry run's findings: registries that cannot be used, files that would conflict."""
    severity = Severity.ERROR if item.spec.required else Severity.WARNING
    findings = []
    if item.error:
        message = f"{item.spec.name}: {item.error}"
        findings.append(Finding(CHECK, "registry-failed", message, severity))
    findings.extend(
        Finding(
            CHECK,
            "conflict",
            f"{item.spec.name}: serves a different {step.conflict}",
            severity,
            path=f"{dist_dir}/{step.artifact.filename}",
            hint="a published file is never replaced: release a new version",
        )
        for step in item.steps
        if step.action is Action.CONFLICT
    )
    findings.extend(_extra(item.spec.name, extra, severity) for extra in item.extra.items())
    return findings


def summary(outcome: RegistryOutcome) -> str:
    return (
        f"{verdict(outcome)}: {outcome.count(FileState.UPLOADED)} uploaded, "
        f"{outcome.count(FileState.SKIPPED, FileState.ALREADY_THERE)} skipped, "
        f"{outcome.failed_files} failed, "
        f"{outcome.seconds:.1f}s"
    )


def gate_results(result: PublishResult, project: Project) -> list[GateResult]:
    dist = result.dist_dir
    if not result.outcomes:  # a dry run: the plan is the result
        return [
            result_of(
                f"{CHECK} {p.spec.name}",
                _plan_findings(p, dist),
                project,
                seconds=p.seconds,
                summary=f"plan: {plan_summary(p.steps)}",
            )
            for p in result.prepared
        ]
    started = (result.audit_entry or {}).get("started")
    run = run_outcome(result)
    return [
        result_of(
            f"{CHECK} {o.name}",
            _findings(o, dist),
            project,
            seconds=o.seconds,
            summary=summary(o),
            data=registry_data(o, started, run),
        )
        for o in result.outcomes
    ]


def run_outcome(result: PublishResult) -> str:
    """The run as one word, in every registry's report data (the dossier reads it)."""
    if result.refused:
        return REFUSED
    if result.interrupted:
        return INTERRUPTED
    return PUBLISHED if result.ok else FAILED


PUBLISHED, FAILED, INTERRUPTED, REFUSED, ERROR = (
    "published", "failed", "interrupted", "refused", "error"
)  # fmt: skip


def registry_data(outcome: RegistryOutcome, started: object, run: str) -> dict[str, object]:
    """What happened on one registry, file by file, as report data: a failed run's report says
    which files each registry got and why the others did not (errors are already scrubbed).

    ``started`` (the audit record's time) and ``seconds`` also draw the job summary's timeline.
    """
    return {
        "registry": outcome.name,
        "kind": outcome.kind,
        "required": outcome.required,
        "outcome": run,
        "started": started if isinstance(started, str) else None,
        "seconds": round(outcome.seconds, 3),
        "completed": outcome.completed,
        "error": outcome.error,
        "attached": dict(outcome.attached),
        "files": [
            {
                "filename": name,
                "sha256": file.sha256,
                "state": file.state.value,
                "verified": file.verified,
                "attempts": file.attempts,
                "error": file.error,
            }
            for name, file in outcome.files.items()
        ],
    }


def stopped_report(outcome: str, message: str, hint: str | None = None) -> Report:
    """The report of a run that ended by an exception (``ERROR``) or a hard interrupt
    (``INTERRUPTED``) before it had a result: what is known, said, for ``--json-report``.

    ``message`` must already be scrubbed of secrets. Made without the project (which may be
    the thing that could not be read): the rule's default severity applies.
    """
    from releasegate._internal.findings import GateResult, Report

    rule = "interrupted" if outcome == INTERRUPTED else "run-failed"
    if hint is None:
        hint = (
            "`releasegate publish --resume` plans again from what each registry serves"
            if outcome == INTERRUPTED
            else "fix the cause, then `releasegate publish --resume`"
        )
    finding = Finding(CHECK, rule, message, hint=hint)
    data = {"outcome": outcome, "error": message}
    return Report.of([GateResult(CHECK, (finding,), summary=outcome, data=data)])


def to_report(result: PublishResult, project: Project) -> Report:
    """The run's Report through the runner: ``severity`` overrides and ``fail-on`` apply.

    The governance decision comes first, each condition's verdict a finding.
    """
    governed = [result.governance.result(project)] if result.governance else []
    return report_of([*governed, *gate_results(result, project)], project)


def _failed_cell(outcome: RegistryOutcome) -> str:
    # A registry that failed as a whole did not fail "0" files: it says why instead.
    if outcome.error and not outcome.failed_files:
        return "-"
    return str(outcome.failed_files)


def closing_rows(outcomes: Sequence[RegistryOutcome]) -> list[tuple[str, ...]]:
    """registry, kind, status, uploaded, skipped, failed, seconds, why."""
    return [
        (
            o.name,
            o.kind,
            verdict(o),
            str(o.count(FileState.UPLOADED)),
            str(o.count(FileState.SKIPPED, FileState.ALREADY_THERE)),
            _failed_cell(o),
            f"{o.seconds:.1f}s",
            _why(o),
        )
        for o in outcomes
    ]


def _why(outcome: RegistryOutcome) -> str:
    """The first reason the registry did not complete, for the closing table."""
    if outcome.completed:
        return ""
    conflicts = [f.error for f in outcome.files.values() if f.state is FileState.CONFLICT]
    failed = [f"{n}: {f.error}" for n, f in outcome.files.items() if f.error and not conflicts]
    extra = [f"also serves {name}, not part of the release" for name in outcome.extra]
    reasons = [*conflicts, *([outcome.error] if outcome.error else []), *extra, *failed]
    return (reasons[0] if reasons else "not every file was uploaded and verified") or ""


CLOSING_HEADER = ("registry", "kind", "status", "uploaded", "skipped", "failed", "time", "why")
PLAN_HEADER = ("registry", "file", "action", "sha256")


def plan_rows(prepared: Sequence[Prepared]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for item in prepared:
        if item.error:
            rows.append((item.spec.name, "-", "unusable", item.error))
        rows.extend(
            (
                item.spec.name,
                s.artifact.filename,
                s.action.value + (" (ledger)" if item.resumed else ""),
                s.artifact.sha256[:16],
            )
            for s in item.steps
        )
    return rows


def plan_json(prepared: Sequence[Prepared]) -> list[dict[str, object]]:
    """The plan as data: per registry, each file's action and both hashes."""
    return [
        {
            "registry": item.spec.name,
            "kind": item.spec.kind.value,
            "error": item.error,
            "from_ledger": item.resumed,
            "files": [
                {
                    "filename": s.artifact.filename,
                    "action": s.action.value,
                    "sha256": s.artifact.sha256,
                    "served_sha256": s.remote_sha256,
                    "conflict": s.conflict,
                }
                for s in item.steps
            ],
        }
        for item in prepared
    ]
