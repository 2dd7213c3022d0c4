"""Changed annotations, judged by what they mean rather than how they are written.

Most annotation edits between real releases are modernisation (``List[int]`` -> ``list[int]``,
``t.Optional[str]`` -> ``str | None``, an alias replaced by its definition, ``-> "Foo"`` ->
``-> Self``): compared as text they made 78% of the API errors on real release pairs (issue 13).
Each annotation is rendered with every name resolved to what it means (griffe's canonical
paths, typing's aliases folded onto the builtins and ``collections.abc``), split into union
members, and compared member by member with the subtype relations of the standard types:

- a parameter that accepts a superset of what it did is widened (compatible);
- a return that gives a subset of what it did is narrowed (compatible);
- a change between standard types that is neither broke the contract;
- anything that involves types the comparison cannot relate (the project's own classes,
  third-party types) is unproven: a note, never an error.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from releasegate._internal.api.changes import ChangeKind
from releasegate._internal.api.members import griffe_errors

if TYPE_CHECKING:
    from collections.abc import Iterable

_PREFIXES = (
    "typing_extensions.",
    "typing.",
    "collections.abc.",
    "builtins.",
    "_typeshed.",
    "contextlib.",
)
# typing's deprecated aliases of the builtins, and spellings of "anything".
_RENAMES = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
    "Text": "str",
    "AbstractSet": "Set_",
    "DefaultDict": "defaultdict",
    "OrderedDict": "OrderedDict",
    "Deque": "deque",
    "NoneType": "None",
    "collections.defaultdict": "defaultdict",
    "collections.deque": "deque",
    "collections.OrderedDict": "OrderedDict",
}
# Direct supertypes among standard types (the transitive closure is taken in _supertypes).
_SUPERS: dict[str, tuple[str, ...]] = {
    "bool": ("int",),
    "int": ("float",),
    "float": ("complex",),
    "str": ("Sequence",),
    "bytes": ("Sequence", "ByteString"),
    "bytearray": ("MutableSequence", "ByteString"),
    "list": ("MutableSequence",),
    "tuple": ("Sequence",),
    "range": ("Sequence",),
    "MutableSequence": ("Sequence",),
    "Sequence": ("Reversible", "Collection"),
    "Reversible": ("Iterable",),
    "Collection": ("Iterable", "Container", "Sized"),
    "dict": ("MutableMapping",),
    "defaultdict": ("dict",),
    "OrderedDict": ("dict",),
    "MutableMapping": ("Mapping",),
    "Mapping": ("Collection",),
    "set": ("MutableSet",),
    "frozenset": ("Set_",),
    "MutableSet": ("Set_",),
    "Set_": ("Collection",),
    "deque": ("MutableSequence",),
    "KeysView": ("Set_", "MappingView"),
    "ItemsView": ("Set_", "MappingView"),
    "ValuesView": ("Collection", "MappingView"),
    "Generator": ("Iterator",),
    "Iterator": ("Iterable",),
    "AsyncGenerator": ("AsyncIterator",),
    "AsyncIterator": ("AsyncIterable",),
    "Coroutine": ("Awaitable",),
    "Pattern": (),
    "Match": (),
}
_STANDARD = frozenset(
    {"None", "object", "complex", "type", "Callable", "Literal", "Awaitable", "Iterable"}
    | set(_SUPERS)
    | {s for supers in _SUPERS.values() for s in supers}
)
# Type parameters with defaults (PEP 696, typeshed): ``Generator[bytes]`` is
# ``Generator[bytes, None, None]`` (urllib3 2.3.0 dropped the defaults: no change).
# Each generic's required parameters, then the defaults of the rest (in canonical form).
_DEFAULTED: dict[str, tuple[int, tuple[str, ...]]] = {
    "Generator": (1, ("None", "None")),
    "AsyncGenerator": (1, ("None",)),
    "AbstractContextManager": (1, ("None|bool",)),
    "AbstractAsyncContextManager": (1, ("None|bool",)),
    "ContextManager": (1, ("None|bool",)),
    "AsyncContextManager": (1, ("None|bool",)),
}
_ALIAS_DEPTH = 5
_TEXT_PREFIX = re.compile(r"\b(?:typing_extensions|typing|collections\.abc|builtins|contextlib)\.")
_WORD = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")


def render(annotation: object, owner: str | None = None) -> str:
    """``annotation`` (a griffe expression or text) with every name resolved to its meaning.

    ``owner`` is the class a method belongs to: ``Self`` and ``"Owner"`` mean the same.
    """
    return _render(annotation, owner, 0).replace(" ", "")


def _render(annotation: object, owner: str | None, depth: int) -> str:
    from griffe import Expr, ExprAttribute, ExprName

    if isinstance(annotation, (ExprName, ExprAttribute)):
        return _name(annotation, owner, depth)
    if isinstance(annotation, Expr):
        return "".join(_render(part, owner, depth) for part in annotation.iterate(flat=False))
    text = _TEXT_PREFIX.sub("", str(annotation).strip("'\""))
    return _WORD.sub(lambda m: _RENAMES.get(m[0], m[0]), text)


def _name(expr: object, owner: str | None, depth: int) -> str:
    path = str(getattr(expr, "canonical_path", expr))
    value = _alias_value(expr, path) if depth < _ALIAS_DEPTH else None
    if value is not None:
        return _render(value, owner, depth + 1)
    for prefix in _PREFIXES:
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    path = _RENAMES.get(path, path)
    short = path.rsplit(".", 1)[-1]
    if short == "Self" and owner is not None:
        return owner
    return _RENAMES.get(short, short)


def _alias_value(expr: object, path: str) -> object | None:
    """The definition of a type alias of the project's own (``JSON = dict[str, Any]``)."""
    from griffe import Expr

    parent = getattr(expr, "parent", None)
    while parent is not None and not hasattr(parent, "modules_collection"):
        parent = getattr(parent, "parent", None)
    if parent is None or path.startswith(_PREFIXES):
        return None
    try:
        target = parent.modules_collection.get_member(path)
        target = getattr(target, "final_target", target)
    except griffe_errors():  # what griffe cannot resolve is not an alias we know
        return None
    value = getattr(target, "value", None)
    if target.is_attribute and isinstance(value, Expr) and not _is_constant(value):
        return value
    if getattr(target, "is_type_alias", False):
        return value
    return None


