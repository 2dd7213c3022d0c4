"""Zip archives (wheels) read through zipfile, with the checks zipfile does not make:
the declared member count before the central directory is parsed, declared sizes,
per-member compression ratios and encrypted members."""

from __future__ import annotations

import stat
import struct
import time
import zipfile
import zlib
from typing import TYPE_CHECKING

from releasegate._internal.archives.budget import (
    BoundedStream,
    Budget,
    LimitExceeded,
    MemberReader,
)
from releasegate._internal.archives.limits import ratio_problem
from releasegate._internal.archives.model import Archive, Member, Problem
from releasegate._internal.archives.names import kind_problem, name_problem
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import BinaryIO


def _zip_kind(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    # ZipInfo.is_dir() reads filename[-1]: IndexError on a member whose name is empty.
    if info.filename.endswith("/") or stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "fifo"
    return "file"


_CD_BYTES_PER_MEMBER = 1024
"""Central directory bytes allowed per member: a wheel's entries are 46 bytes plus a path."""


def zip_declared_count(handle: BinaryIO, size: int) -> int | None:
    """The member count the end-of-central-directory record claims, read before parsing it all.

    ZipFile builds every ZipInfo of the central directory at once, so the count is checked
    first; a zip64 archive states its real count in its own end record. ZipFile reads the
    directory by its size, not its count, so an oversized directory counts as too many.
    """
    handle.seek(max(0, size - (1 << 16) - 22 - 76))
    tail = handle.read()
    handle.seek(0)
    where = tail.rfind(b"PK\x05\x06")
    if where < 0 or len(tail) < where + 16:
        return None
    count = int(struct.unpack("<H", tail[where + 10 : where + 12])[0])
    directory = int(struct.unpack("<I", tail[where + 12 : where + 16])[0])
    where64 = tail.rfind(b"PK\x06\x06", 0, where)
    if count == 0xFFFF and where64 >= 0 and len(tail) >= where64 + 40:
        count = int(struct.unpack("<Q", tail[where64 + 32 : where64 + 40])[0])
    return max(count, directory // _CD_BYTES_PER_MEMBER)


_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,  # an unknown compression method
)


class ZipReader(MemberReader):
    def read(self, handle: BinaryIO, size: int) -> Archive:
        header: tuple[tuple[str, str], ...] = ()
        try:
            declared = zip_declared_count(handle, size)
            if declared is not None and declared > self.limits.max_members:
                raise LimitExceeded(
                    Problem(
                        "too-many-members",
                        f"{declared} members declared, more than {self.limits.max_members}",
                    )
                )
            with zipfile.ZipFile(handle) as archive:
                header = (
                    (("zip comment", archive.comment.decode("latin-1")),) if archive.comment else ()
                )
                for member in self._walk(archive, Budget(self.limits, size)):
                    self.members.append(member)
        except LimitExceeded as exceeded:
            self.problems.append(exceeded.problem)
        except _ZIP_ERRORS as error:
            self.problems.append(Problem("corrupt", f"not a readable zip: {error}"))
        return Archive(self.path, "zip", header, tuple(self.members), tuple(self.problems))

    def _walk(self, archive: zipfile.ZipFile, budget: Budget) -> Iterator[Member]:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > self.limits.max_total:
            raise LimitExceeded(
                Problem(
                    "too-large",
                    f"members declare more than {self.limits.max_total} bytes uncompressed",
                )
            )
        for info in infos:
            self._problem(budget.add_member(info.filename))
            yield self._member(archive, info, budget)

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> Member:
        kind = _zip_kind(info)
        self._problem(name_problem(info.filename))
        self._problem(kind_problem(info.filename, kind))
        size, digest, content, head = info.file_size, None, None, b""
        if kind == "file" and info.flag_bits & 0x1:
            # zipfile would raise RuntimeError asking for a password: no wheel is encrypted.
            self._problem(
                Problem("encrypted", f"member {quoted(info.filename)} is encrypted", info.filename)
            )
        elif kind == "file":
            where = f"member {quoted(info.filename)}: "
            problem = ratio_problem(
                info.file_size, info.compress_size, self.limits.max_ratio, where
            )
            if problem is not None:
                raise LimitExceeded(problem)
            with archive.open(info) as handle:
                bounded = BoundedStream(handle, budget)
                size, digest, content, head = budget.hash_member(bounded, info.filename)
        return Member(
            info.filename,
            kind,
            size,
            digest,
            (info.external_attr >> 16) & 0o7777,
            time.strftime("%Y-%m-%d %H:%M:%S", (*info.date_time, 0, 1, -1)),
            None,
            _zip_extra(info),
            content,
            head,
        )


def _zip_extra(info: zipfile.ZipInfo) -> tuple[tuple[str, str], ...]:
    return (
        ("creator system", str(info.create_system)),
        ("compression", str(info.compress_type)),
        ("extra field", info.extra.hex()),
        ("external attributes", hex(info.external_attr & 0xFFFF)),
    )
