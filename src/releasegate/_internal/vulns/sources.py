"""Where advisories come from: an OSV database on disk, or OSV's API; never silently nowhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path

    from releasegate._internal.vulns.database import Index
    from releasegate._internal.vulns.records import Advisory


class Unavailable(Exception):
    """Advisories cannot be read: the check has not been made, and must not pass."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class Advisories(Protocol):
    description: str
    newest: str
    """The latest ``modified`` of the data (ISO 8601), "" when unknown (online: always fresh)."""
    problems: Sequence[str]
    """Records that could not be read (``file: why``)."""

    def lookup(self, wanted: Iterable[tuple[str, str]]) -> Mapping[str, Sequence[Advisory]]:
        """Advisories that may concern these (name, version) pairs, by normalised name."""
        ...


@dataclass
class Database:
    index: Index
    description: str
    newest: str
    problems: Sequence[str] = field(default_factory=list)

    def lookup(self, wanted: Iterable[tuple[str, str]]) -> Mapping[str, Sequence[Advisory]]:
        names = {name for name, _ in wanted}
        return {name: self.index.lookup(name) for name in names}


@dataclass
class Online:
    api_url: str
    description: str = ""
    newest: str = ""
    problems: Sequence[str] = ()

    def lookup(self, wanted: Iterable[tuple[str, str]]) -> Mapping[str, Sequence[Advisory]]:
        from releasegate._internal.vulns import osvapi

        try:
            return osvapi.advisories(self.api_url, wanted)
        except osvapi.ApiError as exc:
            raise Unavailable(
                f"OSV's API could not be asked: {exc}",
                "run where the API is reachable, or use an offline database: "
                "[tool.releasegate.vulns] database = PATH (a directory or zip of OSV records)",
            ) from None


def open_source(database: Path | None, online: bool, api_url: str) -> Advisories:
    """The configured source; ``Unavailable`` when there is none or it cannot be read."""
    if database is not None:
        return _database(database)
    if online:
        return Online(api_url, f"OSV API at {api_url}")
    raise Unavailable(
        "no advisory source: no database is configured and online lookup is off",
        "set [tool.releasegate.vulns] database = PATH (a directory or zip of OSV records, "
        "such as OSV's PyPI export or a checkout of the PyPA advisory database), "
        "or allow online = true",
    )


def _database(path: Path) -> Database:
    from releasegate._internal.vulns import database

    try:
        index = database.load(path)
    except (database.DatabaseError, OSError) as exc:
        raise Unavailable(
            f"the OSV database cannot be read: {exc}",
            "point [tool.releasegate.vulns] database (or --database) at a directory or zip of "
            "OSV records, such as OSV's PyPI export",
        ) from None
    if index.records == 0:
        raise Unavailable(
            f"the OSV database {path} holds no OSV records",
            "records are files named by their id (PYSEC-2023-74.yaml, GHSA-....json)",
        )
    described = f"OSV database {path.name} ({index.records} records)"
    return Database(index, described, index.newest, index.problems)
