"""The content-addressed plan: per registry and file, upload, skip or conflict.

Only the sha256 decides. A file the registry already serves with the same hash
is skipped, whatever an earlier run did or did not record; a file it serves with
another hash under the same name is a conflict, never overwritten.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

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


def plan_registry(artifacts: Sequence[Artifact], holdings: Mapping[str, str]) -> tuple[Step, ...]:
    steps = []
    for artifact in artifacts:
        remote = holdings.get(artifact.filename)
        if remote is None:
            action = Action.UPLOAD
        elif remote == artifact.sha256:
            action = Action.SKIP
        else:
            action = Action.CONFLICT
        steps.append(Step(artifact, action, remote))
    return tuple(steps)
