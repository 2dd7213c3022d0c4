"""Which package versions to check: every locked one, or the resolved declared ones.

Marker-aware in one direction only: an entry whose marker no Python allowed by
``requires-python`` can satisfy (``python_version < "3.8"`` in a project that needs
3.10) is not installed by anyone and is skipped. Every platform is someone's, so an
entry for Windows only is checked wherever the check runs. A marker that names extras
or dependency groups cannot be decided here and is checked.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from releasegate._internal.lockfiles.model import Entry
    from releasegate._internal.tomldoc import TomlDocument

_PYTHONS = tuple(f"3.{minor}.{micro}" for minor in range(21) for micro in (0, 99))
_PLATFORMS = (
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
)
_MACHINES = ("x86_64", "AMD64", "aarch64", "arm64", "i686")
_IMPLEMENTATIONS = (("cpython", "CPython"), ("pypy", "PyPy"))


@dataclass(frozen=True)
class Package:
    name: str
    """PEP 503 normalised."""
    version: str
    path: str
    """Where it is pinned (or declared), relative to the project root."""
    line: int | None


class NotDecidable(Exception):
    """The versions the project ships cannot be known; the message says why."""


def from_entries(entries: Iterable[Entry], requires_python: str | None) -> list[Package]:
    from releasegate._internal.lockfiles.model import SourceKind

    return [
        Package(e.name, e.version, e.path, e.line)
        for e in entries
        if e.version
        and e.kind is SourceKind.REGISTRY
        and not e.is_project
        and not e.constraint
        and installable(e.marker, requires_python)
    ]


@functools.lru_cache(maxsize=4096)
def installable(marker: str | None, requires_python: str | None) -> bool:
    """Whether some supported Python on some platform satisfies ``marker``."""
    if not marker or "extra" in marker or "group" in marker:
        return True
    from packaging.markers import (
        InvalidMarker,
        Marker,
        UndefinedComparison,
        UndefinedEnvironmentName,
        default_environment,
    )
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion

    try:
        parsed = Marker(marker)
        allowed = SpecifierSet(requires_python or "")
    except (InvalidMarker, InvalidSpecifier):
        return True  # the lockfile gate reports it; here it must not hide a package
    base = {key: str(value) for key, value in default_environment().items()}
    pythons = [p for p in _PYTHONS if allowed.contains(p, prereleases=True)]
    combos = itertools.product(pythons, _PLATFORMS, _MACHINES, _IMPLEMENTATIONS)
    for python, platform, machine, (impl, impl_name) in combos:
        env = {**base, **platform, "python_full_version": python}
        env |= {"python_version": python.rsplit(".", 1)[0], "platform_machine": machine}
        env |= {"implementation_name": impl, "platform_python_implementation": impl_name}
        try:
            if parsed.evaluate(env):
                return True
        except (UndefinedComparison, UndefinedEnvironmentName, InvalidVersion):
            return True  # a marker packaging cannot evaluate is kept
    return False


def locked(root: Path, requires_python: str | None) -> tuple[list[Package], list[str]]:
    """Every locked package of every lockfile under ``root``, and the lockfiles read."""
    from releasegate._internal.lockfiles import detect, parse_file

    found: list[Package] = []
    read = detect(root)
    for relative in read:
        found.extend(from_entries(parse_file(root, relative).entries, requires_python))
    return found, read


def resolved(
    doc: TomlDocument | None, index_url: str | None, *, offline: bool = False
) -> list[Package]:
    """Without a lockfile: the declared dependencies (every extra) resolved from index metadata.

    Fails closed: a dependency whose version cannot be known that way (a direct reference,
    the dependencies of an sdist that does not state them) makes the whole answer undecidable.
    """
    from releasegate._internal.metadata import depmeta, depresolve
    from releasegate._internal.metadata.deplicenses import (
        distributed_requirements,
        requirement_name,
    )

    declared = distributed_requirements(doc, frozenset())
    if declared is None:
        raise NotDecidable(
            "the declared dependencies cannot be read offline (dynamic, or no [project])"
        )
    if not declared:
        return []
    lines = {requirement_name(text): (path, line) for text, path, line in declared}
    requires_python = doc.get("project", "requires-python") if doc is not None else None
    try:
        found = depresolve.resolve(
            [text for text, _, _ in declared],
            depmeta.Fetcher(index_url, {}, offline=offline),
            requires_python if isinstance(requires_python, str) else None,
        )
    except depresolve.ResolutionFailed as exc:
        raise NotDecidable(str(exc)) from None
    if found.undecidable:
        gaps = "; ".join(f"{u.name}: {u.reason}" for u in found.undecidable[:5])
        raise NotDecidable(f"not every dependency can be resolved from the index: {gaps}")
    first = next(iter(lines.values()))
    return [Package(item.name, item.version, *lines.get(item.root, first)) for item in found.found]


def unique(packages: Iterable[Package]) -> Iterator[tuple[str, str]]:
    return iter(dict.fromkeys((p.name, p.version) for p in packages))
