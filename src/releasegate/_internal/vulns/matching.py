"""Exactly which advisories affect a version, the smallest version that fixes it, and aliases.

A version is affected when it is one of the record's explicit ``versions`` or falls in one
of its ranges. A range is evaluated as OSV specifies: its events sorted by PEP 440 version,
the last ``introduced`` at or below the version not followed by a ``fixed`` at or below it
(or a ``last_affected`` below it). Records that share an id or alias are one vulnerability
(PYSEC-2023-74, GHSA-j8r2-6x86-q33q and CVE-2023-32681 are the same bug), reported once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_version
from packaging.version import Version

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from releasegate._internal.vulns.packages import Package
    from releasegate._internal.vulns.records import Advisory, Affected, Severity

_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 2}
Events = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Vulnerability:
    """One vulnerability of one package version, however many records describe it."""

    ids: tuple[str, ...]
    """The records' own ids (PYSEC-..., GHSA-...), sorted."""
    aliases: tuple[str, ...]
    """Every other name it goes by (CVE-...), sorted."""
    summary: str
    severity: Severity
    fixed: str | None
    """The smallest version above the locked one that every record says is fixed."""
    records: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Each merged record's id and its own aliases: an alias one record shares with another
    merges them, and does not make them one advisory (see ``ignores``)."""

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.ids) | frozenset(self.aliases)


@dataclass(frozen=True)
class Match:
    package: Package
    vulnerability: Vulnerability


@functools.lru_cache(maxsize=65536)
def version_of(text: str) -> Version | None:
    try:
        return Version(text)
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        return None


@functools.lru_cache(maxsize=65536)
def _sorted_events(events: Events) -> tuple[tuple[Version, int, str], ...] | None:
    """The events in version order; None when one of them is not a PEP 440 version."""
    found = []
    for kind, text in events:
        parsed = version_of(text)
        if parsed is None:
            return None
        found.append((parsed, _ORDER[kind], kind))
    return tuple(sorted(found))


def in_range(version: Version, events: Events) -> bool:
    ordered = _sorted_events(events)
    if ordered is None:
        return True  # a range we cannot read must not pass a version silently
    vulnerable = False
    for at, _, kind in ordered:
        if kind == "introduced" and version >= at:
            vulnerable = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            vulnerable = False
    return vulnerable


_Interval = tuple[Version, "Version | None", bool]
"""From (inclusive), to (None: open), whether ``to`` is included (a ``last_affected``)."""


@functools.lru_cache(maxsize=16384)
def _intervals(events: Events) -> tuple[_Interval, ...] | None:
    """The versions ``in_range`` says are affected, as intervals (None: all of them, the
    range cannot be read). One walk of the sorted events instead of one per version."""
    ordered = _sorted_events(events)
    if ordered is None:
        return None
    found: list[_Interval] = []
    start: Version | None = None
    for at, _, kind in ordered:
        if kind == "introduced":
            start = at if start is None else start
        elif start is not None:
            found.append((start, at, kind == "last_affected"))
            start = None
    if start is not None:
        found.append((start, None, False))
    return tuple(found)


def uncovered(versions: Iterable[str], ranges: Sequence[Events]) -> list[str]:
    """The ``versions`` no range affects, as written (unreadable ones kept): exactly those
    for which ``in_range`` is false for every range."""
    intervals: list[_Interval] = []
    for events in ranges:
        found = _intervals(events)
        if found is None:
            return []  # a range that cannot be read covers everything
        intervals.extend(found)
    kept = []
    for text in versions:
        parsed = version_of(text)
        if parsed is None or not any(
            low <= parsed and (high is None or parsed < high or (inclusive and parsed == high))
            for low, high, inclusive in intervals
        ):
            kept.append(text)
    return kept


def affects(affected: Affected, version: Version) -> bool:
    if affected.versions and canonicalize_version(version) in _canonical(affected.versions):
        return True
    return any(in_range(version, events) for events in affected.ranges)


@functools.lru_cache(maxsize=16384)
def _canonical(versions: tuple[str, ...]) -> frozenset[str]:
    return frozenset(canonicalize_version(v) for v in versions)


def next_fixed(affected: Affected, version: Version) -> Version | None:
    """The smallest ``fixed`` event above ``version`` in any of the ranges."""
    fixes = [
        parsed
        for events in affected.ranges
        for kind, text in events
        if kind == "fixed" and (parsed := version_of(text)) is not None and parsed > version
    ]
    return min(fixes, default=None)


def match_all(
    packages: Iterable[Package], advisories: Mapping[str, Sequence[Advisory]]
) -> list[Match]:
    found: list[Match] = []
    memo: dict[tuple[str, str], list[Vulnerability]] = {}
    for package in packages:
        key = (package.name, package.version)
        if key not in memo:
            memo[key] = vulnerabilities(
                package.name, package.version, advisories.get(package.name, ())
            )
        found.extend(Match(package, v) for v in memo[key])
    return found


def vulnerabilities(name: str, text: str, advisories: Sequence[Advisory]) -> list[Vulnerability]:
    """The vulnerabilities of ``name`` at version ``text``, aliases merged."""
    version = version_of(text)
    if version is None or not advisories:
        return []
    hits: list[tuple[Advisory, Version | None]] = []
    for advisory in advisories:
        mine = [a for a in advisory.affected if a.name == name and affects(a, version)]
        if mine:
            fixes = [f for a in mine if (f := next_fixed(a, version)) is not None]
            hits.append((advisory, min(fixes, default=None)))
    return [_merge(group) for group in _groups(hits)]


def _groups(
    hits: list[tuple[Advisory, Version | None]],
) -> list[list[tuple[Advisory, Version | None]]]:
    """Records that share any id or alias, transitively."""
    groups: list[tuple[set[str], list[tuple[Advisory, Version | None]]]] = []
    for hit in hits:
        names = {hit[0].id, *hit[0].aliases}
        joined = [g for g in groups if g[0] & names]
        merged_names, merged = names, [hit]
        for group in joined:
            merged_names |= group[0]
            merged.extend(group[1])
            groups.remove(group)
        groups.append((merged_names, merged))
    return [sorted(g[1], key=lambda h: h[0].id) for g in groups]


def _merge(group: list[tuple[Advisory, Version | None]]) -> Vulnerability:
    ids = tuple(sorted({advisory.id for advisory, _ in group}))
    aliases = tuple(sorted({a for advisory, _ in group for a in advisory.aliases} - set(ids)))
    severity = max((a.severity for a, _ in group), key=_severity_rank)
    fixes = [fixed for _, fixed in group if fixed is not None]
    summary = next((a.summary for a, _ in group if a.summary), "")
    records = tuple(sorted({(a.id, a.aliases) for a, _ in group}))
    fixed = str(max(fixes)) if fixes else None
    return Vulnerability(ids, aliases, summary, severity, fixed, records)


RATINGS = ("none", "low", "medium", "high", "critical")


def _severity_rank(severity: Severity) -> tuple[int, float]:
    rank = RATINGS.index(severity.rating) if severity.rating in RATINGS else -1
    return rank, severity.score or 0.0
