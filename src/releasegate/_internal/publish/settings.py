"""``[[tool.releasegate.registries]]`` and ``[tool.releasegate.publish]`` as frozen dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import ConfigError

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
    index_url: str | None = None
    username_env: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    required: bool = True
    trusted_publishing: bool = False
    repository: str | None = None
    tag_format: str = "v{version}"


@dataclass(frozen=True)
class PublishSettings:
    concurrency: int = 8
    retries: int = 5
    backoff: float = 1.0
    backoff_max: float = 60.0
    timeout: float = 60.0
    ledger: str = ".releasegate/publish-ledger.json"
    audit_log: str = ".releasegate/publish-audit.jsonl"
    dist_dir: str = "dist"


def publish_settings(config: Config) -> PublishSettings:
    section = config.section("publish")
    return PublishSettings(
        concurrency=int(section.get("concurrency", 8)),
        retries=int(section.get("retries", 5)),
        backoff=float(section.get("backoff", 1.0)),
        backoff_max=float(section.get("backoff-max", 60.0)),
        timeout=float(section.get("timeout", 60.0)),
        ledger=str(section.get("ledger", PublishSettings.ledger)),
        audit_log=str(section.get("audit-log", PublishSettings.audit_log)),
        dist_dir=str(section.get("dist-dir", "dist")),
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
        required=bool(table.get("required", True)),
        trusted_publishing=bool(table.get("trusted-publishing", False)),
        repository=table.get("repository"),
        tag_format=table.get("tag-format", "v{version}"),
    )


def registry_specs(config: Config) -> tuple[RegistrySpec, ...]:
    """The configured registries (schema-valid already), or the embedded directory default."""
    tables = config.value("registries")
    if not tables:
        return (RegistrySpec("local", Kind.DIRECTORY, DEFAULT_DIRECTORY),)
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
