"""The publish timeline as an SVG chart: one bar per registry and run, a tick per file.

Drawn here, in Python, as plain SVG inside the page: no script, no font or stylesheet from
elsewhere. Readable without colour: a bar's state is written beside it and an incomplete bar is
outlined with dashes, not only drawn in another shade. Every label is escaped.
"""

from __future__ import annotations

import calendar
import time
from html import escape
from typing import TYPE_CHECKING, Any

from releasegate._internal.display import display

if TYPE_CHECKING:
    from collections.abc import Sequence

LABEL = 200
"""Width of the registry labels on the left."""
CHART = 440
ROW = 30
TOP = 34
_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600)


def epoch(iso: str | None) -> float | None:
    """Seconds of a ``YYYY-MM-DDTHH:MM:SSZ`` time as releasegate writes it (None otherwise)."""
    if not iso:
        return None
    try:
        return float(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")))
    except (ValueError, OverflowError):
        return None


def _t(value: str, limit: int = 40) -> str:
    return escape(display(value, limit), quote=True)


def _step(span: float) -> int:
    """A tick interval that gives at most about eight ticks."""
    return next((s for s in _STEPS if span / s <= 8), _STEPS[-1])


def _axis(span: float, bottom: int) -> list[str]:
    parts = [
        f'<line x1="{LABEL}" y1="{TOP - 6}" x2="{LABEL + CHART}" y2="{TOP - 6}" class="axis"/>'
    ]
    step = _step(span)
    tick = 0
    while tick <= span:
        x = LABEL + tick / span * CHART
        parts.append(
            f'<line x1="{x:.1f}" y1="{TOP - 10}" x2="{x:.1f}" y2="{bottom}" class="grid"/>'
        )
        parts.append(f'<text x="{x:.1f}" y="{TOP - 14}" text-anchor="middle">+{tick}s</text>')
        tick += step
    return parts


def _bar(index: int, bar: dict[str, Any], start: float, t0: float, span: float) -> list[str]:
    y = TOP + index * ROW
    x = LABEL + (start - t0) / span * CHART
    width = max(2.0, bar["seconds"] / span * CHART)
    state = "complete" if bar["completed"] else "incomplete"
    name = _t(bar["registry"])
    parts = [
        f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end">{name}</text>',
        f'<rect x="{x:.1f}" y="{y + 3}" width="{width:.1f}" height="{ROW - 10}" class="{state}">'
        f"<title>{name}: {bar['seconds']:.1f} s, {state} (run {_t(bar['run'])})</title></rect>",
    ]
    label_x = min(x + width + 4, LABEL + CHART - 4)
    anchor = "start" if label_x < LABEL + CHART - 4 else "end"
    parts.append(
        f'<text x="{label_x:.1f}" y="{y + 15}" text-anchor="{anchor}" class="note">'
        f"{bar['seconds']:.1f} s, {state}</text>"
    )
    for file in bar["files"]:
        at = epoch(file.get("at"))
        if at is None or not start - 1 <= at <= start + bar["seconds"] + 2:
            continue  # a time from another run of the same file
        fx = LABEL + (at - t0) / span * CHART
        parts.append(
            f'<line x1="{fx:.1f}" y1="{y + 1}" x2="{fx:.1f}" y2="{y + ROW - 5}" class="file">'
            f"<title>{_t(file['filename'], 120)}: {_t(file['state'])}</title></line>"
        )
    return parts


def svg(bars: Sequence[dict[str, Any]]) -> str | None:
    """The chart, or None when no bar has a readable start time."""
    timed = [(bar, epoch(bar["started"])) for bar in bars]
    placed = [(bar, start) for bar, start in timed if start is not None]
    if not placed:
        return None
    t0 = min(start for _, start in placed)
    span = max(1.0, max(start + bar["seconds"] for bar, start in placed) - t0)
    height = TOP + len(placed) * ROW + 10
    parts = [
        f'<svg width="{LABEL + CHART + 20}" '
        f'height="{height}" viewBox="0 0 {LABEL + CHART + 20} {height}" role="img" '
        'aria-labelledby="timeline-title timeline-desc" class="timeline">',
        '<title id="timeline-title">Publish timeline</title>',
        f'<desc id="timeline-desc">Each registry\'s upload and verification, in seconds from '
        f"the first run's start ({_t(time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(t0)))}); "
        "ticks mark when a file's state was recorded.</desc>",
        *_axis(span, height - 6),
    ]
    for index, (bar, start) in enumerate(placed):
        parts.extend(_bar(index, bar, start, t0, span))
    parts.append("</svg>")
    return "\n".join(parts)
