"""A zip member's stored bytes, handed out unchanged where zipfile would decompress them."""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.archives.limits import Limits
from releasegate._internal.archives.zip import zip_declared_count
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from pathlib import Path


class RawZipError(ValueError):
    """A member whose stored bytes cannot be handed out (what is wrong, naming the member)."""


@dataclass(frozen=True)
class RawMember:
    info: zipfile.ZipInfo
    """The central directory's entry: CRC, sizes, method, date, attributes, extra field."""
    data: bytes
    """The member's stored bytes, still compressed, exactly as the archive holds them."""


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


class RawZip:
    """The stored (still compressed) bytes of a zip's members, to copy them unchanged.

    Promotion copies every member it does not rewrite; decompressing and recompressing 50 MB
    was most of its time. Bounded like the reader: the declared member count is checked before
    the central directory is parsed, a member's local header must be where the directory says
    and name the same member, its stored bytes must lie inside the file, encrypted members are
    refused, and all bytes handed out together stay under ``Limits.max_total``. Whether the
    bytes decompress to the right content is not checked here: the caller proves it by reading
    what it wrote back with ``read_archive``.
    """

    def __init__(self, path: Path, limits: Limits | None = None) -> None:
        self.path = path
        self.limits = limits or Limits()
        self.handed_out = 0

    def __enter__(self) -> RawZip:
        self._handle = self.path.open("rb")
        try:
            self._size = self.path.stat().st_size
            declared = zip_declared_count(self._handle, self._size)
            if declared is not None and declared > self.limits.max_members:
                raise RawZipError(f"{declared} members declared, more than the limit")
            self._zip = zipfile.ZipFile(self._handle)
        except BaseException:
            self._handle.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._zip.close()
        self._handle.close()

    def member(self, name: str) -> RawMember:
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise RawZipError(f"member {quoted(name)} is not in the archive") from None
        if info.flag_bits & 0x1:
            raise RawZipError(f"member {quoted(name)} is encrypted")
        self.handed_out += info.compress_size
        if self.handed_out > self.limits.max_total:
            raise RawZipError(f"more than {self.limits.max_total} stored bytes")
        start = self._data_start(info)
        if start + info.compress_size > self._size:
            raise RawZipError(f"member {quoted(name)} claims bytes past the end of the archive")
        self._handle.seek(start)
        return RawMember(info, self._handle.read(info.compress_size))

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        self._handle.seek(info.header_offset)
        header = self._handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise RawZipError(f"member {quoted(info.filename)}: no local header where stated")
        name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
        stored = self._handle.read(name_length)
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if stored.decode(encoding, "replace") != info.orig_filename:
            raise RawZipError(f"member {quoted(info.filename)}: its local header names another")
        return int(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
