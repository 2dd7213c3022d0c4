"""The one reader of sdists and wheels (hostile input), shared by every gate.

It lives outside ``builder/`` and ``metadata/`` because both of them, the manifest and
license gates and the API gate's release trees read archives: two readers had drifted
apart (one missed links, devices, drive letters, duplicates and bombs), so there is one.

Nothing is extracted: members are streamed, counted, hashed and kept in memory only up
to a limit. Every byte the decompressor hands out is charged to one budget (member
count, uncompressed total, compression ratio), so a bomb stops early. Names that would
land outside a directory or are not portable, duplicate names, links, devices and
fifos, and encrypted members are reported as problems, never followed or read.
An archive with any problem must not be trusted; what callers do then is theirs.

Each concern is a module: ``model`` (what is handed back), ``limits`` (how much is
accepted), ``budget`` (where the bytes are charged), ``names`` (names and kinds that are
problems), ``tar`` and ``zip`` (the two formats), ``rawzip`` (a zip's stored bytes, copied
unchanged) and ``dists`` (sdist layout, unsafe dists refused). This module reads a path
or bytes with the right format's reader and re-exports what the rest of releasegate uses.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.archives.dists import refuse_unsafe, sdist_prefix, sdist_relative
from releasegate._internal.archives.limits import HEAD_BYTES, Limits
from releasegate._internal.archives.model import Archive, Member, Problem
from releasegate._internal.archives.names import file_and_directory
from releasegate._internal.archives.rawzip import RawZip, RawZipError
from releasegate._internal.archives.tar import TarReader, gzip_header
from releasegate._internal.archives.zip import ZipReader

if TYPE_CHECKING:
    from typing import BinaryIO

__all__ = [
    "HEAD_BYTES",
    "Archive",
    "Limits",
    "Member",
    "Problem",
    "RawZip",
    "RawZipError",
    "archive_format",
    "gzip_header",
    "read_archive",
    "read_archive_bytes",
    "refuse_unsafe",
    "sdist_prefix",
    "sdist_relative",
]


def read_archive(path: Path, limits: Limits | None = None) -> Archive:
    """Every member of the sdist or wheel at ``path``, checked and hashed, never extracted."""
    chosen = limits or Limits()
    try:
        with path.open("rb") as handle:
            return _read(path, handle, path.stat().st_size, chosen)
    except OSError as error:
        return Archive(path, "", problems=(Problem("corrupt", f"cannot read: {error}"),))


def read_archive_bytes(name: str, data: bytes, limits: Limits | None = None) -> Archive:
    """The same for an archive held in memory; ``name`` picks the format, as a file name would."""
    return _read(Path(name), io.BytesIO(data), len(data), limits or Limits())


def archive_format(name: str) -> str | None:
    if name.endswith((".tar.gz", ".tgz")):
        return "tar.gz"
    if name.endswith(".tar"):
        return "tar"
    if name.endswith((".whl", ".zip")):
        return "zip"
    return None


def _read(path: Path, handle: BinaryIO, size: int, limits: Limits) -> Archive:
    kind = archive_format(path.name)
    if kind is None:
        problem = Problem("not-an-archive", "not an sdist (.tar.gz) or wheel (.whl, .zip)")
        return Archive(path, "", problems=(problem,))
    if kind == "zip":
        archive = ZipReader(path, limits).read(handle, size)
    else:
        archive = TarReader(path, limits).read(handle, size, compressed=kind == "tar.gz")
    clashes = tuple(file_and_directory(archive.members))
    return replace(archive, problems=archive.problems + clashes) if clashes else archive
