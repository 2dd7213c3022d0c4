"""``[tool.releasegate.api]`` as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

VERSION_CONSTANTS = (
    "__version__",
    "__version_info__",
    "version",
    "version_info",
    "VERSION",
    "__about__",
)
COMMIT_TYPES = (
    "feat",
    "fix",
    "docs",
    "style",
    "refactor",
    "perf",
    "test",
    "build",
    "ci",
    "chore",
    "revert",
)


@dataclass(frozen=True)
class AllowEntry:
    """A deliberate change that does not need the bump it would require."""

    path: str
    reason: str
    expires: dt.date | None
    """None when the date in the configuration is not a valid date."""
    index: int
    """Position in the ``allow`` array, to find its line in the configuration."""
    raw_expires: str = ""

    def covers(self, target: str) -> bool:
        """An entry covers the object itself, its parameters and its members."""
        return target == self.path or target.startswith((f"{self.path}.", f"{self.path}("))

    def expired(self, today: dt.date) -> bool:
        return self.expires is None or self.expires < today


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class ApiSettings:
    package: str | None = None
    allow: tuple[AllowEntry, ...] = ()
    ignore: tuple[str, ...] = VERSION_CONSTANTS
    commits: bool = True
    commit_types: tuple[str, ...] = COMMIT_TYPES

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> ApiSettings:
        allow = tuple(
            AllowEntry(
                str(e["path"]), str(e["reason"]), _date(str(e["expires"])), i, str(e["expires"])
            )
            for i, e in enumerate(section.get("allow", []))
        )
        return cls(
            package=section.get("package"),
            allow=allow,
            ignore=tuple(section.get("ignore", VERSION_CONSTANTS)),
            commits=bool(section.get("commits", True)),
            commit_types=tuple(section.get("commit-types", COMMIT_TYPES)),
        )
