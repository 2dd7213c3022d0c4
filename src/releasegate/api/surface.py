"""The public API of two versions of a package, read statically by griffe, and what changed.

Breakages come from ``griffe.find_breaking_changes``, filtered for its known false
positives; additions and annotation changes come from walking griffe's models, since
griffe reports breakages only.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from releasegate.api.annotations import compare_parameter, compare_return
from releasegate.api.changes import Change, ChangeKind

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from contextlib import AbstractContextManager
    from pathlib import Path

    from griffe import Alias, Breakage, Function, Object

    Member = Object | Alias
    Locate = Callable[[Member], tuple[str | None, int | None]]

# griffe's BreakageKind names -> ours (RETURN_CHANGED_TYPE fires only when the annotation is gone).
_FROM_GRIFFE = {
    "PARAMETER_MOVED": ChangeKind.PARAMETER_MOVED,
    "PARAMETER_REMOVED": ChangeKind.PARAMETER_REMOVED,
    "PARAMETER_CHANGED_KIND": ChangeKind.PARAMETER_KIND_CHANGED,
    "PARAMETER_CHANGED_DEFAULT": ChangeKind.PARAMETER_DEFAULT_CHANGED,
    "PARAMETER_CHANGED_REQUIRED": ChangeKind.PARAMETER_NOW_REQUIRED,
    "PARAMETER_ADDED_REQUIRED": ChangeKind.PARAMETER_ADDED_REQUIRED,
    "RETURN_CHANGED_TYPE": ChangeKind.RETURN_TYPE_REMOVED,
    "OBJECT_REMOVED": ChangeKind.OBJECT_REMOVED,
    "OBJECT_CHANGED_KIND": ChangeKind.OBJECT_KIND_CHANGED,
    "ATTRIBUTE_CHANGED_TYPE": ChangeKind.ATTRIBUTE_TYPE_CHANGED,
    "ATTRIBUTE_CHANGED_VALUE": ChangeKind.ATTRIBUTE_VALUE_CHANGED,
    "CLASS_REMOVED_BASE": ChangeKind.BASE_REMOVED,
}
_PARAMETER_LEVEL = frozenset(
    (
        "PARAMETER_MOVED",
        "PARAMETER_REMOVED",
        "PARAMETER_CHANGED_KIND",
        "PARAMETER_CHANGED_DEFAULT",
        "PARAMETER_CHANGED_REQUIRED",
        "PARAMETER_ADDED_REQUIRED",
    )
)


class LoadFailed(Exception):
    """griffe could not read the package; carries a message naming the file when known."""


def load(search: Path, name: str) -> Object | Alias:
    """Load package or module ``name`` below ``search`` statically, in its own collection.

    griffe skips a submodule it cannot parse (logging it at debug level only); a skipped
    module would look "removed", so a skipped file that does not compile fails the load.
    """
    import griffe

    try:
        with griffe.logger.disable():
            loaded = griffe.load(
                name,
                search_paths=[search],
                allow_inspection=False,
                resolve_aliases=True,
                resolve_external=False,
                store_source=False,
                modules_collection=griffe.ModulesCollection(),
                lines_collection=griffe.LinesCollection(),
            )
    except (griffe.GriffeError, ImportError, SyntaxError, OSError, ValueError) as exc:
        raise LoadFailed(f"{type(exc).__name__}: {exc}") from None
    _check_skipped(loaded, search / name)
    return loaded


def _module_files(module: Member) -> Iterator[Path]:
    filepath = getattr(module, "filepath", None)
    if isinstance(filepath, list):
        yield from filepath
    elif filepath is not None:
        yield filepath
    for member in module.members.values():
        if not member.is_alias and member.is_module:
            yield from _module_files(member)


def _check_skipped(loaded: Member, package: Path) -> None:
    if not package.is_dir():
        return
    seen = {path.resolve() for path in _module_files(loaded)}
    for path in sorted(package.rglob("*.py")):
        if path.resolve() in seen:
            continue
        try:
            compile(path.read_bytes(), str(path), "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            line = getattr(exc, "lineno", None)
            raise LoadFailed(f"Syntax error in {path.name} line {line}: {exc}") from None


def target_of(member: Member) -> Object | None:
    """The object an alias points to, or None when it leaves the package or cannot resolve."""
    if not member.is_alias:
        return member  # type: ignore[return-value]
    from griffe import AliasResolutionError, CyclicAliasError

    try:
        return member.final_target  # type: ignore[union-attr]
    except (AliasResolutionError, CyclicAliasError):
        return None


def is_public(member: Member) -> bool:
    try:
        return bool(member.is_public)
    except Exception:  # noqa: BLE001 - an alias griffe cannot classify is not part of the API
        return False


@dataclass
class Comparison:
    """One comparison: both locators and the names never compared."""

    old_locate: Locate
    new_locate: Locate
    ignore: frozenset[str]
    seen: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)

    def ignored(self, member: Member) -> bool:
        """Version constants and the like: attributes (or unresolved aliases) with ignored names."""
        if member.name not in self.ignore:
            return False
        target = target_of(member)
        return target is None or target.is_attribute


def compare(old: Member, new: Member, comparison: Comparison) -> list[Change]:
    """Every change from ``old`` to ``new``: griffe's breakages, then additions and annotations."""
    from griffe import find_breaking_changes

    with _quiet():
        changes = [
            c for b in find_breaking_changes(old, new) if (c := _breakage(b, new, comparison))
        ]
        changes.extend(_walk(old, new, comparison))
    return changes


