"""``[tool.releasegate.lockfile]`` as a frozen dataclass (schema: ``sections/lockfile.json``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import ConfigError
from releasegate._internal.lockfiles.redact import redact
from releasegate._internal.lockfiles.reqline import normalize

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class LockfileSettings:
    paths: tuple[str, ...] = ()
    """Lockfiles to check, root-relative; empty: auto-detect."""
    require_hashes: bool = True
    allowed_indexes: tuple[str, ...] = ()
    """Values of --index-url / --extra-index-url / --find-links allowed in requirements files."""
    undecidable: str = "fail"
    """``fail`` or ``warn`` when sync cannot be decided offline."""
    build_requires: str = "warning"
    """Severity of an unpinned ``[build-system].requires``: error, warning, note or off."""
    allow: frozenset[str] = frozenset()
    """When non-empty, the only package names allowed (normalised)."""
    deny: Mapping[str, str] = field(default_factory=dict)
    """Denied normalised names and the reason for each."""
    index_url: str | None = None
    """The index ``--resolve`` resolves against; None: pip's own configuration."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> LockfileSettings:
        deny = {normalize(d["name"]): str(d.get("reason", "")) for d in section.get("deny", [])}
        return cls(
            paths=tuple(section.get("paths", ())),
            require_hashes=bool(section.get("require-hashes", True)),
            allowed_indexes=tuple(_strip(u) for u in section.get("allowed-indexes", ())),
            undecidable=str(section.get("undecidable", "fail")),
            build_requires=str(section.get("build-requires", "warning")),
            allow=frozenset(normalize(n) for n in section.get("allow", ())),
            deny=deny,
            index_url=_index_url(section.get("index-url")),
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


def _strip(url: str) -> str:
    return url.strip().rstrip("/")
