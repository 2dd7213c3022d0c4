"""A CycloneDX 1.6 JSON SBOM of the project and everything its lockfile pins.

The project is the root component and depends on every pinned component; each
component carries its version, a ``pkg:pypi`` purl, the lockfile's hashes and, where
known, its license (from installed metadata of exactly that version). The serial
number is derived from the content and the timestamp honours SOURCE_DATE_EPOCH, so
the same lockfile gives the same SBOM.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from releasegate._internal.sbom.pins import Pin

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component

_DIGEST_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}
_HEX = re.compile(r"^[0-9a-f]+$")
_LICENSE_CLASSIFIER = "License :: "


@dataclass(frozen=True)
class RootProject:
    name: str
    version: str | None
    license: str | None
    """A PEP 639 license expression, when the project states one."""


def _purl(name: str, version: str | None) -> Any:
    from packageurl import PackageURL
    from packaging.utils import canonicalize_name

    return PackageURL(type="pypi", name=canonicalize_name(name), version=version)


def _hashes(pairs: Iterable[tuple[str, str]]) -> list[Any]:
    """The lockfile's digests that CycloneDX can carry; anything else is left out."""
    from cyclonedx.model import HashAlgorithm, HashType

    algorithms = {
        "md5": HashAlgorithm.MD5,
        "sha1": HashAlgorithm.SHA_1,
        "sha256": HashAlgorithm.SHA_256,
        "sha384": HashAlgorithm.SHA_384,
        "sha512": HashAlgorithm.SHA_512,
    }
    valid = {(a, d) for a, d in pairs if len(d) == _DIGEST_LENGTHS.get(a, -1) and _HEX.match(d)}
    return [HashType(alg=algorithms[a], content=d) for a, d in sorted(valid)]


def _installed_license(name: str, version: str | None) -> str | None:
    """The license of the installed distribution, if exactly this version is installed."""
    from importlib import metadata

    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None
    if version is None or dist.version != version:
        return None
    return _license_of(dist.metadata.json)


def _license_of(meta: Mapping[str, Any]) -> str | None:
    """License-Expression, else a short License field, else a lone license classifier."""
    if isinstance(meta.get("license_expression"), str):
        return str(meta["license_expression"])
    text = meta.get("license")
    if isinstance(text, str) and text and "\n" not in text and len(text) <= 80:
        return text
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get("classifier", []) if c.startswith(_LICENSE_CLASSIFIER)
    ]
    return classifiers[0] if len(classifiers) == 1 else None


def _licenses(text: str | None) -> list[Any]:
    from cyclonedx.contrib.license.factories import LicenseFactory

    return [LicenseFactory().make_from_string(text)] if text else []


def _component(
    name: str, version: str | None, hashes: Iterable[tuple[str, str]], license_text: str | None
) -> Component:
    from cyclonedx.model.component import Component, ComponentType

    purl = _purl(name, version)
    return Component(
        name=name,
        version=version,
        type=ComponentType.LIBRARY,
        purl=purl,
        bom_ref=purl.to_string(),
        hashes=_hashes(hashes),
        licenses=_licenses(license_text),
    )


def _merge(pins: Sequence[Pin]) -> list[Pin]:
    """One entry per (name, version); the same release listed twice keeps every hash."""
    from packaging.utils import canonicalize_name

    merged: dict[tuple[str, str | None], Pin] = {}
    for pin in pins:
        key = (canonicalize_name(pin.name), pin.version)
        known = merged.get(key)
        hashes = (*known.hashes, *pin.hashes) if known else pin.hashes
        merged[key] = Pin(pin.name, pin.version, hashes, pin.line)
    return list(merged.values())


def _timestamp(environ: Mapping[str, str]) -> datetime:
    epoch = environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc).replace(microsecond=0)


def _serial(root: RootProject, pins: Sequence[Pin]) -> uuid.UUID:
    digest = hashlib.sha256(repr((root, sorted(map(repr, pins)))).encode()).hexdigest()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:releasegate:sbom:{digest}")


def build_bom(
    root: RootProject, pins: Sequence[Pin], environ: Mapping[str, str] | None = None
) -> Bom:
    from cyclonedx.model.bom import Bom, BomMetaData

    merged = _merge(pins)
    project = _component(root.name, root.version, (), root.license)
    components = [
        _component(p.name, p.version, p.hashes, _installed_license(p.name, p.version))
        for p in merged
    ]
    metadata = BomMetaData(
        component=project, timestamp=_timestamp(os.environ if environ is None else environ)
    )
    bom = Bom(components=components, metadata=metadata, serial_number=_serial(root, merged))
    bom.register_dependency(project, components)
    for component in components:
        bom.register_dependency(component, ())
    return bom


def to_json(bom: Bom) -> str:
    from cyclonedx.output.json import JsonV1Dot6

    return JsonV1Dot6(bom).output_as_string(indent=2) + "\n"
