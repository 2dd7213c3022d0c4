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
from dataclasses import dataclass, field
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
    side only, its unchanged objects would look added (or removed). Only the chain of the
    classes read at first is followed: a module added for one base adds the bases of that
    class, not of every class it defines (anyio's changed modules reach most of the package
    that way, doubling the gate's time)."""
    seeds = [_present(side) for side in sides]
    read: dict[Path, _Summary | None] = {}  # each file parsed once, whatever the rounds
    for _ in range(_ROUNDS):
        wanted: set[str] = set()
        for side, first in zip(sides, seeds, strict=True):
            files = {f: _summary(side.root / f, read) for f in _present(side)}
            wanted |= _needed(first, files, _Index(side.available, side.packages))
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


def _needed(first: set[str], files: dict[str, _Summary | None], index: _Index) -> set[str]:
    """The files that define the bases of the classes in ``first``, as far as the files
    read so far let the chain be followed (one not read yet is followed the next round)."""
    needed: set[str] = set()
    todo = [(f, chain) for f in first for chain in _all_bases(files.get(f))]
    seen: set[tuple[str, tuple[str, ...]]] = set()
    while todo:
        where, chain = todo.pop()
        if (where, chain) in seen or not chain:
            continue
        seen.add((where, chain))
        summary = files.get(where)
        if summary is None:  # not read yet: the next round reads it, then follows it
            continue
        if len(chain) == 1:  # a class defined here: its own bases next
            todo.extend((where, base) for base in summary.bases.get(chain[0], ()))
        for target, rest in _imported(summary, where, chain, index):
            needed.add(target)
            todo.append((target, rest))
    return needed


@dataclass
class _Summary:
    """What the search needs of a module: its classes' bases and its imports, by name."""

    bases: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    froms: dict[str, list[tuple[ast.ImportFrom, ast.alias]]] = field(default_factory=dict)
    plain: list[ast.alias] = field(default_factory=list)


def _summary(path: Path, read: dict[Path, _Summary | None]) -> _Summary | None:
    if path not in read:
        read[path] = _summarise(path)
    return read[path]


def _summarise(path: Path) -> _Summary | None:
    try:
        tree = ast.parse(path.read_bytes(), str(path))
    except (SyntaxError, ValueError, OSError):
        return None  # the load reports what cannot be parsed
    found = _Summary()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            chains = [c for c in map(_dotted, node.bases) if c]
            found.bases.setdefault(node.name, []).extend(chains)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                found.froms.setdefault(alias.asname or alias.name, []).append((node, alias))
        elif isinstance(node, ast.Import):
            found.plain.extend(node.names)
    return found


def _all_bases(summary: _Summary | None) -> list[tuple[str, ...]]:
    """Every class's bases as dotted names: ``base.BaseConfigOption[T]`` -> (base,
    BaseConfigOption)."""
    return [c for chains in summary.bases.values() for c in chains] if summary else []


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
    summary: _Summary, where: str, chain: tuple[str, ...], index: _Index
) -> Iterator[tuple[str, tuple[str, ...]]]:
    """The files ``chain``'s first name is imported from in ``where``, with what to look up
    there: a re-export is followed from the module it names."""
    first, rest = chain[0], chain[1:]
    for node, alias in summary.froms.get(first, ()):
        module = _from(node, where, index)
        dotted = f"{node.module}.{alias.name}" if node.module else alias.name
        submodule = (
            index.relative(where, node.level, dotted) if node.level else index.absolute(dotted)
        )
        if submodule is not None:  # from pkg import module
            yield submodule, rest
        if module is not None:
            yield module, (alias.name, *rest)
    for alias in summary.plain:
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
