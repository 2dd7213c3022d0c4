"""Reading a package with griffe, statically, and where its objects are."""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.api.members import griffe_errors

if TYPE_CHECKING:
    from collections.abc import Iterator

    from griffe import Extension

    from releasegate._internal.api.members import Locate, Member


class LoadFailed(Exception):
    """griffe could not read the package; carries a message naming the file when known."""


def load(search: Path, names: list[str]) -> dict[str, Member]:
    """Load the packages or modules ``names`` below ``search`` statically, in one collection.

    One collection, so that a package re-exporting another of the distribution's packages
    (attrs re-exports attr) resolves its aliases; aliases are resolved once all are loaded.
    griffe skips a submodule it cannot parse (logging it at debug level only); a skipped
    module would look "removed", so a skipped file that does not compile fails the load.
    griffe first tries a name as a path relative to the working directory: run from the
    root of a flat-layout project, that found the working tree's ``pkg/`` for the release
    side too and compared the package with itself (issue 13), so only ``search`` is used.
    """
    import griffe

    loader = griffe.GriffeLoader(
        extensions=griffe.load_extensions(_api_shape()),
        search_paths=[search],
        allow_inspection=False,
        store_source=False,
        modules_collection=griffe.ModulesCollection(),
        lines_collection=griffe.LinesCollection(),
    )
    loaded: dict[str, Member] = {}
    try:
        with griffe.logger.disable(), _no_git_info():
            # The re-exported packages first: griffe merges a package's stubs as it loads it
            # and follows its overloads' aliases then (attrs 26.1's attrs.field -> attr.field).
            for name in reversed(names):
                loaded[name] = loader.load(name, try_relative_path=False)
            loader.resolve_aliases(implicit=False, external=False)
    except (griffe.GriffeError, ImportError, SyntaxError, OSError, ValueError) as exc:
        raise LoadFailed(f"{type(exc).__name__}: {exc}") from None
    for name, module in loaded.items():
        _check_skipped(module, search / name)
        _stubs_define(module)
    return {name: loaded[name] for name in names}


def _stubs_define(module: Member) -> None:
    """What a ``.pyi`` stub defines is the module's API, though the ``.py`` beside it imports
    the name (msgspec's ``from ._core import convert``, compiled): griffe calls a name the
    ``.py`` imports private even once the stub's definition has replaced it."""
    todo = [module]
    while todo:
        current = todo.pop()
        if current.exports is None:
            for name, member in current.members.items():
                if member.is_alias or member.public is not None or name.startswith("_"):
                    continue
                if member.is_imported:  # defined here (by the stub), imported by the .py
                    member.public = True
        todo.extend(m for m in current.members.values() if not m.is_alias and m.is_module)


@contextlib.contextmanager
def _no_git_info() -> Iterator[None]:
    """griffe asks ``git`` (a process with the job's whole environment) about every package it
    loads, for source links releasegate never shows; the default gates start no program but
    releasegate's own git calls (issue 27), so the lookup answers "unknown" while we load."""
    import griffe

    info = getattr(griffe, "GitInfo", None)
    original = vars(info).get("from_package") if info is not None else None
    if original is None:
        yield  # a griffe without git lookups
        return
    info.from_package = classmethod(lambda _cls, _package: None)  # type: ignore[union-attr]
    try:
        yield
    finally:
        info.from_package = original  # type: ignore[union-attr]


def _api_shape() -> Extension:
    """A griffe extension that models what a module offers as Python users see it.

    - Names bound under ``if __name__ == "__main__":`` run only as a script: their helpers
      and imports were never importable API, yet griffe models them as members (issue 13).
    - Names bound by a module-level ``for`` loop are loop variables (anyio 4.6's
      ``abc.key``/``abc.value``, gone in 4.7), not API unless ``__all__`` lists them.
    - A package's ``__init__`` without ``__all__`` that imports a name from inside the
      distribution exports it: ``from ._native import soft_unicode`` is how markupsafe 2.0
      offered ``markupsafe.soft_unicode`` (griffe calls every import private, so its removal
      in 2.1.0 went unseen).
    """
    import griffe

    class ApiShape(griffe.Extension):
        def on_module_members(self, *, node: object, mod: griffe.Module, **_: object) -> None:
            if not isinstance(node, ast.Module):
                return
            for guard in _script_blocks(node):
                _drop_lines(mod, guard.lineno, guard.end_lineno or guard.lineno)
            for block in _type_checking_blocks(node):
                _not_at_run_time(mod, block)
            exported = _export_names(mod.exports)
            for name in _loop_targets(node) - exported:
                member = mod.members.get(name)
                if member is not None and not member.is_alias and member.is_attribute:
                    mod.del_member(name)
            if mod.is_init_module and mod.exports is None:
                _export_own_imports(mod, _reexported(node))

    return ApiShape()


