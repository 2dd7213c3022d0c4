"""Which member requires which, and the order that follows: dependencies first.

A member's requirements on others come from every place a uv workspace states them: its static
``[project]`` dependencies, the dynamic ones of uv-dynamic-versioning's metadata hook
(``"mcp-types=={{ version }}"``: lock-step, released together), and the workspace's ``uv.lock``,
which records what uv resolved for each member, whatever produced it (issue 30: pydantic-ai and
the MCP SDK declare their inter-member requirements dynamically, and every member landed in wave
0). A member whose dependencies are dynamic and found in none of these is said, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from pathlib import Path

    from packaging.requirements import Requirement

    from releasegate._internal.workspace.discovery import Member

# uv-dynamic-versioning's placeholder for the version being built, with its operator: the
# requirement pins the member released beside it, so only its name orders the release.
_VERSION_TEMPLATE = re.compile(r"\s*(?:===|==|~=|>=|<=|!=|<|>)\s*\{\{\s*version\s*\}\}")
DYNAMIC_HOOK = ("tool", "hatch", "metadata", "hooks", "uv-dynamic-versioning")
Locked = dict[str, dict[tuple[str, ...], set[str]]]
"""A workspace lock's packages -> the names each requires, by table (``locked_requirements``)."""
LOCK_FIELD = ("uv.lock",)
"""``Edge.field`` starts so for a requirement known only from the workspace's lock."""


@dataclass(frozen=True)
class Edge:
    """``dependent`` requires ``dependency`` through ``requirement`` (as written)."""

    dependent: str
    dependency: str
    requirement: Requirement
    field: tuple[str, ...]
    """Where it is declared, e.g. ``("project", "dependencies")``."""


