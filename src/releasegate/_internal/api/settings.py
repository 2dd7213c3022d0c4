"""``[tool.releasegate.api]`` as frozen dataclasses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


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
    """``[tool.releasegate.api]``; defaults live only in ``schema/sections/api.json``."""

    SECTION: ClassVar[str] = "api"
    package: str | None
    allow: tuple[AllowEntry, ...]
    ignore: tuple[str, ...]
    commits: bool
    commit_types: tuple[str, ...]
    policy: str
    """``strict`` or ``deprecate-then-remove`` (see ``deprecations``)."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> ApiSettings:
        allow = tuple(
            AllowEntry(
                str(e["path"]), str(e["reason"]), _date(str(e["expires"])), i, str(e["expires"])
            )
            for i, e in enumerate(section["allow"])
        )
        return cls(
            package=section.get("package"),  # no default: None means "the project's package"
            allow=allow,
            ignore=tuple(section["ignore"]),
            commits=bool(section["commits"]),
            commit_types=tuple(section["commit-types"]),
            policy=str(section["policy"]),
        )
