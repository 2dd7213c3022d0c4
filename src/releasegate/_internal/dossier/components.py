"""The SBOM's components, their licenses and known vulnerabilities, from its CycloneDX JSON.

Read as the format defines it, not as ``releasegate sbom`` happens to write it: an SBOM from
another tool shows as well. What is not a component object is skipped.
"""

from __future__ import annotations

from typing import Any

from releasegate._internal.dossier.records import dicts, text


def _licenses(component: dict[str, Any]) -> list[str]:
    found = []
    for choice in dicts(component.get("licenses")):
        if "expression" in choice:
            found.append(text(choice["expression"]))
            continue
        license_ = choice.get("license")
        if isinstance(license_, dict):
            found.append(text(license_.get("id")) or text(license_.get("name")))
    return [name for name in found if name]


def _vulnerabilities(document: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """bom-ref -> the vulnerabilities that affect it (id and the highest stated severity)."""
    found: dict[str, list[dict[str, str]]] = {}
    for entry in dicts(document.get("vulnerabilities")):
        ratings = [text(r.get("severity")) for r in dicts(entry.get("ratings"))]
        severity = next((r for r in ratings if r), "unknown")
        item = {"id": text(entry.get("id")) or "(no id)", "severity": severity}
        for target in dicts(entry.get("affects")):
            found.setdefault(text(target.get("ref")), []).append(item)
    return found


def components_of(document: object) -> dict[str, Any]:
    """The dossier's ``sbom`` section: every component with its licenses and vulnerabilities."""
    if not isinstance(document, dict) or document.get("bomFormat") != "CycloneDX":
        raise ValueError("not a CycloneDX JSON document")
    affected = _vulnerabilities(document)
    components: list[dict[str, Any]] = []
    for component in dicts(document.get("components")):
        ref = text(component.get("bom-ref"))
        components.append(
            {
                "name": text(component.get("name")),
                "version": text(component.get("version")),
                "purl": text(component.get("purl")),
                "licenses": _licenses(component),
                "vulnerabilities": affected.get(ref, []) if ref else [],
            }
        )
    components.sort(key=lambda c: (str(c["name"]).lower(), str(c["version"])))
    return {
        "spec_version": text(document.get("specVersion")),
        "serial": text(document.get("serialNumber")),
        "components": components,
    }
