"""griffe breakages that change nothing for a caller, found on real releases (issue 28).

- ``-> None`` dropped (werkzeug, urllib3 ``__init__``): the function still returns None.
- ``self`` made positional-only (``def m(self, /, ...)``): nobody passes ``self=`` by name.
- ``**kw`` renamed ``**kwargs`` (or ``*a`` -> ``*args``): the same calls are accepted.
- A ``property`` subclass decorator (werkzeug's ``cached_property``) replaced by
  ``@property``: an attribute stays an attribute, though griffe modelled one side as a method.
- A class made by a call (``namedtuple``, ``TypedDict``, ``Enum``) written as a ``class``
  statement on the same base, or back (babel 2.12.0, graphql-core 3.2.7).
- A default written differently with the same value (urllib3: ``2**16`` ->
  ``_READ_CHUNK_SIZE`` where the constant is ``2**16``), or changed to ``None`` while the
  body still applies the old value (a deprecation sentinel).
"""

from __future__ import annotations

import ast
import operator
from typing import TYPE_CHECKING

from releasegate._internal.api.code import parsed
from releasegate._internal.api.members import lookup, target_of

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from griffe import Breakage

    from releasegate._internal.api.members import Member

_BOUND = frozenset(("self", "cls", "mcs", "metacls"))


def no_change(breakage: Breakage, old_root: Member) -> bool:
    name = breakage.kind.name
    if name == "RETURN_CHANGED_TYPE":
        return str(breakage.old_value) == "None"
    if name == "PARAMETER_CHANGED_KIND":
        return _bound_first(breakage)
    if name == "PARAMETER_REMOVED":
        return _variadic_renamed(breakage, old_root)
    if name == "OBJECT_CHANGED_KIND":
        return _property_like(breakage, old_root)
    if name == "PARAMETER_CHANGED_DEFAULT":
        return (
            _same_value(breakage)
            or _sentinel(breakage)
            or _sentinel_swapped(breakage, old_root)
            or _none_stood_for(breakage, old_root)
            or _wrapping_default(breakage)
        )
    return False


def _bound_first(breakage: Breakage) -> bool:
    function = breakage.obj
    parent = function.parent
    if parent is None or not parent.is_class or "staticmethod" in function.labels:
        return False
    parameters = list(function.parameters)  # type: ignore[attr-defined]
    old = breakage.old_value
    return bool(parameters) and parameters[0].name == old.name and old.name in _BOUND


def _variadic_renamed(breakage: Breakage, old_root: Member) -> bool:
    """``**kw`` renamed ``**kwargs``; or ``**kwargs`` (forwarded) replaced by the keyword
    parameters it stood for (tenacity 8.4 ``AsyncRetrying.__init__``): typing, not a break."""
    kind = breakage.old_value.kind
    if kind.name not in ("var_keyword", "var_positional"):
        return False
    parameters = list(breakage.obj.parameters)  # type: ignore[attr-defined]
    if any(p.kind is kind for p in parameters):
        return True
    old = lookup(old_root, breakage.obj.path)
    before = {p.name for p in getattr(target_of(old) if old else None, "parameters", ())}
    keywords = [p for p in parameters if p.kind.name != "positional_only" and not p.required]
    return kind.name == "var_keyword" and len([p for p in keywords if p.name not in before]) >= 2


def _property_like(breakage: Breakage, old_root: Member) -> bool:
    new = target_of(breakage.obj)
    found = lookup(old_root, breakage.obj.path)
    old = target_of(found) if found is not None else None
    if old is None or new is None:
        return False
    return (
        (_is_property(old) and _is_property(new))
        or _wrapped(old, new)
        or _wrapped(new, old)
        or _declared(old, new)
        or _declared(new, old)
    )


# A class made by a call and by a ``class`` statement on the same base: one object either way.
_CLASS_FACTORIES = {
    "namedtuple": "NamedTuple",
    "NamedTuple": "NamedTuple",
    "TypedDict": "TypedDict",
    **{enum: enum for enum in ("Enum", "IntEnum", "StrEnum", "Flag", "IntFlag")},
}


def _declared(made: Member, declared: Member) -> bool:
    """``Token = namedtuple("Token", ...)`` and ``class Token(NamedTuple)`` (babel 2.12.0's
    jslexer.Token), ``class Query(TypedDict)`` and ``Query = TypedDict("Query", {...})``
    (graphql-core 3.2.7's IntrospectionQuery): the functional and the class syntax of one type."""
    from griffe import ExprCall

    value = getattr(made, "value", None)
    if not (made.is_attribute and declared.is_class and isinstance(value, ExprCall)):
        return False
    base = _CLASS_FACTORIES.get(_last(value.function))
    bases = getattr(declared, "bases", ())
    return base is not None and any(_last(b) == base for b in bases)


def _last(expression: object) -> str:
    return str(expression).rsplit(".", 1)[-1]


