"""The one budget every decompressed byte is charged to, and the stream that charges it.

Members and their bytes are counted as they are read, so a bomb stops at the limit instead
of after it; each regular file is hashed on the way and kept only up to the limits.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Protocol

from releasegate._internal.archives.limits import HEAD_BYTES, is_metadata, ratio_problem
from releasegate._internal.archives.model import Member, Problem
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.archives.limits import Limits

_BLOCK = 1 << 20
"""The most the budget lets the decompressor produce before it is charged."""


class LimitExceeded(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class Budget:
    """Counts members, names and uncompressed bytes against the limits."""

    def __init__(self, limits: Limits, compressed: int) -> None:
        self.limits = limits
        self.compressed = max(compressed, 1)
        self.total = 0
        self.count = 0
        self.kept = 0
        self.kept_metadata = 0
        self.seen: set[str] = set()

    def keep(self, name: str) -> int:
        """How many bytes the next regular file (``name``) may keep."""
        if is_metadata(name):
            spare = self.limits.max_kept_metadata - self.kept_metadata
            return min(self.limits.keep_content, max(spare, self.limits.max_kept - self.kept))
        return min(self.limits.keep_content, self.limits.max_kept - self.kept)

    def hash_member(self, stream: Readable, name: str) -> tuple[int, str, bytes | None, bytes]:
        size, digest, content, head = _hash_stream(stream, self.keep(name))
        kept = len(content) if content is not None else 0
        if is_metadata(name) and self.kept_metadata + kept <= self.limits.max_kept_metadata:
            self.kept_metadata += kept  # its own allowance: the files' budget stays for files
        else:
            self.kept += kept
        return size, digest, content, head

    def add_member(self, name: str) -> Problem | None:
        """Charge one member; raise past the count limit, return a duplicate-name problem."""
        self.count += 1
        if self.count > self.limits.max_members:
            raise LimitExceeded(
                Problem("too-many-members", f"more than {self.limits.max_members} members")
            )
        key = name.rstrip("/")
        if key in self.seen:
            return Problem("duplicate-member", f"member {quoted(name)} appears twice", name)
        self.seen.add(key)
        return None

    def add_bytes(self, amount: int) -> None:
        self.total += amount
        if self.total > self.limits.max_total:
            raise LimitExceeded(
                Problem("too-large", f"more than {self.limits.max_total} bytes uncompressed")
            )
        problem = ratio_problem(self.total, self.compressed, self.limits.max_ratio)
        if problem is not None:
            raise LimitExceeded(problem)


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BoundedStream:
    """A read-only stream that charges every byte to the budget, a block at a time.

    Charging per block (not per call) matters: tarfile asks for a pax header's whole
    declared size in one read, and that size is the attacker's.
    """

    def __init__(self, raw: Readable, budget: Budget) -> None:
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


def _hash_stream(stream: Readable, keep: int) -> tuple[int, str, bytes | None, bytes]:
    digest, size, kept, head = hashlib.sha256(), 0, bytearray(), b""
    for block in iter(lambda: stream.read(1 << 16), b""):
        digest.update(block)
        if len(head) < HEAD_BYTES:
            head += block[: HEAD_BYTES - len(head)]
        size += len(block)
        if size <= keep:
            kept += block
    return size, digest.hexdigest(), bytes(kept) if size <= keep else None, head


class MemberReader:
    """What the tar and zip readers share: the archive, its limits, what they found so far."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.members: list[Member] = []
        self.problems: list[Problem] = []

    def _problem(self, problem: Problem | None) -> None:
        if problem is not None:
            self.problems.append(problem)
