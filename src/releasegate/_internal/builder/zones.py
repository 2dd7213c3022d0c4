"""The time zone whose offsets agree with observed ones, as a POSIX TZ rule (issue 31).

A wheel built with file times in local time shows, per file, the offset in force on that file's
date. The zone is looked up in the time zone database (the system's, else the tzdata package)
and handed to the rebuild as the POSIX rule at the end of its TZif file, so the rebuilding
machine needs no database of its own.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

PREFERRED = (
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/Helsinki",
    "Australia/Sydney",
)
"""Named first when several zones agree, so that the description is the familiar one; any
agreeing zone gives the same local times for the files observed."""


def zone_matching(samples: Sequence[tuple[int, int]]) -> tuple[str, str] | None:
    """``(POSIX TZ, zone name)`` of the first zone whose UTC offset at each ``(UTC seconds,
    hours)`` sample is those hours; None when no zone agrees or no database is installed."""
    import zoneinfo

    try:
        names = zoneinfo.available_timezones()
    except (OSError, ValueError):  # no database anywhere: nothing to look up, said by the caller
        return None
    ordered = [n for n in PREFERRED if n in names] + sorted(names - set(PREFERRED))
    moments = [
        (datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc), hours)
        for seconds, hours in samples
    ]
    for name in ordered:
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            continue
        if all(_hours(zone, moment) == hours for moment, hours in moments):
            rule = posix_rule(name)
            if rule is not None:
                return rule, name
    return None


def _hours(zone: datetime.tzinfo, moment: datetime.datetime) -> float:
    offset = moment.astimezone(zone).utcoffset()
    return offset.total_seconds() / 3600 if offset is not None else 0.0


def posix_rule(name: str) -> str | None:
    """The POSIX TZ string a TZif (v2+) file ends with, e.g. ``GMT0BST,M3.5.0/1,M10.5.0``."""
    data = _tzif(name)
    if data is None or not data.startswith(b"TZif"):
        return None
    footer = data.rstrip(b"\n").rpartition(b"\n")[2]
    try:
        rule = footer.decode("ascii")
    except UnicodeDecodeError:
        return None
    return rule if rule and rule.isprintable() and len(rule) < 64 else None


def _tzif(name: str) -> bytes | None:
    import zoneinfo
    from pathlib import Path

    if ".." in name or name.startswith("/"):
        return None
    for base in zoneinfo.TZPATH:
        path = Path(base) / name
        if path.is_file():
            return path.read_bytes()
    try:
        from importlib.resources import files

        package, _, leaf = f"tzdata.zoneinfo.{name.replace('/', '.')}".rpartition(".")
        return files(package).joinpath(leaf).read_bytes()
    except (ImportError, OSError, ValueError):
        return None
