"""The license of each locked version, from that version's own metadata (``metadata/depmeta``).

The license gate's sources, in its order: the distribution installed at exactly that
version, the cache, the index's metadata file, the locked artifact (hash-checked); offline,
only the first two. Never another installed version's. The license gate's reading turns
the fields into an SPDX expression (License-Expression, an SPDX License field, a
classifier naming one license); what names no single SPDX license is kept as a name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.metadata.depmeta import LicenseFields
    from releasegate._internal.sbom.pins import Pin

Key = tuple[str, "str | None"]
"""(PEP 503 name, version) of a component."""


@dataclass(frozen=True)
class ComponentLicense:
    expression: str | None
    """Canonical SPDX expression."""
    names: tuple[str, ...] = ()
    """When the metadata names licenses that are no SPDX expression (``BSD License``)."""


@dataclass
class Licenses:
    found: dict[Key, ComponentLicense]
    missing: dict[Key, str]
    """Registry pins whose metadata could not be read, and why."""


def key(name: str, version: str | None) -> Key:
    from packaging.utils import canonicalize_name

    return canonicalize_name(name), version


def _names(fields: LicenseFields) -> tuple[str, ...]:
    """A short License field, else every license classifier (docutils lists three)."""
    text = (fields.license or "").strip()
    if text and "\n" not in text and len(text) <= 80:
        return (text,)
    return tuple(sorted({c.rsplit(" :: ", 1)[-1] for c in fields.classifiers}))


def component_license(fields: LicenseFields) -> ComponentLicense | None:
    from releasegate._internal.metadata.deplicenses import license_of

    expression = license_of(fields).expression
    if expression:
        return ComponentLicense(expression)
    names = _names(fields)
    return ComponentLicense(None, names) if names else None


def read(
    pins: Sequence[Pin], index_url: str | None, site_packages: Sequence[str], *, offline: bool
) -> Licenses:
    from releasegate._internal.metadata import deplicenses, depmeta

    fetcher = depmeta.Fetcher(
        index_url, deplicenses.installed(site_packages or None), offline=offline
    )
    wanted: dict[Key, depmeta.Wanted] = {}
    for pin in pins:
        if pin.version and pin.registry:
            sha256 = tuple(sorted({d.lower() for a, d in pin.hashes if a == "sha256"}))
            name, version = key(pin.name, pin.version)
            wanted.setdefault((name, version), depmeta.Wanted(name, pin.version, sha256))
    fetched = fetcher.fields_all(wanted.values())
    result = Licenses({}, {})
    for item_key, item in wanted.items():
        fields = fetched[item]
        if isinstance(fields, str):
            result.missing[item_key] = fields
            continue
        found = component_license(fields)
        if found is not None:
            result.found[item_key] = found
    return result
