"""The one model every lockfile format is parsed into.

Rules, sync and policy read only this model, never a format's own structures, so
that a new format is one parser module and nothing else.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from releasegate._internal.findings import Severity


class SourceKind(str, enum.Enum):
    """Where an entry's distribution comes from."""

    REGISTRY = "registry"
    """A name and version looked up on an index."""
    URL = "url"
    """A direct URL to an archive."""
    VCS = "vcs"
    """A version-control reference (git+https://..., poetry ``type = "git"``)."""
    DIRECTORY = "directory"
    """A local directory installed as-is."""
    FILE = "file"
    """A local archive path."""


class Hash(NamedTuple):
    """An artifact hash (a named tuple: lockfiles hold hundreds of thousands of them)."""

    algorithm: str
    """Lower-case algorithm name as written, e.g. ``sha256``."""
    digest: str
    """The digest as written (hex expected)."""

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.digest}"


@dataclass(frozen=True)
class Entry:
    """One locked package (one line of a requirements file, one ``[[package]]`` of a TOML lock)."""

    name: str
    """PEP 503 normalised name."""
    specifier: str
    """The version constraint as written: ``==1.2.0`` when pinned, ``>=1`` or ``""`` when not."""
    path: str
    """The file it was read from, relative to the project root."""
    line: int | None
    version: str | None = None
    """The exact version when the entry pins one (``==`` / ``===`` or a TOML ``version``)."""
    hashes: tuple[Hash, ...] = ()
    marker: str | None = None
    """Environment marker as written, without the leading ``;``."""
    kind: SourceKind = SourceKind.REGISTRY
    editable: bool = False
    url: str | None = None
    """Direct URL or VCS URL, for URL / VCS / path entries."""
    commit: str | None = None
    """The VCS commit the entry is fixed to, when it names one."""
    required_by: tuple[str, ...] | None = None
    """Normalised names of the packages that need it; ``-r file`` style roots start with ``-``.

    None when the format does not record the dependency graph for this entry.
    """
    requires: tuple[str, ...] | None = None
    """Normalised names it depends on, when the format records edges from parent to child."""
    is_project: bool = False
    """The project itself (uv and pylock list it as an editable directory)."""
    constraint: bool = False
    """Read from a ``-c`` constraints file: restricts versions, installs nothing."""
    groups: tuple[str, ...] | None = None
    """The lock's groups that need it (pdm ``default``/``dev``, Poetry ``main``/``dev``), if recorded."""
    files: tuple[str, ...] = ()
    """File names of the artifacts the lock lists for it (wheels, sdist), where it names them."""
    index: str | None = None
    """The registry it is locked from, when the lock records one (uv ``source.registry``,
    pylock ``index``, Poetry ``legacy`` source); None: the lock's default (PyPI)."""


class IndexOption(NamedTuple):
    """An index or find-links option written inside a requirements file."""

    option: str
    """Long spelling: ``--index-url``, ``--extra-index-url`` or ``--find-links``."""
    value: str
    path: str
    line: int


class Problem(NamedTuple):
    """Something in the file that could not be read as the format says."""

    message: str
    path: str
    line: int | None = None
    hint: str | None = None
    rule: str = "parse-error"
    severity: Severity | None = None
    """Where the library decides it (a hash policy, a setting); None: the rule's registered one."""
    subject: str | None = None
    """What it is about (a package name): keeps its identity when the line moves."""


class Lockfile(NamedTuple):
    """One lockfile, parsed once (with its includes)."""

    path: str
    format: str
    entries: tuple[Entry, ...] = ()
    index_options: tuple[IndexOption, ...] = ()
    problems: tuple[Problem, ...] = ()
    records_graph: bool = False
    """Whether the format recorded who needs each entry, so that stale entries can be found."""
    included: tuple[str, ...] = ()
    """Files read through ``-r`` / ``-c``, relative to the project root."""
    declared_in: tuple[str, ...] = ()
    """Input files the lock names as its roots (``# via -r requirements.in``)."""
    covers_optional: bool = False
    """The format locks every extra and dependency group (uv, poetry), so each must be locked."""
    command: tuple[str, ...] = ()
    """The command that wrote it, when the file records one (pip-compile's header)."""
    groups: tuple[str, ...] | None = None
    """The groups the lock says it covers (pdm ``[metadata] groups``); None: not recorded."""


def display(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` in POSIX form, for findings."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def required_by(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """Child name -> names that need it, from whichever direction the format records.

    pip-compile records parents (``# via``); uv, Poetry and pylock record children.
    Roots such as ``-r requirements.in`` appear as parents as written.
    """
    parents: dict[str, set[str]] = {}
    for entry in entries:
        for child in entry.requires or ():
            parents.setdefault(child, set()).add(entry.name)
        if entry.required_by:
            parents.setdefault(entry.name, set()).update(entry.required_by)
    return parents
