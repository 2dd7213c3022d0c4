"""What callers ask of a read dist: an sdist's files inside its project, and the refusal
of an unsafe sdist or wheel before anything is built on it or published."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from releasegate._internal.archives.model import Archive


def sdist_prefix(archive: Archive) -> str:
    """The single top-level directory of an sdist (``name-version``), or ''."""
    tops = {m.name.split("/", 1)[0] for m in archive.members}
    return tops.pop() if len(tops) == 1 else ""


def sdist_relative(archive: Archive) -> dict[str, str]:
    """Regular files of an sdist keyed by their path inside the project (prefix stripped)."""
    prefix = sdist_prefix(archive)
    cut = len(prefix) + 1 if prefix else 0
    return {name[cut:]: name for name in archive.files() if name[cut:]}


def refuse_unsafe(paths: Iterable[Path], refused: str) -> list[Archive]:
    """Raise FatalError naming every dist in ``paths`` that the reader finds a problem in.

    ``build`` and ``publish`` call it before they write or plan anything: a link, a ``..``
    member, a device or a duplicate must never ship, whoever built the file. ``refused`` says
    what did not happen ("nothing was published"). Returns the archives read, in order, so
    that a caller with more to check reads each file once.
    """
    # Imported here: the package's __init__ imports this module, and reading is its job.
    from releasegate._internal.archives import read_archive
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
    return [archive for _path, archive in unsafe]
