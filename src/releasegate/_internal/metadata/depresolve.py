"""Without a lockfile: the distributed requirements resolved from index metadata alone.

Nothing is built, installed or run. pip (``install --dry-run``) used to resolve here, and to
resolve it builds every sdist-only dependency and every direct URL, VCS or path reference:
third-party code chosen by the checkout, in a job that holds tokens (issue 27). Instead each
requirement's newest version that every specifier seen for it allows is read from the index:
its PEP 658/714 metadata file, else a wheel's METADATA, else an sdist's PKG-INFO (its
``Requires-Dist`` counts from Metadata 2.2 on, when not ``Dynamic``), all through the
metadata fetcher's session. What cannot be known that way is *undecidable*, with the reason:
a direct reference, the dependencies of an sdist whose PKG-INFO does not state them, a
package the index does not have.

A requirement counts when its marker holds in any of the environments the project supports
(CPython on Linux, macOS and Windows, every minor version ``requires-python`` allows): a
package installed only on Windows is still shipped to someone, a backport for Python 3.7 is
not. This is not pip's resolver: no backtracking, and a version first chosen then excluded by
a later specifier keeps the requirements it brought (more licenses checked, never fewer).
The result is cached by the requirements, the index and ``requires-python``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.metadata import cache
from releasegate._internal.metadata.depmeta import LicenseFields

if TYPE_CHECKING:
    from collections.abc import Sequence

    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    from releasegate._internal.metadata.depmeta import CoreMetadata, Fetcher

NAMESPACE = "dependency-resolutions-metadata"
PYTHONS = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14")
PLATFORMS = (
    {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "m": "x86_64"},
    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix", "m": "arm64"},
    {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "m": "AMD64"},
)
MAX_PACKAGES = 1000
"""A dependency tree larger than this is cut (and said): a hostile index could be endless."""
DIRECT = (
    "a direct reference (URL, VCS or path): only index metadata is read, nothing fetched or built"
)
SDIST_REQUIREMENTS = "stated only by building its sdist (not done: a build runs its code)"

OFFLINE = "offline: resolving them needs the index, and nothing is cached"
BY_DESIGN = (DIRECT, SDIST_REQUIREMENTS, "offline")
"""Reasons that are no failure: releasegate does not look there, on purpose (said as notes)."""


@dataclass(frozen=True)
class Resolved:
    name: str
    version: str
    fields: LicenseFields
    root: str
    """The declared requirement (normalised name) that brought it in."""


@dataclass(frozen=True)
class Undecidable:
    name: str
    reason: str
    root: str
    transient: bool = False
    """The index could not be read (a failure, not a fact): the resolution is not cached."""


@dataclass
class Resolution:
    found: list[Resolved] = field(default_factory=list)
    undecidable: list[Undecidable] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "found": [
                {"name": r.name, "version": r.version, "fields": r.fields.to_json(), "root": r.root}
                for r in self.found
            ],
            "undecidable": [
                {"name": u.name, "reason": u.reason, "root": u.root} for u in self.undecidable
            ],
        }

    @classmethod
    def from_json(cls, value: Any) -> Resolution | None:
        try:
            found = [
                Resolved(str(r["name"]), str(r["version"]), _fields(r["fields"]), str(r["root"]))
                for r in value["found"]
            ]
            undecidable = [
                Undecidable(str(u["name"]), str(u["reason"]), str(u["root"]))
                for u in value["undecidable"]
            ]
        except (KeyError, TypeError, ValueError):
            return None
        return cls(found, undecidable)


def _fields(value: Any) -> LicenseFields:
    fields = LicenseFields.from_json(value)
    if fields is None:
        raise ValueError("not license fields")
    return fields


class ResolutionFailed(Exception):
    """Nothing could be resolved (offline with nothing cached); the message says why."""


def resolve(
    requirements: Sequence[str], fetcher: Fetcher, requires_python: str | None = None
) -> Resolution:
    """Every package the requirements reach, from the index's metadata; cached when complete."""
    key = cache.key(fetcher.index_url, requires_python or "", *sorted(requirements))
    cached = Resolution.from_json(cache.get(NAMESPACE, key))
    if cached is not None:
        return cached
    if fetcher.offline:
        raise ResolutionFailed(OFFLINE)
    walk = _Walk(fetcher, environments(requires_python))
    resolution = walk.run(requirements)
    if not any(u.transient for u in resolution.undecidable):
        cache.put(NAMESPACE, key, resolution.to_json())
    return resolution


