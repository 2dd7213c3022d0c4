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
"""

from __future__ import annotations

import gzip
import hashlib
import io
import stat
import struct
import tarfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, BinaryIO, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

_MiB = 1 << 20
_BLOCK = 1 << 20
"""The most the budget lets the decompressor produce before it is charged."""
_RATIO_FLOOR = 4 * _MiB
"""Below this many uncompressed bytes a high ratio is harmless (a file of zeros)."""
HEAD_BYTES = 16 * 1024
"""Every regular file keeps this much of its start (license headers), whatever its size."""


@dataclass(frozen=True)
class Limits:
    """The stricter of the two former readers' limits, on every axis."""

    max_total: int = 512 * _MiB
    """Uncompressed bytes, all members (and tar headers) together."""
    max_members: int = 20_000
    max_ratio: int = 200
    """Uncompressed / compressed size, per archive and (zip) per member."""
    keep_content: int = 2 * _MiB
    """Regular files up to this size keep their bytes; larger ones keep their head only."""
    max_kept: int = 32 * _MiB
    """Bytes kept for all regular files together; files past it keep their head only.

    Without it the member cap was no memory cap: 250 members of 2 MiB of zeros beside 3 MB
    of random padding (so the ratio check passes) made ``check manifest`` hold 553 MB.
    """

    def keeping_everything(self) -> Limits:
        """These limits with every regular file's bytes kept (up to ``max_total``)."""
        return replace(self, keep_content=self.max_total, max_kept=self.max_total)


@dataclass(frozen=True)
class Problem:
    """Why an archive is unsafe or unreadable; ``rule`` is a stable identifier."""

    rule: str
    message: str
    member: str | None = None
    """The member it is about; None for the whole archive (limits, corruption)."""


@dataclass(frozen=True)
class Member:
    name: str
    """As stored (a zip directory keeps its trailing slash)."""
    kind: str
    """file, dir, symlink, hardlink, device, fifo or other."""
    size: int = 0
    sha256: str | None = None
    mode: int = 0
    """Permission bits (``0o7777``)."""
    mtime: str = ""
    """Tar: seconds since the epoch; zip: the DOS date and time."""
    owner: tuple[int, int, str, str] | None = None
    """Tar only: uid, gid, uname, gname."""
    extra: tuple[tuple[str, str], ...] = ()
    """Other per-member metadata (tar: link target; zip: creator system, compression, ...)."""
    content: bytes | None = field(default=None, repr=False)
    """All of a regular file's bytes when it is at most ``Limits.keep_content`` and the
    archive's kept bytes stay under ``Limits.max_kept``."""
    head: bytes = field(default=b"", repr=False)
    """The first ``HEAD_BYTES`` of a regular file."""


@dataclass(frozen=True)
class Archive:
    path: Path
    format: str
    """``tar.gz``, ``tar`` or ``zip``."""
    header: tuple[tuple[str, str], ...] = ()
    """Container metadata: gzip header fields, zip comment."""
    members: tuple[Member, ...] = ()
    problems: tuple[Problem, ...] = ()

    @cached_property
    def _index(self) -> dict[str, Member]:
        # Built once: the license gate looks up every shipped file (and its sidecar).
        found: dict[str, Member] = {}
        for member in self.members:
            found.setdefault(member.name.rstrip("/"), member)
        return found

    def by_name(self) -> dict[str, Member]:
        """Members by name, trailing slashes removed (the first of duplicates wins)."""
        return dict(self._index)

    def files(self) -> list[str]:
        return [m.name for m in self.members if m.kind == "file"]

    def read(self, name: str) -> bytes | None:
        """Content of a regular file; None if absent, not a file, or over a content limit."""
        member = self._index.get(name)
        return member.content if member is not None and member.kind == "file" else None

    def head(self, name: str) -> bytes | None:
        """The start of a regular file (``HEAD_BYTES``) whatever its size; None if absent."""
        member = self._index.get(name)
        return member.head if member is not None and member.kind == "file" else None

    def text(self, name: str) -> str | None:
        data = self.read(name)
        return data.decode("utf-8", errors="replace") if data is not None else None

    def describe_problems(self, most: int = 5) -> str:
        shown = "; ".join(f"{p.message} [{p.rule}]" for p in self.problems[:most])
        more = len(self.problems) - most
        return shown + (f"; and {more} more" if more > 0 else "")


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
        archive = _ZipReader(path, limits).read(handle, size)
    else:
        archive = _TarReader(path, limits).read(handle, size, compressed=kind == "tar.gz")
    clashes = tuple(_file_and_directory(archive.members))
    return replace(archive, problems=archive.problems + clashes) if clashes else archive


