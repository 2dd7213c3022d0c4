"""A publish run as a Report (for --format/--output) and as tables for people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, GateResult, Report, Severity
from releasegate._internal.publish.outcome import FileState
from releasegate._internal.publish.progress import verdict

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.publish.executor import Prepared
    from releasegate._internal.publish.outcome import RegistryOutcome

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
    return findings


def summary(outcome: RegistryOutcome) -> str:
    return (
        f"{verdict(outcome)}: {outcome.count(FileState.UPLOADED)} uploaded, "
        f"{outcome.count(FileState.SKIPPED)} skipped, {outcome.failed_files} failed, "
        f"{outcome.seconds:.1f}s"
    )


def to_report(outcomes: Sequence[RegistryOutcome], dist_dir: str, root: str) -> Report:
    results = (
        GateResult(f"{CHECK} {o.name}", tuple(_findings(o, dist_dir)), o.seconds, summary(o))
        for o in outcomes
    )
    return Report.of(results, root)


def closing_rows(outcomes: Sequence[RegistryOutcome]) -> list[tuple[str, ...]]:
    """registry, kind, status, uploaded, skipped, failed, seconds."""
    return [
        (
            o.name,
            o.kind,
            verdict(o),
            str(o.count(FileState.UPLOADED)),
            str(o.count(FileState.SKIPPED)),
            str(o.failed_files),
            f"{o.seconds:.1f}s",
        )
        for o in outcomes
    ]


CLOSING_HEADER = ("registry", "kind", "status", "uploaded", "skipped", "failed", "time")
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
