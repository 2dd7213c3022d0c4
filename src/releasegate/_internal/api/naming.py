"""What a change is called: the public path callers import an object from.

griffe names an object by where it is defined. An object defined in a private module and
re-exported by a public one (anyio's ``fail_after``, defined in ``anyio._core._tasks`` and
offered as ``anyio.fail_after``) was reported as ``anyio._core._tasks.fail_after(reason)``:
a path no caller uses, which reads as if private API had changed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from releasegate._internal.api.members import target_of

if TYPE_CHECKING:
    from releasegate._internal.api.changes import Change
    from releasegate._internal.api.members import Member


def public_paths(root: Member) -> dict[str, str]:
    """Each object a private module defines -> the shortest public path re-exporting it."""
    found: dict[str, str] = {}
    todo = [root]
    while todo:
        module = todo.pop()
        for name, member in module.members.items():
            if _private(name):
                continue
            if not member.is_alias:
                if member.is_module:
                    todo.append(member)
                continue
            # Through every alias on the way: httpcore re-exports ``_async``'s re-export.
            final = target_of(member)
            target = final.path if final is not None else str(getattr(member, "target_path", ""))
            public = f"{module.path}.{name}"
            if _has_private_part(target) and len(public) < len(found.get(target, target + ".")):
                found[target] = public
    return found


def publicly_named(changes: list[Change], names: dict[str, str]) -> list[Change]:
    """``changes`` with each target inside a private module named by its public path."""
    return [_renamed(change, names) for change in changes]


def _renamed(change: Change, names: dict[str, str]) -> Change:
    path, bracket, parameter = change.target.partition("(")
    if not names or not _has_private_part(path):
        return change
    parts = path.split(".")
    for cut in range(len(parts), 1, -1):
        public = names.get(".".join(parts[:cut]))
        if public is not None:
            target = ".".join([public, *parts[cut:]]) + bracket + parameter
            return replace(change, target=target)
    return change


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _has_private_part(path: str) -> bool:
    return any(_private(part) for part in path.split("."))
