"""Names and kinds no extraction may trust, found before a member's bytes are read, in every
format: names outside the directory or not portable, links and devices, file/directory clashes."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from releasegate._internal.archives.model import Problem
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.archives.model import Member


def name_problem(name: str) -> Problem | None:
    """A member name that would land outside the extraction directory, or is not portable."""
    if "\0" in name or "\\" in name:
        return Problem(
            "unsafe-name", f"member {quoted(name)} has a NUL or backslash in its name", name
        )
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return Problem("absolute-path", f"member {quoted(name)} has an absolute path", name)
    if ".." in PurePosixPath(name).parts:
        return Problem(
            "path-traversal", f"member {quoted(name)} climbs out of the archive with '..'", name
        )
    return None


def kind_problem(name: str, kind: str, target: str = "") -> Problem | None:
    """Links are never followed and devices never opened: both are problems."""
    if kind in ("symlink", "hardlink"):
        to = f" to {quoted(target)}" if target else ""
        return Problem(kind, f"member {quoted(name)} is a {kind}{to}; not followed", name)
    if kind in ("device", "fifo", "other"):
        return Problem("special-file", f"member {quoted(name)} is a {kind}, not a file", name)
    return None


def file_and_directory(members: tuple[Member, ...]) -> Iterator[Problem]:
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
