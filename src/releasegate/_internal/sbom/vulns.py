"""CycloneDX 1.6 ``vulnerabilities`` from the vulnerability gate's matches (``_internal/vulns``).

One entry per vulnerability and affected component: its first own id (the others and the
aliases are references), OSV as the source, the CVSS v3 rating where the record gives a
vector, ``affects`` naming the component's bom-ref and locked version, and a
recommendation naming the smallest fixed version. Sorted, so the same lockfile and the
same database give the same document.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from releasegate._internal.vulns.matching import Match

OSV_URL = "https://osv.dev/vulnerability/"


def _source(ident: str) -> Any:
    from cyclonedx.model import XsUri
    from cyclonedx.model.vulnerability import VulnerabilitySource

    return VulnerabilitySource(name="OSV", url=XsUri(OSV_URL + ident))


def _ratings(match: Match) -> list[Any]:
    from cyclonedx.model.vulnerability import (
        VulnerabilityRating,
        VulnerabilityScoreSource,
        VulnerabilitySeverity,
    )

    severity = match.vulnerability.severity
    try:
        level = VulnerabilitySeverity(severity.rating)
    except ValueError:
        return []
    if level is VulnerabilitySeverity.UNKNOWN:
        return []
    if severity.score is None or not severity.vector:
        return [VulnerabilityRating(severity=level)]
    method = (
        VulnerabilityScoreSource.CVSS_V3_1
        if severity.vector.startswith("CVSS:3.1/")
        else VulnerabilityScoreSource.CVSS_V3
    )
    return [
        VulnerabilityRating(
            score=Decimal(f"{severity.score:.1f}"),
            severity=level,
            method=method,
            vector=severity.vector,
        )
    ]


def _recommendation(match: Match) -> str:
    fixed = match.vulnerability.fixed
    name = match.package.name
    if fixed is None:
        return f"no fixed version of {name} is known"
    return f"upgrade {name} to {fixed} or later"


def vulnerability(match: Match, component_ref: str) -> Any:
    from cyclonedx.model.impact_analysis import ImpactAnalysisAffectedStatus
    from cyclonedx.model.vulnerability import (
        BomTarget,
        BomTargetVersionRange,
        Vulnerability,
        VulnerabilityReference,
    )

    found = match.vulnerability
    ident, *others = found.ids
    references = [
        VulnerabilityReference(id=name, source=_source(name))
        for name in sorted({*others, *found.aliases})
    ]
    target = BomTarget(
        ref=component_ref,
        versions=[
            BomTargetVersionRange(
                version=match.package.version, status=ImpactAnalysisAffectedStatus.AFFECTED
            )
        ],
    )
    return Vulnerability(
        bom_ref=f"{ident}:{component_ref}",
        id=ident,
        source=_source(ident),
        references=references,
        ratings=_ratings(match),
        description=found.summary or None,
        recommendation=_recommendation(match),
        affects=[target],
    )


def vulnerabilities(matches: Iterable[Match], refs: Mapping[tuple[str, str], str]) -> list[Any]:
    """Entries for the matches whose component is in the document (``refs``: (name, version)
    to bom-ref); a component left out of the SBOM takes its vulnerabilities with it."""
    chosen = {
        (m.vulnerability.ids, refs[key]): m
        for m in matches
        if (key := (m.package.name, m.package.version)) in refs
    }
    return [vulnerability(chosen[k], k[1]) for k in sorted(chosen)]
