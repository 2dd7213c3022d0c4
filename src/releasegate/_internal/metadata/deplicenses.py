"""Which dependencies the project distributes, and what their metadata says their license is.

Which: every package a lockfile pins that the distributed requirements reach
(``[project].dependencies`` and the extras not listed as undistributed, through the
lockfile's dependency graph), whatever its environment marker: a package locked only
for Windows (pywin32) is still shipped to someone. Packages reached only from
undistributed dependency groups and extras (``dev``, ``test``, ``docs``, ...) are not
held to the distribution policy.

What: ``License-Expression`` wins, then a ``License`` field that is (or plainly names)
an SPDX expression, then ``License ::`` classifiers. A classifier or name that stands
for several SPDX licenses (``BSD License``) is ambiguous: its choices are kept, and the
policy must accept every one of them. Anything else is unknown, and unknown is
reported, never passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import quoted
from releasegate._internal.metadata.pep639 import canonical

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from importlib.metadata import Distribution
    from pathlib import Path

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.metadata.depmeta import LicenseFields
    from releasegate._internal.tomldoc import TomlDocument

# Classifiers and License texts that name exactly one SPDX license.
_CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)": (
        "GPL-2.0-or-later"
    ),
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": (
        "GPL-3.0-or-later"
    ),
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 or later (LGPLv3+)": (
        "LGPL-3.0-or-later"
    ),
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: Zope Public License": "ZPL-2.1",
    "License :: OSI Approved :: Eclipse Public License 2.0 (EPL-2.0)": "EPL-2.0",
    "License :: OSI Approved :: Historical Permission Notice and Disclaimer (HPND)": "HPND",
    "License :: OSI Approved :: zlib/libpng License": "Zlib",
}
_BSD = ("BSD-2-Clause", "BSD-3-Clause")
_GPL = ("GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later")
_LGPL = ("LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later")
# Classifiers that stand for a family: the metadata does not say which member.
_AMBIGUOUS = {
    "License :: OSI Approved :: BSD License": _BSD,
    "License :: OSI Approved :: GNU General Public License (GPL)": _GPL,
    "License :: OSI Approved :: GNU Library or Lesser General Public License (LGPL)": _LGPL,
    "License :: OSI Approved :: GNU Lesser General Public License v2 (LGPLv2)": _LGPL[:2],
    "License :: OSI Approved :: Mozilla Public License 1.1 (MPL 1.1)": ("MPL-1.1",),
}
_GPL2 = ("GPL-2.0-only", "GPL-2.0-or-later")
_GPL3 = ("GPL-3.0-only", "GPL-3.0-or-later")
_AMBIGUOUS_TEXTS = {
    "bsd": _BSD,
    "bsd license": _BSD,
    "gpl": _GPL,
    "lgpl": _LGPL,
    **dict.fromkeys(("gpl2", "gplv2", "gpl-2", "gpl v2", "gpl-2.0"), _GPL2),
    **dict.fromkeys(("gpl3", "gplv3", "gpl-3", "gpl v3", "gpl-3.0"), _GPL3),
}
DISTRIBUTED = "distributed"


@dataclass(frozen=True)
class Dependency:
    """One dependency to check: where it is stated and which version is meant."""

    name: str
    path: str
    line: int | None
    version: str | None = None
    hashes: tuple[str, ...] = ()
    """Locked sha256 digests."""
    registry: bool = True
    """From an index (False: a direct URL, VCS or path source)."""


@dataclass(frozen=True)
class DependencyLicense:
    expression: str | None
    """Canonical SPDX expression, or None when unknown or ambiguous."""
    source: str
    """Where it came from (``License-Expression``, ``License``, ``classifiers``) or why unknown."""
    choices: tuple[str, ...] = ()
    """For an ambiguous license: the SPDX licenses it may stand for."""
    note: str | None = None
    """What the reader should know about how it was read (an invalid expression passed over)."""


@dataclass
class Selection:
    """The dependencies to check, from the lockfiles, and what could not be decided."""

    locked: list[Dependency]
    lockfiles: list[str]
    """Lockfiles that pin the distributed requirements (empty: none does, so they are resolved)."""


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _words(name: str) -> set[str]:
    return set(re.split(r"[^a-z0-9]+", name.lower()))


def distributed_requirements(
    doc: TomlDocument | None, undistributed: frozenset[str]
) -> list[tuple[str, str, int | None]] | None:
    """(requirement, path, line) of what the project ships; None when it cannot be read offline."""
    if doc is None:
        return None
    project = doc.get("project")
    if not isinstance(project, dict):
        return _poetry_requirements(doc, undistributed)
    dynamic = project.get("dynamic")
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return None
    found = _listed(doc, ("project", "dependencies"))
    extras = doc.get("project", "optional-dependencies")
    for extra in extras if isinstance(extras, dict) else {}:
        if normalize(extra) not in undistributed:
            found.extend(_listed(doc, ("project", "optional-dependencies", extra)))
    return found


def _listed(doc: TomlDocument, key: tuple[str, ...]) -> list[tuple[str, str, int | None]]:
    values = doc.get(*key)
    if not isinstance(values, list):
        return []
    return [
        (v, "pyproject.toml", doc.line(*key, i)) for i, v in enumerate(values) if isinstance(v, str)
    ]


def _poetry_requirements(
    doc: TomlDocument, undistributed: frozenset[str]
) -> list[tuple[str, str, int | None]] | None:
    from releasegate._internal.lockfiles.poetryspec import PoetrySpecError, poetry_requirement

    if not isinstance(doc.get("tool", "poetry", "dependencies"), dict):
        return None
    keys: list[tuple[str, ...]] = [("tool", "poetry", "dependencies")]
    groups = doc.get("tool", "poetry", "group")
    for group in groups if isinstance(groups, dict) else {}:
        if normalize(group) not in undistributed:
            keys.append(("tool", "poetry", "group", group, "dependencies"))
    found: list[tuple[str, str, int | None]] = []
    for key in keys:
        table = doc.get(*key)
        for name, spec in table.items() if isinstance(table, dict) else ():
            try:
                text = poetry_requirement(name, spec)[0] if name != "python" else None
            except PoetrySpecError:
                text = name  # the lockfile gate reports the bad specifier; the name is enough
            if text is not None:
                found.append((text, "pyproject.toml", doc.line(*key, name)))
    return found


def requirement_name(text: str) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return normalize(Requirement(text).name)
    except InvalidRequirement:
        return None  # the metadata gate reports invalid requirements


def select(doc: TomlDocument | None, root: Path, undistributed: frozenset[str]) -> Selection:
    """The locked dependencies the project distributes, from every lockfile it has."""
    from releasegate._internal.lockfiles import detect, parse_file

    declared = distributed_requirements(doc, undistributed)
    roots = None if declared is None else {requirement_name(t) for t, _, _ in declared} - {None}
    own = _own_name(doc)
    if roots is not None:
        roots.discard(own)
    found: dict[tuple[str, str | None], Dependency] = {}
    read: list[str] = []
    for relative in detect(root):
        lock = parse_file(root, relative)
        if roots is not None and not roots & {e.name for e in lock.entries}:
            # It pins none of what the project ships (httpx's requirements.txt pins its dev
            # tools): not a lock of the distributed dependencies, whatever else it is.
            continue
        read.append(relative)
        for entry in _distributed_entries(lock, roots, undistributed, own):
            found.setdefault((entry.name, entry.version), dependency_of(entry))
    return Selection(list(found.values()), read)


def _own_name(doc: TomlDocument | None) -> str | None:
    name = doc.get("project", "name") if doc is not None else None
    if not isinstance(name, str) and doc is not None:
        name = doc.get("tool", "poetry", "name")
    return normalize(name) if isinstance(name, str) else None


def dependency_of(entry: Entry) -> Dependency:
    from releasegate._internal.lockfiles.model import SourceKind

    hashes = tuple(h.digest.lower() for h in entry.hashes if h.algorithm == "sha256")
    registry = entry.kind is SourceKind.REGISTRY
    return Dependency(entry.name, entry.path, entry.line, entry.version, hashes, registry)


def _distributed_entries(
    lock: Lockfile,
    roots: set[str | None] | None,
    undistributed: frozenset[str],
    own: str | None,
) -> Iterator[Entry]:
    from releasegate._internal.lockfiles.model import SourceKind

    entries = [
        e
        for e in lock.entries
        if not e.is_project and not e.constraint and e.kind is not SourceKind.DIRECTORY
    ]
    graph = any(e.requires is not None or e.required_by is not None for e in entries)
    if roots is None or not graph:
        # No graph to follow, or no readable declaration to start from: every entry counts,
        # unless the file itself is named for an undistributed group (requirements/docs.txt).
        if not (_words(lock.path) & undistributed):
            yield from entries
        return
    # The walk never enters the project itself, reached from an extra naming it (litestar's
    # ``full = ["litestar[cli,...]"]``) or from a plugin requiring it (litestar-htmx): its lock
    # entry requires its dependency groups too (docs, lint), which no wheel declares, and
    # every extra it distributes is a root already (issue 26).
    ours = {e.name for e in lock.entries if e.is_project} | ({own} if own else set())
    reached = _reachable(lock.entries, {r for r in roots if r is not None} - ours, ours)
    yield from (e for e in entries if e.name in reached)


def _reachable(entries: Iterable[Entry], roots: set[str], ours: set[str]) -> set[str]:
    from releasegate._internal.lockfiles.model import required_by

    children: dict[str, set[str]] = {}
    for child, parents in required_by(entries).items():
        for parent in parents - ours:
            children.setdefault(parent, set()).add(child)
    reached: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(children.get(name, ()))
    return reached


def installed(paths: Iterable[str] | None = None) -> dict[str, Distribution]:
    """Installed distributions by normalised name; ``paths`` replaces sys.path when given."""
    from importlib.metadata import distributions

    found = distributions(path=list(paths)) if paths is not None else distributions()
    by_name: dict[str, Distribution] = {}
    for dist in found:
        meta: Any = dist.metadata
        by_name.setdefault(normalize(meta.get("Name") or ""), dist)
    return by_name


def license_of(fields: LicenseFields) -> DependencyLicense:
    if fields.expression:
        stated = fields.expression.strip()
        fixed = canonical(stated)
        if fixed is not None:
            return DependencyLicense(fixed, "License-Expression")
        return _invalid_expression(stated, fields)
    return _from_other_fields(fields)


def _invalid_expression(stated: str, fields: LicenseFields) -> DependencyLicense:
    """An invalid License-Expression: its SPDX name (``MIT license``), else the other fields.

    ruamel.yaml 0.18 states ``License-Expression: MIT license`` beside an MIT classifier
    (issue 26): the license is known, the metadata is only wrong, and that is said as a note.
    """
    from releasegate._internal.metadata.licensenames import spdx_of_name

    named = spdx_of_name(stated)
    found = (
        DependencyLicense(named, "License-Expression")
        if named is not None
        else _from_other_fields(fields)
    )
    if found.expression is None:
        return DependencyLicense(
            None, f"invalid License-Expression {quoted(stated)}", found.choices, found.note
        )
    note = f"its License-Expression {quoted(stated)} is not SPDX; read as {found.expression}"
    if named is None:
        note += f" from its {found.source}"
    return DependencyLicense(found.expression, found.source, found.choices, note)


def _from_other_fields(fields: LicenseFields) -> DependencyLicense:
    text = (fields.license or "").strip()
    from_text = _from_license_text(text)
    if from_text is not None:
        return DependencyLicense(from_text, "License")
    named = sorted({_CLASSIFIERS[c] for c in fields.classifiers if c in _CLASSIFIERS})
    if named:
        return DependencyLicense(" OR ".join(named) if len(named) > 1 else named[0], "classifiers")
    from releasegate._internal.metadata.licensenames import spdx_of_heading

    headed = spdx_of_heading(text)
    if headed is not None:
        return DependencyLicense(headed, "the name heading its License text")
    return _ambiguous(text, fields.classifiers)


def _ambiguous(text: str, classifiers: Iterable[str]) -> DependencyLicense:
    vague = [c for c in classifiers if c in _AMBIGUOUS]
    if vague:
        choices = sorted({choice for c in vague for choice in _AMBIGUOUS[c]})
        said = ", ".join(repr(c.rsplit(" :: ", 1)[-1]) for c in vague)
        return DependencyLicense(None, f"ambiguous classifier {said}", tuple(choices))
    if text.lower() in _AMBIGUOUS_TEXTS:
        choices = list(_AMBIGUOUS_TEXTS[text.lower()])
        return DependencyLicense(None, f"ambiguous License {quoted(text)}", tuple(choices))
    return DependencyLicense(
        None, "no License-Expression, no SPDX License field, no known License classifier"
    )


def _from_license_text(text: str) -> str | None:
    from releasegate._internal.metadata.licensenames import spdx_of_name

    if not text or len(text) > 100 or "\n" in text:
        return None  # a full license text, not a name
    return spdx_of_name(text) or canonical(text)
