"""An sdist whose backend ignores ``SOURCE_DATE_EPOCH``, stamped with it as hatchling stamps its own.

setuptools writes its sdist with Python's ``tarfile``: the gzip header holds the wall clock and
every member keeps the mtime of its file in the build copy (the checkout's, or the build's own
time for PKG-INFO and the egg-info). No setting changes that, so two builds of one commit never
match. releasegate rewrites such an sdist with every time set to ``SOURCE_DATE_EPOCH`` (gzip
header and members; names, modes, owners and contents are kept as they are) and
records that it did in ``BUILDINFO.json``: the rewrite is the build's last step, done the same
way by every build, so what it changes is a recorded, reproducible condition, not a hidden one.

An sdist whose gzip header holds ``SOURCE_DATE_EPOCH`` and whose members are no newer is left
alone: its backend honours the variable (hatchling, flit-core, poetry-core), and rewriting its
bytes would only make them differ from what ``python -m build`` gives everyone else.
"""

from __future__ import annotations

import gzip
import tarfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

STAMPED = "sdist times set to SOURCE_DATE_EPOCH by releasegate (the backend wrote build-time times)"
"""What ``BUILDINFO.json`` and the gate's note say when an sdist was rewritten."""

_TIME_KEYS = ("mtime", "atime", "ctime")
"""PAX records of times: tarfile writes a float mtime as one, which must go with the time."""
_FNAME, _FHCRC = 0x08, 0x02


@dataclass(frozen=True)
class GzipHeader:
    mtime: int
    name: str | None
    """The FNAME field (the tar's name), None when absent."""
    checked: bool
    """FHCRC: the header carries its own CRC, so it cannot be patched in place."""


def gzip_header(path: Path) -> GzipHeader | None:
    """The time and name in a gzip file's header (RFC 1952), None when it is not gzip."""
    with path.open("rb") as handle:
        head = handle.read(10 + 1024)
    if len(head) < 10 or head[:2] != b"\x1f\x8b":
        return None
    flags = head[3]
    name = None
    if flags & _FNAME and not flags & 0x04:  # FEXTRA would come first; none of ours write it
        end = head.find(b"\0", 10)
        name = head[10:end].decode("latin-1") if end > 0 else None
    return GzipHeader(int.from_bytes(head[4:8], "little"), name, bool(flags & _FHCRC))


def stamp_if_needed(path: Path, epoch: int | None) -> bool:
    """Give an sdist whose backend ignored ``epoch`` that time; whether it was rewritten.

    Two ways, so that a build whose clock happens to read ``epoch`` (a commit made in the same
    second) ends with the same bytes as one that needed the stamp:

    - every member already at or before ``epoch`` (the backend clamps members, pdm-backend):
      only the header's time is patched, the compressed stream is kept byte for byte;
    - a member newer than ``epoch`` (setuptools: PKG-INFO, egg-info, directories carry the
      build's own time): the tar is rewritten with every member's time set to ``epoch``.
    """
    if epoch is None or not path.name.endswith(".tar.gz"):
        return False
    header = gzip_header(path)
    if header is None:
        return False
    with tarfile.open(path, "r:gz") as source:
        newer = any(member.mtime > epoch for member in source)
    if newer or (header.checked and header.mtime != epoch):
        _retar(path, epoch, header.name)
        return True
    if header.mtime != epoch:
        with path.open("r+b") as handle:
            handle.seek(4)
            handle.write(epoch.to_bytes(4, "little"))
        return True
    return False


def _retar(path: Path, epoch: int, name: str | None) -> None:
    """Rewrite ``path`` with every time set to ``epoch``; members keep their order and bytes.

    The archive is the backend's own output, checked as hostile input before it ships
    (``archives.refuse_unsafe``); here it is only streamed from one file into another, never
    unpacked onto the disk.
    """
    partial = path.with_name(path.name + ".stamping")
    # The tar's name stays in the header as the backend wrote it; the time is the epoch.
    with (
        tarfile.open(path, "r:gz") as source,
        partial.open("wb") as raw,
        gzip.GzipFile(filename=name or "", mode="wb", fileobj=raw, mtime=epoch) as packed,
        tarfile.open(
            fileobj=packed,
            mode="w",
            format=source.format,
            encoding=source.encoding,
            pax_headers=source.pax_headers,
        ) as target,
    ):
        for member in source:
            member.mtime = epoch
            member.pax_headers = {
                k: v for k, v in member.pax_headers.items() if k not in _TIME_KEYS
            }
            content = source.extractfile(member) if member.isfile() else None
            target.addfile(member, content)
    partial.replace(path)
