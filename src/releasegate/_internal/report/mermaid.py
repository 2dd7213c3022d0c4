"""Mermaid diagrams for the job summary: the publish timeline and a workspace's release waves.

GitHub draws a ```` ```mermaid ```` block natively, so a publish run's summary shows when each
registry (of each member) uploaded and verified, and in which waves the members went, beside
the tables. Only publish results carry what they need (``GateResult.data``: ``started``,
``seconds``, ``completed``; ``wave`` for a workspace member); any other report gets none.

Names reach Mermaid's own syntax, where a quote, a colon, a ``%%``, a bracket, ``#`` or a
semicolon ends a label or starts a directive: every name is cut to the characters a registry
or package name is made of (anything else becomes ``_``) and bounded, so a report from a fork
cannot add a node, a link or a click handler. The tables keep the exact names.
"""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.findings import GateResult, Report

MOST = 60
"""Bars or members at most: a larger diagram is left out (the tables are whole)."""
_UNSAFE = re.compile(r"[^A-Za-z0-9 ._/-]")
_LABEL = 60


def label(text: str) -> str:
    """``text`` as plain Mermaid label text: no character of Mermaid's syntax, bounded."""
    cleaned = _UNSAFE.sub("_", text).strip() or "_"
    return cleaned if len(cleaned) <= _LABEL else cleaned[: _LABEL - 1] + "_"


def _epoch(iso: str) -> float | None:
    """Seconds of ``YYYY-MM-DDTHH:MM:SSZ`` (the audit log's form), None for anything else."""
    import calendar
    import time

    try:
        return float(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")))
    except (ValueError, OverflowError):
        return None


def _seconds(value: object) -> float | None:
    """A duration a report states: a finite number of seconds under a week (a fork's report
    may say anything)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if 0 <= value < 7 * 86400 else None  # NaN fails both comparisons


def _timed(results: Sequence[GateResult]) -> list[tuple[GateResult, float, float]]:
    """Publish results with a readable start: (result, start in epoch seconds, seconds)."""
    found = []
    for result in results:
        start = _epoch(str(result.data.get("started") or ""))
        seconds = _seconds(result.data.get("seconds"))
        if start is not None and seconds is not None:
            found.append((result, start, seconds))
    return found


def timeline(report: Report) -> list[str]:
    """A Gantt chart of each registry's upload and verification ([] without publish results)."""
    timed = _timed(report.results)
    if not timed or len(timed) > MOST:
        return []
    t0 = min(start for _, start, _ in timed)
    lines = ["```mermaid", "gantt", "    title Publish timeline", "    dateFormat x",
             "    axisFormat %M:%S"]  # fmt: skip
    for result, start, seconds in timed:
        begin = int((start - t0) * 1000)
        end = begin + max(1, int(seconds * 1000))
        done = result.data.get("completed") is True
        state = "done" if done else "crit"
        lines.append(f"    section {label(result.check)}")
        verdict = "complete" if done else "incomplete"
        lines.append(f"    {verdict} {seconds:.1f}s : {state}, {begin}, {end}")
    return [*lines, "```"]


def waves(report: Report) -> list[str]:
    """A flowchart of a workspace's release waves ([] when the results name no wave)."""
    members: dict[str, tuple[int, bool]] = {}
    for result in report.results:
        wave = result.data.get("wave")
        if result.member is None or not isinstance(wave, int) or isinstance(wave, bool) or wave < 0:
            continue
        _, failed = members.get(result.member, (wave, False))
        members[result.member] = (wave, failed or result.failed)
    if not members or len(members) > MOST:
        return []
    lines = ["```mermaid", "flowchart LR"]
    numbers = sorted({wave for wave, _ in members.values()})
    for wave in numbers:
        lines.append(f'    subgraph w{wave}["wave {wave + 1}"]')
        for index, (name, (at, failed)) in enumerate(sorted(members.items())):
            if at == wave:
                mark = "✗ not released" if failed else "✓"
                lines.append(f'        m{index}["{label(name)} {mark}"]')
        lines.append("    end")
    lines += [f"    w{a} --> w{b}" for a, b in itertools.pairwise(numbers)]
    return [*lines, "```"]


def diagrams(report: Report) -> list[str]:
    """The job summary's diagrams, each a fenced block with a blank line before it."""
    lines: list[str] = []
    for block in (timeline(report), waves(report)):
        if block:
            lines += ["", *block]
    return lines
