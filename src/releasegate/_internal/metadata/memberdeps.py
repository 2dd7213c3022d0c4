"""A uv workspace member's distributed dependencies, from the workspace's ``uv.lock``.

uv locks a whole workspace in one file at its root, and that file records, for every package,
what it requires at runtime (``dependencies``), per extra (``optional-dependencies``) and per
dependency group (``dev-dependencies``). Resolving each member with pip instead cost 33-67 s a
member on the MCP SDK and ten minutes on autogen (issue 30), for an answer the lock already has.

A member's closure starts at its own runtime requirements and the extras it distributes, and
follows ``dependencies`` from there, into a package's extra only where a requirement names it
(``uvicorn[standard]``). It goes through the other members the member requires (their runtime
requirements ship with it) but never into any dependency group: a member's ``dev`` group, or
another member's, installs nothing a user gets. Members are never dependencies themselves:
their licenses are their own gates' to check.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from releasegate._internal.metadata.deplicenses import Dependency
    from releasegate._internal.project import Project

LOCK = "uv.lock"
_MEMBER_SOURCES = ("editable", "virtual", "directory")
Graph = tuple[list[dict[str, Any]], dict[str, list[int]]]
"""The lock's ``[[package]]`` tables, and the indexes of each normalised name's tables."""
_GRAPHS: dict[tuple[str, int, int], Graph] = {}
_GRAPHS_LOCK = threading.Lock()


def workspace_lock(project: Project) -> Path | None:
    """The folder whose ``uv.lock`` locks ``project`` as a workspace member, or None."""
    from releasegate._internal.lockfiles.uvworkspace import enclosing_workspace

    above = enclosing_workspace(project.root)
    if above is not None:
        return above if (above / LOCK).is_file() else None
    doc = project.pyproject
    is_workspace = doc is not None and isinstance(doc.get("tool", "uv", "workspace"), dict)
    return project.root if is_workspace and (project.root / LOCK).is_file() else None


def distributed(project: Project, undistributed: frozenset[str]) -> list[Dependency] | None:
    """What the member ships, locked, each stated where the lock pins it; None when no
    workspace lock locks this member (then the project's own lockfiles, or a resolution)."""
    from releasegate._internal.lockfiles import parse_file
    from releasegate._internal.metadata.deplicenses import dependency_of, normalize

    folder = workspace_lock(project)
    name = project.metadata.get("name")
    if folder is None or not isinstance(name, str):
        return None
    graph = _graph(folder / LOCK)
    if graph is None:
        return None  # unreadable: the lockfile gate says why
    reached = closure(graph, normalize(name), undistributed)
    if reached is None:
        return None  # the lock does not know the member yet: `uv lock` is the lockfile gate's
    shown = os.path.relpath(folder / LOCK, project.root).replace(os.sep, "/")
    lock = parse_file(folder, LOCK, "uv")
    entries = {(e.name, e.version): e for e in lock.entries if not e.is_project}
    found: list[Dependency] = []
    for key in sorted(reached, key=lambda k: (k[0], k[1] or "")):
        entry = entries.get(key)
        if entry is not None:
            found.append(replace(dependency_of(entry), path=shown))
    return found


def _graph(path: Path) -> Graph | None:
    """The lock's packages, read once per content (every member of a run asks for it)."""
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.tomldoc import read_toml

    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _GRAPHS_LOCK:
        known = _GRAPHS.get(key)
        if known is not None:
            return known
        try:
            packages = read_toml(path, LOCK, root=path.parent).data.get("package")
        except ConfigError:
            return None
        tables = [p for p in packages if isinstance(p, dict)] if isinstance(packages, list) else []
        by_name: dict[str, list[int]] = {}
        for index, table in enumerate(tables):
            if isinstance(table.get("name"), str):
                by_name.setdefault(_norm(table["name"]), []).append(index)
        _GRAPHS.clear()  # one lock per run; a rewritten file replaces it
        _GRAPHS[key] = (tables, by_name)
        return _GRAPHS[key]


def _norm(name: str) -> str:
    from releasegate._internal.metadata.deplicenses import normalize

    return normalize(name)


def closure(
    graph: Graph, member: str, undistributed: frozenset[str]
) -> set[tuple[str, str | None]] | None:
    """(name, version) of every package ``member`` ships; None when the lock has no such member."""
    tables, by_name = graph
    starts = [i for i in by_name.get(member, ()) if _is_member(tables[i])]
    if not starts:
        return None
    todo: list[tuple[int, str | None]] = []
    for index in starts:
        todo.append((index, None))
        optional = tables[index].get("optional-dependencies")
        for extra in optional if isinstance(optional, dict) else ():
            if _norm(str(extra)) not in undistributed:
                todo.append((index, str(extra)))
    seen: set[tuple[int, str | None]] = set()
    reached: set[tuple[str, str | None]] = set()
    while todo:
        index, extra = todo.pop()
        if (index, extra) in seen:
            continue
        seen.add((index, extra))
        table = tables[index]
        if not _is_member(table):
            version = table.get("version")
            reached.add((_norm(table["name"]), version if isinstance(version, str) else None))
        for ref in _requirements(table, extra):
            for target in _targets(graph, ref):
                todo.append((target, None))
                extras = ref.get("extra")
                for wanted in extras if isinstance(extras, list) else ():
                    todo.append((target, str(wanted)))
    return reached


def _requirements(table: dict[str, Any], extra: str | None) -> Iterator[dict[str, Any]]:
    """The requirements of the package (``extra`` None) or of one of its extras; never a
    dependency group's."""
    if extra is None:
        items = table.get("dependencies")
    else:
        optional = table.get("optional-dependencies")
        items = optional.get(extra) if isinstance(optional, dict) else None
    for item in items if isinstance(items, list) else ():
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            yield item


def _targets(graph: Graph, ref: dict[str, Any]) -> list[int]:
    """The package tables a requirement points at: uv names the version (and source) only
    when the lock holds several of that name (a fork); every match is kept then."""
    tables, by_name = graph
    found = by_name.get(_norm(ref["name"]), [])
    version = ref.get("version")
    if len(found) > 1 and isinstance(version, str):
        found = [i for i in found if tables[i].get("version") == version] or found
    return found


def _is_member(table: dict[str, Any]) -> bool:
    source = table.get("source")
    return isinstance(source, dict) and any(k in source for k in _MEMBER_SOURCES)