def _wrapped(one: Member, other: Member) -> bool:
    """A method made by a call (``update = _calls_update("update")``) and one written with
    ``def``: both are called the same way (werkzeug 3.1 ``UpdateDictMixin.update``)."""
    from griffe import ExprCall

    value = getattr(one, "value", None)
    return one.is_attribute and other.is_function and isinstance(value, ExprCall)


def _is_property(obj: Member) -> bool:
    """An attribute computed by a ``property`` or a decorator named like one."""
    if "property" in getattr(obj, "labels", ()):
        return True
    decorators = getattr(obj, "decorators", ()) if obj.is_function else ()
    return any("property" in str(d.value).rsplit(".", 1)[-1] for d in decorators)


# Default values: literals, arithmetic on them, and module constants, evaluated safely.
_UNKNOWN = object()
_DEPTH = 5
_LIMIT = 2**64
_BINARY: dict[type[ast.operator], Callable[[object, object], object]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], object]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Invert: operator.invert,
    ast.Not: operator.not_,
}


def _same_value(breakage: Breakage) -> bool:
    old = value_of(breakage.old_value.default)
    new = value_of(breakage.new_value.default)
    return old is not _UNKNOWN and type(old) is type(new) and old == new


def value_of(expression: object, depth: int = 0) -> object:
    """The value of a default (a griffe expression or text), or ``_UNKNOWN``."""
    if expression is None or depth > _DEPTH:
        return _UNKNOWN
    try:
        tree = ast.parse(str(expression).strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return _UNKNOWN
    names = _names(expression)
    return _evaluate(tree, lambda text: _constant(names.get(text), depth))


def _names(expression: object) -> dict[str, object]:
    """Text -> griffe name expression, for every name in ``expression``."""
    from griffe import Expr, ExprAttribute, ExprName

    found: dict[str, object] = {}
    todo = [expression]
    while todo:
        part = todo.pop()
        if isinstance(part, (ExprName, ExprAttribute)):
            found[str(part)] = part
        if isinstance(part, Expr) and not isinstance(part, ExprName):
            todo.extend(part.iterate(flat=False))
    return found


def _constant(name: object, depth: int) -> object:
    """The value of the module constant ``name`` refers to."""
    path = getattr(name, "canonical_path", None)
    parent = getattr(name, "parent", None)
    while parent is not None and not hasattr(parent, "modules_collection"):
        parent = getattr(parent, "parent", None)
    if path is None or parent is None:
        return _UNKNOWN
    member = lookup(parent, str(path))
    found = target_of(member) if member is not None else None
    if found is None or not found.is_attribute:
        return _UNKNOWN
    return value_of(getattr(found, "value", None), depth + 1)


def _evaluate(node: ast.expr, resolve: Callable[[str], object]) -> object:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.Name, ast.Attribute)):
        return resolve(ast.unparse(node))
    if isinstance(node, (ast.Tuple, ast.List)):
        items = [_evaluate(e, resolve) for e in node.elts]
        if any(i is _UNKNOWN for i in items):
            return _UNKNOWN
        return tuple(items) if isinstance(node, ast.Tuple) else items
    return _operation(node, resolve)


def _operation(node: ast.expr, resolve: Callable[[str], object]) -> object:
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        operand = _evaluate(node.operand, resolve)
        return _UNKNOWN if operand is _UNKNOWN else _apply(_UNARY[type(node.op)], operand)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left, resolve), _evaluate(node.right, resolve)
        if left is _UNKNOWN or right is _UNKNOWN or not _small(node.op, left, right):
            return _UNKNOWN
        return _apply(_BINARY[type(node.op)], left, right)
    return _UNKNOWN


def _small(op: ast.operator, left: object, right: object) -> bool:
    """Arithmetic that stays cheap: no ``10**10**10`` from a hostile checkout."""
    if isinstance(op, (ast.Pow, ast.LShift)):
        return isinstance(right, int) and 0 <= right <= 128 and abs_ok(left)
    if isinstance(op, ast.Mult):
        return not isinstance(left, (str, bytes, list, tuple)) and not isinstance(
            right, (str, bytes, list, tuple)
        )
    return True


def abs_ok(value: object) -> bool:
    return isinstance(value, (int, float)) and abs(value) <= _LIMIT


def _apply(function: Callable[..., object], *args: object) -> object:
    try:
        return function(*args)
    except (TypeError, ValueError, ArithmeticError):
        return _UNKNOWN


def _sentinel(breakage: Breakage) -> bool:
    """A default changed to ``None`` while the body still applies the old one."""
    if str(breakage.new_value.default) != "None":
        return False
    try:
        old = ast.dump(ast.parse(str(breakage.old_value.default), mode="eval").body)
    except (SyntaxError, ValueError):
        return False
    tree = parsed(breakage.obj)
    if tree is None or not tree.body:
        return False
    nodes = [n for s in getattr(tree.body[0], "body", []) for n in ast.walk(s)]
    name = breakage.new_value.name
    return any(_is_none_test(n, name) for n in nodes) and any(ast.dump(n) == old for n in nodes)


