"""What a gate is: a module with ``NAME`` and ``run(context) -> Iterable[Finding]``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from releasegate._internal.config import S
    from releasegate._internal.findings import Finding
    from releasegate._internal.project import Project


NESTED = "nested-projects"
"""``CheckOptions.extra`` key: folders (relative to the project) of other workspace members
inside this one, whose commits are theirs, not its own."""
SHARED = "shared-by-members"
"""``CheckOptions.extra`` key: a dict the gates of one workspace run share across its members
(the license gate's one metadata reader); guarded by the gate that uses it."""


@dataclass(frozen=True)
class CheckOptions:
    """Command-line options that reach the gates."""

    files: tuple[str, ...] | None = None
    """Changed files (from a hook); None means the whole project."""
    release: bool = False
    """A release is being made from this commit (``--release`` or a tag build in CI)."""
    extra: Mapping[str, Any] = field(default_factory=dict)
    """Gate-specific options, keyed by option name."""


@dataclass(frozen=True)
class CheckContext:
    project: Project
    options: CheckOptions = field(default_factory=CheckOptions)
    data: dict[str, object] = field(default_factory=dict, hash=False)
    """Where a gate records structured facts of its verdict (``GateResult.data``); the runner
    gives each gate its own."""
    summary: list[str] = field(default_factory=list, hash=False)
    """One-line facts of the verdict for people (``GateResult.summary``, joined), e.g. the release
    the API was compared with; the runner gives each gate its own."""

    def section(self, name: str) -> Mapping[str, Any]:
        return self.project.config.section(name)

    def settings(self, kind: type[S]) -> S:
        """The typed settings of a section, built once per run (see ``Config.settings``)."""
        return self.project.config.settings(kind)


class Gate(Protocol):
    """The module-level shape of a gate."""

    NAME: str

    def run(self, context: CheckContext) -> Iterable[Finding]: ...
