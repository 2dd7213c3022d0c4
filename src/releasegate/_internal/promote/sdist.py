"""The promoted sdist: top directory, PKG-INFO (and an egg-info's), a static
``[project].version``, and the listed files to rewrite; the promotion record is added.

Member order, modes, times and owners are kept, and so are the tar format (gnu, ustar, pax)
and the gzip header's time and whether it names the file, so promoting the same sdist twice
gives the same bytes (for the same record: ``SOURCE_DATE_EPOCH`` fixes its time). A rebuild
from the promoted sdist yields the promoted version: backends read a static version from
pyproject.toml, and setuptools-scm and hatch-vcs read PKG-INFO.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from typing import TYPE_CHECKING

from releasegate._internal.promote.payload import RECORD_NAME, Role, rewritten

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.archives import Archive, Member
    from releasegate._internal.promote.payload import Layout
    from releasegate._internal.promote.versions import Step


def _tar_info(member: Member, name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if member.kind == "dir" else tarfile.REGTYPE
    info.mode = member.mode
    info.mtime = int(float(member.mtime or 0))
    if member.owner is not None:
        info.uid, info.gid, info.uname, info.gname = member.owner
    info.size = size if member.kind == "file" else 0
    return info


def _gzip_fields(archive: Archive) -> tuple[int, bool]:
    header = dict(archive.header)
    return int(header.get("gzip mtime", "0")), "gzip name" in header


_FORMATS = {"gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT, "pax": tarfile.PAX_FORMAT}


def _tar_format(archive: Archive, infos: list[tarfile.TarInfo]) -> int:
    """The source's format; pax when a renamed member no longer fits ustar's fields."""
    chosen = _FORMATS.get(dict(archive.header).get("tar format", ""), tarfile.PAX_FORMAT)
    if chosen == tarfile.USTAR_FORMAT:
        try:
            for info in infos:
                info.tobuf(tarfile.USTAR_FORMAT)
        except ValueError:  # a name grown past 100/155 bytes ("b3" -> "rc3"), or not ASCII
            return tarfile.PAX_FORMAT
    return chosen


def _members(
    archive: Archive, layout: Layout, step: Step, record: bytes
) -> list[tuple[tarfile.TarInfo, bytes]]:
    members = []
    last_metadata: Member | None = None
    for member in archive.members:
        role = layout.role(member.name)
        if role is Role.PROMOTION:
            continue  # a record of an earlier promotion: replaced by this one
        data = rewritten(role, member.content or b"", step)
        name = layout.renamed(member.name, step.target)
        members.append((_tar_info(member, name, len(data)), data))
        if role is Role.METADATA and last_metadata is None:
            last_metadata = member
    if last_metadata is not None:
        name = layout.prefixes(step.target)[0] + RECORD_NAME
        info = _tar_info(last_metadata, name, len(record))
        info.mode = 0o644
        members.append((info, record))
    return members


def write_sdist(
    archive: Archive, layout: Layout, step: Step, record: bytes, out: Path, *, filename: str
) -> None:
    """Write the promoted sdist to ``out``; ``filename`` is its final name (for the gzip header)."""
    mtime, named = _gzip_fields(archive)
    members = _members(archive, layout, step, record)
    tar_format = _tar_format(archive, [info for info, _ in members])
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename if named else "", "wb", 9, raw, mtime) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tar_format) as tar,
    ):
        for info, data in members:
            tar.addfile(info, io.BytesIO(data))
