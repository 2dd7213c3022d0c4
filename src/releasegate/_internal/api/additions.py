"""What griffe does not report: additions, and annotation changes judged by their unions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.api.annotations import compare_parameter, compare_return
from releasegate._internal.api.changes import Change, ChangeKind
from releasegate._internal.api.members import is_public, target_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from griffe import Function, Object

    from releasegate._internal.api.members import Comparison, Member


def additions(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    """Additions and signature changes from ``old`` to ``new``, recursively."""
    return _walk(old, new, comparison)


def _walk(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    """Additions among ``new``'s own members (inherited ones come from their base), then pairs."""
    before = old.all_members
    for name, member in new.members.items():
        if not is_public(member) or comparison.ignored(member):
            continue
        previous = before.get(name)
        if previous is None or not is_public(previous):
            yield from _added(member, comparison)
        else:
            yield from _pair(previous, member, comparison)


def _added(member: Member, comparison: Comparison) -> Iterator[Change]:
    target = target_of(member)
    key = target.path if target is not None else member.path
    if key in comparison.added:
        return  # the same new object re-exported under a second public path
    comparison.added.add(key)
    kind = target.kind.value if target is not None else "name"
    path, line = comparison.new_locate(member)
    yield Change(ChangeKind.OBJECT_ADDED, member.path, f"new public {kind}", path, line)


def _pair(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    old_target, new_target = target_of(old), target_of(new)
    if old_target is None or new_target is None or old_target.kind is not new_target.kind:
        return  # griffe reports changed kinds; unresolvable aliases leave the package
    if new_target.path in comparison.seen:
        return
    comparison.seen.add(new_target.path)
    if new_target.is_class:
        yield from _replaced_bases(old_target, new_target, comparison)
    if new_target.is_module or new_target.is_class:
        yield from _walk(old_target, new_target, comparison)
    elif new_target.is_function:
        yield from _signature(old_target, new_target, comparison)  # type: ignore[arg-type]


def _base_paths(cls: Object) -> list[str]:
    return [b if isinstance(b, str) else b.canonical_path for b in cls.bases]  # type: ignore[attr-defined]


def _replaced_bases(old: Object, new: Object, comparison: Comparison) -> Iterator[Change]:
    """A public base swapped for another: ``isinstance`` checks against it now fail.

    griffe reports a removed base only when the number of bases drops.
    """
    before, after = _base_paths(old), _base_paths(new)
    if len(after) < len(before):
        return  # griffe's CLASS_REMOVED_BASE
    for base in before:
        if base not in after and not base.rsplit(".", 1)[-1].startswith("_"):
            path, line = comparison.new_locate(new)
            detail = f"base {base} replaced: bases [{', '.join(before)}] -> [{', '.join(after)}]"
            yield Change(ChangeKind.BASE_REMOVED, new.path, detail, path, line)


def _signature(old: Function, new: Function, comparison: Comparison) -> Iterator[Change]:
    path, line = comparison.new_locate(new)
    before = {p.name: p for p in old.parameters}
    for parameter in new.parameters:
        previous = before.get(parameter.name)
        target = f"{new.path}({parameter.name})"
        if previous is None:
            if not parameter.required:
                yield Change(
                    ChangeKind.PARAMETER_ADDED_OPTIONAL,
                    target,
                    "new optional parameter",
                    path,
                    line,
                )
            continue
        found = compare_parameter(previous.annotation, parameter.annotation)
        if found is not None:
            yield Change(found[0], target, found[1], path, line)
    found = compare_return(old.returns, new.returns)
    if found is not None:
        yield Change(found[0], new.path, found[1], path, line)
