"""SemVer 2.0.0 <-> PEP 440: parsing, the faithful mapping, ordering, next versions.

The mapping is the one PyPI's normalisation implies: ``1.2.0-rc.1`` <-> ``1.2.0rc1``,
``-alpha.N`` <-> ``aN``, ``-beta.N`` <-> ``bN``, ``-dev.N`` <-> ``.devN``, build
metadata <-> local version. A version is *faithful* when it maps one way and back to
itself, so that the tag, the package on the index and the changelog name the same
release. Ordering follows PEP 440 (what pip uses): note that SemVer alone would sort
``-dev.1`` between ``-beta.N`` and ``-rc.N``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from packaging.version import Version

from releasegate._internal.findings import quoted

# SemVer 2.0.0, from the grammar in the specification (no leading zeros, no empty identifiers).
_NUM = r"0|[1-9]\d*"
_PRE_ID = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
SEMVER_RE = re.compile(
    rf"^(?P<major>{_NUM})\.(?P<minor>{_NUM})\.(?P<patch>{_NUM})"
    rf"(?:-(?P<pre>{_PRE_ID}(?:\.{_PRE_ID})*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)

# SemVer pre-release label -> PEP 440 segment.
PEP440_LABEL = {"alpha": "a", "beta": "b", "rc": "rc", "dev": ".dev"}
SEMVER_LABEL = {"a": "alpha", "b": "beta", "rc": "rc"}
DEFAULT_LABELS = ("dev", "alpha", "beta", "rc")  # lowest first
MUTABLE_LABELS = ("latest", "snapshot", "nightly", "current", "stable", "head", "main", "master")
_STRUCTURED = re.compile(r"^(?P<label>[A-Za-z][0-9A-Za-z-]*)\.(?P<number>0|[1-9]\d*)$")
_UNSTRUCTURED = re.compile(r"^(?P<label>[A-Za-z]+)-?(?P<number>\d+)$")


class VersionProblem(ValueError):
    """A version that is not valid SemVer or has no faithful PEP 440 form."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class SemVer:
    major: int
    minor: int
    patch: int
    pre: str | None = None
    build: str | None = None

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        if self.pre:
            text += f"-{self.pre}"
        if self.build:
            text += f"+{self.build}"
        return text

    @property
    def core(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def pre_parts(self) -> tuple[str, int] | None:
        """``("rc", 1)`` for ``-rc.1``; None for a final release or an unstructured label."""
        if self.pre is None:
            return None
        match = _STRUCTURED.match(self.pre)
        return (match.group("label"), int(match.group("number"))) if match else None


MAX_DIGITS = 4000
"""The longest run of digits read as a number: CPython's ``int()`` refuses strings over 4300
digits (ValueError, exit 3), and no version part needs a thousandth of that."""
_HUGE = re.compile(rf"\d{{{MAX_DIGITS + 1},}}")


def _huge_number(text: str) -> VersionProblem | None:
    """The problem of a version with a number too long to read; checked before any ``int()``."""
    found = _HUGE.search(text)
    if found is None:
        return None
    return VersionProblem(
        f"{quoted(text)} has a number of {len(found.group())} digits: no tool reads a version "
        f"part over {MAX_DIGITS} digits"
    )


def parse_semver(text: str) -> SemVer | None:
    """SemVer ``text``; None when it is not SemVer, or holds a number too long to read."""
    match = SEMVER_RE.match(text)
    if not match or _HUGE.search(text):
        return None
    return SemVer(
        int(match.group("major")),
        int(match.group("minor")),
        int(match.group("patch")),
        match.group("pre"),
        match.group("build"),
    )


def semver_to_pep440(version: SemVer) -> str:
    """The PEP 440 form of ``version``; VersionProblem when there is no faithful one."""
    text = f"{version.major}.{version.minor}.{version.patch}"
    if version.pre is not None:
        parts = version.pre_parts()
        if parts is None or parts[0] not in PEP440_LABEL:
            raise VersionProblem(
                f"pre-release '-{version.pre}' has no PEP 440 form",
                hint="use -alpha.N, -beta.N, -rc.N or -dev.N",
            )
        label, number = parts
        text += f"{PEP440_LABEL[label]}{number}"
    if version.build is not None:
        if "-" in version.build:
            raise VersionProblem(
                f"build metadata '+{version.build}' contains '-', which PEP 440 rewrites to '.'",
                hint="use only letters, digits and dots in build metadata",
            )
        text += f"+{version.build.lower()}"
        if version.build != version.build.lower():
            raise VersionProblem(
                f"build metadata '+{version.build}' is lower-cased by PEP 440 to '+{version.build.lower()}'",
                hint="use lower-case build metadata",
            )
    return text


def pep440_to_semver(text: str) -> SemVer:
    """The SemVer form of a PEP 440 version; VersionProblem when there is no faithful one."""
    huge = _huge_number(text)
    if huge is not None:
        raise huge
    try:
        version = Version(text)
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        raise VersionProblem(f"{quoted(text)} is neither SemVer 2.0.0 nor PEP 440") from None
    if version.epoch:
        raise VersionProblem(f"{quoted(text)} has an epoch, which SemVer cannot express")
    if len(version.release) != 3:
        raise VersionProblem(
            f"{quoted(text)} has {len(version.release)} release component(s); SemVer needs exactly 3",
            hint=f"write it as {_padded(version)}"
            if len(version.release) < 3
            else "drop the extra components",
        )
    if version.post is not None:
        raise VersionProblem(
            f"{quoted(text)} is a post-release, which SemVer cannot order correctly"
        )
    pre: str | None = None
    if version.pre is not None and version.dev is not None:
        raise VersionProblem(f"{quoted(text)} combines a pre-release and a dev release; use one")
    if version.pre is not None:
        pre = f"{SEMVER_LABEL[version.pre[0]]}.{version.pre[1]}"
    elif version.dev is not None:
        pre = f"dev.{version.dev}"
    major, minor, patch = version.release
    return SemVer(major, minor, patch, pre, version.local)


def _padded(version: Version) -> str:
    """``version`` with three release components and every other part kept (``26.0rc1`` ->
    ``26.0.0rc1``): a hint that dropped the pre-release would name another release."""
    release = ".".join(str(p) for p in version.release)
    padded = ".".join(str(p) for p in (*version.release, 0, 0)[:3])
    return padded + str(version)[len(release) :]


@dataclass(frozen=True)
class ResolvedVersion:
    """A stated version in both forms."""

    stated: str
    semver: SemVer
    pep440: str
    exact: bool = True
    """False for a PEP 440 version SemVer cannot spell (``26.3``, ``8.5.0.dev``): ``semver`` is
    then only a three-part reading of it, good for ordering and bumps but not for display."""

    @cached_property
    def canonical(self) -> Version:
        """Parsed once: the gate compares every release tag with it (rich has 176)."""
        return Version(self.pep440)

    @property
    def display(self) -> str:
        """How to name it in a message: its SemVer form when it has one, else its PEP 440 form."""
        return str(self.semver) if self.exact else self.pep440


def resolve(text: str) -> ResolvedVersion:
    """Both forms of a version stated as SemVer or as PEP 440; VersionProblem otherwise.

    A SemVer string must also be what PEP 440 normalisation makes of it, so that the
    tag and the index agree (PyPI turns ``0.4.0-alpha.1`` into ``0.4.0a1``).
    """
    stated = text.strip()
    huge = _huge_number(stated)
    if huge is not None:
        raise huge
    parsed = parse_semver(stated)
    if parsed is not None:
        pep440 = semver_to_pep440(parsed)
        try:
            normalised = str(Version(stated))
        except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
            raise VersionProblem(
                f"{quoted(stated)} is SemVer but not a valid PEP 440 version, so it cannot be published",
                hint=f"use {pep440}",
            ) from None
        if normalised != pep440:
            raise VersionProblem(
                f"{quoted(stated)} becomes '{normalised}' under PEP 440, not '{pep440}'",
                hint="use a SemVer form that maps one-to-one, e.g. 1.2.0-rc.1 <-> 1.2.0rc1",
            )
        return ResolvedVersion(stated, parsed, pep440)
    semver = pep440_to_semver(stated)
    pep440 = semver_to_pep440(semver)
    if stated != pep440:
        # Not SemVer, and not in PEP 440's normal form either: the index would rename it.
        raise VersionProblem(
            f"{quoted(stated)} is not SemVer, and PEP 440 normalises it to '{Version(stated)}'",
            hint=f"write {semver} (or {pep440})",
        )
    return ResolvedVersion(stated, semver, pep440)


def resolve_loose(text: str) -> ResolvedVersion:
    """Any valid PEP 440 version, for schemes other than SemVer (two-part, calendar, ``.dev``).

    Exact when ``resolve`` accepts it; otherwise ``semver`` is a padded reading (``26.3`` ->
    26.3.0, ``8.5.0.dev`` -> 8.5.0-dev.0) and ``pep440`` the normal form. VersionProblem when
    PEP 440 cannot read it either, or SemVer cannot order it (four parts, an epoch).
    """
    try:
        return resolve(text)
    except VersionProblem:
        pass
    stated = text.strip()
    huge = _huge_number(stated)
    if huge is not None:
        raise huge
    try:
        version = Version(stated)
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        raise VersionProblem(f"{quoted(stated)} is not a PEP 440 version") from None
    if version.epoch or len(version.release) > 3:
        raise VersionProblem(f"{quoted(stated)} cannot be read as major.minor.patch")
    major, minor, patch = (*version.release, 0, 0)[:3]
    pre = None
    if version.pre is not None:
        pre = f"{SEMVER_LABEL[version.pre[0]]}.{version.pre[1]}"
    elif version.dev is not None:
        pre = f"dev.{version.dev}"
    return ResolvedVersion(stated, SemVer(major, minor, patch, pre), str(version), exact=False)


def label_problem(
    version: SemVer, allowed: tuple[str, ...], mutable: tuple[str, ...]
) -> VersionProblem | None:
    """The pre-release label policy: structured ``label.N``, allowed labels, nothing mutable."""
    if version.pre is None:
        return None
    identifiers = version.pre.lower().split(".")
    for identifier in identifiers:
        if identifier in mutable:
            return VersionProblem(
                f"pre-release label '{identifier}' is mutable: it names a moving target, not a release",
                hint="use a numbered label such as rc.1",
            )
    match = _STRUCTURED.match(version.pre)
    if match is None:
        loose = _UNSTRUCTURED.match(version.pre)
        suggestion = f"{loose.group('label')}.{int(loose.group('number'))}" if loose else None
        return VersionProblem(
            f"pre-release '{version.pre}' is not structured as <label>.<number>",
            hint=f"use -{suggestion}"
            if suggestion
            else f"use one of {', '.join(f'-{a}.N' for a in allowed)}",
        )
    if match.group("label") not in allowed:
        return VersionProblem(
            f"pre-release label '{match.group('label')}' is not allowed",
            hint=f"allowed labels: {', '.join(allowed)}",
        )
    return None


BUMPS = ("major", "minor", "patch", "prerelease")


def next_version(
    current: SemVer, bump: str, label: str = "rc", labels: tuple[str, ...] = DEFAULT_LABELS
) -> SemVer:
    """The next version after ``current`` for ``bump`` (build metadata is dropped)."""
    major, minor, patch = current.core
    final = current.pre is None
    if bump == "major":
        return SemVer(major + 1, 0, 0) if final or minor or patch else SemVer(major, 0, 0)
    if bump == "minor":
        return SemVer(major, minor + 1, 0) if final or patch else SemVer(major, minor, 0)
    if bump == "patch":
        return SemVer(major, minor, patch + 1) if final else SemVer(major, minor, patch)
    if bump != "prerelease":
        raise VersionProblem(f"unknown bump '{bump}'", hint=f"one of {', '.join(BUMPS)}")
    parts = current.pre_parts()
    if final or parts is None:
        return SemVer(major, minor, patch + 1 if final else patch, f"{label}.1")
    old_label, number = parts
    if old_label == label:
        return SemVer(major, minor, patch, f"{label}.{number + 1}")
    order = {name: index for index, name in enumerate(labels)}
    if order.get(label, -1) < order.get(old_label, -1):
        raise VersionProblem(
            f"'{label}' sorts before '{old_label}': {current} -> -{label}.1 would go backwards",
            hint="bump the patch version first, or use a later label",
        )
    return SemVer(major, minor, patch, f"{label}.1")


def tag_pattern(tag_format: str) -> re.Pattern[str]:
    """A regex matching tags of ``tag_format`` (e.g. ``v{version}``), with group ``version``."""
    head, _, tail = tag_format.partition("{version}")
    return re.compile(f"^{re.escape(head)}(?P<version>.+){re.escape(tail)}$")


def format_tag(tag_format: str, version: str) -> str:
    return tag_format.replace("{version}", version)
