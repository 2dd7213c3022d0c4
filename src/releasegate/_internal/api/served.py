"""Names a module serves through PEP 562 instead of defining them.

A module ``__getattr__`` is not an object: what it serves is. click 8.1 serves
``BaseCommand`` from a ``__getattr__`` that names it; anyio (after 4.14) replaced its
``__getattr__`` by a lazy table, ``set_deprecated_aliases({"BrokenWorkerIntepreter": ...})``,
that still serves the deprecated name. Names served in the release and neither served nor
defined in the tree are removed, deprecated when what served them warned.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from releasegate._internal.api.changes import Change, ChangeKind
from releasegate._internal.api.code import call_name, file_of, lines_of, module_level, parsed
from releasegate._internal.api.deprecations import warns
from releasegate._internal.api.members import lookup, target_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.api.members import Comparison, Member

HOOK = "__getattr__"


def _hook(tree: ast.Module) -> ast.FunctionDef | None:
    for node in module_level(tree):
        if isinstance(node, ast.FunctionDef) and node.name == HOOK:
            return node
    return None


def _strings(node: ast.AST) -> set[str]:
    """Names ``__getattr__`` answers for: compared with (``name == "X"``, ``in ("X", "Y")``),
    matched, or looked up in a dict display; not every string it holds (werkzeug 3.0's
    reads ``importlib.metadata.version("werkzeug")``)."""
    holders: list[ast.AST] = []
    for n in ast.walk(node):
        if isinstance(n, ast.Compare):
            holders += [n.left, *n.comparators]
        elif isinstance(n, ast.MatchValue):
            holders.append(n.value)
        elif isinstance(n, ast.Dict):
            holders += [k for k in n.keys if k is not None]
    constants = (c.value for h in holders for c in ast.walk(h) if isinstance(c, ast.Constant))
    return {value for value in constants if isinstance(value, str) and value.isidentifier()}


def _tables(tree: ast.Module, hooked: bool) -> Iterator[ast.Dict]:
    """Dict displays that map served names: passed to a call, or read by ``__getattr__``."""
    for node in module_level(tree):
        if isinstance(node, ast.Call):
            yield from (a for a in node.args if isinstance(a, ast.Dict))
        elif hooked and isinstance(node, (ast.Assign, ast.AnnAssign)):
            yield from [node.value] if isinstance(node.value, ast.Dict) else []


def _may_serve(module: Member) -> bool:
    """Cheap test before parsing: a ``__getattr__``, or a table that names aliases lazily."""
    if HOOK in module.members:
        return True
    path = file_of(module)
    text = "\n".join(lines_of(path)) if path is not None else ""
    return HOOK in text or ("alias" in text.lower() and "lazy" in text.lower())


def served(module: Member) -> tuple[frozenset[str], bool]:
    """The names ``module`` serves without defining them, and whether serving them warns."""
    if not _may_serve(module):
        return frozenset(), False
    tree = parsed(module)
    if tree is None:
        return frozenset(), False
    hook = _hook(tree)
    names = _strings(hook) if hook is not None else set()
    warning = hook is not None and warns(hook)
    for table in _tables(tree, hook is not None):
        keys = (k.value for k in table.keys if isinstance(k, ast.Constant))
        names |= {key for key in keys if isinstance(key, str) and key.isidentifier()}
    warning |= any(
        isinstance(n, ast.Call) and "deprecat" in call_name(n).lower() and n.args
        for n in module_level(tree)
    )
    return frozenset(n for n in names if not n.startswith("_")), warning


def still_served(removed: Member, new_root: Member) -> bool:
    """A module-level name the module (in the tree) still serves."""
    parent = removed.parent
    if parent is None or not parent.is_module:
        return False
    if removed.is_module:
        # ``import pkg.old`` needs the file: a package ``__getattr__`` answers attribute access
        # only (python-json-logger 3.1.0 deleted ``jsonlogger``, served so; 3.2.1 fixed the
        # ImportError that followed).
        return False
    module = lookup(new_root, parent.path)
    if module is not None and removed.name in served(module)[0]:
        return True
    return removed.path in _assigned_into(new_root)


def _assigned_into(root: Member) -> set[str]:
    """Module names the package's ``__init__`` sets on its modules: networkx 3.4.1 built
    ``config`` after its imports and set it with ``utils.config = utils.configs.config =
    config``, where 3.4 had defined it in networkx/utils/configs.py."""
    tree = parsed(root) if root.is_module else None
    found: set[str] = set()
    for node in module_level(tree) if tree is not None else ():
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            dotted = _dotted(target)
            if dotted is None or len(dotted) < 2:
                continue
            first = root.members.get(dotted[0])
            module = target_of(first) if first is not None else None
            if module is not None and module.is_module:
                found.add(".".join([module.path, *dotted[1:]]))
    return found


def _dotted(node: ast.expr) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"]; None for anything else."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else [*head, node.attr]
    return None


def removals(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    """Names served by a module of the release that the tree no longer offers."""
    for module in _modules(old):
        names, warning = served(module)
        if not names:
            continue
        now = lookup(new, module.path)
        if now is None:
            continue  # the module is gone: its removal is reported already
        still = served(now)[0] | set(now.members)
        path, _ = comparison.old_locate(module)
        how = "a module __getattr__ that warned of its deprecation served it" if warning else ""
        for name in sorted(names - still):
            target = f"{module.path}.{name}"
            detail = "the module no longer serves this name"
            yield Change(ChangeKind.OBJECT_REMOVED, target, detail, path, None, True, how)


def _modules(root: Member) -> Iterator[Member]:
    todo = [root]
    while todo:
        module = todo.pop()
        yield module
        todo.extend(
            m
            for m in module.members.values()
            if not m.is_alias and m.is_module and not m.name.startswith("_")
        )
