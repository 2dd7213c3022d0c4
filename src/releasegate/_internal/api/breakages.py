"""griffe's breakages as Changes, without its known false positives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.api.changes import Change, ChangeKind
from releasegate._internal.api.members import NOT_API, borrowed, target_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from griffe import Breakage, Object

    from releasegate._internal.api.members import Comparison, Member

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


def breakages(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    from griffe import find_breaking_changes

    for breakage in find_breaking_changes(old, new):
        change = _breakage(breakage, new, comparison)
        if change is not None:
            yield change


def _breakage(breakage: Breakage, new_root: Member, comparison: Comparison) -> Change | None:
    name = breakage.kind.name
    kind = _FROM_GRIFFE.get(name)
    obj = breakage.obj
    if kind is None or comparison.ignored(obj) or borrowed(obj):
        return None
    if kind is ChangeKind.OBJECT_REMOVED and (
        obj.name in NOT_API
        or _inherited_from_unknown(obj, new_root)
        or _still_served(obj, new_root)
    ):
        return None
    if name in _PRIVATE_PARAMETER_OK and breakage.old_value.name.startswith("_"):
        return None  # an underscore parameter (a private dataclass field) is not for callers
    if name == "PARAMETER_CHANGED_DEFAULT" and _both_empty(breakage):
        return None  # build 1.5.1: constraints=[] -> constraints=(): the same empty default
    if kind is ChangeKind.ATTRIBUTE_TYPE_CHANGED and _same_type(breakage):
        return None  # griffe compares annotations as text: List[int] -> list[int] is no change
    target = obj.path
    if name in _PARAMETER_LEVEL:
        parameter = breakage.new_value if name == "PARAMETER_ADDED_REQUIRED" else breakage.old_value
        target = f"{obj.path}({parameter.name})"
    removed = kind is ChangeKind.OBJECT_REMOVED
    path, line = (comparison.old_locate if removed else comparison.new_locate)(obj)
    return Change(kind, target, _detail(breakage), path, line, at_release=removed)


# What may happen to an underscore parameter without breaking a caller: one that did not
# pass it is unaffected. It becoming required (or a new required one) still breaks calls.
_PRIVATE_PARAMETER_OK = frozenset(
    ("PARAMETER_MOVED", "PARAMETER_REMOVED", "PARAMETER_CHANGED_KIND", "PARAMETER_CHANGED_DEFAULT")
)


def _still_served(removed: Member, new_root: Member) -> bool:
    """A module-level name that the module's ``__getattr__`` still answers for.

    Deprecation keeps old names working through PEP 562 (click 8.1 serves ``BaseCommand``
    and ``__version__`` that way, with a warning): they are not removed. A name that
    ``__getattr__`` mentions as a string literal counts as served.
    """
    parent = removed.parent
    if parent is None or not parent.is_module:
        return False
    module = _lookup(new_root, parent.path)
    hook = module.members.get("__getattr__") if module is not None else None
    target = target_of(hook) if hook is not None else None
    if target is None or not target.is_function:
        return False
    return removed.name in _string_literals(target)


def _string_literals(function: Object) -> set[str]:
    import ast
    import textwrap
    from pathlib import Path

    try:
        filepath = function.filepath
        first = filepath[0] if isinstance(filepath, list) else filepath
        lines = Path(first).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError, IndexError):
        return set()
    start, end = function.lineno or 1, function.endlineno or len(lines)
    try:
        tree = ast.parse(textwrap.dedent("\n".join(lines[start - 1 : end])))
    except SyntaxError:
        return set()
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


_EMPTY = frozenset(("[]", "()", "list()", "tuple()"))
"""Empty sequences: a callee that only reads its default cannot tell them apart."""


def _both_empty(breakage: Breakage) -> bool:
    old, new = str(breakage.old_value.default), str(breakage.new_value.default)
    return old in _EMPTY and new in _EMPTY


def _same_type(breakage: Breakage) -> bool:
    from releasegate._internal.api.annotations import same

    parent = breakage.obj.parent
    owner = parent.name if parent is not None and parent.is_class else None
    return same(breakage.old_value, breakage.new_value, owner)


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
    if removed.parent is None:
        return False
    cls = _lookup(new_root, removed.parent.path)
    if cls is None or not cls.is_class:
        return False
    unseen = [base for c in [cls, *_mro(cls)] for base in unseen_bases(c)]
    if removed.is_alias and getattr(removed, "inherited", False):
        return any(may_provide(base, removed.name) for base in unseen)
    # The class's own override dropped: the base serves the name again. flask 3.1.3 dropped
    # SecureCookieSession.get/__getitem__/setdefault (werkzeug's CallbackDict, a dict, has
    # them); attrs 26.1 dropped FrozenError.args (AttributeError's). Outside builtins only
    # the container protocols are assumed, so a framework base does not hide every removal.
    return any(may_provide(base, removed.name, overridden=True) for base in unseen)


def unseen_bases(cls: Object) -> list[str]:
    """Bases of ``cls`` that are not loaded (outside the package), by their written path."""
    unseen = []
    for base in cls.bases:  # type: ignore[attr-defined]
        path = base if isinstance(base, str) else base.canonical_path
        try:
            cls.modules_collection.get_member(path)
        except Exception:  # noqa: BLE001 - any failure to resolve means griffe cannot see it
            unseen.append(path)
    return unseen


def may_provide(base: str, name: str, *, overridden: bool = False) -> bool:
    """``base`` (unseen) may have ``name``: a builtin is asked; any other base may have
    anything, or, for an ``overridden`` name, what a dict, list or set has."""
    import builtins

    builtin = getattr(builtins, base.removeprefix("builtins."), None)
    if builtin is None or not isinstance(builtin, type):
        return not overridden or any(hasattr(kind, name) for kind in (dict, list, set))
    return hasattr(builtin, name)


def _mro(cls: Object) -> list[Object]:
    try:
        return list(cls.mro())  # type: ignore[attr-defined]
    except ValueError:
        return []


def _lookup(root: Member, path: str) -> Object | None:
    """``path`` in the tree: below ``root``, or in a package loaded beside it (attrs
    re-exports attr.exceptions, so its breakages name objects of attr)."""
    try:
        if path != root.path and not path.startswith(f"{root.path}."):
            found = root.modules_collection.get_member(path)
        else:
            relative = path.removeprefix(root.path).lstrip(".")
            found = root[relative] if relative else root
    except (KeyError, ValueError, IndexError):
        return None
    return target_of(found)
