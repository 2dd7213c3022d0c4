"""One OSV record (https://ossf.github.io/osv-schema/) read into what matching needs.

Only what decides "is this version affected, and what fixes it" is kept: PyPI packages,
their ``ECOSYSTEM`` (and ``SEMVER``) ranges and explicit ``versions``, ids, aliases, a
summary and the severity. ``GIT`` ranges name commits, not releases, and are dropped.
A withdrawn record is no advisory at all.

A record is checked against the parts of the OSV schema that matching relies on, for the
PyPI entries it has: ``id``, ``modified`` and at least one ``affected`` entry; each entry's ``package`` (``ecosystem``,
``name``); each range's ``type`` and non-empty ``events``, each event one of the schema's
kinds, an ``ECOSYSTEM``/``SEMVER`` range with an ``introduced``; and at least one such
range or an explicit ``versions`` list. A file cut short is usually still valid YAML or
JSON (cut before ``ranges:``, the advisory would affect nothing): it is an error to report,
never an advisory that silently disappears.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from releasegate._internal.vulns import cvss

ECOSYSTEM = "PyPI"
_RANGE_TYPES = ("ECOSYSTEM", "SEMVER")
_ALL_RANGE_TYPES = (*_RANGE_TYPES, "GIT")
_EVENTS = ("introduced", "fixed", "last_affected")
_ALL_EVENTS = (*_EVENTS, "limit")
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
    if not record.get("modified"):
        raise RecordError("no `modified` time (the OSV schema requires it): a truncated record?")
    entries = _list(record, "affected")
    if not entries:
        # Optional in the schema, present in every advisory of a package ecosystem: a record
        # cut before it would otherwise vanish without a word.
        raise RecordError("no `affected` entries: a truncated record?")
    affected = tuple(a for a in map(_affected, entries) if a is not None)
    if not affected:
        return None  # about another ecosystem
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
    if package.get("ecosystem") != ECOSYSTEM:
        return None
    name = package.get("name")
    if not isinstance(name, str) or not name:
        raise RecordError("a PyPI `affected` entry has no package `name`")
    ranges = tuple(_events(r, name) for r in _list(item, "ranges") if _checked_type(r, name))
    versions = tuple(str(v) for v in _list(item, "versions"))
    if not ranges and not versions:
        raise RecordError(
            f"the entry for {name} has no ECOSYSTEM range and no `versions`, so it cannot say "
            "which versions are affected: a truncated record?"
        )
    return Affected(normalize(name), ranges, versions)


def _checked_type(range_: Any, name: str) -> bool:
    """Whether a range of ``name`` is one matching reads (a GIT range is valid, and unused)."""
    if not isinstance(range_, dict) or range_.get("type") not in _ALL_RANGE_TYPES:
        raise RecordError(f"a range of {name} has no `type` of {', '.join(_ALL_RANGE_TYPES)}")
    return range_["type"] in _RANGE_TYPES


def _events(range_: dict[str, Any], name: str) -> tuple[tuple[str, str], ...]:
    found = []
    for event in _list(range_, "events"):
        kinds = [k for k in _ALL_EVENTS if k in event] if isinstance(event, dict) else []
        if len(kinds) != 1 or event[kinds[0]] in (None, ""):
            raise RecordError(f"a range event of {name} is not one of {', '.join(_ALL_EVENTS)}")
        if kinds[0] in _EVENTS:
            found.append((kinds[0], str(event[kinds[0]])))
    if not any(kind == "introduced" for kind, _ in found):
        raise RecordError(f"a {range_['type']} range of {name} has no `introduced` event")
    return tuple(found)


def _timestamp(value: Any) -> str:
    """ISO 8601 in UTC, to the second (``2021-07-05T00:01:22Z``), from a datetime or from
    the text of one (JSON strings, YAML read untyped: ``2021-07-05 00:01:22+00:00``)."""
    import datetime as dt

    when: dt.datetime | None = value if isinstance(value, dt.datetime) else None
    if when is None and isinstance(value, str) and value:
        try:
            when = dt.datetime.fromisoformat(_iso(value))
        except ValueError:
            return value[:19] + "Z"
    if when is None:
        return str(value)[:19] + "Z" if value else ""
    if when.tzinfo is not None:
        when = when.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return when.isoformat(timespec="seconds") + "Z"


def _iso(text: str) -> str:
    """``text`` as Python 3.10's ``fromisoformat`` reads it: a numeric offset for ``Z`` and
    the fraction cut to microseconds (OSV's are nanoseconds, sometimes)."""
    import re

    text = text.strip().replace("Z", "+00:00").replace("z", "+00:00")
    return re.sub(r"(\.\d{1,6})\d*", lambda m: m.group(1).ljust(7, "0"), text, count=1)


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