def _none_stood_for(breakage: Breakage, old_root: Member) -> bool:
    """``None`` that the body replaced by a value, now the default itself: tomlkit 0.12.5's
    ``array(raw: str = None)`` (``if raw is None: raw = "[]"``) -> ``array(raw: str = "[]")``.
    A caller passing nothing gets the same; one passing ``None`` went against the annotation,
    which never admitted it (an annotation that did keeps the change)."""
    old, new = breakage.old_value, breakage.new_value
    if str(old.default) != "None" or old.annotation is None:
        return False
    if "None" in str(old.annotation) or "Optional" in str(old.annotation):
        return False
    found = lookup(old_root, breakage.obj.path)
    function = target_of(found) if found is not None else None
    tree = parsed(function) if function is not None else None
    if tree is None or not tree.body:
        return False
    try:
        value = ast.dump(ast.parse(str(new.default), mode="eval").body)
    except (SyntaxError, ValueError):
        return False
    body = getattr(tree.body[0], "body", [])
    return any(_fills_in(n, old.name, value) for s in body for n in ast.walk(s))


def _fills_in(node: ast.AST, name: str, value: str) -> bool:
    """``if name is None: name = value``."""
    if not isinstance(node, ast.If) or not _is_none_test(node.test, name):
        return False
    return any(
        isinstance(s, ast.Assign)
        and [getattr(t, "id", None) for t in s.targets] == [name]
        and ast.dump(s.value) == value
        for s in node.body
    )


def _sentinel_swapped(breakage: Breakage, old_root: Member) -> bool:
    """One sentinel object for "not passed" replaced by another: typing_extensions 4.12's
    ``TypeVar(default=_marker)`` -> ``default=NoDefault``. A caller passing nothing is
    still passing nothing; no caller passed the private ``_marker``."""
    old_name, new_name = str(breakage.old_value.default), str(breakage.new_value.default)
    if not old_name.startswith("_") or not old_name.isidentifier():
        return False
    found = lookup(old_root, breakage.obj.path)
    old_function = target_of(found) if found is not None else None
    return _is_sentinel(old_function, old_name) and _is_sentinel(breakage.obj, new_name)


def _is_sentinel(function: Member | None, name: str) -> bool:
    """``name``, seen from ``function``'s module, is bound to an object made for identity:
    an instance built with no arguments (``_Sentinel()``, ``object()``), or the standard
    library's own object of that name where it has one (a backport's ``NoDefault =
    typing.NoDefault``, which griffe shows in place of the fallback ``NoDefaultType()``)."""
    module = getattr(function, "module", None)
    if module is None or not name.isidentifier():
        return False
    member = module.members.get(name)
    target = target_of(member) if member is not None else None
    if target is None or not target.is_attribute:
        return False
    value = getattr(target, "value", None)
    from griffe import ExprCall

    if isinstance(value, ExprCall):
        return not value.arguments
    return name == str(value).rsplit(".", 1)[-1] != str(value)


def _is_none_test(node: ast.AST, name: str) -> bool:
    """``name is None``: the sentinel is looked at."""
    return (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and node.left.id == name
        and isinstance(node.ops[0], ast.Is)
        and isinstance(node.comparators[0], ast.Constant)
        and node.comparators[0].value is None
    )


def _wrapping_default(breakage: Breakage) -> bool:
    """A default function replaced by one that calls it (tenacity 8.3 ``sleep=asyncio.sleep``
    -> ``sleep=asyncio_sleep``, which returns ``asyncio.sleep(duration)``)."""
    old, new = _callees(breakage.old_value.default), _callees(breakage.new_value.default)
    return bool(old) and old <= new


def _callees(default: object) -> set[str]:
    """What calling the default calls: a function of the package, the names its body calls;
    a function from elsewhere, itself."""
    name = _names(default).get(str(default))
    path = str(getattr(name, "canonical_path", "") or "")
    parent = getattr(name, "parent", None)
    if not path or parent is None:
        return set()
    found = lookup(parent, path) if hasattr(parent, "modules_collection") else None
    target = target_of(found) if found is not None else None
    owner = target.parent if target is not None else None
    if target is not None and target.is_attribute and owner is not None and owner.is_class:
        # griffe resolves the name to the class's attribute (``self.sleep = sleep``); a
        # default is evaluated where ``def`` runs, where the module's name is meant
        # (tenacity 8.2: ``from asyncio import sleep``).
        module = getattr(parent, "module", None)
        named = module.members.get(str(default)) if module is not None else None
        path = str(getattr(named, "target_path", "") or path)
        found = lookup(parent, path)
        target = target_of(found) if found is not None else None
    if target is None:
        return {path}
    tree = parsed(target) if target.is_function else None
    if tree is None:
        return set()
    return {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
