"""Which member requires which, and the order that follows: dependencies first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.errors import ConfigError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from packaging.requirements import Requirement

    from releasegate._internal.workspace.discovery import Member


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
    for text in metadata.get("dependencies") or ():
        yield ("project", "dependencies"), text
    optional = metadata.get("optional-dependencies")
    for extra, items in optional.items() if isinstance(optional, dict) else ():
        for text in items if isinstance(items, list) else ():
            yield ("project", "optional-dependencies", extra), text


def edges(members: Sequence[Member]) -> list[Edge]:
    """Each requirement of one member on another (unparsable ones are the metadata gate's)."""
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
    return found


def waves(names: Iterable[str], graph: Sequence[Edge]) -> list[list[str]]:
    """``names`` in dependency order: each wave needs only members of earlier waves.

    Members of one wave are independent of each other (they may run in parallel). A cycle
    cannot be ordered and is a configuration error naming its members.
    """
    pending = list(dict.fromkeys(names))
    chosen = set(pending)
    needs = {n: {e.dependency for e in graph if e.dependent == n} & chosen for n in pending}
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


def dependents(names: Iterable[str], graph: Sequence[Edge]) -> set[str]:
    """``names`` and every member that requires one of them, directly or through others."""
    found = set(names)
    grew = True
    while grew:
        more = {e.dependent for e in graph if e.dependency in found} - found
        found |= more
        grew = bool(more)
    return found
