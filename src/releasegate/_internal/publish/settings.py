"""``[[tool.releasegate.registries]]`` and ``[tool.releasegate.publish]`` as frozen dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from releasegate._internal.errors import ConfigError
from releasegate._internal.schema import config_schema
from releasegate._internal.schemacheck import apply_defaults

if TYPE_CHECKING:
    from collections.abc import Mapping

    from releasegate._internal.config import Config

DEFAULT_DIRECTORY = ".releasegate/index"
GITHUB_API = "https://api.github.com"


class Kind(str, enum.Enum):
    PYPI = "pypi"
    GITHUB_RELEASE = "github-release"
    DIRECTORY = "directory"


@dataclass(frozen=True)
class RegistrySpec:
    """One configured registry; credentials are names of environment variables."""

    name: str
    kind: Kind
    url: str
    required: bool
    trusted_publishing: bool
    tag_format: str
    # Optional keys without a schema default: None is "not given".
    index_url: str | None = None
    username_env: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    repository: str | None = None


@dataclass(frozen=True)
class PublishSettings:
    """``[tool.releasegate.publish]``; defaults live only in ``schema/sections/publish.json``."""

    SECTION: ClassVar[str] = "publish"
    concurrency: int
    retries: int
    backoff: float
    backoff_max: float
    timeout: float
    ledger: str
    audit_log: str
    dist_dir: str

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> PublishSettings:
        return cls(
            concurrency=int(section["concurrency"]),
            retries=int(section["retries"]),
            backoff=float(section["backoff"]),
            backoff_max=float(section["backoff-max"]),
            timeout=float(section["timeout"]),
            ledger=str(section["ledger"]),
            audit_log=str(section["audit-log"]),
            dist_dir=str(section["dist-dir"]),
        )


def _default_url(kind: Kind) -> str | None:
    return {Kind.GITHUB_RELEASE: GITHUB_API}.get(kind)


def _spec(table: Mapping[str, Any], where: str) -> RegistrySpec:
    kind = Kind(table["kind"])
    url = table.get("url") or _default_url(kind)
    if not url:
        raise ConfigError([f"{where}: registry {table['name']!r} of kind {kind.value} needs a url"])
    token_env = table.get("token-env")
    if kind is Kind.GITHUB_RELEASE and token_env is None:
        token_env = "GITHUB_TOKEN"  # noqa: S105 - the name of a variable, not a secret
    return RegistrySpec(
        name=table["name"],
        kind=kind,
        url=url,
        index_url=table.get("index-url"),
        username_env=table.get("username-env"),
        password_env=table.get("password-env"),
        token_env=token_env,
        required=bool(table["required"]),
        trusted_publishing=bool(table["trusted-publishing"]),
        repository=table.get("repository"),
        tag_format=table["tag-format"],
    )


def registry_specs(config: Config) -> tuple[RegistrySpec, ...]:
    """The configured registries (schema-valid already), or the embedded directory default."""
    tables = config.value("registries")
    if not tables:
        item = config_schema()["properties"]["registries"]["items"]
        table = apply_defaults({"name": "local", "kind": "directory"}, item)
        return (_spec({**table, "url": DEFAULT_DIRECTORY}, "the default registry"),)
    where = config.source or "configuration"
    specs = tuple(_spec(table, where) for table in tables)
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ConfigError([f"{where}: registry name(s) used twice: {', '.join(duplicates)}"])
    return specs


def select(specs: tuple[RegistrySpec, ...], names: list[str] | None) -> tuple[RegistrySpec, ...]:
    """Limit to ``--registry`` names; an unknown name is a usage error."""
    if not names:
        return specs
    known = {spec.name for spec in specs}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ConfigError(
            [
                f"unknown registry {name!r} (configured: {', '.join(sorted(known))})"
                for name in unknown
            ]
        )
    return tuple(spec for spec in specs if spec.name in names)
