"""A wheel's ``METADATA`` read through HTTP range requests, without downloading the wheel.

An index that announces no metadata file (PEP 658) left the whole wheel to download for a few
kilobytes of headers: autogen's 366 locked dependencies cost most of a cold run, and torch's
and CUDA's wheels (hundreds of MB) were over the download bound, so their licenses were
undecidable (issue 30). A zip keeps its directory at its end: the tail, the directory and the
one member are fetched in blocks, as pip's lazy wheel does. Like an index's metadata file, what
is read is the file the index lists, not checked against the lock's sha256 (that needs every
byte); a server that ignores ``Range`` gets the bounded full download instead.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    import requests

BLOCK = 256 * 1024
MAX_FETCHED = 16 * 1024 * 1024
"""Bytes fetched for one wheel's metadata, at most: a hostile or odd zip costs no more."""
_TOTAL = re.compile(r"bytes \d+-\d+/(\d+)")


class RangeUnsupported(Exception):
    """The server sent the whole file (or no size): read it the ordinary way."""


class _Ranges(io.RawIOBase):
    """A read-only, seekable view of a remote file: its tail (already read), and the rest
    fetched in cached blocks."""

    def __init__(self, fetch: Callable[[int, int], bytes], size: int, tail: bytes) -> None:
        self._fetch, self._size, self._pos = fetch, size, 0
        self._tail, self._tail_start = tail, size - len(tail)
        self._blocks: dict[int, bytes] = {}
        self.fetched = len(tail)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        wanted = min(len(buffer), self._size - self._pos)
        if wanted <= 0:
            return 0
        chunk = self._read(self._pos, wanted)
        buffer[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)

    def _read(self, start: int, length: int) -> bytes:
        if start >= self._tail_start:
            offset = start - self._tail_start
            return self._tail[offset : offset + length]
        first, last = start // BLOCK, (start + length - 1) // BLOCK
        data = b"".join(self._block(index) for index in range(first, last + 1))
        skip = start - first * BLOCK
        return data[skip : skip + length]

    def _block(self, index: int) -> bytes:
        offset = index * BLOCK
        if offset not in self._blocks:
            end = min(offset + BLOCK, self._size) - 1
            self.fetched += end - offset + 1
            if self.fetched > MAX_FETCHED:
                raise ValueError(f"the wheel's metadata needs more than {MAX_FETCHED} bytes")
            data = self._fetch(offset, end)
            if len(data) != end - offset + 1:
                raise ValueError(f"a range of {end - offset + 1} bytes came back {len(data)} long")
            self._blocks[offset] = data
        return self._blocks[offset]


def metadata(
    session: requests.Session, url: str, read: Callable[[requests.Response], bytes]
) -> str | bytes:
    """The wheel's METADATA text; the whole file's bytes when it fit in the first request.

    ``read`` reads a response's body within releasegate's bounds. Raises RangeUnsupported when
    the server does not answer ranges, ValueError for a zip that is not a readable wheel.
    """
    import zipfile

    first = session.get(url, headers={"Range": f"bytes=-{BLOCK}"}, stream=True)
    if first.status_code == 200:
        raise RangeUnsupported(first)
    total = _TOTAL.fullmatch(first.headers.get("Content-Range", ""))
    if first.status_code != 206 or total is None:
        first.close()
        raise ValueError(f"{url} answered HTTP {first.status_code} to a range request")
    tail = read(first)
    size = int(total.group(1))
    if len(tail) >= size:
        return tail  # a small wheel: all of it, to be hash-checked as a download

    def fetch(start: int, end: int) -> bytes:
        response = session.get(url, headers={"Range": f"bytes={start}-{end}"}, stream=True)
        if response.status_code != 206:
            response.close()
            raise ValueError(f"{url} answered HTTP {response.status_code} to a range request")
        return read(response)

    view = _Ranges(fetch, size, tail)
    try:
        with zipfile.ZipFile(io.BufferedReader(view, BLOCK)) as archive:
            names = [n for n in archive.namelist() if n.count("/") == 1]
            member = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            if member is None:
                raise ValueError(f"{url}: no .dist-info/METADATA in the wheel")
            info = archive.getinfo(member)
            if info.file_size > MAX_FETCHED:
                raise ValueError(f"{url}: METADATA of {info.file_size} bytes")
            return archive.read(member).decode("utf-8", "replace")
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
        raise ValueError(f"{url}: not a readable wheel ({exc})") from None
