"""The plan of a workspace run: chosen members in dependency waves, and the CI matrix of it.

``releasegate plan --format github-matrix`` prints ``{"include": [...]}`` for
``strategy.matrix``, one entry per member, so a large workspace fans out over runners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from releasegate._internal.errors import ConfigError
from releasegate._internal.findings import quoted
from releasegate._internal.workspace import requirements
from releasegate._internal.workspace.changed import last_release
from releasegate._internal.workspace.check import Selection, chosen
from releasegate._internal.workspace.discovery import discover
from releasegate._internal.workspace.graph import (
    edges,
    locked_requirements,
    unread_dependencies,
    waves,
)

if TYPE_CHECKING:
    from releasegate._internal.project import Project


@dataclass(frozen=True)
class PlannedMember:
    name: str
    path: str
    version: str | None
    last_tag: str | None
    wave: int
    """0 for members that need no other chosen member; n for those that need wave n-1's."""
    needs: tuple[str, ...]
    """Chosen members it requires (released before it)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "package": self.name,
            "path": self.path,
            "version": self.version,
            "last-tag": self.last_tag,
            "wave": self.wave,
            "needs": list(self.needs),
        }


class Plan(NamedTuple):
    members: list[PlannedMember]
    """The chosen released members in release order."""
    unreleased: list[tuple[str, str]]
    """``(member, why)`` for each member left out because it is never released."""
    unordered: list[str]
    """Members whose place in the order is unknown (dynamic dependencies in no lock)."""


def plan(root: Project, selection: Selection) -> Plan:
    """The chosen members in release order (dependencies first), each with its wave, and what
    the plan leaves out or cannot order; the members are found and the lock read once."""
    members = discover(root)
    locked = locked_requirements(root.root)
    graph = edges(members, locked)
    # What the plan drives is a release: members that are never released are not in it.
    released = [m for m in chosen(root, members, graph, selection) if m.unreleased is None]
    picked = {m.name: m for m in released}
    versions = requirements.current_versions(list(picked.values()))
    planned = []
    earlier: set[str] = set()
    for number, wave in enumerate(waves(picked, graph)):
        for name in wave:
            member = picked[name]
            # Only what the order honours: an extra's requirement that closed a cycle is not.
            needs = tuple(sorted({e.dependency for e in graph if e.dependent == name} & earlier))
            planned.append(
                _checked(
                    PlannedMember(
                        name, member.path, versions.get(name), last_release(member), number, needs
                    )
                )
            )
        earlier.update(wave)
    skipped = [(m.name, m.unreleased) for m in members if m.unreleased is not None]
    return Plan(planned, skipped, unread_dependencies(members, locked))


# What a workflow may put in a shell command (``${{ matrix.version }}``): a version or a tag of
# these characters; anything else is refused (ConfigError), never placed in the matrix. Names and
# folders are checked where members are found (discovery.py). ``@`` is a word character to a
# shell (livekit/agents tags ``livekit-agents@1.7.0``, and plan refused the whole workspace).
_SAFE_VALUE = re.compile(r"[A-Za-z0-9._+!/@-]{1,200}")


def _checked(member: PlannedMember) -> PlannedMember:
    problems = [
        f"{member.name}: {what} {quoted(value)} holds characters a CI matrix must not carry"
        for what, value in (("version", member.version), ("last release tag", member.last_tag))
        if value is not None and _SAFE_VALUE.fullmatch(value) is None
    ]
    if problems:
        raise ConfigError(problems, hint="versions and tags of letters, digits and . _ + ! / @ -")
    return member


def github_matrix(planned: list[PlannedMember]) -> dict[str, Any]:
    """``strategy.matrix`` for GitHub Actions: ``include`` with one entry per member.

    An empty plan gives ``{"include": []}``; the workflow skips the fan-out on it (GitHub
    refuses a matrix without entries).
    """
    return {"include": [p.as_dict() for p in planned]}