def _declared(member: Member) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every runtime requirement string of the member, with the table it is declared in."""
    metadata = member.project.metadata
    yield from _tables(("project",), metadata)
    doc = member.project.pyproject
    hook = doc.get(*DYNAMIC_HOOK) if doc is not None else None
    if isinstance(hook, dict):
        for where, text in _tables(DYNAMIC_HOOK, hook):
            yield where, _VERSION_TEMPLATE.sub("", text)


def _tables(
    prefix: tuple[str, ...], table: dict[str, object]
) -> Iterator[tuple[tuple[str, ...], str]]:
    for text in _strings(table.get("dependencies")):
        yield (*prefix, "dependencies"), text
    optional = table.get("optional-dependencies")
    for extra, items in optional.items() if isinstance(optional, dict) else ():
        for text in _strings(items):
            yield (*prefix, "optional-dependencies", str(extra)), text


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def edges(members: Sequence[Member], locked: Locked | None = None) -> list[Edge]:
    """Each requirement of one member on another (unparsable ones are the metadata gate's),
    from the members' declarations and, when given, the workspace's lock (``locked_requirements``)."""
    from packaging.requirements import InvalidRequirement, Requirement

    from releasegate._internal.workspace.discovery import normalised

    names = {m.name for m in members}
    found = []
    for member in members:
        for where, text in _declared(member):
            try:
                requirement = Requirement(str(text))
            except InvalidRequirement:
                continue
            target = normalised(requirement.name)
            if target in names and target != member.name:
                found.append(Edge(member.name, target, requirement, where))
    if locked:
        known = {(e.dependent, e.dependency, is_optional(e)) for e in found}
        for dependent, tables in locked.items():
            for where, needs in tables.items() if dependent in names else ():
                for dependency in sorted(needs & names - {dependent}):
                    key = (dependent, dependency, "optional-dependencies" in where)
                    if key not in known:
                        found.append(Edge(dependent, dependency, Requirement(dependency), where))
                        known.add(key)
    return found


def locked_requirements(workspace: Path) -> Locked:
    """Each package of the workspace's ``uv.lock`` -> the names it requires, by where: runtime
    ``dependencies`` and each extra's, not dev groups (not installed with the release)."""
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.tomldoc import read_toml
    from releasegate._internal.workspace.discovery import normalised

    path = workspace / "uv.lock"
    if not path.is_file():
        return {}
    try:
        packages = read_toml(path, "uv.lock", root=workspace).data.get("package")
    except ConfigError:
        return {}  # an unreadable lock is the lockfile gate's finding; the declarations remain
    found: dict[str, dict[tuple[str, ...], set[str]]] = {}
    for package in packages if isinstance(packages, list) else ():
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            found[normalised(package["name"])] = _lock_names(package)
    return found


def _lock_names(package: dict[str, object]) -> dict[tuple[str, ...], set[str]]:
    groups: dict[tuple[str, ...], object] = {
        (*LOCK_FIELD, "dependencies"): package.get("dependencies")
    }
    optional = package.get("optional-dependencies")
    for extra, items in optional.items() if isinstance(optional, dict) else ():
        where = (*LOCK_FIELD, "optional-dependencies", str(extra))
        groups[where] = items
    return {where: _names(items) for where, items in groups.items()}


def _names(items: object) -> set[str]:
    from releasegate._internal.workspace.discovery import normalised

    entries = items if isinstance(items, list) else []
    return {
        normalised(item["name"])
        for item in entries
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    }


def unread_dependencies(members: Sequence[Member], locked: Locked) -> list[str]:
    """Members whose dependencies are dynamic and stated neither by a hook releasegate reads
    nor in the workspace's lock: their place in the release order is unknown, so it is said."""
    unread = []
    for member in members:
        dynamic = member.project.metadata.get("dynamic")
        if not isinstance(dynamic, list) or "dependencies" not in dynamic:
            continue
        doc = member.project.pyproject
        hook = doc.get(*DYNAMIC_HOOK) if doc is not None else None
        if not isinstance(hook, dict) and member.name not in locked:
            unread.append(member.name)
    return unread


def waves(names: Iterable[str], graph: Sequence[Edge]) -> list[list[str]]:
    """``names`` in dependency order: each wave needs only members of earlier waves.

    Members of one wave are independent of each other (they may run in parallel). A
    requirement of an extra orders the release only where it closes no cycle: pydantic-ai-slim's
    ``evals`` extra needs pydantic-evals, which needs pydantic-ai-slim itself, and pip installs
    the package without the extra either way. A cycle of plain requirements cannot be ordered
    and is a configuration error naming its members.
    """
    pending = list(dict.fromkeys(names))
    chosen = set(pending)
    needs: dict[str, set[str]] = {n: set() for n in pending}
    for edge in sorted(graph, key=is_optional):
        if edge.dependent not in chosen or edge.dependency not in chosen:
            continue
        if is_optional(edge) and _reaches(needs, edge.dependency, edge.dependent):
            continue
        needs[edge.dependent].add(edge.dependency)
    done: set[str] = set()
    order: list[list[str]] = []
    while pending:
        ready = [n for n in pending if needs[n] <= done]
        if not ready:
            raise ConfigError(
                [f"workspace members depend on each other in a cycle: {', '.join(pending)}"],
                hint="a release order needs the dependencies between members to form no cycle",
            )
        order.append(ready)
        done.update(ready)
        pending = [n for n in pending if n not in done]
    return order


def is_optional(edge: Edge) -> bool:
    """The requirement is an extra's: installed only when someone asks for that extra."""
    return "optional-dependencies" in edge.field


def _reaches(needs: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, stack = set(), [start]
    while stack:
        name = stack.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            stack.extend(needs.get(name, ()))
    return False


def dependents(names: Iterable[str], graph: Sequence[Edge]) -> set[str]:
    """``names`` and every member that requires one of them, directly or through others."""
    found = set(names)
    grew = True
    while grew:
        more = {e.dependent for e in graph if e.dependency in found} - found
        found |= more
        grew = bool(more)
    return found
