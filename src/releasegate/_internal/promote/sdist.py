"""The promoted sdist: top directory, PKG-INFO (and an egg-info's), a static
``[project].version``, and the listed files to rewrite; the promotion record is added.

Member order, modes, times and owners are kept, and so are the gzip header's time and
whether it names the file, so promoting the same sdist twice gives the same bytes (for the
same record). A rebuild from the promoted sdist yields the promoted version: backends read
a static version from pyproject.toml, and setuptools-scm and hatch-vcs read PKG-INFO.
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


def write_sdist(
    archive: Archive, layout: Layout, step: Step, record: bytes, out: Path, *, filename: str
) -> None:
    """Write the promoted sdist to ``out``; ``filename`` is its final name (for the gzip header)."""
    mtime, named = _gzip_fields(archive)
    last_metadata: Member | None = None
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename if named else "", "wb", 9, raw, mtime) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as tar,
    ):
        for member in archive.members:
            role = layout.role(member.name)
            if role is Role.PROMOTION:
                continue  # a record of an earlier promotion: replaced by this one
            data = rewritten(role, member.content or b"", step)
            name = layout.renamed(member.name, step.target)
            tar.addfile(_tar_info(member, name, len(data)), io.BytesIO(data))
            if role is Role.METADATA and last_metadata is None:
                last_metadata = member
        if last_metadata is not None:
            name = layout.prefixes(step.target)[0] + RECORD_NAME
            info = _tar_info(last_metadata, name, len(record))
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(record))
