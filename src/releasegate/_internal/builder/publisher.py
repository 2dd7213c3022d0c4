"""What the publisher's machine left in a wheel that no rebuild repeats, though every file matches.

Two causes, both found with diffoscope on real releases (issue 31):

- **Another deflate.** iniconfig 2.1.0: names, contents, CRCs, times and modes all match; only
  the compressed streams differ. No level of this Python's zlib gives the published bytes, while
  zlib-ng (which python-build-standalone, so uv- and hatch-managed Pythons, link instead of
  zlib) gives them for most members: the publisher's Python compressed differently.
- **The publisher's build clock.** pluggy 1.6.0: the files written during the build (the
  dist-info, setuptools-scm's ``_version.py``) carry the build's own time, 12 s after the
  sdist's files (six 1.17.0: 18 s before them), because SOURCE_DATE_EPOCH was unset and
  setuptools took zip times from file mtimes. The contents match; a rebuild runs at another
  time.

Each is said as what it is, with no fix for the project's sources (there is none to make).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.archives import Archive


class Cause(NamedTuple):
    """A problem (``problems.ProblemLike``) the rebuild places as a finding."""

    rule: str
    message: str
    hint: str | None = None


_SAMPLED = 5
"""Members whose compressed streams are tried against each zlib level."""
_LARGEST = 1 << 20
_LOCAL_HEADER = 30
_CLOCK_SPAN = 120
"""A build writes its files within this many seconds."""


def _raw_stream(handle: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The stored (compressed) bytes of one member, as its local header frames them."""
    fp = handle.fp
    if fp is None or info.compress_size > _LARGEST:
        return None
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER)
    if len(header) < _LOCAL_HEADER or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    fp.seek(info.header_offset + _LOCAL_HEADER + name_length + extra_length)
    return fp.read(info.compress_size)


def _levels(data: bytes, stored: bytes) -> list[int]:
    """The zlib levels that compress ``data`` to exactly ``stored`` (raw deflate)."""
    found = []
    for level in range(10):
        packer = zlib.compressobj(level, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)
        if packer.compress(data) + packer.flush() == stored:
            found.append(level)
    return found


def deflate_cause(published: Path, rebuilt: Path, title: str) -> Cause | None:
    """Why two wheels with equal members differ in bytes: a level, or another deflate."""
    with zipfile.ZipFile(published) as mine, zipfile.ZipFile(rebuilt) as theirs:
        other = {i.filename: i for i in theirs.infolist()}
        sampled: list[tuple[str, list[int], list[int]]] = []
        for info in mine.infolist():
            twin = other.get(info.filename)
            if twin is None or info.compress_type != zipfile.ZIP_DEFLATED or info.file_size < 64:
                continue
            a, b = _raw_stream(mine, info), _raw_stream(theirs, twin)
            if a is None or b is None or a == b:
                continue
            data = mine.read(info)
            sampled.append((info.filename, _levels(data, a), _levels(data, b)))
            if len(sampled) >= _SAMPLED:
                break
    if not sampled:
        return None
    name, published_levels, rebuilt_levels = sampled[0]
    if all(levels for _, levels, _ in sampled):
        return Cause(
            "compression-level",
            f"{title}: every member matches but the published ones were compressed at zlib level"
            f" {published_levels[0]}, the rebuilt ones at level"
            f" {rebuilt_levels[0] if rebuilt_levels else '(none)'} (e.g. {name})",
            hint="the publisher's backend (or a re-pack) chose another compression level: pin "
            "the backend version the wheel names, or re-pack as the publisher did",
        )
    unmatched = [n for n, levels, _ in sampled if not levels]
    return Cause(
        "other-deflate",
        f"{title}: every member's name, content, CRC, time and mode match, but no level of this"
        f" Python's zlib ({zlib.ZLIB_RUNTIME_VERSION}) gives the published compressed bytes of"
        f" {', '.join(unmatched[:3])}: the publisher's Python compressed with another deflate"
        " implementation (zlib-ng, which python-build-standalone - uv's and hatch's managed"
        " Pythons - links instead of zlib, or a patched zlib)",
        hint="nothing in the files differs: rebuild with a Python that links the same deflate "
        "(e.g. one `uv python install` provides) to compare bytes; the sources reproduce",
    )


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").timestamp()  # only differences are used


def clock_cause(published: Archive, rebuilt: Archive, title: str) -> Cause | None:
    """Members whose only difference is the time the publisher's build gave them (within a
    couple of minutes, apart from the sdist's files' times), written during the rebuild too."""
    mine = {m.name: m for m in published.members if m.kind == "file"}
    theirs = {m.name: m for m in rebuilt.members if m.kind == "file"}
    if set(mine) != set(theirs) or any(m.sha256 != theirs[n].sha256 for n, m in mine.items()):
        return None
    late = sorted(n for n, m in mine.items() if m.mtime != theirs[n].mtime)
    kept = sorted({m.mtime for n, m in mine.items() if n not in late})
    if not late or not kept:
        return None
    # Written during the rebuild too: later than anything published (an epoch attempt stamps
    # its own guess instead, and a source file with an odd time keeps it in both).
    newest = max(m.mtime for m in mine.values())
    if any(theirs[n].mtime <= newest for n in late):
        return None
    stamps = sorted({mine[n].mtime for n in late})
    if set(stamps) & set(kept) or _seconds(stamps[-1]) - _seconds(stamps[0]) > _CLOCK_SPAN:
        return None
    stamp = stamps[0] if len(stamps) == 1 else f"{stamps[0]} to {stamps[-1]}"
    sources = kept[0] if len(kept) == 1 else f"{kept[0]} to {kept[-1]}"
    shown = ", ".join(late[:4]) + (f" and {len(late) - 4} more" if len(late) > 4 else "")
    return Cause(
        "build-clock",
        f"{title}: {len(late)} member(s) written during the publisher's build ({shown}) carry"
        f" its clock, {stamp}, while the other files keep theirs ({sources});"
        " every member's content matches. The wheel was built with SOURCE_DATE_EPOCH unset, so"
        " the backend took their zip times from files it wrote then: no rebuild runs at that"
        " time",
        hint="nothing in the files differs; for releases to come, build with SOURCE_DATE_EPOCH "
        "set (`releasegate build` sets it) so that generated files get a fixed time",
    )
