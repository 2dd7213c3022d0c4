"""The one interface every registry kind implements, and what adapters are given.

A kind is one module with a class satisfying ``Registry`` and one line in
``registries/__init__.py``. Adapters raise TransientError or PermanentError
(``releasegate._internal.publish.retry``) and never retry by themselves: the executor's
RetryPolicy does, the same way for every kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from releasegate._internal.publish.registries.upload_form import Forms
from releasegate._internal.publish.retry import PermanentError

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence
    from pathlib import Path

    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.retry import RetryPolicy
    from releasegate._internal.publish.scrub import Scrubber
    from releasegate._internal.publish.settings import RegistrySpec


@dataclass(frozen=True)
class RegistryContext:
    spec: RegistrySpec
    project: str
    """Normalized project name."""
    version: str
    root: Path
    """Project root: relative directory registries are resolved against it."""
    env: Mapping[str, str]
    policy: RetryPolicy
    scrubber: Scrubber
    secret_minted: Callable[[str], None] = lambda _value: None
    """Told of a credential minted during the run (a trusted-publishing token), so that
    whoever owns the output can hide it from logs; adapters never print themselves."""
    read_only: bool = False
    """Only reading (``verify-mirrors``): no upload credential is minted or demanded; the
    configured ones are used when set, for private indexes."""
    artifacts: tuple[Artifact, ...] = ()
    """The dists of the run (none when only reading)."""
    forms: Forms = field(default_factory=Forms)
    """The run's upload forms, built once and shared by its registries (``upload_form``)."""


class Registry(Protocol):
    def holdings(
        self, wanted: Collection[str] | None = None, *, verify_bytes: bool = False
    ) -> dict[str, str]:
        """filename -> sha256 of the project's files the registry serves now.

        Files whose hash the index does not state are hashed by download, but only
        those in ``wanted`` (all when None). With ``verify_bytes`` every file in
        ``wanted`` is downloaded and hashed whatever the index claims: a mirror can
        serve other bytes under the genuine hash, and pip would refuse them.
        """

    def upload(self, artifact: Artifact) -> None:
        """Upload one dist, with its companions where the registry takes them."""

    def finish(self, artifacts: Sequence[Artifact]) -> dict[str, str]:
        """Called once every file is verified (a GitHub draft release is published here).

        Returns the release-level files attached beside the dists on the way (name -> where
        people download it: ``GOVERNANCE.json`` on a GitHub release); ``{}`` for most kinds.
        """

    def yank_states(
        self, names: Collection[str] | None = None, *, fresh: bool = True
    ) -> dict[str, str | None]:
        """filename -> the reason ("" for none) a served file is marked yanked with (PEP 592),
        or None when it is not; ``fresh=False`` may reuse the page ``holdings`` just read."""


def held(stated: str | None, served: str) -> str:
    """What a registry holds under a name: the sha256 of the bytes it serves, or, when its
    index states another hash for them, both, in a value no file's sha256 equals.

    pip checks the bytes it downloads against the hash the index states: it refuses a file
    whose page states another hash, genuine bytes or not, so such a file is not published.
    """
    if stated is None or stated == served:
        return served
    return f"{stated} (the index's sha256; the bytes served hash to {served})"


def env_value(
    context: RegistryContext, variable: str | None, what: str, *, secret: bool = True
) -> str | None:
    """The value of the environment variable named in config; missing -> PermanentError.

    A secret is added to the scrubber; a user name is not (``1`` or ``x`` would vanish
    from every message), though the Basic pair derived from it is.
    """
    if variable is None:
        return None
    value = context.env.get(variable)
    if not value:
        if context.read_only:
            return None
        raise PermanentError(f"{what} not set: environment variable {variable} is empty or missing")
    if secret:
        context.scrubber.add(value)
    return value
