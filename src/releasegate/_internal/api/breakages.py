"""griffe's breakages as Changes, without its known false positives."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from releasegate._internal.api import served
from releasegate._internal.api.changes import Change, ChangeKind
from releasegate._internal.api.deprecations import how_deprecated, parameter_deprecated
from releasegate._internal.api.equivalence import no_change
from releasegate._internal.api.members import (
    MODULE_HOOKS,
    borrowed,
    griffe_errors,
    in_test_package,
    is_hook_implementation,
    is_public,
    lookup,
    target_of,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

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

    found = []
    inherited: dict[int, str] = {}
    for breakage in find_breaking_changes(old, new):
        change = _breakage(breakage, (old, new), comparison)
        if change is not None:
            found.append(change)
            origin = _inherited_from(breakage.obj)
            if change.kind is ChangeKind.OBJECT_REMOVED and origin is not None:
                inherited[id(change)] = origin
    found = _fold_inherited(found, inherited)
    found.extend(served.removals(old, new, comparison))
    return iter(_fold_moves(_fold_renames(found, (old, new))))


def _inherited_from(obj: Member) -> str | None:
    """Where an inherited member is defined (griffe's inherited aliases), else None."""
    if not getattr(obj, "inherited", False):
        return None
    origin = getattr(obj, "target_path", None)
    return str(origin) if origin else None


def _fold_inherited(changes: list[Change], inherited: dict[int, str]) -> list[Change]:
    """A member removed from a base, or with its base, is that change, not one more per
    subclass that inherited it (astroid 4.1.0: two misspelt names of ``FunctionModel`` were
    twelve errors; deepdiff 8.4.2: a removed Protocol's six annotations, 18 more)."""
    removed = {c.target: c for c in changes if c.kind is ChangeKind.OBJECT_REMOVED}
    heirs: dict[str, int] = {}
    kept = []
    for change in changes:
        origin = inherited.get(id(change))
        owner = origin.rpartition(".")[0] if origin is not None else ""
        cause = origin if origin in removed else owner if owner in removed else None
        if cause is not None:
            heirs[cause] = heirs.get(cause, 0) + 1
        else:
            kept.append(change)
    return [
        replace(c, detail=f"{c.detail} (and {heirs[c.target]} inherited copies in subclasses)")
        if c.kind is ChangeKind.OBJECT_REMOVED and c.target in heirs
        else c
        for c in kept
    ]


def moved(old: Object, new: Object, comparison: Comparison) -> Iterator[Change]:
    """Breakages of an object now defined elsewhere and imported back where it was.

    griffe compares through an alias only in name: it marks the old path seen before following
    the alias, so a function moved to ``_impl.py`` kept no contract at all (issue 28).
    """
    from griffe._internal import diff  # the one entry point that compares two objects

    compare = getattr(diff, "_type_based_yield", None)
    if compare is None or old.package is None or new.package is None:
        return
    for breakage in compare(old, new, seen_paths=set()):
        change = _breakage(breakage, (old.package, new.package), comparison)
        if change is not None and change.target.startswith(new.path):
            # Named where callers import it from, which is where it was.
            yield replace(change, target=old.path + change.target.removeprefix(new.path))
        elif change is not None:
            yield change


def _fold_renames(changes: list[Change], roots: tuple[Member, Member]) -> list[Change]:
    """A parameter renamed in place is one change: cachecontrol 0.14.2's ``cache_response``
    ``response`` -> ``response_or_ref`` was "removed" and "added as required", two errors.

    Only when the function lost one parameter and gained one required parameter, of the same
    kind at the same position: a caller passing it by position is unaffected, one passing it
    by name breaks, as for a removal (which the change stays).
    """
    removed: dict[str, list[Change]] = {}
    added: dict[str, list[Change]] = {}
    for change in changes:
        if change.kind is ChangeKind.PARAMETER_REMOVED:
            removed.setdefault(_function(change), []).append(change)
        elif change.kind is ChangeKind.PARAMETER_ADDED_REQUIRED:
            added.setdefault(_function(change), []).append(change)
    renamed: dict[int, Change] = {}
    folded: set[int] = set()
    for function, gone in removed.items():
        came = added.get(function, [])
        if len(gone) == 1 and len(came) == 1 and _same_place(function, gone[0], came[0], roots):
            new_name = _parameter(came[0])
            renamed[id(gone[0])] = replace(gone[0], detail=f"parameter was renamed to {new_name}")
            folded.add(id(came[0]))
    return [renamed.get(id(c), c) for c in changes if id(c) not in folded]


def _same_place(function: str, gone: Change, came: Change, roots: tuple[Member, Member]) -> bool:
    """The old parameter and the new one stand at the same position with the same kind."""
    old_function, new_function = (_lookup(root, function) for root in roots)
    if old_function is None or new_function is None:
        return False
    before = list(getattr(old_function, "parameters", ()))
    after = list(getattr(new_function, "parameters", ()))
    old_names, new_names = [p.name for p in before], [p.name for p in after]
    old_name, new_name = _parameter(gone), _parameter(came)
    if old_name not in old_names or new_name not in new_names:
        return False
    at = old_names.index(old_name)
    return at == new_names.index(new_name) and before[at].kind == after[at].kind


def _parameter(change: Change) -> str:
    return change.target.split("(", 1)[1].rstrip(")")


def _fold_moves(changes: list[Change]) -> list[Change]:
    """Parameters that moved because of one change are that change, not one finding each.

    griffe reports every parameter after a removed or inserted one as moved: httpcore 1.0.7
    inserted ``proxy`` into ``ConnectionPool.__init__`` and got ten errors per class. With a
    removal (or a new required parameter) to blame, the moves join it; otherwise (a new
    optional parameter, reported by ``additions``) the first move stands for the rest.
    """
    cause = {
        _function(c): c
        for c in changes
        if c.kind in (ChangeKind.PARAMETER_REMOVED, ChangeKind.PARAMETER_ADDED_REQUIRED)
    }
    moved: dict[str, int] = {}
    kept = []
    for change in changes:
        function = _function(change)
        if change.kind is not ChangeKind.PARAMETER_MOVED:
            kept.append(change)
        elif function in cause or function in moved:
            moved[function] = moved.get(function, 0) + 1
        else:
            moved[function] = 0
            cause[function] = change
            kept.append(change)
    return [
        replace(c, detail=f"{c.detail} (and {moved.pop(f)} parameter(s) after it moved)")
        if (f := _function(c)) in moved and cause.get(f) is c and moved[f]
        else c
        for c in kept
    ]


def _function(change: Change) -> str:
    return change.target.split("(", 1)[0]


def _breakage(
    breakage: Breakage, roots: tuple[Member, Member], comparison: Comparison
) -> Change | None:
    name = breakage.kind.name
    kind = _FROM_GRIFFE.get(name)
    obj = breakage.obj
    old_root = roots[0]
    if kind is None or comparison.ignored(obj) or borrowed(obj):
        return None
    if in_test_package(obj):
        return None  # a test suite inside the package (networkx's tests/test_*.py): no one's API
    if no_change(breakage, old_root) or _false_positive(breakage, kind, roots):
        return None
    target = obj.path
    if name in _PARAMETER_LEVEL:
        parameter = breakage.new_value if name == "PARAMETER_ADDED_REQUIRED" else breakage.old_value
        target = f"{obj.path}({parameter.name})"
    removed = kind is ChangeKind.OBJECT_REMOVED
    path, line = (comparison.old_locate if removed else comparison.new_locate)(obj)
    how = _deprecated(breakage, old_root) if kind in _DEPRECATABLE else ""
    return Change(kind, target, _detail(breakage), path, line, removed, how)


# What a release does to a parameter it deprecates (a sentinel default, Literal[None]): a
# caller still passing it is warned, not broken; its removal later is the change that counts.
_SENTINEL_KINDS = frozenset(("PARAMETER_CHANGED_DEFAULT", "PARAMETER_CHANGED_KIND"))

_DEPRECATABLE = frozenset((ChangeKind.OBJECT_REMOVED, ChangeKind.PARAMETER_REMOVED))


def _deprecated(breakage: Breakage, old_root: Member) -> str:
    """How the release deprecated what ``breakage`` removes ("" when it did not)."""
    if breakage.kind.name == "OBJECT_REMOVED":
        return how_deprecated(breakage.obj)
    parameter = breakage.old_value.name
    old_function = _lookup(old_root, breakage.obj.path)
    if parameter_deprecated(old_function, parameter):
        return f"the release warned when {parameter} was passed"
    return how_deprecated(old_function) if old_function is not None else ""


def _false_positive(breakage: Breakage, kind: ChangeKind, roots: tuple[Member, Member]) -> bool:
    """griffe's known false positives, each found on a real release."""
    name, obj = breakage.kind.name, breakage.obj
    old_root, new_root = roots
    if name in _PARAMETER_LEVEL and (
        # pluggy passes a hook implementation only the arguments it names (pytest-asyncio 0.23.5)
        is_hook_implementation(obj)
        # deprecated now, still accepted: werkzeug 2.1 parse_options_header(multiple)
        or (name in _SENTINEL_KINDS and parameter_deprecated(obj, breakage.old_value.name))
    ):
        return True
    by_kind = _BY_KIND.get(name)
    if by_kind is not None:
        return by_kind(breakage, old_root)
    if kind is ChangeKind.OBJECT_REMOVED:
        return (
            not is_public(obj)  # also what griffe calls public and is not (TYPE_CHECKING)
            or _module_hook(obj)
            or _always_there(obj)
            or _inherited_from_unknown(obj, new_root)
            or served.still_served(obj, new_root)
        )
    if name in _PRIVATE_PARAMETER_OK and breakage.old_value.name.startswith("_"):
        return True  # an underscore parameter (a private dataclass field) is not for callers
    if name == "PARAMETER_CHANGED_DEFAULT" and _both_empty(breakage):
        return True  # build 1.5.1: constraints=[] -> constraints=(): the same empty default
    # griffe compares annotations as text: List[int] -> list[int] is no change
    return kind is ChangeKind.ATTRIBUTE_TYPE_CHANGED and _same_type(breakage)


def still_inherits(cls: Object, base: object, old_root: Member | None = None) -> bool:
    """``cls`` still has ``base`` among its ancestors: werkzeug 3.1's ContentSecurityPolicy
    went from ``(UpdateDictMixin, dict)`` to ``(CallbackDict,)``, which is both."""
    wanted = _plain(base if isinstance(base, str) else getattr(base, "canonical_path", base))
    if wanted == "object":
        return True  # every class has it: tqdm 4.67.2's ``class Bar(object)`` -> ``class Bar:``
    try:
        chain = [cls, *cls.mro()]  # type: ignore[attr-defined]
    except griffe_errors():  # an inheritance griffe cannot order proves nothing
        return False
    found = {_plain(c.path) for c in chain}
    found |= {_plain(b) for c in chain for b in unseen_bases(c)}
    if wanted in found:
        return True
    return any(_denoted(cls, name) in found for name in _names_of(wanted, old_root))


def _names_of(path: str, old_root: Member | None) -> list[str]:
    """The paths that named the old base ``path``: its own, and each package above its module
    that re-exported it (``astroid.nodes.Statement`` for ``astroid.nodes.node_classes.Statement``).

    An ``isinstance`` check through any of them still holds when that name denotes one of the
    class's new ancestors: astroid 2.12 moved its node bases to a private module, re-exported
    by the same public names (``astroid.mixins.AssignTypeMixin`` became an alias of the new
    base), and 60 node classes were reported as losing a base."""
    names = [path]
    parts = path.split(".")
    if old_root is None:
        return names
    for cut in range(len(parts) - 2, 0, -1):
        name = ".".join([*parts[:cut], parts[-1]])
        found = lookup(old_root, name)
        target = target_of(found) if found is not None else None
        if target is not None and _plain(target.path) == path:
            names.append(name)
    return names


def _denoted(cls: Object, path: str) -> str | None:
    """What ``path`` names in ``cls``'s release, followed through aliases."""
    found = lookup(cls, path)
    target = target_of(found) if found is not None else None
    return _plain(target.path) if target is not None else None


def _plain(path: object) -> str:
    return str(path).removeprefix("builtins.").split("[", 1)[0]


def _private_renamed(breakage: Breakage, old_root: Member) -> bool:
    """A required positional parameter that takes the place of an underscore one: werkzeug
    3.1.0's ``Headers.add(self, _key, _value)`` -> ``add(self, key, value)``. Positional
    callers pass the same arguments; nobody passed the private names by keyword."""
    new = breakage.new_value
    positional = ("positional_only", "positional_or_keyword")
    if new.kind.name not in positional:
        return False
    old_function = _lookup(old_root, breakage.obj.path)
    if old_function is None or not old_function.is_function:
        return False
    position = [p.name for p in breakage.obj.parameters].index(new.name)  # type: ignore[attr-defined]
    before = list(old_function.parameters)  # type: ignore[attr-defined]
    if position >= len(before):
        return False
    old = before[position]
    return bool(old.name.startswith("_") and old.required and old.kind.name in positional)


def _kept_bases(breakage: Breakage, old_root: Member) -> bool:
    return all(still_inherits(breakage.obj, base, old_root) for base in breakage.old_value)


def _method_alias(breakage: Breakage, old_root: Member) -> bool:
    """``__str__ = __repr__`` in a class body is a method, so writing it out as ``def
    __str__(self)`` changes no kind (deepdiff 8.3.0); the same the other way round."""
    old = _lookup(old_root, breakage.obj.path)
    return _names_a_sibling_method(old) or _names_a_sibling_method(breakage.obj)


def _names_a_sibling_method(obj: Object | None) -> bool:
    if obj is None or not obj.is_attribute or obj.parent is None or not obj.parent.is_class:
        return False
    value = str(getattr(obj, "value", "") or "")
    sibling = obj.parent.members.get(value) if value.isidentifier() else None
    return sibling is not None and target_of(sibling) is not None and sibling.is_function


_BY_KIND: dict[str, Callable[[Breakage, Member], bool]] = {
    "PARAMETER_ADDED_REQUIRED": _private_renamed,
    "CLASS_REMOVED_BASE": _kept_bases,
    "OBJECT_CHANGED_KIND": _method_alias,
}


# Attributes every class and instance has: assigning one (astroid 2.11's Borg manager set
# ``self.__dict__``) declares nothing, so no longer assigning it removes nothing.
_IMPLICIT_ATTRIBUTES = frozenset(("__dict__", "__class__", "__doc__", "__module__", "__weakref__"))


def _always_there(obj: Member) -> bool:
    return obj.name in _IMPLICIT_ATTRIBUTES and obj.parent is not None and obj.parent.is_class


def _module_hook(obj: Member) -> bool:
    """A module ``__getattr__`` is not an object: the names it served are compared instead."""
    return obj.name in MODULE_HOOKS and obj.parent is not None and obj.parent.is_module


# What may happen to an underscore parameter without breaking a caller: one that did not
# pass it is unaffected. It becoming required (or a new required one) still breaks calls.
_PRIVATE_PARAMETER_OK = frozenset(
    ("PARAMETER_MOVED", "PARAMETER_REMOVED", "PARAMETER_CHANGED_KIND", "PARAMETER_CHANGED_DEFAULT")
)


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
        except griffe_errors():  # griffe cannot see it
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
