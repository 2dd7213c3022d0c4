"""Tar and gzipped tar archives (sdists) read in one streamed pass, with their headers."""

from __future__ import annotations

import gzip
import struct
import tarfile
import zlib
from typing import TYPE_CHECKING

from releasegate._internal.archives.budget import (
    BoundedStream,
    Budget,
    LimitExceeded,
    MemberReader,
)
from releasegate._internal.archives.model import Archive, Member, Problem
from releasegate._internal.archives.names import kind_problem, name_problem

if TYPE_CHECKING:
    from typing import BinaryIO

    from releasegate._internal.archives.budget import Readable


def gzip_header(raw: bytes) -> tuple[tuple[str, str], ...]:
    """The fields of a gzip header that builds can leak into: MTIME, the file name, OS."""
    if len(raw) < 10 or raw[:2] != b"\x1f\x8b":
        return ()
    flags, mtime, os_byte = raw[3], struct.unpack("<I", raw[4:8])[0], raw[9]
    fields = [("gzip mtime", str(mtime)), ("gzip os", str(os_byte))]
    position = 10
    if flags & 4 and len(raw) >= position + 2:
        position += 2 + struct.unpack("<H", raw[position : position + 2])[0]
    if flags & 8:
        end = raw.find(b"\0", position)
        fields.append(("gzip name", raw[position:end].decode("latin-1") if end >= 0 else "?"))
    return tuple(fields)


def tar_format(first_block: bytes, *, pax: bool) -> str:
    """``gnu``, ``pax``, ``ustar`` or ``v7``, from the first header's magic (POSIX ustar and
    pax share one; pax is told by its extended headers)."""
    magic = first_block[257:265]
    if magic == b"ustar  \0":
        return "gnu"
    if magic == b"ustar\x0000":
        return "pax" if pax else "ustar"
    return "v7"


_TAR_KINDS = {
    tarfile.REGTYPE: "file",
    tarfile.AREGTYPE: "file",
    tarfile.CONTTYPE: "file",
    tarfile.DIRTYPE: "dir",
    tarfile.SYMTYPE: "symlink",
    tarfile.LNKTYPE: "hardlink",
    tarfile.CHRTYPE: "device",
    tarfile.BLKTYPE: "device",
    tarfile.FIFOTYPE: "fifo",
}


class TarReader(MemberReader):
    def read(self, handle: BinaryIO, size: int, *, compressed: bool) -> Archive:
        header: tuple[tuple[str, str], ...] = ()
        try:
            budget = Budget(self.limits, size)
            raw: Readable = handle
            if compressed:
                header = gzip_header(handle.read(1024))
                handle.seek(0)
                first = gzip.GzipFile(fileobj=handle, mode="rb").read(tarfile.BLOCKSIZE)
                handle.seek(0)
                raw = gzip.GzipFile(fileobj=handle, mode="rb")
            else:
                first = handle.read(tarfile.BLOCKSIZE)
                handle.seek(0)
            pax = self._walk(BoundedStream(raw, budget), budget)
            header += (("tar format", tar_format(first, pax=pax)),)
        except LimitExceeded as exceeded:
            self.problems.append(exceeded.problem)
        except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError, ValueError) as error:
            self.problems.append(Problem("corrupt", f"not a readable tar archive: {error}"))
        fmt = "tar.gz" if compressed else "tar"
        return Archive(self.path, fmt, header, tuple(self.members), tuple(self.problems))

    def _walk(self, stream: BoundedStream, budget: Budget) -> bool:
        """Read every member; True if any carried pax extended headers."""
        pax = False
        # Stream mode ("r|"): one pass, no seeking, nothing cached beyond the current member.
        with tarfile.open(fileobj=stream, mode="r|") as archive:  # type: ignore[call-overload]
            for info in archive:
                self._problem(budget.add_member(info.name))
                self.members.append(self._member(archive, info, budget))
                pax = pax or bool(info.pax_headers)
            return pax or bool(archive.pax_headers)

    def _member(self, archive: tarfile.TarFile, info: tarfile.TarInfo, budget: Budget) -> Member:
        kind = _TAR_KINDS.get(info.type, "other")
        self._problem(name_problem(info.name))
        self._problem(kind_problem(info.name, kind, info.linkname))
        size, digest, content, head = 0, None, None, b""
        if kind == "file":
            extracted = archive.extractfile(info)
            if extracted is not None:
                size, digest, content, head = budget.hash_member(extracted, info.name)
        return Member(
            info.name,
            kind,
            size,
            digest,
            info.mode & 0o7777,
            str(info.mtime),
            (info.uid, info.gid, info.uname, info.gname),
            (("link", info.linkname),) if info.linkname else (),
            content,
            head,
        )