def _is_constant(value: object) -> bool:
    """A call or literal is a value, not a type (``DEFAULT = Config()``)."""
    from griffe import ExprCall, ExprConstant, ExprDict, ExprList, ExprSet, ExprTuple

    return isinstance(value, (ExprCall, ExprConstant, ExprDict, ExprList, ExprSet, ExprTuple))


def union_members(annotation: object, owner: str | None = None) -> frozenset[str]:
    """``Optional[int]``, ``Union[int, None]`` and ``int | None`` all give {int, None}."""
    return frozenset(_canonical(m) for m in _members(render(annotation, owner)))


def _canonical(member: str) -> str:
    """A member with its type arguments in canonical form (unions sorted, aliases folded)."""
    head, args = _head(member)
    if args is None:
        return member
    if head == "Literal":
        return f"Literal[{','.join(sorted(args))}]"
    inner = ["|".join(sorted(_canonical(m) for m in _members(arg))) for arg in args]
    return f"{head}[{','.join(_without_defaults(head, inner))}]"


def _without_defaults(head: str, args: list[str]) -> list[str]:
    """The arguments of ``head`` with trailing ones equal to their defaults dropped."""
    required, defaults = _DEFAULTED.get(head, (len(args), ()))
    while required < len(args) <= required + len(defaults):
        if args[-1] != defaults[len(args) - required - 1]:
            break
        args = args[:-1]
    return args


def _members(text: str) -> frozenset[str]:
    members: set[str] = set()
    for raw in _split(text, "|"):
        if raw.startswith("(") and raw.endswith(")"):
            members |= _members(raw[1:-1])  # str | (int | None): a union inside a union
            continue
        part = raw
        if part.startswith("Optional[") and part.endswith("]"):
            members |= _members(part[len("Optional[") : -1]) | {"None"}
        elif part.startswith("Union[") and part.endswith("]"):
            for inner in _split(part[len("Union[") : -1], ","):
                members |= _members(inner)
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


