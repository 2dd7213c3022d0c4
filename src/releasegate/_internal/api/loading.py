"""Reading a package with griffe, statically, and where its objects are."""

from __future__ import annotations

import ast
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

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
        extensions=griffe.load_extensions(_script_guard()),
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
    return {name: loaded[name] for name in names}


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


def _script_guard() -> Extension:
    """A griffe extension that drops names bound under ``if __name__ == "__main__":``.

    Such code runs only when the module is run as a script; its helpers and imports were
    never importable API, yet griffe models them as module members (issue 13).
    """
    import griffe

    class ScriptGuard(griffe.Extension):
        def on_module_members(self, *, node: object, mod: griffe.Module, **_: object) -> None:
            for guard in _script_blocks(node):
                end = guard.end_lineno or guard.lineno
                for name, member in list(mod.members.items()):
                    line = getattr(member, "alias_lineno", None) or member.lineno
                    if line is not None and guard.lineno <= line <= end:
                        mod.del_member(name)

    return ScriptGuard()


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
        except Exception:  # noqa: BLE001 - builtins and namespace oddities have no single file
            return None, line
        first = filepath[0] if isinstance(filepath, list) else filepath
        try:
            return Path(first).relative_to(root).as_posix(), line
        except ValueError:
            return None, line

    return locate
