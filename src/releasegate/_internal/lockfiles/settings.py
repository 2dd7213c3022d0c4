"""``[tool.releasegate.lockfile]`` as a frozen dataclass (schema: ``sections/lockfile.json``)."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from releasegate._internal.errors import ConfigError
from releasegate._internal.lockfiles.redact import redact
from releasegate._internal.lockfiles.reqline import normalize

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class LockfileSettings:
    """``[tool.releasegate.lockfile]``; defaults live only in ``schema/sections/lockfile.json``."""

    SECTION: ClassVar[str] = "lockfile"
    paths: tuple[str, ...]
    """Lockfiles to check, root-relative; empty: auto-detect."""
    require_hashes: bool | frozenset[str]
    """True: every lockfile needs hashes; False: unhashed pins are not reported; a set: the
    root-relative files that need them (elsewhere an unhashed pin is a warning)."""
    allowed_indexes: tuple[str, ...]
    """Values of --index-url / --extra-index-url / --find-links allowed in requirements files."""
    undecidable: str
    """``fail`` or ``warn`` when sync cannot be decided offline."""
    build_requires: str
    """Severity of an unpinned ``[build-system].requires``: error, warning, note or off."""
    allow: frozenset[str]
    """When non-empty, the only package names allowed (normalised)."""
    deny: Mapping[str, str]
    """Denied normalised names and the reason for each."""
    index_url: str | None
    """The index ``--resolve`` resolves against; None: pip's own configuration."""
    python_version: str | None
    """The Python ``--resolve`` resolves for; None: the floor of ``requires-python``."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> LockfileSettings:
        deny = {normalize(d["name"]): str(d.get("reason", "")) for d in section["deny"]}
        return cls(
            paths=tuple(section["paths"]),
            require_hashes=_required(section["require-hashes"]),
            allowed_indexes=tuple(_strip(u) for u in section["allowed-indexes"]),
            undecidable=str(section["undecidable"]),
            build_requires=str(section["build-requires"]),
            allow=frozenset(normalize(n) for n in section["allow"]),
            deny=deny,
            index_url=_index_url(section.get("index-url")),  # no default: pip's own
            python_version=section.get("python-version"),  # no default: requires-python
        )

    def index_allowed(self, value: str) -> bool:
        return _strip(value) in self.allowed_indexes


def _index_url(value: str | None) -> str | None:
    """The configured index; credentials never live in config (nor in the error about them)."""
    if value is not None and (redact(value) != value or "://" not in value):
        raise ConfigError(
            [
                "[tool.releasegate.lockfile] index-url: expected an http(s):// or file:// URL "
                "without user:password@"
            ],
            hint="give credentials to pip through PIP_INDEX_URL or ~/.netrc instead",
        )
    return value


def _required(value: bool | list[str]) -> bool | frozenset[str]:
    if isinstance(value, bool):
        return value
    return frozenset(posixpath.normpath(path.strip()) for path in value)


def _strip(url: str) -> str:
    return url.strip().rstrip("/")
