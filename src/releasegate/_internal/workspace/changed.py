"""Which members to run: by name (``--package``), by change (``--changed``), by file (hooks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.errors import UsageError
from releasegate._internal.workspace.graph import dependents

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from releasegate._internal.project import Project
    from releasegate._internal.workspace.discovery import Member
    from releasegate._internal.workspace.graph import Edge


def by_name(members: Sequence[Member], names: Iterable[str]) -> list[Member]:
    """The members named (any spelling of their project name); UsageError for an unknown one."""
    from releasegate._internal.workspace.discovery import normalised

    wanted = {normalised(n) for n in names}
    unknown = wanted - {m.name for m in members}
    if unknown:
        raise UsageError(
            f"no workspace member named {', '.join(sorted(unknown))}",
            hint=f"members: {', '.join(m.name for m in members)}",
        )
    return [m for m in members if m.name in wanted]


def last_release(member: Member) -> str | None:
    """The tag of the member's newest release (by version), or None before its first."""
    from releasegate._internal.releases import SemverSettings, release_tags

    project = member.project
    tags = release_tags(project, project.config.settings(SemverSettings))
    newest = max(tags, key=lambda t: t.version.canonical, default=None)
    return newest.tag.name if newest is not None else None


def _others(members: Sequence[Member], member: Member) -> list[str]:
    """Folders of members nested inside ``member`` (the root's are not its changes)."""
    inside = [m.path for m in members if m is not member]
    if member.path == ".":
        return inside
    return [p for p in inside if p.startswith(member.prefix)]


def nested(members: Sequence[Member], member: Member) -> tuple[str, ...]:
    """Folders of the members inside ``member``, relative to ``member``'s own folder."""
    return tuple(p.removeprefix(member.prefix) for p in _others(members, member))


def changed_since_release(root: Project, members: Sequence[Member], member: Member) -> bool:
    """Any file of the member differs from its last release tag (committed or not)."""
    tag = last_release(member)
    if tag is None:
        return True  # never released: everything in it is new
    excludes = [f":(exclude){p}" for p in _others(members, member)]
    out = root.git.run(
        "diff", "--name-only", tag, "--", member.path, *excludes, check=False
    ).strip()
    return bool(out)


def changed(root: Project, members: Sequence[Member], graph: Sequence[Edge]) -> list[Member]:
    """Members changed since their own last release, plus every member that depends on them."""
    touched = {m.name for m in members if changed_since_release(root, members, m)}
    chosen = dependents(touched, graph)
    return [m for m in members if m.name in chosen]


def owner(members: Sequence[Member], path: str) -> Member | None:
    """The member whose folder holds ``path`` (root-relative); the deepest one wins."""
    holders = [m for m in members if m.path != "." and path.startswith(m.prefix)]
    if holders:
        return max(holders, key=lambda m: len(m.path))
    return next((m for m in members if m.path == "."), None)


def files_by_member(members: Sequence[Member], files: Iterable[str]) -> dict[str, list[str]]:
    """Changed files (root-relative, as hooks pass them) grouped by member, member-relative.

    Files that belong to no member (the root's ``uv.lock`` of a virtual root) are under ``""``.
    """
    grouped: dict[str, list[str]] = {}
    for path in files:
        clean = path.removeprefix("./")
        holder = owner(members, clean)
        key = holder.name if holder is not None else ""
        relative = clean.removeprefix(holder.prefix) if holder is not None else clean
        grouped.setdefault(key, []).append(relative)
    return grouped
