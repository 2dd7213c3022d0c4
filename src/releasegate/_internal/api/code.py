"""The source of a griffe object, parsed: what griffe's model drops (bodies, loops, calls).

griffe keeps signatures, not bodies; deprecation warnings, module-level tables and the
statements that apply a default live in bodies. Files are read from the trees being
compared (the release's extracted copy, the working tree) while they exist.
"""

from __future__ import annotations

import ast
import textwrap
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.api.members import griffe_errors

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.api.members import Member


def file_of(obj: Member) -> Path | None:
    try:
        filepath = obj.filepath
    except griffe_errors():  # builtins and namespace oddities have no single file
        return None
    first = filepath[0] if isinstance(filepath, list) else filepath
    return Path(first) if first else None


@lru_cache(maxsize=256)
def _lines(path: Path, mtime: float) -> tuple[str, ...]:
    del mtime  # part of the cache key only: a rewritten file is read again
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError):
        return ()


def lines_of(path: Path) -> tuple[str, ...]:
    try:
        return _lines(path, path.stat().st_mtime)
    except OSError:
        return ()


def parsed(obj: Member) -> ast.Module | None:
    """The statements of ``obj`` (a function or class: its own lines; a module: the file)."""
    path = file_of(obj)
    if path is None:
        return None
    lines = lines_of(path)
    if obj.is_module:
        text = "\n".join(lines)
    else:
        start, end = obj.lineno or 1, obj.endlineno or len(lines)
        text = textwrap.dedent("\n".join(lines[start - 1 : end]))
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def module_level(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node of a module outside function and class bodies."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))


def call_name(call: ast.Call) -> str:
    """``warnings.warn`` -> ``warn``; the called name's last part."""
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""