def _export_names(exports: object) -> set[str]:
    """The names ``__all__`` lists. griffe keeps ``Name.__name__`` entries as expressions
    (cerberus 1.3.5: ``[DocumentError.__name__, ...]``), which crashed a plain ``set()``."""
    if not isinstance(exports, (list, tuple, set)):
        return set()
    return {item if isinstance(item, str) else str(getattr(item, "name", item)) for item in exports}


def _type_checking_blocks(node: ast.Module) -> Iterator[ast.If]:
    """``if TYPE_CHECKING:`` however spelled (``t.TYPE_CHECKING``: griffe knows only the
    bare and ``typing.`` forms); ``TYPE_CHECKING or ...`` runs, so it is not one."""
    for statement in node.body:
        if not isinstance(statement, ast.If):
            continue
        test = statement.test
        name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
        if name == "TYPE_CHECKING":
            yield statement


def _not_at_run_time(mod: Member, block: ast.If) -> None:
    """What the block binds exists for type checkers only (blinker 1.7's AsyncWrapperType)."""
    start = block.body[0].lineno
    end = block.body[-1].end_lineno or start
    for member in mod.members.values():
        line = getattr(member, "alias_lineno", None) or member.lineno
        if line is not None and start <= line <= end:
            member.runtime = False


def _drop_lines(mod: Member, start: int, end: int) -> None:
    for name, member in list(mod.members.items()):
        line = getattr(member, "alias_lineno", None) or member.lineno
        if line is not None and start <= line <= end:
            mod.del_member(name)


def _loop_targets(node: ast.Module) -> set[str]:
    """Names a ``for`` statement at module level binds (inside ``if``/``try`` blocks too)."""
    found: set[str] = set()
    todo: list[ast.stmt] = list(node.body)
    while todo:
        statement = todo.pop()
        if isinstance(statement, (ast.For, ast.AsyncFor)):
            found |= {n.id for n in ast.walk(statement.target) if isinstance(n, ast.Name)}
        if isinstance(statement, (ast.If, ast.Try, ast.For, ast.While, ast.With)):
            for block in ("body", "orelse", "finalbody", "handlers"):
                todo.extend(s for s in getattr(statement, block, []) if isinstance(s, ast.stmt))
            for handler in getattr(statement, "handlers", []):
                todo.extend(handler.body)
    return found


def _reexported(node: ast.Module) -> set[str]:
    """Names a module imports to offer them: ``x as x`` (PEP 484's re-export form), or
    imported and never used in the module (what linters call an unused import in an
    ``__init__``). A name the module uses (anyio's ``set_deprecated_aliases``) is a tool."""
    used = {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    offered: set[str] = set()
    for statement in ast.walk(node):
        if isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                bound = alias.asname or alias.name
                if alias.asname == alias.name or bound not in used:
                    offered.add(bound)
    return offered


def _export_own_imports(mod: Member, offered: set[str]) -> None:
    """Mark public the names an ``__init__`` imports from its own distribution to offer."""
    top = mod.path.split(".", 1)[0]
    for name, member in mod.members.items():
        if not member.is_alias or name.startswith("_") or member.public is not None:
            continue
        if name not in offered:
            continue
        target = str(getattr(member, "target_path", ""))
        if target.startswith(f"{top}.") and getattr(member, "runtime", True):
            member.public = True


def _script_blocks(node: object) -> Iterator[ast.If]:
    if not isinstance(node, ast.Module):
        return
    for statement in node.body:
        if isinstance(statement, ast.If) and _is_main_test(statement.test):
            yield statement


def _is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, either way round."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    values = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]


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


def locator(root: Path) -> Locate:
    """Turns a griffe object into (file relative to ``root``, line)."""

    def locate(member: Member) -> tuple[str | None, int | None]:
        holder = member.parent if member.is_alias and member.parent is not None else member
        line = member.alias_lineno if member.is_alias else member.lineno  # type: ignore[union-attr]
        try:
            filepath = holder.filepath
        except griffe_errors():  # builtins and namespace oddities have no single file
            return None, line
        first = filepath[0] if isinstance(filepath, list) else filepath
        try:
            return Path(first).relative_to(root).as_posix(), line
        except ValueError:
            return None, line

    return locate
