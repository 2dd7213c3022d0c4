"""This run's findings matched against the base's: by rule, file and subject, never by line.

A finding is matched first by its exact identity (its subject, or its message with line numbers
taken out), then loosely (every number taken out: ``requests==2.31.0`` re-locked to ``2.32.0`` is
the same unhashed pin). Matching counts: two findings with one identity where the base had one
leave one new. A matched finding is ``unchanged`` and becomes a note naming the base, unless it
is worse now (a higher severity, or a grouped finding with a larger count): ``updated``, kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, GateResult, Report, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from releasegate._internal.baseline.base import Base

NEW, UNCHANGED, UPDATED = "new", "unchanged", "updated"
Key = tuple[str, str]
"""The result's label (``<member>/<gate>`` in a workspace) and a finding's identity."""


def compare(report: Report, base_report: Report | None, base: Base) -> Report:
    """``report`` with every finding given its baseline state, those already at the base noted."""
    pool = _Pool(base_report.results if base_report is not None else ())
    results = tuple(_result(result, pool, base) for result in report.results)
    return replace(report, results=results, baseline=f"{base.label} ({base.short})")


class _Pool:
    """The base's findings by identity, each taken once by the finding it matches."""

    def __init__(self, results: Iterable[GateResult]) -> None:
        self.exact: dict[Key, list[Finding]] = {}
        self.loose: dict[Key, list[Finding]] = {}
        for result in results:
            for finding in result.findings:
                self.exact.setdefault(_key(result, finding), []).append(finding)
                self.loose.setdefault(_key(result, finding, loose=True), []).append(finding)

    def take(self, result: GateResult, finding: Finding) -> Finding | None:
        for table, loose in ((self.exact, False), (self.loose, True)):
            matches = table.get(_key(result, finding, loose=loose))
            if matches:
                found = matches.pop(0)
                other = self.loose if table is self.exact else self.exact
                other[_key(result, found, loose=not loose)].remove(found)
                return found
        return None


def _key(result: GateResult, finding: Finding, *, loose: bool = False) -> Key:
    return result.check, finding.identity(loose=loose)


def _result(result: GateResult, pool: _Pool, base: Base) -> GateResult:
    findings = tuple(_judged(f, pool.take(result, f), base) for f in result.findings)
    return replace(result, findings=findings)


def _judged(finding: Finding, before: Finding | None, base: Base) -> Finding:
    if before is None:
        return replace(finding, baseline=NEW)
    if _worse(finding, before):
        return replace(finding, baseline=UPDATED)
    return replace(
        finding,
        severity=Severity.NOTE,
        message=f"{finding.message} (already on {base.label})",
        baseline=UNCHANGED,
    )


def _worse(now: Finding, before: Finding) -> bool:
    return now.severity.rank > before.severity.rank or _count(now) > _count(before)


def _count(finding: Finding) -> int:
    """How many times a grouped finding fired (one rule, one file); 1 for a single finding."""
    count = getattr(finding, "count", 1)  # grouped findings carry a count where they have one
    return count if isinstance(count, int) else 1
