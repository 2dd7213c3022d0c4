"""Reading built archives (sdist tar.gz, wheel zip) safely, without extracting them.

Nothing is written to disk and no link is followed: members are read into memory
in one pass, under limits on member count, declared and actual sizes, so a hostile
or broken archive gives an ArchiveError instead of filling the disk or memory.
"""

from __future__ import annotations

import stat
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from releasegate._internal.errors import ReleasegateError

if TYPE_CHECKING:
    from pathlib import Path

MAX_MEMBERS = 20_000
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_MEMBER_BYTES = 32 * 1024 * 1024
"""Members larger than this are listed but their content is not kept."""


class ArchiveError(ReleasegateError):
    """The archive cannot be read within the limits, or is not an archive at all."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int
    kind: str
    """``file``, ``dir``, ``link`` (symbolic or hard; never followed) or ``other``."""


@dataclass
class Archive:
    path: Path
    members: dict[str, Member] = field(default_factory=dict)
    unsafe: list[str] = field(default_factory=list)
    """Member names that are absolute or climb out with '..'."""
    _data: dict[str, bytes] = field(default_factory=dict, repr=False)

    def files(self) -> list[str]:
        return [name for name, member in self.members.items() if member.kind == "file"]

    def read(self, name: str) -> bytes | None:
        """Content of a regular file member; None if absent, not a file, or over the limit."""
        return self._data.get(name)

    def text(self, name: str) -> str | None:
        data = self.read(name)
        return data.decode("utf-8", errors="replace") if data is not None else None

    def keep(self, name: str, data: bytes) -> None:
        """Keep a member's content, unless it turned out larger than the limit."""
        if len(data) <= MAX_MEMBER_BYTES:
            self._data[name] = data

    def add(self, name: str, size: int, kind: str) -> bool:
        """Record a member; False when it is unsafe (and so neither listed nor read)."""
        if len(self.members) >= MAX_MEMBERS:
            raise ArchiveError(f"{self.path.name}: more than {MAX_MEMBERS} members")
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or "\\" in name:
            self.unsafe.append(name)
            return False
        self.members[name.rstrip("/")] = Member(name.rstrip("/"), size, kind)
        return True


def read_archive(path: Path) -> Archive:
    if path.name.endswith((".tar.gz", ".tgz", ".tar")):
        return _read_tar(path)
    if path.name.endswith((".whl", ".zip")):
        return _read_zip(path)
    raise ArchiveError(f"{path.name}: not an sdist or wheel")


def _tar_kind(info: tarfile.TarInfo) -> str:
    if info.isreg():
        return "file"
    if info.isdir():
        return "dir"
    return "link" if info.issym() or info.islnk() else "other"


def _read_tar(path: Path) -> Archive:
    archive, total = Archive(path), 0
    try:
        with tarfile.open(path, "r:*") as tar:
            for info in tar:
                total += max(info.size, 0)
                if total > MAX_TOTAL_BYTES:
                    raise ArchiveError(
                        f"{path.name}: members add up to more than {MAX_TOTAL_BYTES} bytes"
                    )
                kind = _tar_kind(info)
                if (
                    archive.add(info.name, info.size, kind)
                    and kind == "file"
                    and info.size <= MAX_MEMBER_BYTES
                ):
                    handle = tar.extractfile(info)
                    if handle is not None:
                        archive.keep(info.name, handle.read(MAX_MEMBER_BYTES + 1))
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ArchiveError(f"{path.name}: not a readable tar archive: {exc}") from None
    return archive


def _zip_kind(info: zipfile.ZipInfo) -> str:
    mode = info.external_attr >> 16
    if info.is_dir():
        return "dir"
    if stat.S_ISLNK(mode):
        return "link"
    return "file"


def _read_zip(path: Path) -> Archive:
    archive = Archive(path)
    try:
        with zipfile.ZipFile(path) as wheel:
            infos = wheel.infolist()
            if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
                raise ArchiveError(
                    f"{path.name}: members add up to more than {MAX_TOTAL_BYTES} bytes"
                )
            for info in infos:
                kind = _zip_kind(info)
                if (
                    archive.add(info.filename, info.file_size, kind)
                    and kind == "file"
                    and info.file_size <= MAX_MEMBER_BYTES
                ):
                    with wheel.open(info) as handle:
                        # The declared size can lie; never read more than the limit.
                        archive.keep(info.filename, handle.read(MAX_MEMBER_BYTES + 1))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise ArchiveError(f"{path.name}: not a readable zip archive: {exc}") from None
    return archive


def sdist_prefix(archive: Archive) -> str:
    """The single top-level directory of an sdist (``name-version``), or ''."""
    tops = {name.split("/", 1)[0] for name in archive.members}
    return tops.pop() if len(tops) == 1 else ""


def sdist_relative(archive: Archive) -> dict[str, str]:
    """Regular files of an sdist keyed by their path inside the project (prefix stripped)."""
    prefix = sdist_prefix(archive)
    cut = len(prefix) + 1 if prefix else 0
    return {name[cut:]: name for name in archive.files() if name[cut:]}
