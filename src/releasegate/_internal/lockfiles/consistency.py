"""A lock that contradicts itself: files of another version, edges to nothing, foreign indexes.

A hand edit or a tampered lock shows up here before any installer sees it: uv refuses
the first two when it parses ``uv.lock`` (``uv lock --check`` exits 2), pip and other
installers reading ``pylock.toml`` may not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.lockfiles import relock_hint
from releasegate._internal.lockfiles.indexes import canonical
from releasegate._internal.lockfiles.model import Problem, SourceKind
from releasegate._internal.lockfiles.redact import redact
from releasegate._internal.lockfiles.reqline import normalize

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.lockfiles.model import Entry, Lockfile

GRAPH_FORMATS = frozenset({"uv", "pylock"})
"""Formats whose dependency edges all point inside the lock. Poetry records optional
dependencies of a package (``requests``' PySocks) that it does not lock unless an extra
asks for them, so an edge to nothing is normal there."""


def file_identity(filename: str) -> tuple[str, str] | None:
    """Normalised name and version a wheel or sdist file name states; None if it is neither."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        canonicalize_name,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename):
        # Old sdists (.tar.bz2, legacy versions) name themselves loosely; not a contradiction.
        return None
    return canonicalize_name(name), str(version)


def _agrees(entry: Entry, filename: str) -> bool:
    """The file names the entry's own name and version, letter for letter.

    Nearly every file of a lock does; saying so without packaging spares a hook the import of
    its tags and version modules and a parse per wheel (attrs' uv.lock lists 1,209 wheels).
    A file that does not agree letter for letter (``1.0`` against ``1.0.0``) is parsed.
    """
    if filename.endswith(".whl"):
        parts = filename[:-4].split("-")
        if len(parts) not in (5, 6):
            return False
        name, version = parts[0], parts[1]
    else:
        stem = filename.removesuffix(".tar.gz").removesuffix(".zip")
        if stem == filename:
            return False
        name, _, version = stem.rpartition("-")
    return version == entry.version and normalize(name) == entry.name


def _mismatch(entry: Entry) -> str | None:
    if all(_agrees(entry, filename) for filename in entry.files):
        return None
    from packaging.version import Version

    try:
        locked = Version(entry.version or "")
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        return None
    for filename in entry.files:
        identity = file_identity(filename)
        if identity is None:
            continue
        name, version = identity
        if name != entry.name:
            return f"{entry.name} {entry.version} lists {filename}, a file of {name}"
        if Version(version) != locked:
            return f"{entry.name} {entry.version} lists {filename}, a file of version {version}"
    return None


def artifact_problems(lock: Lockfile) -> Iterator[Problem]:
    for entry in lock.entries:
        if entry.kind is not SourceKind.REGISTRY or not entry.files or entry.version is None:
            continue
        message = _mismatch(entry)
        if message is not None:
            yield Problem(
                rule="artifact-mismatch",
                message=message,
                path=entry.path,
                line=entry.line,
                hint="the lock was edited by hand or tampered with: re-lock "
                f"(`{relock_hint(lock.format)}`) and review the diff",
            )


def edge_problems(lock: Lockfile) -> Iterator[Problem]:
    if lock.format not in GRAPH_FORMATS:
        return
    locked = {e.name for e in lock.entries}
    for entry in lock.entries:
        for child in entry.requires or ():
            if child not in locked:
                yield Problem(
                    rule="unlocked-dependency",
                    message=f"{entry.name} depends on {child}, which is not in the lock",
                    path=entry.path,
                    line=entry.line,
                    hint=f"re-lock (`{relock_hint(lock.format)}`): an installer cannot satisfy it",
                )


def registry_problems(lock: Lockfile, allowed: frozenset[str]) -> Iterator[Problem]:
    """Entries from an index that is neither PyPI, declared by the project, nor allowed.

    One finding per index (at its first entry): a whole lock from one private index is
    one decision to make, not one per package.
    """
    foreign: dict[str, list[Entry]] = {}
    for entry in lock.entries:
        index = entry.index
        if index is None or "://" not in index:
            continue  # None: the default (PyPI); no scheme: a directory in the repository
        key = canonical(index)
        if key not in allowed:
            foreign.setdefault(key, []).append(entry)
    for entries in foreign.values():
        first = entries[0]
        names = ", ".join(e.name for e in entries[:5]) + (", ..." if len(entries) > 5 else "")
        count = f"{len(entries)} package{'s' if len(entries) > 1 else ''}"
        yield Problem(
            rule="index-not-allowed",
            message=f"{count} ({names}) locked from {redact(first.index or '')}, which is neither "
            "PyPI nor an index the project declares: whoever controls it decides what is "
            "installed (dependency confusion)",
            path=first.path,
            line=first.line,
            hint="declare the index where the locker reads it ([[tool.uv.index]], "
            "[[tool.poetry.source]], [[tool.pdm.source]]) or add it to "
            "[tool.releasegate.lockfile] allowed-indexes; otherwise re-lock",
        )


def consistency_problems(lock: Lockfile, allowed: frozenset[str]) -> Iterator[Problem]:
    yield from artifact_problems(lock)
    yield from edge_problems(lock)
    yield from registry_problems(lock, allowed)
