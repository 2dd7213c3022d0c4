"""What happened to each file on each registry: read by the ledger, audit, table and report."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class FileState(str, enum.Enum):
    PLANNED = "planned"
    UPLOADED = "uploaded"
    """Uploaded in this run (verified once ``verified`` is set)."""
    SKIPPED = "skipped"
    """Already served with the same sha256."""
    ALREADY_THERE = "already there (another run)"
    """Planned for upload, refused as existing, and the registry serves our bytes: another
    run (a concurrent job, another machine) uploaded it between our plan and our upload."""
    CONFLICT = "conflict"
    FAILED = "failed"


@dataclass
class FileOutcome:
    filename: str
    sha256: str
    state: FileState = FileState.PLANNED
    verified: bool = False
    attempts: int = 0
    error: str | None = None
    """Already scrubbed of secrets."""


@dataclass
class RegistryOutcome:
    name: str
    kind: str
    required: bool
    files: dict[str, FileOutcome] = field(default_factory=dict)
    error: str | None = None
    """A registry-wide failure (credentials, unreachable, verification), scrubbed."""
    seconds: float = 0.0
    resumed: bool = False
    """Every file was already verified by an earlier run, per the ledger."""
    extra: dict[str, str] = field(default_factory=dict)
    """Dists of the version the registry serves that are not part of the release (filename
    -> sha256), seen by the verification: pip may install one of them instead of ours."""
    attached: dict[str, str] = field(default_factory=dict)
    """Release-level files attached beside the dists, verified (name -> download URL):
    ``GOVERNANCE.json`` on a GitHub release."""

    @property
    def completed(self) -> bool:
        return (
            self.error is None
            and not self.extra
            and bool(self.files)
            and all(f.verified for f in self.files.values())
        )

    def count(self, *states: FileState) -> int:
        return sum(1 for f in self.files.values() if f.state in states)

    @property
    def failed_files(self) -> int:
        if self.error is not None and not self.files:
            return 0
        return sum(1 for f in self.files.values() if not f.verified)
