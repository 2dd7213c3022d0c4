"""This run's findings matched against the base's: by rule, file and subject, never by line.

A finding is matched first by its exact identity (its subject, or its message with line numbers
taken out), then loosely (every number taken out: ``requests==2.31.0`` re-locked to ``2.32.0`` is
the same unhashed pin). Matching counts: two findings with one identity where the base had one
leave one new, so a rule that fires more often in a file than at the base (one grouped line in
text, each occurrence in the data) shows the extra ones as new. A matched finding is
``unchanged`` and becomes a note naming the base, unless its severity rose: ``updated``, kept.
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
    before = _matches(report.results, base_report.results if base_report is not None else ())
    results = tuple(
        replace(result, findings=tuple(
            _judged(f, before.get((r, i)), base) for i, f in enumerate(result.findings)
        ))
        for r, result in enumerate(report.results)
    )  # fmt: skip
    named = base.label if base.label == base.short else f"{base.label} ({base.short})"
    return replace(report, results=results, baseline=named)


Place = tuple[int, int]
"""A finding's place in this run's report: its result's index, its own index there."""


def _matches(now: Iterable[GateResult], then: Iterable[GateResult]) -> dict[Place, Finding]:
    """The base's finding each finding of this run matches: every exact match before any loose
    one, so that ``pkg1`` cannot take the match ``pkg2`` has exactly."""
    pending = {
        (r, i): (result, finding)
        for r, result in enumerate(now)
        for i, finding in enumerate(result.findings)
    }
    found: dict[Place, Finding] = {}
    available = [(result, finding) for result in then for finding in result.findings]
    for loose in (False, True):
        pool: dict[Key, list[int]] = {}
        for index, (result, finding) in enumerate(available):
            pool.setdefault(_key(result, finding, loose=loose), []).append(index)
        taken: set[int] = set()
        for place, (result, finding) in list(pending.items()):
            candidates = pool.get(_key(result, finding, loose=loose))
            if candidates:
                index = candidates.pop(0)
                taken.add(index)
                found[place] = available[index][1]
                del pending[place]
        available = [item for index, item in enumerate(available) if index not in taken]
    return found


def _key(result: GateResult, finding: Finding, *, loose: bool = False) -> Key:
    return result.check, finding.identity(loose=loose)


def _judged(finding: Finding, before: Finding | None, base: Base) -> Finding:
    if before is None:
        return replace(finding, baseline=NEW)
    if _worse(finding, before):
        message = f"{finding.message} (a {before.severity.value} on {base.label})"
        return replace(finding, message=message, baseline=UPDATED)
    return replace(
        finding,
        severity=Severity.NOTE,
        message=f"{finding.message} (already on {base.label})",
        baseline=UNCHANGED,
    )


def _worse(now: Finding, before: Finding) -> bool:
    return now.severity.rank > before.severity.rank
