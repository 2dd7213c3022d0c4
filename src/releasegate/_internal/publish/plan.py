"""The content-addressed plan: per registry and file, upload, skip or conflict.

Only the sha256 decides. A file the registry already serves with the same hash
is skipped, whatever an earlier run did or did not record; a file it serves with
another hash under the same name is a conflict, never overwritten. The same holds
for a dist's companions (its ``.sigstore.json`` bundle): a registry serving another
bundle for our dist would pair our file with someone else's signature.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from releasegate._internal.hashing import sha256_file
from releasegate._internal.publish.artifacts import parse_dist_filename

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

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


def of_version(filename: str, version: str | None) -> bool:
    """Whether ``filename`` is a dist of ``version`` (any version when None), PEP 440-equal."""
    parsed = parse_dist_filename(filename)
    if parsed is None:
        return False
    if version is None:
        return True
    try:
        return Version(parsed[1]) == Version(version)
    except (InvalidVersion, ValueError):  # or a part over the 4300 digits int() reads
        return parsed[1] == version


class VersionFiles(Collection[str]):
    """The ``wanted`` of ``Registry.holdings`` that covers a whole version as served: the
    given names, and any dist of ``version``, whoever uploaded it. Only these are downloaded
    and hashed, whatever other versions the index lists."""

    def __init__(self, version: str, names: Collection[str] = ()) -> None:
        self._version = version
        self._names = names

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._names or of_version(name, self._version))

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def extras(artifacts: Sequence[Artifact], holdings: Mapping[str, str]) -> dict[str, str]:
    """Dists of the release's version served beside it that are not part of it.

    pip picks the most specific wheel of a version: a foreign cp311 wheel beside our
    py3-none-any one is what cp311 installs, so the version as served is not our release.
    """
    if not artifacts:
        return {}
    ours = {a.filename for a in artifacts}
    version = artifacts[0].version
    return {
        name: sha
        for name, sha in sorted(holdings.items())
        if name not in ours and of_version(name, version)
    }


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
