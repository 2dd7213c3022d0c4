"""The JSON report: stable keys, one object per gate, every finding field."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from releasegate import __version__
from releasegate._internal.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Iterator
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
        **({"baseline": finding.baseline} if finding.baseline else {}),
    }


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "tool": {"name": "releasegate", "version": __version__},
        "passed": not report.failed,
        "summary": {severity.value: report.count(severity) for severity in Severity},
        **({"baseline": report.baseline} if report.baseline else {}),
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


WIDTH = 100
"""An object or array whose JSON fits on a line this wide is written on one line."""
RECORD = 400
"""The same for an item of an array (a finding, a SARIF result): one record, one line."""


def write(value: Any, out: TextIO) -> None:
    """``value`` as indented JSON; a part that fits on a line, or holds only scalars, on one.

    json's ``indent`` switches to its pure-Python encoder: 10,000 findings took longer to
    print than to find (issue 22). Here the C encoder writes every line; the lines are only
    laid out, so the text parses to exactly ``value``.
    """
    out.write("".join(_layout(value, "", WIDTH)) + "\n")


def _layout(value: Any, indent: str, room: int) -> Iterator[str]:
    if not isinstance(value, (dict, list)) or not value:
        yield json.dumps(value)
        return
    if _parts_within(value, room // 3):  # more parts cannot fit: not worth encoding whole
        flat = json.dumps(value)
        if len(indent) + len(flat) <= room or not _nested(value):
            yield flat
            return
    inner = indent + "  "
    if isinstance(value, dict):
        parts = [(_key(k), v, WIDTH) for k, v in value.items()]
    else:
        parts = [("", v, RECORD) for v in value]
    yield "{\n" if isinstance(value, dict) else "[\n"
    for index, (key, item, item_room) in enumerate(parts):
        yield inner + key
        yield from _layout(item, inner, item_room)
        yield ",\n" if index < len(parts) - 1 else "\n"
    yield indent + ("}" if isinstance(value, dict) else "]")


def _key(key: object) -> str:
    # json writes a key that is not a string (a number, None) as the string of its JSON.
    return json.dumps(key if isinstance(key, str) else json.dumps(key)) + ": "


def _parts_within(value: dict[str, Any] | list[Any], limit: int) -> bool:
    """Whether ``value`` holds at most ``limit`` keys and items in all, counted until it does not."""
    pending: list[Any] = [value]
    count = 0
    while pending:
        part = pending.pop()
        items = part.values() if isinstance(part, dict) else part if isinstance(part, list) else ()
        count += len(items)
        if count > limit:
            return False
        pending.extend(items)
    return True


def _nested(value: dict[str, Any] | list[Any]) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return any(isinstance(item, (dict, list)) for item in items)


def render(report: Report, out: TextIO) -> None:
    write(report_dict(report), out)
