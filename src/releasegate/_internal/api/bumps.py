"""Bumps ordered by size, the bump between two versions, and what an impact requires."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.versioning import SemVer


class Bump(enum.IntEnum):
    """A version bump; larger values are larger bumps."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


class Impact(str, enum.Enum):
    """What a change does to users of the package."""

    BREAKING = "breaking"
    ADDITION = "addition"
    FIX = "fix"


def required_bump(impact: Impact, base: SemVer) -> Bump:
    """The severity table's last step: while the major version is 0, breaking needs only minor."""
    if impact is Impact.BREAKING:
        return Bump.MINOR if base.major == 0 else Bump.MAJOR
    return Bump.MINOR if impact is Impact.ADDITION else Bump.PATCH


def actual_bump(base: SemVer, current: SemVer) -> Bump:
    """The bump from the release ``base`` to ``current``; a pre-release counts by its core."""
    if current.major != base.major:
        return Bump.MAJOR if current.major > base.major else Bump.NONE
    if current.minor != base.minor:
        return Bump.MINOR if current.minor > base.minor else Bump.NONE
    if current.patch > base.patch:
        return Bump.PATCH
    return Bump.NONE
