"""The JSON report: stable keys, one object per gate, every finding field."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from releasegate import __version__
from releasegate._internal.findings import Severity

if TYPE_CHECKING:
    from typing import TextIO

    from releasegate._internal.findings import Finding, Report


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "check": finding.check,
        "rule": finding.rule_id,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "hint": finding.hint,
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": "releasegate", "version": __version__},
        "passed": not report.failed,
        "summary": {severity.value: report.count(severity) for severity in Severity},
        "checks": [
            {
                "check": result.check,
                "passed": not result.failed,
                "seconds": round(result.seconds, 4),
                "summary": result.summary,
                "findings": [finding_dict(f) for f in result.findings],
                "data": dict(result.data),
                **({"member": result.member} if result.member else {}),
            }
            for result in report.results
        ],
    }


def render(report: Report, out: TextIO) -> None:
    json.dump(report_dict(report), out, indent=2)
    out.write("\n")
