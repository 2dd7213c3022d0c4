"""Which version a pre-release is promoted to: forward only, same release, label order kept.

A promotion never changes major.minor.patch (that would be a different release, which must be
built); it moves the pre-release label forward in the SemVer gate's order (``dev`` < ``alpha``
< ``beta`` < ``rc`` by default) or drops it for the final release. A version of two release
numbers (Django's ``5.0rc1``) is ordered as its three-number equal and keeps its two.
"""

from __future__ import annotations

from dataclasses import dataclass

from packaging.version import Version

from releasegate._internal.errors import UsageError
from releasegate._internal.versioning import (
    SemVer,
    VersionProblem,
    parse_semver,
    pep440_to_semver,
    semver_to_pep440,
)

FINAL = "final"


@dataclass(frozen=True)
class Step:
    """A promotion from ``source`` to ``target``, both PEP 440 (what archives carry)."""

    source: str
    target: str


def _padded(text: str) -> str:
    """A version of fewer than three release numbers written with three (``5.0rc1`` ->
    ``5.0.0rc1``): the same version in PEP 440, and one SemVer can order."""
    try:
        version = Version(text)
    except ValueError:
        return text
    if len(version.release) >= 3:
        return text
    return _with_release(version, (*version.release, 0, 0)[:3])


def _with_release(version: Version, release: tuple[int, ...]) -> str:
    suffix = str(version)[len(version.base_version) :]
    return str(Version(".".join(str(part) for part in release) + suffix))


def _semver(text: str, what: str) -> SemVer:
    try:
        return pep440_to_semver(_padded(text))
    except VersionProblem as problem:
        raise UsageError(f"{what} {text}: {problem.message}") from None


def _unpadded(target: str, source: str) -> str:
    """``target`` with as many release numbers as ``source`` had (Django's 5.0rc1 -> 5.0)."""
    parsed, length = Version(target), len(Version(source).release)
    if length >= 3 or any(parsed.release[length:]):
        return target
    return _with_release(parsed, parsed.release[:length])


def _target(source: SemVer, to: str) -> SemVer:
    if to == FINAL:
        return SemVer(*source.core)
    parsed = parse_semver(to)
    if parsed is None:
        try:
            parsed = pep440_to_semver(_padded(str(Version(to))))
        except (VersionProblem, ValueError):
            parsed = None
    if parsed is not None:
        return parsed
    parts = source.pre_parts()
    # "--to rc": the same number under the later label (ci.N -> rc.N in the words).
    return SemVer(*source.core, f"{to}.{parts[1] if parts else 1}")


def _rank(version: SemVer, labels: tuple[str, ...]) -> int:
    parts = version.pre_parts()
    if version.pre is None:
        return len(labels)
    if parts is None or parts[0] not in labels:
        raise UsageError(
            f"pre-release label '-{version.pre}' is not one of the configured labels",
            hint=f"[tool.releasegate.semver] labels: {', '.join(labels)}",
        )
    return labels.index(parts[0])


def promotion(source: str, to: str, labels: tuple[str, ...]) -> Step:
    """The step from ``source`` (PEP 440) to ``to``: a version, a label, or ``final``."""
    old = _semver(source, "the source version")
    if old.pre is None:
        raise UsageError(f"{source} is already a final release: there is nothing to promote")
    new = _target(old, to)
    if new.core != old.core or new.build is not None:
        raise UsageError(
            f"{old} cannot be promoted to {new}: promotion keeps {'.'.join(map(str, old.core))} "
            "(another release must be built)",
            hint=f"use --to {'.'.join(map(str, old.core))} or a later pre-release label",
        )
    if _rank(new, labels) <= _rank(old, labels):
        raise UsageError(
            f"{old} -> {new} does not move forward in the label order ({', '.join(labels)}, final)"
        )
    try:
        return Step(source, _unpadded(semver_to_pep440(new), source))
    except VersionProblem as problem:
        raise UsageError(f"{new}: {problem.message}", hint=problem.hint) from None


def rollforward(good: str, bad: str, to: str | None = None) -> Step:
    """The step of a rollback: ``good``'s files released as the patch after ``bad`` (1.4.0's
    files as 1.4.2 when 1.4.1 is bad), or as ``to``, which must be above both."""
    try:
        old, broken = Version(good), Version(bad)
        target = Version(to) if to else Version(f"{broken.major}.{broken.minor}.{broken.micro + 1}")
    except ValueError as exc:
        raise UsageError(f"not a version: {exc}") from None
    if old >= broken:
        raise UsageError(f"the good version {old} must be below the bad one {broken}")
    if target <= broken:
        raise UsageError(
            f"{target} is not above the bad version {broken}: upgrades would keep the bad one"
        )
    return Step(str(old), str(target))
