"""``[[tool.releasegate.registries]]`` and ``[tool.releasegate.publish]`` as frozen dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from releasegate._internal.errors import ConfigError
from releasegate._internal.findings import quoted
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
    yank_url: str | None = None
    """pypi: the page where a person yanks a release; {project} and {version} stand for them."""


@dataclass(frozen=True)
class PublishSettings:
    """``[tool.releasegate.publish]``; defaults live only in ``schema/sections/publish.json``."""

    SECTION: ClassVar[str] = "publish"
    concurrency: int
    retries: int
    backoff: float
    backoff_max: float
    timeout: float
    request_deadline: float
    plan_deadline: float
    run_deadline: float
    interrupt_grace: float
    on_conflict: str
    """``stop-release`` (the default) or ``stop-registry``."""
    ledger: str
    lock_wait: float
    """Seconds a run waits for another one holding the ledger's lock."""
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
            request_deadline=float(section["request-deadline"]),
            plan_deadline=float(section["plan-deadline"]),
            run_deadline=float(section["run-deadline"]),
            interrupt_grace=float(section["interrupt-grace"]),
            on_conflict=str(section["on-conflict"]),
            ledger=str(section["ledger"]),
            lock_wait=float(section["lock-wait"]),
            audit_log=str(section["audit-log"]),
            dist_dir=str(section["dist-dir"]),
        )


def _default_url(kind: Kind) -> str | None:
    return {Kind.GITHUB_RELEASE: GITHUB_API}.get(kind)


def _spec(table: Mapping[str, Any], where: str) -> RegistrySpec:
    kind = Kind(table["kind"])
    url = table.get("url") or _default_url(kind)
    if not url:
        raise ConfigError(
            [f"{where}: registry {quoted(table['name'])} of kind {kind.value} needs a url"]
        )
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
        yank_url=table.get("yank-url"),
    )


def in_ci(env: Mapping[str, str]) -> bool:
    """A CI job (GitHub Actions and most others set CI=true)."""
    return env.get("GITHUB_ACTIONS") == "true" or env.get("CI", "").lower() in ("true", "1")


def registry_specs(
    config: Config, env: Mapping[str, str] | None = None
) -> tuple[RegistrySpec, ...]:
    """The configured registries (schema-valid already), or the embedded directory default.

    The default is for a laptop: in CI (``env`` given and CI set) a run that configured no
    registry would "publish" into the job's throw-away workspace and report success.
    """
    tables = config.value("registries")
    if not tables and env is not None and in_ci(env):
        raise ConfigError(
            [
                f"{config.source or 'configuration'}: no registry configured, and this is CI: "
                f"the default local index ({DEFAULT_DIRECTORY}) would vanish with the job",
            ],
            hint='add a [[registries]] table; for a local index say so: kind = "directory"',
        )
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
                f"unknown registry {quoted(name)} (configured: {', '.join(sorted(known))})"
                for name in unknown
            ]
        )
    return tuple(spec for spec in specs if spec.name in names)


def _url_problem(spec: RegistrySpec) -> str | None:
    if spec.kind is Kind.DIRECTORY:
        return None
    for key, url in (("url", spec.url), ("index-url", spec.index_url)):
        if url is None:
            continue
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 - parsing it is the check
        except ValueError:
            return f"{key} {quoted(url)} has an invalid port"
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return f"{key} {quoted(url)} is not an http(s) URL with a host"
    return None


def _tag_problem(spec: RegistrySpec, version: str) -> str | None:
    if spec.kind is not Kind.GITHUB_RELEASE:
        return None
    try:
        spec.tag_format.format(version=version)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        return (
            f"tag-format {quoted(spec.tag_format)} cannot be filled ({type(exc).__name__}: {exc}); "
            "only {version} is known"
        )
    return None


def _credential_problems(spec: RegistrySpec, env: Mapping[str, str]) -> list[str]:
    if spec.kind is Kind.DIRECTORY or (spec.kind is Kind.PYPI and spec.trusted_publishing):
        return []
    if spec.kind is Kind.PYPI and spec.token_env is not None:
        names = [spec.token_env]
    elif spec.kind is Kind.PYPI:
        names = [n for n in (spec.username_env, spec.password_env) if n]
    else:
        names = [spec.token_env] if spec.token_env else []
    return [
        f"environment variable {name} is empty or missing" for name in names if not env.get(name)
    ]


ALLOW_DIRECTORIES_ENV = "RELEASEGATE_DIRECTORY_REGISTRY_ROOTS"
"""Directories outside the project that a directory registry may write to, os.pathsep-separated:
set by the job, never by the checkout, whose own configuration keeps them inside the project."""


def _directory_problem(spec: RegistrySpec, env: Mapping[str, str], root: Path) -> str | None:
    """A directory registry writes inside the project, or where the job's environment allows."""
    if spec.kind is not Kind.DIRECTORY:
        return None  # before the import: pypi-only configs need not load the directory kind
    import os

    from releasegate._internal.publish.registries.directory import directory_root

    target = directory_root(spec.url, root).resolve()
    allowed = [root.resolve()]
    allowed += [
        Path(p).resolve() for p in env.get(ALLOW_DIRECTORIES_ENV, "").split(os.pathsep) if p
    ]
    if any(target.is_relative_to(base) for base in allowed):
        return None
    return (
        f"url {quoted(spec.url)} resolves outside the project ({target}); the checkout's "
        f"configuration may not write there: the job allows it with {ALLOW_DIRECTORIES_ENV}"
    )


def check_usable(
    specs: tuple[RegistrySpec, ...],
    env: Mapping[str, str],
    version: str,
    where: str,
    root: Path | None = None,
) -> None:
    """Every configuration mistake of every registry, before anything is uploaded anywhere.

    Found at a registry's own preflight they would fail it alone while the others publish:
    a partial release from a typo.
    """
    problems: list[str] = []
    for spec in specs:
        found: list[str | None] = [_url_problem(spec), _tag_problem(spec, version)]
        if spec.kind is Kind.GITHUB_RELEASE and not (
            spec.repository or env.get("GITHUB_REPOSITORY")
        ):
            found.append("no repository (set `repository` or GITHUB_REPOSITORY)")
        found.extend(_credential_problems(spec, env))
        if root is not None:
            found.append(_directory_problem(spec, env, root))
        problems.extend(f"{where}: registry {spec.name}: {p}" for p in found if p)
    if problems:
        raise ConfigError(problems, hint="nothing was uploaded; fix these and run again")
