"""Runs gates by name and gathers their findings into a Report.

Every command's findings pass through ``result_of`` and ``report_of`` here, so the
``severity`` overrides and ``fail-on`` of ``[tool.releasegate]`` apply to all of them alike.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from releasegate._internal.checks import GATES
from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.extras import missing_extra
from releasegate._internal.findings import Finding, GateResult, Report, Severity

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from releasegate._internal.checks.base import CheckContext, Gate
    from releasegate._internal.project import Project


def select_gates(names: Sequence[str], context: CheckContext) -> list[str]:
    """The gates to run: the named ones, or the configured / default set."""
    unknown = [name for name in names if name not in GATES]
    if unknown:
        raise UsageError(
            f"unknown check(s): {', '.join(unknown)}",
            hint=f"available checks: {', '.join(GATES)}",
        )
    if names:
        return list(dict.fromkeys(names))
    config = context.project.config
    configured = config.value("checks")
    chosen = (
        list(configured) if configured is not None else [n for n, e in GATES.items() if e.default]
    )
    unknown = [name for name in chosen if name not in GATES]
    if unknown:
        raise UsageError(f"unknown check(s) in configuration `checks`: {', '.join(unknown)}")
    skipped = set(config.value("skip") or [])
    return [name for name in chosen if name not in skipped]


def load_gate(name: str) -> Gate:
    return cast("Gate", importlib.import_module(GATES[name].module))


def _apply_overrides(findings: Iterable[Finding], overrides: dict[str, str]) -> tuple[Finding, ...]:
    """Apply ``severity`` overrides from config; ``off`` drops the finding."""
    kept = []
    for finding in findings:
        override = overrides.get(finding.rule_id)
        if override == "off":
            continue
        kept.append(finding if override is None else replace(finding, severity=Severity(override)))
    return tuple(kept)


def result_of(
    name: str,
    findings: Iterable[Finding],
    project: Project,
    *,
    seconds: float = 0.0,
    summary: str | None = None,
    data: Mapping[str, object] | None = None,
) -> GateResult:
    """One gate's (or command's) result, with the project's ``severity`` overrides applied."""
    overrides = dict(project.config.value("severity") or {})
    findings = _apply_overrides(findings, overrides)
    return GateResult(name, findings, seconds, summary, data=dict(data or {}))


def fail_on(project: Project) -> Severity:
    return Severity(str(project.config.value("fail-on") or "error"))


def report_of(results: Iterable[GateResult], project: Project) -> Report:
    """The run's Report, carrying the project's ``fail-on``: ``Report.failed`` is the verdict."""
    return Report.of(results, str(project.root), fail_on(project))


def run_gate(name: str, context: CheckContext) -> GateResult:
    started = time.perf_counter()
    own = replace(context, data={}, summary=[])  # what this gate records is its own
    try:
        findings: Iterable[Finding] = tuple(load_gate(name).run(own))
    except FatalError as exc:
        # The gate could not run in this environment; the other gates still report.
        findings = (Finding(name, "cannot-run", exc.message, hint=exc.hint),)
    except ImportError as exc:
        # A library of an extra that is not installed: the gate cannot run, and says which
        # extra brings it; any other failed import is a broken install, a bug.
        missing = missing_extra(exc)
        if missing is None:
            raise
        findings = (Finding(name, "cannot-run", missing.message, hint=missing.hint),)
    seconds = time.perf_counter() - started
    summary = "; ".join(own.summary) or None
    return result_of(
        name, findings, context.project, seconds=seconds, summary=summary, data=own.data
    )


def run_checks(names: Sequence[str], context: CheckContext) -> Report:
    selected = select_gates(names, context)
    return report_of((run_gate(name, context) for name in selected), context.project)
