"""Reading sdists and wheels without trusting them.

Nothing is extracted while reading: members are streamed and hashed in memory, so a
hostile archive cannot write anywhere. Limits on the uncompressed total, the member
count and the compression ratio stop bombs early; path traversal, absolute names,
symlinks, hard links and device files are reported as problems, never followed.
``extract_sdist`` writes regular files only, under a directory the caller owns.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
import struct
import tarfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterator

_MiB = 1 << 20
_CHUNK = 1 << 16
_RATIO_FLOOR = 4 * _MiB
"""Below this many uncompressed bytes a high ratio is harmless (a file of zeros)."""


@dataclass(frozen=True)
class Limits:
    max_total: int = 512 * _MiB
    """Uncompressed bytes, all members together."""
    max_members: int = 50_000
    max_ratio: int = 200
    """Uncompressed / compressed size, per archive (tar.gz) or per member (zip)."""
    keep_content: int = 2 * _MiB
    """Members up to this size keep their bytes, for text diffs."""


@dataclass(frozen=True)
class Problem:
    """Why an archive is unsafe or unreadable; ``rule`` is a stable identifier."""

    rule: str
    message: str


@dataclass(frozen=True)
class Member:
    name: str
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
    """Other per-member metadata (zip: creator system, compression, extra field)."""
    content: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Archive:
    path: Path
    format: str
    """``tar.gz`` or ``zip``."""
    header: tuple[tuple[str, str], ...] = ()
    """Container metadata: gzip header fields, zip comment."""
    members: tuple[Member, ...] = ()
    problems: tuple[Problem, ...] = ()

    def by_name(self) -> dict[str, Member]:
        return {member.name: member for member in self.members}


class UnsafeArchive(Exception):
    """An archive that must not be extracted; carries every problem found."""

    def __init__(self, path: Path, problems: tuple[Problem, ...]) -> None:
        super().__init__(f"{path.name}: " + "; ".join(p.message for p in problems))
        self.problems = problems


def name_problem(name: str) -> Problem | None:
    """A member name that would land outside the extraction directory, or is not portable."""
    if "\0" in name or "\\" in name:
        return Problem("unsafe-name", f"member {name!r} has a NUL or backslash in its name")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return Problem("absolute-path", f"member {name!r} has an absolute path")
    if ".." in PurePosixPath(name).parts:
        return Problem("path-traversal", f"member {name!r} climbs out of the archive with '..'")
    return None


def read_archive(path: Path, limits: Limits | None = None) -> Archive:
    """Every member of the sdist (``.tar.gz``) or wheel/zip at ``path``, hashed, never extracted."""
    chosen = limits or Limits()
    if path.name.endswith((".tar.gz", ".tgz")):
        return _TarReader(path, chosen).read()
    return _ZipReader(path, chosen).read()


class _Budget:
    """Counts members and uncompressed bytes against the limits."""

    def __init__(self, limits: Limits, compressed: int) -> None:
        self.limits = limits
        self.compressed = max(compressed, 1)
        self.total = 0
        self.count = 0

    def add_member(self) -> Problem | None:
        self.count += 1
        if self.count > self.limits.max_members:
            return Problem("too-many-members", f"more than {self.limits.max_members} members")
        return None

    def add_bytes(self, amount: int) -> Problem | None:
        self.total += amount
        if self.total > self.limits.max_total:
            return Problem("too-large", f"more than {self.limits.max_total} bytes uncompressed")
        return ratio_problem(self.total, self.compressed, self.limits.max_ratio)


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


class _LimitExceeded(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _BoundedStream:
    """A read-only stream that charges every byte it hands out to the budget."""

    def __init__(self, raw: _Readable, budget: _Budget) -> None:
        self.raw = raw
        self.budget = budget

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size if size >= 0 else _CHUNK * 16)
        problem = self.budget.add_bytes(len(data))
        if problem is not None:
            raise _LimitExceeded(problem)
        return data


def _hash_stream(stream: _Readable, keep: int) -> tuple[int, str, bytes | None]:
    digest, size, kept = hashlib.sha256(), 0, bytearray()
    for block in iter(lambda: stream.read(_CHUNK), b""):
        digest.update(block)
        size += len(block)
        if size <= keep:
            kept += block
    return size, digest.hexdigest(), bytes(kept) if size <= keep else None


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

    def read(self) -> Archive:
        header: tuple[tuple[str, str], ...] = ()
        try:
            with self.path.open("rb") as handle:
                header = gzip_header(handle.read(1024))
                handle.seek(0)
                budget = _Budget(self.limits, self.path.stat().st_size)
                self._walk(gzip.GzipFile(fileobj=handle, mode="rb"), budget)
        except _LimitExceeded as exceeded:
            self.problems.append(exceeded.problem)
        except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError, ValueError) as error:
            self.problems.append(Problem("corrupt", f"not a readable .tar.gz: {error}"))
        return Archive(self.path, "tar.gz", header, tuple(self.members), tuple(self.problems))

    def _walk(self, raw: gzip.GzipFile, budget: _Budget) -> None:
        stream = _BoundedStream(raw, budget)
        with tarfile.open(fileobj=stream, mode="r|") as archive:  # type: ignore[call-overload]
            for info in archive:
                problem = budget.add_member()
                if problem is not None:
                    raise _LimitExceeded(problem)
                self.members.append(self._member(archive, info))

    def _member(self, archive: tarfile.TarFile, info: tarfile.TarInfo) -> Member:
        kind = _TAR_KINDS.get(info.type, "other")
        self._check(info.name, kind, info.linkname)
        size, digest, content = 0, None, None
        if kind == "file":
            extracted = archive.extractfile(info)
            if extracted is not None:
                size, digest, content = _hash_stream(extracted, self.limits.keep_content)
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
        )

    def _check(self, name: str, kind: str, link: str) -> None:
        problem = name_problem(name)
        if problem is not None:
            self.problems.append(problem)
        if kind in ("symlink", "hardlink"):
            self.problems.append(
                Problem(kind, f"member {name!r} is a {kind} to {link!r}; not followed")
            )
        elif kind in ("device", "fifo", "other"):
            self.problems.append(
                Problem("special-file", f"member {name!r} is a {kind}, not a file")
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


def zip_declared_count(path: Path) -> int | None:
    """The member count the end-of-central-directory record claims, read before parsing it all."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - (1 << 16) - 22))
        tail = handle.read()
    where = tail.rfind(b"PK\x05\x06")
    if where < 0 or len(tail) < where + 12:
        return None
    return int(struct.unpack("<H", tail[where + 10 : where + 12])[0])


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
        self.problems: list[Problem] = []

    def read(self) -> Archive:
        members: list[Member] = []
        header: tuple[tuple[str, str], ...] = ()
        try:
            declared = zip_declared_count(self.path)
            if declared is not None and declared > self.limits.max_members:
                raise _LimitExceeded(
                    Problem(
                        "too-many-members",
                        f"{declared} members declared, more than {self.limits.max_members}",
                    )
                )
            with zipfile.ZipFile(self.path) as archive:
                header = (
                    (("zip comment", archive.comment.decode("latin-1")),) if archive.comment else ()
                )
                members = list(self._walk(archive))
        except _LimitExceeded as exceeded:
            self.problems.append(exceeded.problem)
        except _ZIP_ERRORS as error:
            self.problems.append(Problem("corrupt", f"not a readable zip: {error}"))
        return Archive(self.path, "zip", header, tuple(members), tuple(self.problems))

    def _walk(self, archive: zipfile.ZipFile) -> Iterator[Member]:
        infos = archive.infolist()
        budget = _Budget(self.limits, self.path.stat().st_size)
        if len(infos) > self.limits.max_members:
            raise _LimitExceeded(
                Problem(
                    "too-many-members", f"{len(infos)} members, more than {self.limits.max_members}"
                )
            )
        if sum(info.file_size for info in infos) > self.limits.max_total:
            raise _LimitExceeded(
                Problem(
                    "too-large",
                    f"members declare more than {self.limits.max_total} bytes uncompressed",
                )
            )
        seen: set[str] = set()
        for info in infos:
            if info.filename in seen:
                self.problems.append(
                    Problem("duplicate-member", f"member {info.filename!r} appears twice")
                )
            seen.add(info.filename)
            yield self._member(archive, info, budget)

    def _member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Member:
        kind = _zip_kind(info)
        self._check(info, kind)
        size, digest, content = info.file_size, None, None
        if kind == "file":
            where = f"member {info.filename!r}: "
            problem = ratio_problem(
                info.file_size, info.compress_size, self.limits.max_ratio, where
            )
            if problem is not None:
                raise _LimitExceeded(problem)
            with archive.open(info) as handle:
                bounded = _BoundedStream(handle, budget)
                size, digest, content = _hash_stream(bounded, self.limits.keep_content)
        extra = (
            ("creator system", str(info.create_system)),
            ("compression", str(info.compress_type)),
            ("extra field", info.extra.hex()),
            ("external attributes", hex(info.external_attr & 0xFFFF)),
        )
        return Member(
            info.filename,
            kind,
            size,
            digest,
            (info.external_attr >> 16) & 0o7777,
            time.strftime("%Y-%m-%d %H:%M:%S", (*info.date_time, 0, 1, -1)),
            None,
            extra,
            content,
        )

    def _check(self, info: zipfile.ZipInfo, kind: str) -> None:
        problem = name_problem(info.filename)
        if problem is not None:
            self.problems.append(problem)
        if kind == "symlink":
            self.problems.append(
                Problem("symlink", f"member {info.filename!r} is a symlink; not followed")
            )
        elif kind in ("device", "fifo"):
            self.problems.append(
                Problem("special-file", f"member {info.filename!r} is a {kind}, not a file")
            )


