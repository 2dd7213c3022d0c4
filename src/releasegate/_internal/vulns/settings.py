"""``[tool.releasegate.vulns]`` as frozen dataclasses; defaults live only in the schema."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


@dataclass(frozen=True)
class IgnoreEntry:
    """An advisory accepted on purpose, as the API gate's ``allow``: with a reason and an expiry."""

    id: str
    """Any of its names: PYSEC-..., GHSA-..., CVE-..."""
    reason: str
    expires: dt.date | None
    """None when the date in the configuration is not a valid date (then it covers nothing)."""
    index: int
    """Position in the ``ignore`` array, to find its line in the configuration."""
    raw_expires: str = ""

    def expired(self, today: dt.date) -> bool:
        return self.expires is None or self.expires < today


@dataclass(frozen=True)
class VulnsSettings:
    SECTION: ClassVar[str] = "vulns"
    database: str | None
    online: bool
    api_url: str
    max_age_days: int
    min_severity: str
    ignore: tuple[IgnoreEntry, ...]
    index_url: str | None

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> VulnsSettings:
        from releasegate._internal.simple_index import index_to_read

        ignore = tuple(
            IgnoreEntry(
                str(e["id"]), str(e["reason"]), _date(str(e["expires"])), i, str(e["expires"])
            )
            for i, e in enumerate(section["ignore"])
        )
        return cls(
            database=section.get("database"),  # no default: None means "online"
            online=bool(section["online"]),
            api_url=str(section["api-url"]),
            max_age_days=int(section["max-age-days"]),
            min_severity=str(section["min-severity"]),
            ignore=ignore,
            index_url=index_to_read(section.get("index-url")),
        )


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
