"""SARIF 2.1.0, the format GitHub code scanning ingests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from releasegate import __version__
from releasegate._internal.findings import Severity
from releasegate._internal.report import json_report
from releasegate._internal.report.locations import repository_prefix, repository_root

if TYPE_CHECKING:
    from typing import TextIO

    from releasegate._internal.findings import Finding, Report

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def _result(finding: Finding, rule_index: int, prefix: str) -> dict[str, Any]:
    text = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": _LEVELS[finding.severity],
        "message": {"text": text},
    }
    # Code scanning needs a location; project-wide findings point at the project file.
    # Paths are from the repository root, which code scanning resolves them against.
    uri = prefix + (finding.path or "pyproject.toml")
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}}
    if finding.line:
        physical["region"] = {"startLine": finding.line}
    result["locations"] = [{"physicalLocation": physical}]
    # Code scanning tracks an alert across commits by this, not by the line (which moves).
    result["partialFingerprints"] = {FINGERPRINT: _fingerprint(finding, prefix)}
    if finding.baseline:
        result["baselineState"] = finding.baseline
    return result


def _rule(rule_id: str) -> dict[str, Any]:
    """A reportingDescriptor with the registry's default level, why, and fix (code scanning
    shows them beside each alert)."""
    from releasegate._internal.rules import row

    rule: dict[str, Any] = {
        "id": rule_id,
        "name": rule_id.replace("/", "-"),
        "shortDescription": {"text": rule_id},
    }
    found = row(rule_id)
    if found is not None:
        severity, why, fix = found
        rule["fullDescription"] = {"text": why}
        rule["help"] = {"text": fix}
        rule["defaultConfiguration"] = {"level": severity}
    return rule


def sarif_dict(report: Report) -> dict[str, Any]:
    rules: dict[str, int] = {}
    results = []
    prefix = repository_prefix(report.root)
    for finding in report.findings():
        index = rules.setdefault(finding.rule_id, len(rules))
        results.append(_result(finding, index, prefix))
    top = repository_root(report.root).as_posix()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "releasegate",
                        "version": __version__,
                        "informationUri": "https://github.com/releasegate/releasegate",
                        "rules": [_rule(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "file:///" + top.lstrip("/") + "/"}},
                "results": results,
                "properties": {"verdicts": _verdicts(report)},
            }
        ],
    }


def _verdicts(report: Report) -> list[dict[str, str]]:
    """Each gate's one-line verdict (the API gate's names its base release): a passing gate has
    no result to carry it, so the run's property bag does."""
    return [{"check": r.check, "summary": r.summary} for r in report.results if r.summary]


def render(report: Report, out: TextIO) -> None:
    json_report.write(sarif_dict(report), out)


FINGERPRINT = "releasegate/v1"


def _fingerprint(finding: Finding, prefix: str) -> str:
    import hashlib

    # 64 bits, as code scanning's own primaryLocationLineHash: a short record stays on one line.
    return hashlib.sha256((prefix + finding.identity()).encode("utf-8", "replace")).hexdigest()[:16]
