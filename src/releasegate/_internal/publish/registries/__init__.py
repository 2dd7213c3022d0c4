"""Registry adapters, one module per kind, listed explicitly."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, cast

from releasegate._internal.publish.settings import Kind

if TYPE_CHECKING:
    from releasegate._internal.publish.registries.base import Registry, RegistryContext

# kind -> "module:Class"; adding a kind is one module and one line here.
KINDS: dict[Kind, str] = {
    Kind.PYPI: "releasegate._internal.publish.registries.pypi:PypiRegistry",
    Kind.GITHUB_RELEASE: "releasegate._internal.publish.registries.github_release:GithubReleaseRegistry",
    Kind.DIRECTORY: "releasegate._internal.publish.registries.directory:DirectoryRegistry",
}


def open_registry(context: RegistryContext) -> Registry:
    """The adapter for ``context.spec.kind``; raises PermanentError when credentials are missing."""
    module_name, class_name = KINDS[context.spec.kind].split(":")
    adapter = getattr(importlib.import_module(module_name), class_name)
    return cast("Registry", adapter(context))