def environments(requires_python: str | None) -> list[dict[str, str]]:
    """The marker environments the project is installed in: 3 platforms x allowed Pythons."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(requires_python or "")
    except InvalidSpecifier:
        allowed = SpecifierSet()  # the metadata gate reports it
    pythons = [p for p in PYTHONS if _admits(allowed, p)]
    return [_environment(p, platform) for p in pythons or PYTHONS for platform in PLATFORMS]


def _admits(allowed: SpecifierSet, python: str) -> bool:
    """Some release of ``python`` (a minor version) is allowed (``>=3.9.2`` admits 3.9)."""
    return allowed.contains(f"{python}.0") or allowed.contains(f"{python}.99")


def _supports(requires_python: str | None, pythons: set[str]) -> bool:
    """A file whose Requires-Python admits one of the project's Pythons (unknown: it does)."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if not requires_python:
        return True
    try:
        allowed = SpecifierSet(requires_python)
    except InvalidSpecifier:
        return True
    return any(_admits(allowed, python) for python in pythons)


def _environment(python: str, platform: dict[str, str]) -> dict[str, str]:
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_version": "",
        "platform_machine": platform["m"],
        "sys_platform": platform["sys_platform"],
        "platform_system": platform["platform_system"],
        "os_name": platform["os_name"],
        "extra": "",
    }


