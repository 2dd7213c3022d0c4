"""A member's requirement on another member must accept that member's current version.

Releasing B 2.0.0 while A still declares ``B>=1,<2`` ships an A that cannot be installed
with the B released beside it; the problem is A's, at its requirement, and the per-member
check places it with the SemVer gate's findings (``check.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError
from releasegate._internal.problems import FileProblem

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from releasegate._internal.workspace.discovery import Member
    from releasegate._internal.workspace.graph import Edge

RULE = "workspace-requirement"


def current_versions(members: Sequence[Member]) -> dict[str, str]:
    """Each member's version as PEP 440 text; a member without one is left out (its semver
    gate says why)."""
    from releasegate._internal.releases import SemverSettings, current_version

    versions = {}
    for member in members:
        project = member.project
        try:
            version = current_version(project, project.config.settings(SemverSettings))
        except FatalError:
            continue
        versions[member.name] = str(version.canonical)
    return versions


def problems(
    member: Member, graph: Sequence[Edge], versions: Mapping[str, str]
) -> Iterator[FileProblem]:
    """``member``'s requirements on other members that exclude their current versions."""
    doc = member.project.pyproject
    for edge in graph:
        version = versions.get(edge.dependency)
        if edge.dependent != member.name or version is None:
            continue
        specifier = edge.requirement.specifier
        if not specifier or specifier.contains(version, prereleases=True):
            continue
        yield FileProblem(
            RULE,
            f"requirement {edge.requirement} excludes {edge.dependency} {version}, the"
            " version the workspace releases",
            path="pyproject.toml",
            line=doc.line(*edge.field) if doc else None,
            hint=f"widen the requirement to accept {edge.dependency} {version} (and check that"
            f" {member.name} works with it), or release a compatible version of"
            f" {edge.dependency}",
        )


ORDER_RULE = "workspace-order-unknown"


def unread_problem(member: Member) -> FileProblem:
    """``member``'s dependencies are dynamic and stated nowhere releasegate can read."""
    return FileProblem(
        ORDER_RULE,
        f"the dependencies of {member.name} are dynamic and in no uv.lock: its place in the"
        " release order cannot be known (it is released with the first wave)",
        path="pyproject.toml",
        hint="lock the workspace (`uv lock`), or declare the requirements on other members in"
        " [project].dependencies",
    )
