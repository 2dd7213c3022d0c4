"""A CycloneDX 1.6 JSON SBOM of the project and everything its lockfile pins.

The project is the root component; the dependency graph is the lockfile's (``graph.py``),
and what only development groups need has scope ``excluded`` (or is left out). Each
component carries its version, a ``pkg:pypi`` purl (with ``vcs_url`` for a git
dependency), the lockfile's hashes and, where known, its license (from that version's own
metadata, ``licenses.py``); known vulnerabilities are listed (``vulns.py``). The serial
number is derived from the content and the timestamp honours SOURCE_DATE_EPOCH, so the
same lockfile gives the same SBOM.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import UsageError
from releasegate._internal.sbom.pins import Pin

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component

    from releasegate._internal.sbom.graph import Graph
    from releasegate._internal.sbom.licenses import ComponentLicense, Key
    from releasegate._internal.vulns.matching import Match

_DIGEST_LENGTHS = {"md5": 32, "sha1": 40, "sha256": 64, "sha384": 96, "sha512": 128}
_HEX = re.compile(r"^[0-9a-f]+$")
MAX_VERSION = 1024
"""CycloneDX's ``version`` is at most 1024 characters; PEP 440 sets no limit."""


@dataclass(frozen=True)
class RootProject:
    name: str
    version: str | None
    license: str | None
    """A PEP 639 license expression, when the project states one."""


def _purl(name: str, version: str | None, vcs_url: str | None = None) -> Any:
    from packageurl import PackageURL
    from packaging.utils import canonicalize_name

    qualifiers = {"vcs_url": vcs_url} if vcs_url else None
    return PackageURL(
        type="pypi", name=canonicalize_name(name), version=version, qualifiers=qualifiers
    )


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


def _licenses(found: ComponentLicense | None) -> list[Any]:
    from cyclonedx.model.license import DisjunctiveLicense, LicenseExpression

    if found is None:
        return []
    if found.expression:
        return [LicenseExpression(found.expression)]
    return [DisjunctiveLicense(name=name) for name in found.names]


def _root_license(text: str | None) -> list[Any]:
    from cyclonedx.contrib.license.factories import LicenseFactory

    return [LicenseFactory().make_from_string(text)] if text else []


def _vcs_reference(url: str | None) -> list[Any]:
    from cyclonedx.exception.model import InvalidUriException
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri

    try:
        return [ExternalReference(type=ExternalReferenceType.VCS, url=XsUri(url))] if url else []
    except InvalidUriException:
        return []  # the purl still carries it


def _component(pin: Pin, licenses: list[Any], *, excluded: bool = False) -> Component:
    from cyclonedx.model.component import Component, ComponentScope, ComponentType

    purl = _purl(pin.name, pin.version, pin.vcs_url)
    return Component(
        name=pin.name,
        version=pin.version,
        type=ComponentType.LIBRARY,
        purl=purl,
        bom_ref=purl.to_string(),
        hashes=_hashes(pin.hashes),
        licenses=licenses,
        scope=ComponentScope.EXCLUDED if excluded else None,
        external_references=_vcs_reference(pin.vcs_url),
    )


def _merge(pins: Sequence[Pin]) -> list[Pin]:
    """One entry per (name, version); the same release listed twice keeps every hash."""
    from packaging.utils import canonicalize_name

    merged: dict[tuple[str, str | None], Pin] = {}
    for pin in pins:
        key = (canonicalize_name(pin.name), pin.version)
        known = merged.get(key)
        hashes = (*known.hashes, *pin.hashes) if known else pin.hashes
        merged[key] = Pin(pin.name, pin.version, hashes, pin.line, pin.vcs_url, pin.registry)
    return list(merged.values())


def _timestamp(environ: Mapping[str, str]) -> datetime:
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return datetime.now(tz=timezone.utc).replace(microsecond=0)
    # reproducible-builds.org: a malformed value SHOULD stop the build, not be ignored.
    try:
        if not re.fullmatch(r"[0-9]{1,12}", epoch.strip()):
            raise ValueError(epoch)
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(
            f"SOURCE_DATE_EPOCH is not a time this SBOM can record: {epoch[:40]!r}",
            hint="set it to seconds since 1970, e.g. $(git log -1 --format=%ct)",
        ) from None


