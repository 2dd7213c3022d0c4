"""The unchanged modules a partial read still needs: those defining the loaded classes' bases.

The gate reads only the modules changed since the release (``source.sparse``). A class in a
changed module whose base lives in an unchanged one then has a base griffe cannot see, and
what the class inherits from it is unknown: mkdocs 1.6.1 dropped ``IpAddress``'s own
``post_validation``, which ``BaseConfigOption`` (unchanged ``mkdocs/config/base.py``) still
serves, and the gate called it removed. So the modules that define the bases (through
imports and re-exports, transitively) are read too, on both sides alike.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

_ROUNDS = 20
"""Each round reads the files the previous one added; an inheritance chain is short."""


@dataclass(frozen=True)
class Side:
    """One side of the comparison: where its files are written, which it has, how to add."""

    root: Path
    available: set[str]
    """The side's Python files, relative paths as below ``root``."""
    packages: list[str]
    """Its package (or module) paths, whose last part is the import name."""
    add: Callable[[set[str]], None]


def complete(sides: list[Side]) -> None:
    """Add to every side the files that define the bases of the classes either side has
    read, until none is missing. A file needed on one side is read on both: read on one
    side only, its unchanged objects would look added (or removed)."""
    for _ in range(_ROUNDS):
        wanted: set[str] = set()
        for side in sides:
            wanted |= _needed(side.root, _present(side), side.available, side.packages)
        added = False
        for side in sides:
            missing = (wanted & side.available) - _present(side)
            if missing:
                side.add(missing)
                added = True
        if not added:
            return


def _present(side: Side) -> set[str]:
    return {f for f in side.available if (side.root / f).is_file()}


def _needed(root: Path, present: set[str], available: set[str], packages: list[str]) -> set[str]:
    index = _Index(available, packages)
    trees = {f: _parse(root / f) for f in present}
    needed: set[str] = set()
    todo = [(f, chain) for f, tree in trees.items() for chain in _base_chains(tree)]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while todo:
        where, chain = todo.pop()
        if (where, chain) in seen or not chain:
            continue
        seen.add((where, chain))
        tree = trees.get(where)
        if tree is None:  # not read yet: the next round reads it, then follows it
            continue
        for target, rest in _imported(tree, where, chain, index):
            needed.add(target)
            todo.append((target, rest))
    return needed


def _parse(path: Path) -> ast.Module | None:
    try:
        return ast.parse(path.read_bytes(), str(path))
    except (SyntaxError, ValueError, OSError):
        return None  # the load reports what cannot be parsed


def _base_chains(tree: ast.Module | None) -> Iterator[tuple[str, ...]]:
    """Each class's bases as dotted names: ``base.BaseConfigOption[T]`` -> (base, BaseConfigOption)."""
    if tree is None:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                chain = _dotted(base)
                if chain:
                    yield chain


def _dotted(node: ast.expr) -> tuple[str, ...]:
    while isinstance(node, (ast.Subscript, ast.Call)):
        node = node.value if isinstance(node, ast.Subscript) else node.func
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return ()
    return (node.id, *reversed(parts))


class _Index:
    """Where a module of the distribution is, by its dotted name or relative to a file."""

    def __init__(self, available: set[str], packages: list[str]) -> None:
        self.available = available
        self.packages = {PurePosixPath(p).name.removesuffix(".py"): p for p in packages}

    def absolute(self, dotted: str) -> str | None:
        top, _, rest = dotted.partition(".")
        package = self.packages.get(top)
        if package is None:
            return None  # outside the distribution (the standard library, a dependency)
        stem = PurePosixPath(package.removesuffix(".py"))
        return self.file(stem.joinpath(*rest.split(".")) if rest else stem)

    def relative(self, where: str, level: int, module: str | None) -> str | None:
        base = PurePosixPath(where).parent
        for _ in range(level - 1):
            base = base.parent
        return self.file(base.joinpath(*module.split(".")) if module else base)

    def file(self, stem: PurePosixPath) -> str | None:
        for candidate in (
            f"{stem}.py",
            f"{stem}.pyi",
            f"{stem}/__init__.py",
            f"{stem}/__init__.pyi",
        ):
            if candidate in self.available:
                return candidate
        return None


def _imported(
    tree: ast.Module, where: str, chain: tuple[str, ...], index: _Index
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The files ``chain``'s first name is imported from in ``where``, with what to look up
    there: a re-export is followed from the module it names."""
    first, rest = chain[0], chain[1:]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if (alias.asname or alias.name) != first:
                    continue
                module = _from(node, where, index)
                dotted = f"{node.module}.{alias.name}" if node.module else alias.name
                submodule = (
                    index.relative(where, node.level, dotted)
                    if node.level
                    else index.absolute(dotted)
                )
                if submodule is not None:  # from pkg import module
                    yield submodule, rest
                if module is not None:
                    yield module, (alias.name, *rest)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield from _plain_import(alias, chain, index)


def _from(node: ast.ImportFrom, where: str, index: _Index) -> str | None:
    if node.level:
        return index.relative(where, node.level, node.module)
    return index.absolute(node.module) if node.module else None


def _plain_import(
    alias: ast.alias, chain: tuple[str, ...], index: _Index
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """``import a.b as x`` binds ``x`` to ``a.b``; ``import a.b`` binds ``a``, and the chain
    ``a.b.C`` names the module by its longest importable prefix."""
    if alias.asname is not None:
        if alias.asname == chain[0]:
            found = index.absolute(alias.name)
            if found is not None:
                yield found, chain[1:]
        return
    if alias.name.split(".")[0] != chain[0]:
        return
    for cut in range(len(chain) - 1, 0, -1):
        found = index.absolute(".".join(chain[:cut]))
        if found is not None:
            yield found, chain[cut:]
            return
