"""The content-addressed plan: per registry and file, upload, skip or conflict.

Only the sha256 decides. A file the registry already serves with the same hash
is skipped, whatever an earlier run did or did not record; a file it serves with
another hash under the same name is a conflict, never overwritten. The same holds
for a dist's companions (its ``.sigstore.json`` bundle): a registry serving another
bundle for our dist would pair our file with someone else's signature.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.publish.artifacts import Artifact


class Action(str, enum.Enum):
    UPLOAD = "upload"
    SKIP = "skip"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Step:
    artifact: Artifact
    action: Action
    remote_sha256: str | None = None
    """What the registry serves under this name, when it serves it."""
    conflict: str | None = None
    """The file that differs (the dist or one of its companions) and both hashes."""


def wanted_names(artifacts: Sequence[Artifact]) -> set[str]:
    """The names whose holdings the plan needs: every dist and its companions."""
    return {a.filename for a in artifacts} | {p.name for a in artifacts for p in a.companions}


def _companion_conflict(artifact: Artifact, holdings: Mapping[str, str]) -> str | None:
    for path in artifact.companions:
        remote = holdings.get(path.name)
        if remote is not None and remote != (ours := sha256_file(path)):
            return f"{path.name} (served sha256 {remote}, ours {ours})"
    return None


def plan_registry(artifacts: Sequence[Artifact], holdings: Mapping[str, str]) -> tuple[Step, ...]:
    steps = []
    for artifact in artifacts:
        remote = holdings.get(artifact.filename)
        conflict = None
        if remote is not None and remote != artifact.sha256:
            conflict = f"{artifact.filename} (served sha256 {remote}, ours {artifact.sha256})"
        conflict = conflict or _companion_conflict(artifact, holdings)
        if conflict:
            action = Action.CONFLICT
        elif remote is None:
            action = Action.UPLOAD
        else:
            action = Action.SKIP
        steps.append(Step(artifact, action, remote, conflict))
    return tuple(steps)