def _file_and_directory(members: tuple[Member, ...]) -> Iterator[Problem]:
    """A member that is not a directory but is also the parent of another (``a`` and ``a/b``).

    No extraction can make both: one overwrites the other or the unpack fails half-way
    (NotADirectoryError), so the archive means different things to different installers.
    """
    parents: dict[str, str] = {}
    for member in members:
        parts = member.name.rstrip("/").split("/")
        for depth in range(1, len(parts)):
            parents.setdefault("/".join(parts[:depth]), member.name)
    for member in members:
        name = member.name.rstrip("/")
        if member.kind != "dir" and name in parents:
            message = f"{name} is a {member.kind} and also the directory of {parents[name]}"
            yield Problem("file-and-directory", message, member.name)


def name_problem(name: str) -> Problem | None:
    """A member name that would land outside the extraction directory, or is not portable."""
    if "\0" in name or "\\" in name:
        return Problem("unsafe-name", f"member {name!r} has a NUL or backslash in its name", name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return Problem("absolute-path", f"member {name!r} has an absolute path", name)
    if ".." in PurePosixPath(name).parts:
        return Problem(
            "path-traversal", f"member {name!r} climbs out of the archive with '..'", name
        )
    return None


def kind_problem(name: str, kind: str, target: str = "") -> Problem | None:
    """Links are never followed and devices never opened: both are problems."""
    if kind in ("symlink", "hardlink"):
        to = f" to {target!r}" if target else ""
        return Problem(kind, f"member {name!r} is a {kind}{to}; not followed", name)
    if kind in ("device", "fifo", "other"):
        return Problem("special-file", f"member {name!r} is a {kind}, not a file", name)
    return None


class _LimitExceeded(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Budget:
    """Counts members, names and uncompressed bytes against the limits."""

    def __init__(self, limits: Limits, compressed: int) -> None:
        self.limits = limits
        self.compressed = max(compressed, 1)
        self.total = 0
        self.count = 0
        self.kept = 0
        self.seen: set[str] = set()

    def keep(self) -> int:
        """How many bytes the next regular file may keep."""
        return min(self.limits.keep_content, self.limits.max_kept - self.kept)

    def hash_member(self, stream: _Readable) -> tuple[int, str, bytes | None, bytes]:
        size, digest, content, head = _hash_stream(stream, self.keep())
        self.kept += len(content) if content is not None else 0
        return size, digest, content, head

    def add_member(self, name: str) -> Problem | None:
        """Charge one member; raise past the count limit, return a duplicate-name problem."""
        self.count += 1
        if self.count > self.limits.max_members:
            raise _LimitExceeded(
                Problem("too-many-members", f"more than {self.limits.max_members} members")
            )
        key = name.rstrip("/")
        if key in self.seen:
            return Problem("duplicate-member", f"member {name!r} appears twice", name)
        self.seen.add(key)
        return None

    def add_bytes(self, amount: int) -> None:
        self.total += amount
        if self.total > self.limits.max_total:
            raise _LimitExceeded(
                Problem("too-large", f"more than {self.limits.max_total} bytes uncompressed")
            )
        problem = ratio_problem(self.total, self.compressed, self.limits.max_ratio)
        if problem is not None:
            raise _LimitExceeded(problem)


def ratio_problem(
    uncompressed: int, compressed: int, max_ratio: int, where: str = ""
) -> Problem | None:
    if uncompressed > _RATIO_FLOOR and uncompressed > max_ratio * max(compressed, 1):
        return Problem(
            "compression-ratio", f"{where}compression ratio above {max_ratio}:1 (a zip bomb?)"
        )
    return None


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _BoundedStream:
    """A read-only stream that charges every byte to the budget, a block at a time.

    Charging per block (not per call) matters: tarfile asks for a pax header's whole
    declared size in one read, and that size is the attacker's.
    """

    def __init__(self, raw: _Readable, budget: _Budget) -> None:
        self.raw = raw
        self.budget = budget

    def read(self, size: int = -1) -> bytes:
        want = size if size >= 0 else _BLOCK
        parts = []
        while want > 0:
            block = self.raw.read(min(want, _BLOCK))
            if not block:
                break
            self.budget.add_bytes(len(block))
            parts.append(block)
            want -= len(block)
        return b"".join(parts)


def _hash_stream(stream: _Readable, keep: int) -> tuple[int, str, bytes | None, bytes]:
    digest, size, kept, head = hashlib.sha256(), 0, bytearray(), b""
    for block in iter(lambda: stream.read(1 << 16), b""):
        digest.update(block)
        if len(head) < HEAD_BYTES:
            head += block[: HEAD_BYTES - len(head)]
        size += len(block)
        if size <= keep:
            kept += block
    return size, digest.hexdigest(), bytes(kept) if size <= keep else None, head


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


class _TarReader:
    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.members: list[Member] = []
        self.problems: list[Problem] = []

    def read(self, handle: BinaryIO, size: int, *, compressed: bool) -> Archive:
        header: tuple[tuple[str, str], ...] = ()
        try:
            budget = _Budget(self.limits, size)
            raw: _Readable = handle
            if compressed:
                header = gzip_header(handle.read(1024))
                handle.seek(0)
                first = gzip.GzipFile(fileobj=handle, mode="rb").read(tarfile.BLOCKSIZE)
                handle.seek(0)
                raw = gzip.GzipFile(fileobj=handle, mode="rb")
            else:
                first = handle.read(tarfile.BLOCKSIZE)
                handle.seek(0)
            pax = self._walk(_BoundedStream(raw, budget), budget)
            header += (("tar format", tar_format(first, pax=pax)),)
        except _LimitExceeded as exceeded:
            self.problems.append(exceeded.problem)
        except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError, ValueError) as error:
            self.problems.append(Problem("corrupt", f"not a readable tar archive: {error}"))
        fmt = "tar.gz" if compressed else "tar"
        return Archive(self.path, fmt, header, tuple(self.members), tuple(self.problems))

    def _walk(self, stream: _BoundedStream, budget: _Budget) -> bool:
        """Read every member; True if any carried pax extended headers."""
        pax = False
        # Stream mode ("r|"): one pass, no seeking, nothing cached beyond the current member.
        with tarfile.open(fileobj=stream, mode="r|") as archive:  # type: ignore[call-overload]
            for info in archive:
                self._problem(budget.add_member(info.name))
                self.members.append(self._member(archive, info, budget))
                pax = pax or bool(info.pax_headers)
            return pax or bool(archive.pax_headers)

    def _problem(self, problem: Problem | None) -> None:
        if problem is not None:
            self.problems.append(problem)

    def _member(self, archive: tarfile.TarFile, info: tarfile.TarInfo, budget: _Budget) -> Member:
        kind = _TAR_KINDS.get(info.type, "other")
        self._problem(name_problem(info.name))
        self._problem(kind_problem(info.name, kind, info.linkname))
        size, digest, content, head = 0, None, None, b""
        if kind == "file":
            extracted = archive.extractfile(info)
            if extracted is not None:
                size, digest, content, head = budget.hash_member(extracted)
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


def _zip_kind(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if info.is_dir() or stat.S_ISDIR(mode):
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


class _ZipReader:
    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.members: list[Member] = []
        self.problems: list[Problem] = []

    def read(self, handle: BinaryIO, size: int) -> Archive:
        header: tuple[tuple[str, str], ...] = ()
        try:
            declared = zip_declared_count(handle, size)
            if declared is not None and declared > self.limits.max_members:
                raise _LimitExceeded(
                    Problem(
                        "too-many-members",
                        f"{declared} members declared, more than {self.limits.max_members}",
                    )
                )
            with zipfile.ZipFile(handle) as archive:
                header = (
                    (("zip comment", archive.comment.decode("latin-1")),) if archive.comment else ()
                )
                for member in self._walk(archive, _Budget(self.limits, size)):
                    self.members.append(member)
        except _LimitExceeded as exceeded:
            self.problems.append(exceeded.problem)
        except _ZIP_ERRORS as error:
            self.problems.append(Problem("corrupt", f"not a readable zip: {error}"))
        return Archive(self.path, "zip", header, tuple(self.members), tuple(self.problems))

    def _walk(self, archive: zipfile.ZipFile, budget: _Budget) -> Iterator[Member]:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > self.limits.max_total:
            raise _LimitExceeded(
                Problem(
                    "too-large",
                    f"members declare more than {self.limits.max_total} bytes uncompressed",
                )
            )
        for info in infos:
            self._problem(budget.add_member(info.filename))
            yield self._member(archive, info, budget)

    def _problem(self, problem: Problem | None) -> None:
        if problem is not None:
            self.problems.append(problem)

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Member:
        kind = _zip_kind(info)
        self._problem(name_problem(info.filename))
        self._problem(kind_problem(info.filename, kind))
        size, digest, content, head = info.file_size, None, None, b""
        if kind == "file" and info.flag_bits & 0x1:
            # zipfile would raise RuntimeError asking for a password: no wheel is encrypted.
            self._problem(
                Problem("encrypted", f"member {info.filename!r} is encrypted", info.filename)
            )
        elif kind == "file":
            where = f"member {info.filename!r}: "
            problem = ratio_problem(
                info.file_size, info.compress_size, self.limits.max_ratio, where
            )
            if problem is not None:
                raise _LimitExceeded(problem)
            with archive.open(info) as handle:
                bounded = _BoundedStream(handle, budget)
                size, digest, content, head = budget.hash_member(bounded)
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
            raise RawZipError(f"member {name!r} is not in the archive") from None
        if info.flag_bits & 0x1:
            raise RawZipError(f"member {name!r} is encrypted")
        self.handed_out += info.compress_size
        if self.handed_out > self.limits.max_total:
            raise RawZipError(f"more than {self.limits.max_total} stored bytes")
        start = self._data_start(info)
        if start + info.compress_size > self._size:
            raise RawZipError(f"member {name!r} claims bytes past the end of the archive")
        self._handle.seek(start)
        return RawMember(info, self._handle.read(info.compress_size))

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        self._handle.seek(info.header_offset)
        header = self._handle.read(_LOCAL_HEADER.size)
        if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise RawZipError(f"member {info.filename!r}: no local header where stated")
        name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
        stored = self._handle.read(name_length)
        encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
        if stored.decode(encoding, "replace") != info.orig_filename:
            raise RawZipError(f"member {info.filename!r}: its local header names another")
        return int(info.header_offset + _LOCAL_HEADER.size + name_length + extra_length)


def _zip_extra(info: zipfile.ZipInfo) -> tuple[tuple[str, str], ...]:
    return (
        ("creator system", str(info.create_system)),
        ("compression", str(info.compress_type)),
        ("extra field", info.extra.hex()),
        ("external attributes", hex(info.external_attr & 0xFFFF)),
    )


def sdist_prefix(archive: Archive) -> str:
    """The single top-level directory of an sdist (``name-version``), or ''."""
    tops = {m.name.split("/", 1)[0] for m in archive.members}
    return tops.pop() if len(tops) == 1 else ""


def sdist_relative(archive: Archive) -> dict[str, str]:
    """Regular files of an sdist keyed by their path inside the project (prefix stripped)."""
    prefix = sdist_prefix(archive)
    cut = len(prefix) + 1 if prefix else 0
    return {name[cut:]: name for name in archive.files() if name[cut:]}


def refuse_unsafe(paths: Iterable[Path], refused: str) -> None:
    """Raise FatalError naming every dist in ``paths`` that the reader finds a problem in.

    ``build`` and ``publish`` call it before they write or plan anything: a link, a ``..``
    member, a device or a duplicate must never ship, whoever built the file. ``refused`` says
    what did not happen ("nothing was published").
    """
    from releasegate._internal.errors import FatalError

    unsafe = [(path, read_archive(path)) for path in paths]
    named = [
        f"{path.name}: {archive.describe_problems()}"
        for path, archive in unsafe
        if archive.problems
    ]
    if named:
        raise FatalError(
            f"unsafe or unreadable dist(s), {refused}: " + " | ".join(named),
            hint="rebuild with `releasegate build`; an archive member must be a regular file or "
            "directory, named once, inside the archive",
        )
