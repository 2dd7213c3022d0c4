"""Unpacking an sdist to build a wheel from it, as pip would: checked first, then written.

The archive is read by the one reader (``releasegate._internal.archives``); only an sdist
with no problem at all and one top directory is written, regular files and directories
only, each target checked again to stay under the destination.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from releasegate._internal.archives import Limits, Member, Problem, read_archive
from releasegate._internal.findings import quoted


class UnsafeArchive(Exception):
    """An archive that must not be extracted; carries every problem found."""

    def __init__(self, path: Path, problems: tuple[Problem, ...]) -> None:
        super().__init__(f"{path.name}: " + "; ".join(p.message for p in problems))
        self.problems = problems


def extract_sdist(path: Path, dest: Path, limits: Limits | None = None) -> Path:
    """Extract the regular files of a safe sdist under ``dest``; return its top directory.

    Raises UnsafeArchive when the archive has any problem, before anything is written.
    """
    chosen = limits or Limits()
    archive = read_archive(path, chosen.keeping_everything())
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
        problem = Problem("path-traversal", f"member {quoted(member.name)} leaves the directory")
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
