"""``promote --from 1.4.0rc2`` (or ``NAME==VERSION``): the pre-release fetched from a registry.

Its wheels and sdist come from a configured ``[[tool.releasegate.registries]]`` entry's simple
index through ``publish/download.py`` (the index's sha256 checked), with the Sigstore bundle
the index serves beside each file; ``run`` then checks them like files from ``dist/``,
bundles included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from releasegate._internal import http
    from releasegate._internal.project import Project
    from releasegate._internal.publish.settings import RegistrySpec


def pin(project: Project, spec: str) -> str:
    """``NAME==VERSION``; a bare version takes the project's ``[project].name``."""
    if "==" in spec:
        return spec
    if not project.name:
        raise UsageError(
            f"--from {spec}: the project has no [project].name", hint="use --from NAME==VERSION"
        )
    return f"{project.name}=={spec}"


def registry(project: Project, name: str | None) -> RegistrySpec:
    """The named registry, or the only configured one with a simple index (kind pypi)."""
    from releasegate._internal.publish.settings import Kind, registry_specs, select

    specs = select(registry_specs(project.config), [name] if name else None)
    indexes = [s for s in specs if s.kind is Kind.PYPI]
    if len(indexes) == 1:
        return indexes[0]
    known = ", ".join(s.name for s in indexes) or "none of kind pypi"
    raise UsageError(
        f"--from needs one registry with a simple index to download from (configured: {known})",
        hint="name it with --registry NAME",
    )


def _credential(spec: RegistrySpec, env: Mapping[str, str]) -> http.Credential | None:
    from releasegate._internal import http

    token = env.get(spec.token_env) if spec.token_env else None
    username = env.get(spec.username_env) if spec.username_env else None
    password = env.get(spec.password_env) if spec.password_env else None
    if token:
        username, password = "__token__", token
    if not password:
        return None  # a public index: nothing to send
    return http.Credential.basic(username or "", password, (spec.url, spec.index_url))


def fetch(
    project: Project, spec: str, registry_name: str | None, folder: Path, env: Mapping[str, str]
) -> list[Path]:
    """Download the pre-release named by ``spec`` into ``folder``; the files, bundles beside."""
    from releasegate._internal.publish.download import download_version
    from releasegate._internal.publish.registries.pypi import index_url_for
    from releasegate._internal.sign.outputs import BUNDLE_SUFFIX, LEGACY_BUNDLE_SUFFIX

    chosen = registry(project, registry_name)
    return download_version(
        pin(project, spec),
        chosen.index_url or index_url_for(chosen.url),
        folder,
        credential=_credential(chosen, env),
        bundle_suffixes=(BUNDLE_SUFFIX, LEGACY_BUNDLE_SUFFIX),
    )