def _head(member: str) -> tuple[str, list[str] | None]:
    """``dict[str,int]`` -> ("dict", ["str", "int"]); a bare ``dict`` has no arguments."""
    if member.endswith("]") and "[" in member:
        head, _, rest = member.partition("[")
        return head, _split(rest[:-1], ",")
    return member, None


def _supertypes(head: str) -> set[str]:
    found, todo = {head, "object"}, [head]
    while todo:
        for parent in _SUPERS.get(todo.pop(), ()):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def _subtype(sub: str, sup: str) -> bool:
    """``sub`` is ``sup`` or a subtype of it, as far as standard types tell."""
    if sub == sup or sup in ("object", "Any") or (sub == "Any" and sup == "object"):
        return True
    sub_head, sub_args = _head(sub)
    sup_head, sup_args = _head(sup)
    if sub_head == sup_head == "Literal" and sub_args is not None and sup_args is not None:
        return set(sub_args) <= set(sup_args)
    if sup_head not in _supertypes(sub_head):
        return False
    # A bare generic is the same generic with unknown parameters (``list`` -> ``list[int]``).
    if sub_args is None or sup_args is None or sub_args == sup_args:
        return True
    if sub_head == sup_head and len(sub_args) == len(sup_args):
        # Argument by argument (flask 3.0.1: tuple[str, Callable | None] ->
        # tuple[str, Callable[[], bool] | None]; a bare generic is any of its forms).
        return all(
            _covered(_members(a), _members(b)) for a, b in zip(sub_args, sup_args, strict=True)
        )
    # Generator[Y, S, R] is an Iterator[Y]: the element types must agree where both say one.
    return sub_args[0] == sup_args[0] and sub_head != sup_head


def _covered(members: Iterable[str], by: frozenset[str]) -> bool:
    """Every one of ``members`` is a subtype of some member of ``by``."""
    return all(any(_subtype(m, b) for b in by) for m in members)


def _standard(members: Iterable[str]) -> bool:
    """Only standard types, whose relations the comparison knows, all the way down."""
    names = re.findall(r"[A-Za-z_][A-Za-z0-9_]*", ",".join(members))
    return all(name in _STANDARD for name in names)


def compare_parameter(
    old: object, new: object, owner: str | None = None
) -> tuple[ChangeKind, str] | None:
    """Adding an annotation, or removing one, changes nothing at run time."""
    if old is None or new is None or str(old) == str(new):
        return None
    before, after = union_members(old, owner), union_members(new, owner)
    if before == after or (_covered(before, after) and _covered(after, before)):
        return None
    if _covered(before, after):
        return ChangeKind.PARAMETER_TYPE_WIDENED, f"annotation {old} -> {new}"
    if after < before or _standard(before | after):  # an alternative dropped from a union
        return ChangeKind.PARAMETER_TYPE_CHANGED, f"annotation {old} -> {new}"
    return ChangeKind.PARAMETER_TYPE_UNPROVEN, f"annotation {old} -> {new}"


def compare_return(
    old: object, new: object, owner: str | None = None
) -> tuple[ChangeKind, str] | None:
    """A function that returned None gained a value: no contract broke (griffe's view too)."""
    if old is None or new is None:
        return None  # a removed return annotation is griffe's RETURN_CHANGED_TYPE
    if str(old) == str(new):
        return None
    before, after = union_members(old, owner), union_members(new, owner)
    if before in (after, {"None"}) or (_covered(before, after) and _covered(after, before)):
        return None
    return _return_kind(before, after), f"return annotation {old} -> {new}"


def _return_kind(before: frozenset[str], after: frozenset[str]) -> ChangeKind:
    if _covered(after, before):
        return ChangeKind.RETURN_TYPE_NARROWED
    if _covered(before, after):  # everything it returned, and more: a typing correction
        return ChangeKind.RETURN_TYPE_WIDENED
    if before < after or _standard(before | after):  # a new alternative callers must handle
        return ChangeKind.RETURN_TYPE_CHANGED
    return ChangeKind.RETURN_TYPE_UNPROVEN


def same(old: object, new: object, owner: str | None = None) -> bool:
    """Two annotations of an attribute that mean the same type (or one of them is gone)."""
    if old is None or new is None or str(old) == str(new):
        return True
    before, after = union_members(old, owner), union_members(new, owner)
    return before == after or (_covered(before, after) and _covered(after, before))
