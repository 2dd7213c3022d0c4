"""A JSON report made by another workflow run, read as hostile input.

A pull request from a fork gets a read-only token, so its run cannot post statuses or the
comment; it uploads its JSON report as an artifact, and a ``workflow_run`` job with a write
token posts them (issue 17). That artifact was produced next to code nobody has reviewed,
which may have rewritten it: everything in it is checked here before anything is posted.
Only findings come from it: the commit comes from the event GitHub sends the reporting job
and the pull request is looked up by that commit, never taken from the file.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError
from releasegate._internal.findings import Finding, GateResult, Report, Severity

if TYPE_CHECKING:
    from pathlib import Path

MAX_BYTES = 8 * 1024 * 1024
"""A real report of thousands of findings is a few MB; GitHub shows a few hundred anyway."""
MAX_FINDINGS = 5_000
MAX_MESSAGE = 2_000
MAX_PATH = 500
SHOWN_PROBLEMS = 10
# Characters that change how text around them is displayed or parsed: C0/C1 controls
# (tabs and newlines aside) and the bidirectional overrides of "Trojan Source".
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_TEXT = {"type": "string", "minLength": 1, "maxLength": MAX_MESSAGE}
_OPTIONAL_TEXT = {"type": ["string", "null"], "maxLength": MAX_MESSAGE}


class UntrustedReportError(FatalError):
    """The report artifact is not a report releasegate wrote; nothing was posted."""


def _schema(gates: list[str]) -> dict[str, Any]:
    finding = {
        "type": "object",
        "additionalProperties": False,
        "required": ["check", "rule", "severity", "message", "path", "line", "hint"],
        "properties": {
            "check": {"enum": gates},
            "rule": {
                "type": "string",
                "maxLength": 100,
                "pattern": r"^[a-z]+/[a-z0-9][a-z0-9.-]*$",
            },
            "severity": {"enum": [s.value for s in Severity]},
            "message": _TEXT,
            "hint": _OPTIONAL_TEXT,
            # Relative POSIX paths inside the project: no root, drive, backslash or `..`.
            "path": {
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": MAX_PATH,
                "pattern": r"^(?![/~])(?!.*(?:^|/)\.\.(?:/|$))[^\\:]+$",
            },
            "line": {"type": ["integer", "null"], "minimum": 1, "maximum": 10_000_000},
            # --new-since (on by default on pull requests): whether it was already at the base.
            "baseline": {"enum": ["new", "unchanged", "updated"]},
        },
    }
    check = {
        "type": "object",
        "additionalProperties": False,
        "required": ["check", "passed", "seconds", "summary", "findings"],
        "properties": {
            "check": {"enum": gates},
            "passed": {"type": "boolean"},
            "seconds": {"type": "number", "minimum": 0, "maximum": 86_400},
            "summary": {"type": ["string", "null"], "maxLength": 200},
            "findings": {"type": "array", "maxItems": MAX_FINDINGS, "items": finding},
            # A gate's own data (the reproducible gate's hashes): posting never reads it, and the
            # file's size bounds it. Refusing it refused every real report (issue 17).
            "data": {"type": "object"},
        },
    }
    count = {"type": "integer", "minimum": 0, "maximum": MAX_FINDINGS}
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["tool", "passed", "summary", "checks"],
        "properties": {
            "tool": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "version"],
                "properties": {
                    "name": {"const": "releasegate"},
                    "version": {"type": "string", "maxLength": 64},
                },
            },
            "passed": {"type": "boolean"},
            "summary": {
                "type": "object",
                "additionalProperties": False,
                "required": [s.value for s in Severity],
                "properties": {s.value: count for s in Severity},
            },
            "checks": {"type": "array", "maxItems": len(gates), "items": check},
            "baseline": {"type": "string", "minLength": 1, "maxLength": 200},
        },
    }


def load_report(path: Path) -> Report:
    """The report in ``path``, or an UntrustedReportError saying every way it is not one."""
    from releasegate._internal.checks import GATES
    from releasegate._internal.schemacheck import path_part, validate

    data = _parse(path)
    problems = [
        f"{'/'.join(map(path_part, p.path)) or '(top)'}: {p.message}"
        for p in validate(data, _schema(list(GATES)))
    ]
    if not problems:
        problems = _consistency(data)
    if problems:
        raise _refused(path, problems)
    return _report(data)


def _parse(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UntrustedReportError(
            f"cannot read the report {path}: {exc.strerror}",
            hint="download the check run's artifact first (see workflows-examples/pr-report.yml)",
        ) from None
    if len(raw) > MAX_BYTES:
        raise _refused(path, [f"larger than {MAX_BYTES} bytes"])
    try:
        return json.loads(
            raw.decode("utf-8"), object_pairs_hook=_unique_keys, parse_constant=_no_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc)[:200] if isinstance(exc, ValueError) else type(exc).__name__
        raise _refused(path, [f"not JSON: {reason}"]) from None


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two parsers can disagree on which of two equal keys wins: refuse the ambiguity.
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key in an object")
    return dict(pairs)


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not JSON")


def _consistency(data: dict[str, Any]) -> list[str]:
    """What the schema cannot say: each finding in its own gate, gates once, counts that add up."""
    problems = []
    names = [check["check"] for check in data["checks"]]
    if len(set(names)) != len(names):
        problems.append("checks: a gate appears twice")
    findings = [f for check in data["checks"] for f in check["findings"]]
    if len(findings) > MAX_FINDINGS:
        problems.append(f"checks: more than {MAX_FINDINGS} findings in all")
    for check in data["checks"]:
        for finding in check["findings"]:
            if finding["check"] != check["check"] or not finding["rule"].startswith(
                check["check"] + "/"
            ):
                problems.append(f"checks/{check['check']}: a finding of another gate")
                break
    for severity in Severity:
        stated = data["summary"][severity.value]
        if stated != sum(1 for f in findings if f["severity"] == severity.value):
            problems.append(f"summary/{severity.value}: does not count the findings")
    texts = [c["summary"] or "" for c in data["checks"]] + [data.get("baseline") or ""]
    texts += [f[key] or "" for f in findings for key in ("message", "hint", "path")]
    if any(_INVISIBLE.search(text) for text in texts):
        problems.append("checks: control or bidirectional characters in a text")
    return problems or _verdicts(data)


def _verdicts(data: dict[str, Any]) -> list[str]:
    """The verdict is recomputed from the findings; a claim that disagrees is refused.

    The report does not say its ``fail-on``: it is the lowest severity the report's own
    verdicts imply, so a report can only fail more than its error findings say, never less.
    """
    fail_on = _fail_on(data)
    problems = []
    for check in data["checks"]:
        failed = any(Severity(f["severity"]).rank >= fail_on.rank for f in check["findings"])
        if failed == check["passed"]:
            problems.append(f"checks/{check['check']}: `passed` contradicts its findings")
    if any(not c["passed"] for c in data["checks"]) == data["passed"]:
        problems.append("passed: contradicts the checks")
    return problems


def _fail_on(data: dict[str, Any]) -> Severity:
    lowest = Severity.ERROR
    for check in data["checks"]:
        if check["passed"] or not check["findings"]:
            continue
        worst = max((Severity(f["severity"]) for f in check["findings"]), key=lambda s: s.rank)
        lowest = worst if worst.rank < lowest.rank else lowest
    return lowest


def _report(data: dict[str, Any]) -> Report:
    results = [
        GateResult(
            check["check"],
            tuple(_finding(f) for f in check["findings"]),
            seconds=float(check["seconds"]),
            summary=check["summary"],
        )
        for check in data["checks"]
    ]
    return Report(tuple(results), fail_on=_fail_on(data), baseline=data.get("baseline"))


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(
        data["check"],
        data["rule"].split("/", 1)[1],
        data["message"],
        Severity(data["severity"]),
        path=data["path"],
        line=data["line"],
        hint=data["hint"],
        baseline=data.get("baseline"),
    )


def _refused(path: Path, problems: list[str]) -> UntrustedReportError:
    shown = problems[:SHOWN_PROBLEMS]
    more = len(problems) - len(shown)
    lines = "\n".join(f"  {p}" for p in shown) + (f"\n  ... and {more} more" if more else "")
    return UntrustedReportError(
        f"refusing the report {path.name}: it is not a report releasegate wrote\n{lines}",
        hint="nothing was posted; the report comes from the pull request's run, which may "
        "have been altered: look at that run's log",
    )
