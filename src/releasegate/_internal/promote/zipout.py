"""A zip written member by member: copied members keep their stored bytes, new ones are deflated.

``zipfile`` writes only what it compresses itself, and recompressing the members a promotion
does not change was most of its time (4.97 s for a 46 MB wheel, against 3.09 s to rebuild
it). So the container is written here, from ``archives.RawZip``'s stored bytes: local headers
by ``ZipInfo.FileHeader``, the central directory and its end record as APPNOTE 4.3.12 and
4.3.16 lay them out. No zip64: the reader's limits (512 MB, 20,000 members) keep every size,
offset and count below it, and ``struct`` refuses a value that would not fit.
"""

from __future__ import annotations

import copy
import struct
import zipfile
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from typing import BinaryIO

_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_DATA_DESCRIPTOR = 0x08
_UTF8_NAME = 0x800
_ZIP64_EXTRA = 1


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields as they were, less a zip64 one (sizes are stated in the headers)."""
    kept, position = b"", 0
    while position + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[position : position + 4])
        if kind != _ZIP64_EXTRA:
            kept += extra[position : position + 4 + size]
        position += 4 + size
    return kept


def _name_and_flags(info: zipfile.ZipInfo) -> tuple[bytes, int]:
    try:
        return info.filename.encode("ascii"), info.flag_bits & ~_UTF8_NAME
    except UnicodeEncodeError:
        return info.filename.encode("utf-8"), info.flag_bits | _UTF8_NAME


def _dos(info: zipfile.ZipInfo) -> tuple[int, int]:
    year, month, day, hour, minute, second = info.date_time
    return hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day


class ZipOut:
    """Members in the order added; ``close`` writes the central directory."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.written: list[zipfile.ZipInfo] = []

    def add_stored(self, template: zipfile.ZipInfo, data: bytes) -> None:
        """``data`` as stored (compressed by ``template.compress_type``); CRC and sizes are the
        template's, which a raw copy keeps."""
        info = copy.copy(template)
        # Sizes and CRC go in the local header, so no data descriptor follows the data.
        info.flag_bits &= ~_DATA_DESCRIPTOR
        info.extra = _without_zip64(info.extra)
        info.header_offset = self.handle.tell()
        self.handle.write(info.FileHeader(zip64=False))
        self.handle.write(data)
        self.written.append(info)

    def add(self, template: zipfile.ZipInfo, content: bytes) -> None:
        """``content`` compressed by the template's method (deflate unless it was stored)."""
        info = copy.copy(template)
        if info.compress_type != zipfile.ZIP_STORED:
            info.compress_type = zipfile.ZIP_DEFLATED
            packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            data = packer.compress(content) + packer.flush()
        else:
            data = content
        info.CRC = zlib.crc32(content)
        info.file_size, info.compress_size = len(content), len(data)
        self.add_stored(info, data)

    def close(self) -> None:
        start = self.handle.tell()
        for info in self.written:
            name, flags = _name_and_flags(info)
            dos_time, dos_date = _dos(info)
            self.handle.write(
                _CENTRAL.pack(
                    b"PK\x01\x02",
                    info.create_version,
                    info.create_system,
                    info.extract_version,
                    info.reserved,
                    flags,
                    info.compress_type,
                    dos_time,
                    dos_date,
                    info.CRC,
                    info.compress_size,
                    info.file_size,
                    len(name),
                    len(info.extra),
                    len(info.comment),
                    0,
                    info.internal_attr,
                    info.external_attr,
                    info.header_offset,
                )
                + name
                + info.extra
                + info.comment
            )
        size, count = self.handle.tell() - start, len(self.written)
        self.handle.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))
