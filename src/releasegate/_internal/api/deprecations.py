"""What the base release deprecated, and the project's policy for removing it.

Many SemVer-minded projects remove deprecated API in a minor release on purpose (Pallets,
urllib3, anyio, Django). An object counts as deprecated in the release when it is marked
with PEP 702's ``@deprecated``, when its body (a class: its constructor) warns with
``DeprecationWarning``, ``PendingDeprecationWarning`` or ``FutureWarning`` (or calls a helper
whose name says it deprecates), when its class or module is deprecated, or when a module
``__getattr__`` that warns serves it. A parameter counts as deprecated when such a warning
names it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from releasegate._internal.api.changes import Change, ChangeKind
from releasegate._internal.api.code import call_name, module_level, parsed
from releasegate._internal.api.members import griffe_errors, is_public, lookup, target_of

if TYPE_CHECKING:
    from collections.abc import Iterable

    from releasegate._internal.api.members import Member

STRICT = "strict"
DEPRECATE_THEN_REMOVE = "deprecate-then-remove"
POLICY_HINT = f'[tool.releasegate.api] policy = "{DEPRECATE_THEN_REMOVE}"'

_CATEGORIES = frozenset(("DeprecationWarning", "PendingDeprecationWarning", "FutureWarning"))
_CONSTRUCTORS = ("__init__", "__new__", "__init_subclass__", "__post_init__")
_REMOVALS = frozenset((ChangeKind.OBJECT_REMOVED, ChangeKind.PARAMETER_REMOVED))


def _is_category(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return (
        name in _CATEGORIES or name.endswith("DeprecationWarning") or name.startswith("RemovedIn")
    )


def _deprecation_call(call: ast.Call) -> bool:
    name = call_name(call)
    if name == "warn":
        categories = [k.value for k in call.keywords if k.arg == "category"] + call.args[1:2]
        if any(_is_category(c) for c in categories):
            return True
        first = call.args[0] if call.args else None
        return isinstance(first, ast.Call) and _is_category(first.func)
    lowered = name.lower()
    if "deprecat" in lowered and not lowered.lstrip("_").startswith("is_"):
        return True
    # Said in words to a logger (werkzeug 2.0's CLI: _log("warning", "... is deprecated")).
    return any(
        isinstance(a, ast.Constant) and isinstance(a.value, str) and _SAYS.search(a.value)
        for a in call.args
    )


_SAYS = re.compile(r"\b(?:is|are) deprecated\b", re.IGNORECASE)


def warns(tree: ast.AST | None, about: str | None = None) -> bool:
    """``tree`` warns of a deprecation (one whose message names ``about``, when given)."""
    if tree is None:
        return False
    nodes = module_level(tree) if isinstance(tree, ast.Module) and about is None else None
    for node in nodes if nodes is not None else ast.walk(tree):
        deprecation = isinstance(node, ast.Call) and _deprecation_call(node)
        if deprecation and (about is None or _mentions(node, about)):  # type: ignore[arg-type]
            return True
    return False


def _mentions(call: ast.Call, name: str) -> bool:
    word = re.compile(rf"\b{re.escape(name)}\b")
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and word.search(n.value)
        for n in ast.walk(call)
    )


def _decorated(obj: Member) -> bool:
    for decorator in getattr(obj, "decorators", ()):
        text = str(decorator.value)
        if text.split("(", 1)[0].rsplit(".", 1)[-1] == "deprecated":
            return True
    return False


def how_deprecated(member: Member) -> str:
    """How the release deprecated ``member`` (in words), or "" when it did not."""
    obj: Member | None = target_of(member)
    while obj is not None and not (obj.is_module and obj.parent is None):
        reason = _own(obj)
        if reason:
            return reason if obj is target_of(member) else f"{obj.path} is deprecated"
        obj = obj.parent
    return ""


_DIRECTIVE = ".. deprecated::"


def _own(obj: Member) -> str:
    if _decorated(obj):
        return "marked @deprecated"
    if _documented(obj):
        return "its documentation says it is deprecated"
    if obj.is_function:
        return "it warns of its deprecation" if warns(_body(obj)) else ""
    if obj.is_class:
        return "its constructor warns of its deprecation" if _constructor_warns(obj) else ""
    if obj.is_module:
        return _module_deprecated(obj)
    return _attribute_deprecated(obj) if obj.is_attribute else ""


def _documented(obj: Member) -> bool:
    """``.. deprecated::`` in its docstring, or in the string its value is made from
    (blinker 1.7's global ``receiver_connected = Signal(\"\"\"... .. deprecated:: 1.2\"\"\")``)."""
    docstring = getattr(getattr(obj, "docstring", None), "value", "") or ""
    value = str(getattr(obj, "value", "")) if obj.is_attribute else ""
    return _DIRECTIVE in docstring or _DIRECTIVE in value


def _body(obj: Member) -> ast.AST | None:
    tree = parsed(obj)
    if tree is None or not tree.body:
        return None
    return tree.body[0]


def _constructor_warns(cls: Member) -> bool:
    """The class's constructor, or one of a base it inherits from, warns of deprecation."""
    try:
        chain = [cls, *cls.mro()]  # type: ignore[union-attr]
    except griffe_errors():  # an inheritance griffe cannot order: the class alone
        chain = [cls]
    for klass in chain:
        for name in _CONSTRUCTORS:
            method = klass.members.get(name)
            target = target_of(method) if method is not None else None
            if target is not None and target.is_function and warns(_body(target)):
                return True
    return False


def _module_deprecated(module: Member) -> str:
    if warns(parsed(module)):
        return "the module warns of its deprecation on import"
    own = [
        m
        for m in module.members.values()
        if not m.is_alias and is_public(m) and (m.is_class or m.is_function)
    ]
    if own and all(_own(m) for m in own):
        return "every public object in it is deprecated"
    return ""


def _attribute_deprecated(attribute: Member) -> str:
    if "property" in getattr(attribute, "labels", ()):
        return "it warns of its deprecation" if warns(_body(attribute)) else ""
    value = getattr(attribute, "value", None)
    called = str(getattr(value, "function", "")).rsplit(".", 1)[-1]
    if called.startswith("Deprecated"):
        return "its value is a deprecation wrapper"
    # ``with_ = WithExtension`` (jinja 3.0): another name for a deprecated class or function.
    path = getattr(value, "canonical_path", None)
    named = lookup(attribute, str(path)) if path and attribute.parent is not None else None
    target = target_of(named) if named is not None else None
    if target is not None and (target.is_class or target.is_function) and _own(target):
        return f"it names {target.path}, which is deprecated"
    return ""


def parameter_deprecated(function: Member | None, name: str) -> bool:
    """The function warns of a deprecation whose message names parameter ``name``."""
    target = target_of(function) if function is not None else None
    return target is not None and target.is_function and warns(_body(target), about=name)


def apply_policy(changes: Iterable[Change], policy: str) -> list[Change]:
    """Under ``deprecate-then-remove`` a deprecated removal needs a minor release, not a major."""
    if policy != DEPRECATE_THEN_REMOVE:
        return list(changes)
    return [
        replace(c, kind=ChangeKind.DEPRECATED_REMOVED)
        if c.deprecated and c.kind in _REMOVALS
        else c
        for c in changes
    ]
