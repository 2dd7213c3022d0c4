"""Members released in lock-step under one member's tags.

livekit/agents releases its 72 plugins with ``livekit-agents`` at one version, under one tag
(``livekit-agents@1.7.0``); a plugin's own tags stopped years ago (``livekit-plugins-openai@1.0.1``).
Read by its own tags, the plugin's base release was 1.0.1, and the API gate compared six minor
releases at once: 12 false errors (issue 30). When most released members share one version and
exactly one of them is tagged at the newest version, a member whose own newest tag is older (or
that has none) is released under that leader's tags and reads them, as a lock-step workspace
under one shared ``v`` tag reads the repository's (``discovery.shares_one_tag``).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from packaging.version import Version

    from releasegate._internal.project import Project
    from releasegate._internal.workspace.discovery import Member

SHARE = 0.8
"""The part of the released members that must share one version: a coincidence of two members
of an independently versioned workspace is not lock-step."""


def followers(root: Project, members: Sequence[Member], forms: Mapping[str, str]) -> dict[str, str]:
    """Member name -> the leader's tag format (its name filled in), for the members released
    under another member's tags. ``forms``: each member's own tag format (``{name}`` unfilled)."""
    from releasegate._internal.workspace.requirements import current_versions

    released = [m for m in members if m.unreleased is None]
    versions = current_versions(released)
    if len(versions) < 2:
        return {}
    common, count = Counter(versions.values()).most_common(1)[0]
    if count < 2 or count < SHARE * len(released):
        return {}
    tags = [t.name for t in root.git.tags]
    sharing = [name for name, version in versions.items() if version == common]
    newest = {name: _newest(tags, _filled(forms, name)) for name in sharing}
    tagged = {name: found for name, found in newest.items() if found is not None}
    if not tagged:
        return {}
    top = max(tagged.values())
    leaders = [name for name, found in tagged.items() if found == top]
    if len(leaders) != 1:
        return {}  # several members tag their own releases: each keeps its own
    leader = leaders[0]
    return {
        name: _filled(forms, leader)
        for name, found in newest.items()
        if name != leader and (found is None or found < tagged[leader])
    }


def _filled(forms: Mapping[str, str], name: str) -> str:
    from releasegate._internal.workspace.discovery import MEMBER_TAG_FORMAT

    return forms.get(name, MEMBER_TAG_FORMAT).replace("{name}", name)


def _newest(tags: Sequence[str], tag_format: str) -> Version | None:
    from packaging.version import InvalidVersion, Version

    head, _, tail = tag_format.partition("{version}")
    found = []
    for tag in tags:
        if tag.startswith(head) and tag.endswith(tail) and len(tag) > len(head) + len(tail):
            try:
                found.append(Version(tag[len(head) : len(tag) - len(tail)]))
            except InvalidVersion:
                continue
    return max(found, default=None)
