"""One OSV record (https://ossf.github.io/osv-schema/) read into what matching needs.

Only what decides "is this version affected, and what fixes it" is kept: PyPI packages,
their ``ECOSYSTEM`` (and ``SEMVER``) ranges and explicit ``versions``, ids, aliases, a
summary and the severity. ``GIT`` ranges name commits, not releases, and are dropped.
A withdrawn record is no advisory at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from releasegate._internal.vulns import cvss

ECOSYSTEM = "PyPI"
_RANGE_TYPES = ("ECOSYSTEM", "SEMVER")
_EVENTS = ("introduced", "fixed", "last_affected")
_GHSA_RATINGS = {"LOW": "low", "MODERATE": "medium", "HIGH": "high", "CRITICAL": "critical"}


class RecordError(ValueError):
    """The record is not OSV as the schema describes it; the message says what is wrong."""


@dataclass(frozen=True)
class Severity:
    score: float | None
    """CVSS v3 base score, when the record gives a v3 vector."""
    rating: str
    """none, low, medium, high, critical, or unknown."""
    vector: str | None = None

    def describe(self) -> str:
        if self.score is not None:
            return f"{self.rating} ({self.score:.1f}, {self.vector})"
        return self.rating


UNKNOWN = Severity(None, "unknown")


@dataclass(frozen=True)
class Affected:
    """One PyPI package an advisory affects."""

    name: str
    """PEP 503 normalised."""
    ranges: tuple[tuple[tuple[str, str], ...], ...]
    """Each range's events as (kind, version), in the record's order."""
    versions: tuple[str, ...]
    """Explicitly affected versions, as written."""


@dataclass(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str
    modified: str
    severity: Severity
    affected: tuple[Affected, ...]


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(record: Any) -> Advisory | None:
    """The advisory in ``record``; None when it is withdrawn or names no PyPI package."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise RecordError("not an OSV record (no string `id`)")
    if record.get("withdrawn"):
        return None
    affected = tuple(a for a in map(_affected, _list(record, "affected")) if a is not None)
    if not affected:
        return None
    aliases = tuple(str(a) for a in _list(record, "aliases") if isinstance(a, str))
    return Advisory(
        record["id"],
        aliases,
        _summary(record),
        _timestamp(record.get("modified")),
        _severity(record),
        affected,
    )


def _list(table: dict[str, Any], key: str) -> list[Any]:
    value = table.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"`{key}` is not a list")
    return value


def _affected(item: Any) -> Affected | None:
    if not isinstance(item, dict) or not isinstance(item.get("package"), dict):
        raise RecordError("an `affected` entry has no `package` table")
    package = item["package"]
    if package.get("ecosystem") != ECOSYSTEM or not isinstance(package.get("name"), str):
        return None
    ranges = tuple(
        _events(r)
        for r in _list(item, "ranges")
        if isinstance(r, dict) and r.get("type") in _RANGE_TYPES
    )
    versions = tuple(str(v) for v in _list(item, "versions"))
    return Affected(normalize(package["name"]), ranges, versions)


def _events(range_: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    found = []
    for event in _list(range_, "events"):
        if not isinstance(event, dict):
            raise RecordError("a range event is not a table")
        for kind in _EVENTS:
            if kind in event:
                found.append((kind, str(event[kind])))
    return tuple(found)


def _timestamp(value: Any) -> str:
    """ISO 8601 in UTC; YAML reads an unquoted timestamp as a datetime."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        when: dt.datetime = value
        if when.tzinfo is not None:
            when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return when.isoformat(timespec="seconds") + "Z"
    return str(value or "")[:19] + "Z" if value else ""


def _summary(record: dict[str, Any]) -> str:
    text = record.get("summary") or record.get("details") or ""
    first = str(text).strip().split("\n", 1)[0]
    return first if len(first) <= 160 else first[:157] + "..."


def _severity(record: dict[str, Any]) -> Severity:
    entries = list(_list(record, "severity"))
    for item in _list(record, "affected"):
        if isinstance(item, dict) and isinstance(item.get("severity"), list):
            entries.extend(item["severity"])
    scored = []
    for entry in entries:
        vector = entry.get("score") if isinstance(entry, dict) else None
        score = cvss.base_score(vector) if isinstance(vector, str) else None
        if score is not None:
            scored.append(Severity(score, cvss.rating(score), vector))
    if scored:
        return max(scored, key=lambda s: s.score or 0.0)
    specific = record.get("database_specific")
    label = specific.get("severity") if isinstance(specific, dict) else None
    if isinstance(label, str) and label.upper() in _GHSA_RATINGS:
        return Severity(None, _GHSA_RATINGS[label.upper()])
    return UNKNOWN
