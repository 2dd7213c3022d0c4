"""Changed annotations, judged by the members of their unions.

A parameter that now accepts a superset of types is widened (compatible); a return
that now gives a subset is narrowed (compatible); anything else changed the contract.
"""

from __future__ import annotations

import re

from releasegate._internal.api.changes import ChangeKind

_PREFIX = re.compile(r"\b(?:typing|typing_extensions)\.")


def union_members(annotation: object) -> frozenset[str]:
    """``Optional[int]``, ``Union[int, None]`` and ``int | None`` all give {int, None}."""
    text = _PREFIX.sub("", str(annotation)).replace(" ", "").strip("'\"")
    members: set[str] = set()
    for part in _split(text, "|"):
        if part.startswith("Optional[") and part.endswith("]"):
            members |= union_members(part[len("Optional[") : -1]) | {"None"}
        elif part.startswith("Union[") and part.endswith("]"):
            for inner in _split(part[len("Union[") : -1], ","):
                members |= union_members(inner)
        else:
            members.add(part)
    return frozenset(members)


def _split(text: str, separator: str) -> list[str]:
    """Split at ``separator`` outside brackets."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += (char in "([") - (char in ")]")
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part for part in parts if part]


def compare_parameter(old: object, new: object) -> tuple[ChangeKind, str] | None:
    """Adding an annotation, or removing one, changes nothing at run time."""
    if old is None or new is None or str(old) == str(new):
        return None
    before, after = union_members(old), union_members(new)
    if before == after:
        return None
    kind = (
        ChangeKind.PARAMETER_TYPE_WIDENED if after > before else ChangeKind.PARAMETER_TYPE_CHANGED
    )
    return kind, f"annotation {old} -> {new}"


def compare_return(old: object, new: object) -> tuple[ChangeKind, str] | None:
    """A function that returned None gained a value: no contract broke (griffe's view too)."""
    if old is None or new is None:
        return None  # a removed return annotation is griffe's RETURN_CHANGED_TYPE
    if str(old) == str(new):
        return None
    before, after = union_members(old), union_members(new)
    if before in (after, {"None"}):
        return None
    kind = ChangeKind.RETURN_TYPE_NARROWED if after < before else ChangeKind.RETURN_TYPE_CHANGED
    return kind, f"return annotation {old} -> {new}"
