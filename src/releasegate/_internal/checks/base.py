"""What a gate is: a module with ``NAME`` and ``run(context) -> Iterable[Finding]``."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from releasegate._internal.config import S
    from releasegate._internal.findings import Finding
    from releasegate._internal.metadata.depmeta import Fetcher
    from releasegate._internal.project import Project


class WorkspaceRun:
    """State the gates of one workspace run share across its members, so that what every
    member needs is done once: the license gate's metadata readers (one lookup of each
    dependency, one wait on a dead index), keyed by the settings that shape a reader."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.metadata_readers: dict[tuple[object, ...], Fetcher] = {}


@dataclass(frozen=True)
class CheckOptions:
    """Command-line options that reach the gates."""

    files: tuple[str, ...] | None = None
    """Changed files (from a hook); None means the whole project."""
    release: bool = False
    """A release is being made from this commit (``--release`` or a tag build in CI)."""
    resolve: bool = False
    """The lockfile gate also resolves each lock afresh and compares (``--resolve``)."""
    offline: bool = False
    """No network: the license and vulns gates use only what is local (``--offline``)."""
    vulns_database: str | None = None
    """An OSV database (directory or zip) that replaces the configured one (``--database``)."""
    nested: tuple[str, ...] = ()
    """Folders (relative to the project) of other workspace members inside this one, whose
    commits are theirs, not its own (the API gate's commits-bump)."""
    workspace_run: WorkspaceRun | None = field(default=None, hash=False, compare=False)
    """What the gates of one workspace run share across its members; None outside one."""


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
