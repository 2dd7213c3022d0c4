"""``[tool.releasegate.api]`` as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from releasegate._internal.waivers import Waiver


def covers(entry: Waiver, target: str) -> bool:
    """An ``allow`` entry covers the object itself, its parameters and its members."""
    return target == entry.subject or target.startswith((f"{entry.subject}.", f"{entry.subject}("))


@dataclass(frozen=True)
class ApiSettings:
    """``[tool.releasegate.api]``; defaults live only in ``schema/sections/api.json``."""

    SECTION: ClassVar[str] = "api"
    package: str | None
    allow: tuple[Waiver, ...]
    """Deliberate changes that do not need the bump they would require (``subject``: a path)."""
    ignore: tuple[str, ...]
    commits: bool
    commit_types: tuple[str, ...]
    policy: str
    """``strict`` or ``deprecate-then-remove`` (see ``deprecations``)."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> ApiSettings:
        from releasegate._internal import waivers

        allow = waivers.read(section["allow"], "path")
        return cls(
            package=section.get("package"),  # no default: None means "the project's package"
            allow=allow,
            ignore=tuple(section["ignore"]),
            commits=bool(section["commits"]),
            commit_types=tuple(section["commit-types"]),
            policy=str(section["policy"]),
        )
