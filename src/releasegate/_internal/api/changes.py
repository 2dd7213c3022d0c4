"""Every kind of change the API gate knows, the impact of each, and one found change."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from releasegate._internal.api.bumps import Impact


class ChangeKind(str, enum.Enum):
    """A kind of change; the value is the rule id of its finding (``api/<value>``)."""

    # Reported by griffe's find_breaking_changes.
    OBJECT_REMOVED = "object-removed"
    OBJECT_KIND_CHANGED = "object-kind-changed"
    PARAMETER_REMOVED = "parameter-removed"
    PARAMETER_MOVED = "parameter-moved"
    PARAMETER_KIND_CHANGED = "parameter-kind-changed"
    PARAMETER_DEFAULT_CHANGED = "parameter-default-changed"
    PARAMETER_NOW_REQUIRED = "parameter-now-required"
    PARAMETER_ADDED_REQUIRED = "parameter-added-required"
    RETURN_TYPE_REMOVED = "return-type-removed"
    ATTRIBUTE_TYPE_CHANGED = "attribute-type-changed"
    ATTRIBUTE_VALUE_CHANGED = "attribute-value-changed"
    BASE_REMOVED = "base-removed"
    # A removal of what the base release deprecated, under the deprecate-then-remove policy.
    DEPRECATED_REMOVED = "deprecated-removed"
    # Computed from griffe's models (griffe reports breakages only).
    OBJECT_ADDED = "object-added"
    OBJECT_MOVED = "object-moved"
    PARAMETER_ADDED_OPTIONAL = "parameter-added-optional"
    PARAMETER_TYPE_CHANGED = "parameter-type-changed"
    PARAMETER_TYPE_WIDENED = "parameter-type-widened"
    RETURN_TYPE_CHANGED = "return-type-changed"
    RETURN_TYPE_NARROWED = "return-type-narrowed"
    RETURN_TYPE_WIDENED = "return-type-widened"
    # Annotations whose compatibility cannot be proven either way: a note, never a verdict.
    PARAMETER_TYPE_UNPROVEN = "parameter-type-unproven"
    RETURN_TYPE_UNPROVEN = "return-type-unproven"
    # Computed from [project] in pyproject.toml.
    REQUIRES_PYTHON_RAISED = "requires-python-raised"
    REQUIRES_PYTHON_LOWERED = "requires-python-lowered"
    DEPENDENCY_REMOVED = "dependency-removed"
    DEPENDENCY_ADDED = "dependency-added"
    DEPENDENCY_CHANGED = "dependency-changed"
    EXTRA_REMOVED = "extra-removed"
    EXTRA_ADDED = "extra-added"
    ENTRY_POINT_REMOVED = "entry-point-removed"
    ENTRY_POINT_ADDED = "entry-point-added"
    ENTRY_POINT_CHANGED = "entry-point-changed"

    @property
    def impact(self) -> Impact:
        return IMPACT[self]

    @property
    def unproven(self) -> bool:
        """The gate says so as a note and asks for no bump."""
        return self in UNPROVEN


_B, _A, _F = Impact.BREAKING, Impact.ADDITION, Impact.FIX
# The severity table: every kind maps to an impact; bumps.required_bump turns it into a bump.
IMPACT: dict[ChangeKind, Impact] = {
    ChangeKind.OBJECT_REMOVED: _B,
    ChangeKind.OBJECT_KIND_CHANGED: _B,
    ChangeKind.PARAMETER_REMOVED: _B,
    ChangeKind.PARAMETER_MOVED: _B,
    ChangeKind.PARAMETER_KIND_CHANGED: _B,
    ChangeKind.PARAMETER_DEFAULT_CHANGED: _B,
    ChangeKind.PARAMETER_NOW_REQUIRED: _B,
    ChangeKind.PARAMETER_ADDED_REQUIRED: _B,
    ChangeKind.RETURN_TYPE_REMOVED: _B,
    ChangeKind.ATTRIBUTE_TYPE_CHANGED: _B,
    # A constant's value is data, not interface (and griffe < 1.0 flagged every __version__).
    ChangeKind.ATTRIBUTE_VALUE_CHANGED: _F,
    ChangeKind.BASE_REMOVED: _B,
    # The project's policy lets deprecated API go in a minor release (Pallets, urllib3, anyio).
    ChangeKind.DEPRECATED_REMOVED: _A,
    ChangeKind.OBJECT_ADDED: _A,
    # Defined elsewhere now, still importable from where it was: no caller notices.
    ChangeKind.OBJECT_MOVED: _F,
    ChangeKind.PARAMETER_ADDED_OPTIONAL: _A,
    ChangeKind.PARAMETER_TYPE_CHANGED: _B,
    # Widening is an addition, but in a patch release it is a typing fix (bytes -> bytes |
    # bytearray): short of a minor bump it is a warning (ADVISORY), never an error.
    ChangeKind.PARAMETER_TYPE_WIDENED: _F,
    ChangeKind.RETURN_TYPE_CHANGED: _B,
    ChangeKind.RETURN_TYPE_NARROWED: _F,
    # The annotation now admits more than the function returned (flask 3.0.1
    # ``get_cookie_samesite -> str | None``): nothing changes at run time, a type checker may
    # ask callers to handle more. Short of a major bump it is a warning (ADVISORY).
    ChangeKind.RETURN_TYPE_WIDENED: _F,
    ChangeKind.PARAMETER_TYPE_UNPROVEN: _F,
    ChangeKind.RETURN_TYPE_UNPROVEN: _F,
    # Dropping a Python is not breaking for anyone pip serves: the resolver keeps older
    # Pythons on the last release that supports them. Every library of the issue does it in
    # a minor release (click 8.2, flask 3.1, pluggy 1.6, packaging 26.3), never a patch.
    ChangeKind.REQUIRES_PYTHON_RAISED: _A,
    ChangeKind.REQUIRES_PYTHON_LOWERED: _A,
    # A dropped dependency breaks only code that imported it without declaring it (click
    # 8.5.0 dropped colorama in a minor release); a re-export of it shows up as API.
    ChangeKind.DEPENDENCY_REMOVED: _F,
    ChangeKind.DEPENDENCY_ADDED: _F,
    ChangeKind.DEPENDENCY_CHANGED: _F,
    ChangeKind.EXTRA_REMOVED: _B,
    ChangeKind.EXTRA_ADDED: _A,
    ChangeKind.ENTRY_POINT_REMOVED: _B,
    ChangeKind.ENTRY_POINT_ADDED: _A,
    ChangeKind.ENTRY_POINT_CHANGED: _F,
}

ADVISORY: dict[ChangeKind, Impact] = {
    ChangeKind.PARAMETER_TYPE_WIDENED: _A,
    ChangeKind.RETURN_TYPE_WIDENED: _B,
}
"""Kinds that would want a larger bump than they require: short of it, a warning."""

UNPROVEN = frozenset((ChangeKind.PARAMETER_TYPE_UNPROVEN, ChangeKind.RETURN_TYPE_UNPROVEN))


@dataclass(frozen=True)
class Change:
    """One change between the last release and the working tree."""

    kind: ChangeKind
    target: str
    """Dotted object path (``pkg.mod.func(param)``) or metadata key (``dependency requests``)."""
    detail: str
    """What changed, in words (``default 1 -> 2``)."""
    path: str | None = None
    """File relative to the project root (for removed objects: where it was at the release)."""
    line: int | None = None
    at_release: bool = False
    """``path``/``line`` point into the release, because the object no longer exists."""
    deprecated: str = ""
    """How the base release deprecated what this change removes ("" when it did not)."""

    @property
    def impact(self) -> Impact:
        return self.kind.impact


@dataclass(frozen=True)
class Problem:
    """Why part of the assessment could not be made (a warning, not a verdict)."""

    rule: str
    message: str
    hint: str
    path: str | None = None