def _serial(
    root: RootProject,
    pins: Sequence[Pin],
    graph: Graph | None,
    licenses: Mapping[Key, ComponentLicense] | None,
    matches: Sequence[Match],
) -> uuid.UUID:
    edges = None
    if graph is not None:
        children = sorted((n, sorted(c)) for n, c in graph.children.items())
        shipped = sorted(graph.shipped) if graph.shipped is not None else None
        edges = (sorted(graph.direct), children, shipped)
    known = sorted(map(repr, (licenses or {}).items()))
    found = sorted(repr((m.package, m.vulnerability)) for m in matches)
    content = (root, sorted(map(repr, pins)), edges, known, found)
    digest = hashlib.sha256(repr(content).encode()).hexdigest()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:releasegate:sbom:{digest}")


def _tools() -> Any:
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.tool import ToolRepository

    from releasegate import __version__

    me = Component(type=ComponentType.APPLICATION, name="releasegate", version=__version__)
    return ToolRepository(components=[me])


def too_long(root: RootProject, pins: Sequence[Pin]) -> list[str]:
    """Names whose version CycloneDX cannot carry (the document would be invalid)."""
    named = [(root.name, root.version), *((p.name, p.version) for p in pins)]
    return [name for name, version in named if version and len(version) > MAX_VERSION]


def build_bom(
    root: RootProject,
    pins: Sequence[Pin],
    environ: Mapping[str, str] | None = None,
    graph: Graph | None = None,
    *,
    omit_unshipped: bool = False,
    licenses: Mapping[Key, ComponentLicense] | None = None,
    matches: Sequence[Match] = (),
) -> Bom:
    """The document; ``graph`` None means every pin is a direct, shipped dependency.

    ``licenses`` by (PEP 503 name, version), from ``sbom/licenses.py``; ``matches``, the
    vulnerabilities known against the pins, become the document's ``vulnerabilities``.
    """
    from cyclonedx.model.bom import Bom, BomMetaData
    from packaging.utils import canonicalize_name

    shipped = graph.shipped if graph is not None else None
    merged = [
        p
        for p in _merge(pins)
        if not (omit_unshipped and shipped is not None and canonicalize_name(p.name) not in shipped)
    ]
    from releasegate._internal.sbom.vulns import vulnerabilities

    project = _component(Pin(root.name, root.version), _root_license(root.license))
    project.scope = None
    by_name: dict[str, list[Component]] = {}
    for p in merged:
        excluded = shipped is not None and canonicalize_name(p.name) not in shipped
        found = (licenses or {}).get((canonicalize_name(p.name), p.version))
        component = _component(p, _licenses(found), excluded=excluded)
        by_name.setdefault(canonicalize_name(p.name), []).append(component)
    components = [c for group in by_name.values() for c in group]
    metadata = BomMetaData(
        component=project,
        timestamp=_timestamp(os.environ if environ is None else environ),
        tools=_tools(),
    )
    serial = _serial(root, merged, graph, licenses, matches)
    by_version: dict[tuple[str, str], str] = {
        (canonicalize_name(c.name), c.version): str(c.bom_ref.value)
        for c in components
        if c.version is not None
    }
    bom = Bom(
        components=components,
        metadata=metadata,
        serial_number=serial,
        vulnerabilities=vulnerabilities(matches, by_version),
    )
    if graph is None:
        bom.register_dependency(project, components)
        for component in components:
            bom.register_dependency(component, ())
        return bom

    def refs(names: Iterable[str]) -> list[Component]:
        return [c for n in sorted(names) for c in by_name.get(n, [])]

    bom.register_dependency(project, refs(graph.direct))
    for name, group in by_name.items():
        for component in group:
            bom.register_dependency(component, refs(graph.children.get(name, ())))
    return bom


def to_json(bom: Bom) -> str:
    from cyclonedx.output.json import JsonV1Dot6

    return JsonV1Dot6(bom).output_as_string(indent=2) + "\n"