def extract_sdist(path: Path, dest: Path, limits: Limits | None = None) -> Path:
    """Extract the regular files of a safe sdist under ``dest``; return its top directory.

    Raises UnsafeArchive when the archive has any problem, before anything is written.
    """
    chosen = limits or Limits()
    keep_all = Limits(chosen.max_total, chosen.max_members, chosen.max_ratio, chosen.max_total)
    archive = read_archive(path, keep_all)
    problems = list(archive.problems)
    tops = {PurePosixPath(m.name).parts[0] for m in archive.members if PurePosixPath(m.name).parts}
    if len(tops) != 1:
        problems.append(
            Problem("layout", f"an sdist has one top directory, this one has {len(tops)}")
        )
    if problems:
        raise UnsafeArchive(path, tuple(problems))
    root = dest.resolve()
    for member in archive.members:
        _write_member(root, member)
    return root / tops.pop()


def _write_member(root: Path, member: Member) -> None:
    target = (root / member.name).resolve()
    if root not in target.parents:
        problem = Problem("path-traversal", f"member {member.name!r} leaves the directory")
        raise UnsafeArchive(root, (problem,))
    if member.kind == "dir":
        target.mkdir(parents=True, exist_ok=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(member.content or b"")
    target.chmod(0o755 if member.mode & 0o111 else 0o644)
    # Keep the member's time, as pip and tar do: a build from the sdist must see what users see.
    try:
        mtime = float(member.mtime)
    except ValueError:
        return
    os.utime(target, (mtime, mtime))