class _Walk:
    """One breadth-first walk over the requirements, each package's version chosen once."""

    def __init__(self, fetcher: Fetcher, envs: list[dict[str, str]]) -> None:
        self.fetcher = fetcher
        self.envs = envs
        self.specifiers: dict[str, SpecifierSet] = {}
        self.chosen: dict[str, str] = {}
        self.extras: dict[str, set[str]] = {}
        self.found: dict[str, Resolved] = {}
        self.undecidable: dict[str, Undecidable] = {}
        self.todo: deque[tuple[Requirement, str]] = deque()
        self.listed: dict[str, tuple[dict[str, Version], set[str]]] = {}
        """Per name: every version listed, and those an installer would pick (not yanked,
        a file for one of the project's Pythons)."""
        self.pythons = {env["python_version"] for env in envs}

    def run(self, requirements: Sequence[str]) -> Resolution:
        from packaging.requirements import InvalidRequirement, Requirement

        from releasegate._internal.metadata.deplicenses import normalize

        for text in requirements:
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue  # the metadata gate reports it
            if requirement.marker is None or self._holds(requirement.marker, {""}):
                self.todo.append((requirement, normalize(requirement.name)))
        while self.todo:
            if len(self.chosen) >= MAX_PACKAGES:
                root = self.todo[0][1]
                cut = f"more than {MAX_PACKAGES} packages: the rest were not read"
                self.undecidable.setdefault("...", Undecidable("...", cut, root))
                break
            self._step(*self.todo.popleft())
        return Resolution(list(self.found.values()), list(self.undecidable.values()))

    def _step(self, requirement: Requirement, root: str) -> None:
        from releasegate._internal.metadata.deplicenses import normalize

        name = normalize(requirement.name)
        if requirement.url:
            self.undecidable.setdefault(name, Undecidable(name, DIRECT, root))
            return
        combined = self.specifiers.get(name)
        self.specifiers[name] = (
            requirement.specifier if combined is None else combined & requirement.specifier
        )
        version = self._choose(name)
        if version is None:
            return
        wanted = set(requirement.extras) | {""}
        if self.chosen.get(name) == version and wanted <= self.extras[name]:
            return
        if self.chosen.get(name) != version:
            self.chosen[name] = version
            self.extras[name] = set()
        self.extras[name] |= wanted
        meta = self._metadata(name, version, root)
        if meta is not None:
            self._follow(name, meta, self.extras[name], root)

    def _versions(self, name: str) -> tuple[dict[str, Version], set[str]] | str:
        """The versions the index lists for ``name``, and the preferred ones (read once)."""
        from packaging.version import InvalidVersion, Version

        from releasegate._internal.metadata.depmeta import file_version

        known = self.listed.get(name)
        if known is not None:
            return known
        listed = self.fetcher.listing(name)
        if isinstance(listed, str):
            return listed
        versions: dict[str, Version] = {}
        preferred: set[str] = set()
        for item in listed:
            text = file_version(item.filename, name)
            if text is None:
                continue
            try:
                versions.setdefault(text, Version(text))
            except InvalidVersion:
                continue
            if not item.yanked and _supports(item.requires_python, self.pythons):
                preferred.add(text)
        self.listed[name] = (versions, preferred)
        return versions, preferred

    def _choose(self, name: str) -> str | None:
        listed = self._versions(name)
        if isinstance(listed, str):
            self.undecidable[name] = Undecidable(name, listed, name, transient=True)
            return None
        versions, preferred = listed
        specifier = self.specifiers[name]
        # As installers do: a yanked version, or one for other Pythons only, when nothing else fits.
        allowed = list(specifier.filter(preferred)) or list(specifier.filter(versions))
        if not allowed:
            said = str(specifier) or "any version"
            why = f"no version on {self.fetcher.index_url} matches {said}"
            self.undecidable[name] = Undecidable(name, why, name)
            return None
        return max(allowed, key=versions.__getitem__)

    def _metadata(self, name: str, version: str, root: str) -> CoreMetadata | None:
        from releasegate._internal.metadata.depmeta import Wanted

        meta = self.fetcher.core_metadata(Wanted(name, version))
        if isinstance(meta, str):
            self.undecidable[name] = Undecidable(name, meta, root, transient=True)
            return None
        self.undecidable.pop(name, None)
        self.found[name] = Resolved(name, version, meta.fields(), root)
        return meta

    def _follow(self, name: str, meta: CoreMetadata, extras: set[str], root: str) -> None:
        from email.parser import HeaderParser

        from packaging.requirements import InvalidRequirement, Requirement

        headers = HeaderParser().parsestr(meta.text)
        if meta.from_sdist and not _states_requirements(headers):
            shown = f"the dependencies of {name} {self.chosen[name]}"
            self.undecidable.setdefault(shown, Undecidable(shown, SDIST_REQUIREMENTS, root))
            return
        for line in headers.get_all("Requires-Dist") or ():
            try:
                child = Requirement(str(line))
            except InvalidRequirement:
                continue  # a broken upload: nothing to follow
            if child.marker is None or self._holds(child.marker, extras):
                self.todo.append((child, root))

    def _holds(self, marker: Marker, extras: set[str]) -> bool:
        """The marker is true in some supported environment, for some requested extra."""
        from packaging.markers import UndefinedEnvironmentName

        for extra in extras:
            for env in self.envs:
                try:
                    if marker.evaluate({**env, "extra": extra}):
                        return True
                except UndefinedEnvironmentName:
                    return True  # unknown to us: keep it (more licenses checked, never fewer)
        return False


def _states_requirements(headers: Any) -> bool:
    """An sdist's PKG-INFO is authoritative for Requires-Dist from Metadata 2.2, unless Dynamic."""
    from packaging.version import InvalidVersion, Version

    try:
        version = Version(str(headers.get("Metadata-Version") or "0"))
    except InvalidVersion:
        return False
    dynamic = {str(d).strip().lower() for d in headers.get_all("Dynamic") or ()}
    return version >= Version("2.2") and "requires-dist" not in dynamic