def _quiet() -> AbstractContextManager[None]:
    import griffe

    return griffe.logger.disable()


def _breakage(breakage: Breakage, new_root: Member, comparison: Comparison) -> Change | None:
    name = breakage.kind.name
    kind = _FROM_GRIFFE.get(name)
    obj = breakage.obj
    if kind is None or comparison.ignored(obj):
        return None
    if kind is ChangeKind.OBJECT_REMOVED and _inherited_from_unknown(obj, new_root):
        return None
    target = obj.path
    if name in _PARAMETER_LEVEL:
        parameter = breakage.new_value if name == "PARAMETER_ADDED_REQUIRED" else breakage.old_value
        target = f"{obj.path}({parameter.name})"
    removed = kind is ChangeKind.OBJECT_REMOVED
    path, line = (comparison.old_locate if removed else comparison.new_locate)(obj)
    return Change(kind, target, _detail(breakage), path, line, at_release=removed)


def _detail(breakage: Breakage) -> str:
    name, old, new = breakage.kind.name, breakage.old_value, breakage.new_value
    if name == "PARAMETER_CHANGED_DEFAULT":
        return f"default {old.default} -> {new.default}"
    if name == "PARAMETER_CHANGED_KIND":
        return f"kind {old.kind.value} -> {new.kind.value}"
    if name == "OBJECT_CHANGED_KIND":
        return f"{old.value} -> {new.value}"
    if name == "CLASS_REMOVED_BASE":
        return f"bases [{', '.join(map(str, old))}] -> [{', '.join(map(str, new))}]"
    if name == "RETURN_CHANGED_TYPE":
        return f"return annotation {old} removed"
    return str(breakage.kind.value).lower()


def _inherited_from_unknown(removed: Member, new_root: Member) -> bool:
    """An inherited member "removed" from a class that may still get it from an unseen base.

    Static analysis cannot see bases outside the package: builtins such as ``Exception``
    (whose ``args`` griffe users kept seeing "removed") or a framework's classes. A builtin
    base is checked for the name directly; any other unseen base may provide anything.
    """
    if not (removed.is_alias and getattr(removed, "inherited", False)) or removed.parent is None:
        return False
    cls = _lookup(new_root, removed.parent.path)
    if cls is None or not cls.is_class:
        return False
    unseen = [base for c in [cls, *_mro(cls)] for base in _unseen_bases(c)]
    return any(_may_provide(base, removed.name) for base in unseen)


def _unseen_bases(cls: Object) -> list[str]:
    """Bases of ``cls`` that are not loaded (outside the package), by their written path."""
    unseen = []
    for base in cls.bases:  # type: ignore[attr-defined]
        path = base if isinstance(base, str) else base.canonical_path
        try:
            cls.modules_collection.get_member(path)
        except Exception:  # noqa: BLE001 - any failure to resolve means griffe cannot see it
            unseen.append(path)
    return unseen


def _may_provide(base: str, name: str) -> bool:
    import builtins

    builtin = getattr(builtins, base.removeprefix("builtins."), None)
    if builtin is None or not isinstance(builtin, type):
        return True
    return hasattr(builtin, name)


def _mro(cls: Object) -> list[Object]:
    try:
        return list(cls.mro())  # type: ignore[attr-defined]
    except ValueError:
        return []


def _lookup(root: Member, path: str) -> Object | None:
    relative = path.removeprefix(root.path).lstrip(".")
    try:
        found = root[relative] if relative else root
    except (KeyError, ValueError, IndexError):
        return None
    return target_of(found)


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
    if new_target.is_module or new_target.is_class:
        yield from _walk(old_target, new_target, comparison)
    elif new_target.is_function:
        yield from _signature(old_target, new_target, comparison)  # type: ignore[arg-type]


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
