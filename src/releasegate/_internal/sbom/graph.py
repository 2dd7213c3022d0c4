"""The dependency graph as the lockfile records it, and which components are shipped.

The root depends on its direct dependencies only (those the project declares, the project
entry's own edges, and entries nothing else in the lock needs); every other edge is the
lockfile's. A component is shipped when it is reachable from what the project declares for
its users (``[project] dependencies`` and extras, or Poetry's main dependencies); what only
development groups need is not. When the lockfile records no graph, nothing can be told
apart and every component counts as shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.lockfiles.model import required_by

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from releasegate._internal.lockfiles.model import Lockfile


@dataclass(frozen=True)
class Graph:
    direct: frozenset[str]
    """Names (normalised) the root component depends on."""
    children: Mapping[str, frozenset[str]]
    """Name -> the pinned names it depends on, as the lockfile records them."""
    shipped: frozenset[str] | None
    """Names reachable from the project's runtime declaration; None when that is unknown."""


def _names(requirements: Iterable[Any]) -> set[str]:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    found: set[str] = set()
    for text in requirements:
        if not isinstance(text, str):
            continue
        try:
            found.add(canonicalize_name(Requirement(text).name))
        except InvalidRequirement:
            continue  # the metadata gate reports it; the SBOM only needs the names it can read
    return found


def runtime_names(pyproject: Mapping[str, Any]) -> set[str] | None:
    """What the project ships to its users: dependencies and extras; None when undeclared."""
    from packaging.utils import canonicalize_name

    project = pyproject.get("project")
    if isinstance(project, dict) and isinstance(project.get("dependencies"), list):
        found = _names(project["dependencies"])
        extras = project.get("optional-dependencies")
        for values in extras.values() if isinstance(extras, dict) else ():
            found |= _names(values if isinstance(values, list) else ())
        return found
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    main = poetry.get("dependencies") if isinstance(poetry, dict) else None
    if isinstance(main, dict):
        return {canonicalize_name(str(n)) for n in main if str(n).lower() != "python"}
    return None


def _declared(pyproject: Mapping[str, Any]) -> set[str]:
    """Every name the project declares, runtime and development alike."""
    from packaging.utils import canonicalize_name

    found = set(runtime_names(pyproject) or ())
    groups = pyproject.get("dependency-groups")
    for values in groups.values() if isinstance(groups, dict) else ():
        found |= _names(values if isinstance(values, list) else ())
    tool = pyproject.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        tables = [poetry.get("dev-dependencies")]
        group = poetry.get("group")
        tables += [
            g.get("dependencies")
            for g in (group.values() if isinstance(group, dict) else ())
            if isinstance(g, dict)
        ]
        for table in tables:
            found |= (
                {canonicalize_name(str(n)) for n in table} if isinstance(table, dict) else set()
            )
    return found


def _reachable(start: set[str], children: Mapping[str, frozenset[str]]) -> frozenset[str]:
    seen: set[str] = set()
    stack = list(start)
    while stack:  # iterative: a lockfile may hold a long chain
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(children.get(name, ()))
    return frozenset(seen)


def graph_of(lockfile: Lockfile, pyproject: Mapping[str, Any], own_name: str | None) -> Graph:
    """The lockfile's edges among its pinned entries, and the root's direct dependencies."""
    from packaging.utils import canonicalize_name

    projects = {e.name for e in lockfile.entries if e.is_project}
    projects |= {canonicalize_name(own_name)} if own_name else set()
    pinned = {e.name for e in lockfile.entries if not e.constraint} - projects
    parents = required_by(lockfile.entries)
    children: dict[str, set[str]] = {}
    for child, of in parents.items():
        for parent in of:
            children.setdefault(parent, set()).add(child)
    edges = {n: frozenset(children.get(n, set()) & pinned) for n in pinned | projects}
    from_projects = set().union(*(edges[p] for p in projects)) if projects else set()
    orphans = {n for n in pinned if not (parents.get(n, set()) & pinned)}
    direct = frozenset((orphans | from_projects | _declared(pyproject)) & pinned)
    runtime = runtime_names(pyproject)
    shipped = None
    if lockfile.records_graph and runtime is not None:
        start = (runtime & pinned) | {c for p in projects & runtime for c in edges[p]}
        shipped = _reachable(start, edges) & pinned
    return Graph(direct, {n: edges[n] for n in pinned}, shipped)
