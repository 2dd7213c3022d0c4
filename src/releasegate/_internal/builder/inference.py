"""How a release that recorded nothing was built, read from the published wheel (issue 31).

Most PyPI releases carry no ``BUILDINFO.json``. Their wheels still say a lot: flit-core stamps
the ``.dist-info`` files with its fixed 2016-01-01 when ``SOURCE_DATE_EPOCH`` is unset (idna
3.10, tomli 2.2.1, typing_extensions 4.13.2, wheel 0.45.1); zip times are local times, so a
whole-hour distance between the wheel's times and the sdist's says in which time zone it was
built (packaging 25.0 in Europe/London, pyparsing 3.2.3 in America/Chicago). The few plausible
combinations are tried in order, most likely first, until one reproduces.
"""

from __future__ import annotations

import calendar
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive

UTC = "UTC0"
FLIT_UNSET_TIME = "2016-01-01 00:00:00"
"""flit-core's zip time for metadata files when SOURCE_DATE_EPOCH is unset."""
MAX_OFFSET_HOURS = 14
MAX_ATTEMPTS = 4
DOS_SLACK = 2
"""Zip (DOS) times have a two-second resolution."""


@dataclass(frozen=True)
class Attempt:
    """One set of conditions to rebuild under, and why it is plausible."""

    epoch: int | None
    """``SOURCE_DATE_EPOCH``; None: unset."""
    tz: str = UTC
    why: str = ""

    def describe(self) -> str:
        epoch = (
            "SOURCE_DATE_EPOCH unset" if self.epoch is None else f"SOURCE_DATE_EPOCH={self.epoch}"
        )
        return f"{epoch}, TZ={self.tz}"


def fixed_offset_tz(hours: int) -> str:
    """A POSIX TZ of a fixed offset east of UTC: ``<+01>-1`` for UTC+1 (POSIX counts west)."""
    if hours == 0:
        return UTC
    sign = "+" if hours > 0 else "-"
    return f"<{sign}{abs(hours):02d}>{-hours}"


def _zip_seconds(stamp: str) -> int | None:
    """A zip member's naive (local) time read as if it were UTC, in seconds."""
    try:
        return calendar.timegm(time.strptime(stamp, "%Y-%m-%d %H:%M:%S"))
    except ValueError:
        return None


def _tar_seconds(stamp: str) -> int | None:
    try:
        return int(float(stamp))
    except ValueError:
        return None


def _hour_offset(delta: int) -> int | None:
    """Whole hours in ``delta`` seconds (DOS slack allowed), within the world's offsets."""
    hours = round(delta / 3600)
    if abs(delta - hours * 3600) > DOS_SLACK or abs(hours) > MAX_OFFSET_HOURS:
        return None
    return hours


def _sdist_times(sdist: Archive) -> dict[str, int]:
    """Each sdist file by its path below the top folder (and below ``src/``), with its time."""
    found: dict[str, int] = {}
    for member in sdist.members:
        seconds = _tar_seconds(member.mtime)
        if member.kind != "file" or seconds is None:
            continue
        inner = member.name.partition("/")[2]
        found.setdefault(inner, seconds)
        if inner.startswith("src/"):
            found.setdefault(inner[4:], seconds)
    return found


def file_deltas(sdist: Archive, wheel: Archive) -> list[tuple[int, int]]:
    """``(UTC time, whole hours)`` per module file: how far the wheel's (local) zip time is
    from the same file's time in the sdist, when the backend copied file times into the zip."""
    sources = _sdist_times(sdist)
    found = []
    for member in wheel.members:
        if member.kind != "file" or ".dist-info/" in member.name:
            continue
        local, original = _zip_seconds(member.mtime), sources.get(member.name)
        if local is not None and original is not None:
            hours = _hour_offset(local - original)
            if hours is not None:
                found.append((original, hours))
    return found


def file_zone(sdist: Archive, wheel: Archive) -> tuple[str, str] | None:
    """The time zone the wheel's file times were written in: ``(TZ value, description)``.

    One offset for every file is a fixed zone. Offsets that change with the date are daylight
    saving time: the zone is the first of the time zone database whose offsets agree with every
    file (packaging 25.0's files span March's change in Europe/London), given to the build as
    its POSIX rule, which needs no time zone database on the machine that rebuilds.
    """
    samples = file_deltas(sdist, wheel)
    if not samples:
        return None
    offsets = {hours for _, hours in samples}
    if len(offsets) == 1:
        hours = offsets.pop()
        return fixed_offset_tz(hours), f"UTC{hours:+d}"
    from releasegate._internal.builder.zones import zone_matching

    return zone_matching(samples)


def common_epoch(sdist: Archive) -> int | None:
    """The member time most sdist members share: what a backend honouring SOURCE_DATE_EPOCH
    wrote."""
    times = Counter(s for m in sdist.members if m.kind == "file" for s in [_tar_seconds(m.mtime)])
    times.pop(None, None)
    if not times:
        return None
    value, _ = times.most_common(1)[0]
    return value


def _wheel_common(wheel: Archive) -> int | None:
    times = Counter(_zip_seconds(m.mtime) for m in wheel.members if m.kind == "file")
    times.pop(None, None)
    if not times:
        return None
    value, _ = times.most_common(1)[0]
    return value


def _flit_unset(wheel: Archive) -> bool:
    return any(
        m.name.endswith(".dist-info/METADATA") and m.mtime == FLIT_UNSET_TIME for m in wheel.members
    )


def attempts(sdist: Archive, wheel: Archive) -> list[Attempt]:
    """The plausible conditions of a build that recorded none, most likely first."""
    epoch = common_epoch(sdist)
    zone = file_zone(sdist, wheel)
    tz, where = zone if zone is not None else (UTC, "")
    found: list[Attempt] = []
    in_zone = f", in {where}" if where and tz != UTC else ""
    if _flit_unset(wheel):
        found.append(
            Attempt(None, tz, f"the wheel's metadata times are flit-core's 2016-01-01{in_zone}")
        )
    stamped = _wheel_common(wheel)
    if epoch is not None:
        hours = _hour_offset(stamped - epoch) if stamped is not None else None
        if hours:
            why = f"the wheel's times are {hours:+d} h from the sdist's: built in that time zone"
            found.append(Attempt(epoch, fixed_offset_tz(hours), why))
        found.append(Attempt(epoch, UTC, "the sdist's member times, as SOURCE_DATE_EPOCH"))
    if stamped is not None and epoch is not None and _hour_offset(stamped - epoch) is None:
        found.append(Attempt(stamped, UTC, "the wheel's own member times, as SOURCE_DATE_EPOCH"))
    found.append(Attempt(None, tz, f"SOURCE_DATE_EPOCH unset: times from the files{in_zone}"))
    unique: dict[tuple[int | None, str], Attempt] = {}
    for attempt in found:
        unique.setdefault((attempt.epoch, attempt.tz), attempt)
    return list(unique.values())[:MAX_ATTEMPTS]
