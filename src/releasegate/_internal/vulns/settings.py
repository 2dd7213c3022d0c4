"""``[tool.releasegate.vulns]`` as frozen dataclasses; defaults live only in the schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from releasegate._internal.waivers import Waiver


@dataclass(frozen=True)
class VulnsSettings:
    SECTION: ClassVar[str] = "vulns"
    database: str | None
    online: bool
    api_url: str
    max_age_days: int
    min_severity: str
    ignore: tuple[Waiver, ...]
    """Advisories accepted on purpose (``subject``: any of its names, PYSEC-, GHSA-, CVE-)."""
    index_url: str | None

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> VulnsSettings:
        from releasegate._internal import waivers
        from releasegate._internal.simple_index import index_to_read

        ignore = waivers.read(section["ignore"], "id")
        return cls(
            database=section.get("database"),  # no default: None means "online"
            online=bool(section["online"]),
            api_url=str(section["api-url"]),
            max_age_days=int(section["max-age-days"]),
            min_severity=str(section["min-severity"]),
            ignore=ignore,
            index_url=index_to_read(section.get("index-url")),
        )
