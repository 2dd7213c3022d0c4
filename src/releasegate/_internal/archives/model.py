"""What the reader hands back: an ``Archive`` of ``Member``s and the ``Problem``s found."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


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
