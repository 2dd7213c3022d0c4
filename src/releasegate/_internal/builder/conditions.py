"""The two sets of conditions a verification builds under, varied as reprotest does without root."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.builder.clock import clock_shift
from releasegate._internal.builder.sources import TreeLayout

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.builder.clock import ClockShift

VARIATIONS = ("path", "umask", "tz", "order", "mtime", "home", "clock")
"""Everything the second build may change; a verification varies all of them by default."""

MTIME_SHIFT = -(30 * 86_400) + 17
"""The second copy's files are a month (minus 17 s) older: older than SOURCE_DATE_EPOCH
usually is, so a backend that only clamps newer times still shows the difference."""


@dataclass(frozen=True)
class Conditions:
    """Where and how one build runs."""

    label: str
    tree: Path
    """Where the private copy of the source goes (the build path)."""
    home: Path
    layout: TreeLayout
    tz: str
    clock: ClockShift | None = None

    def environment(self) -> dict[str, str]:
        env = {"HOME": str(self.home), "TZ": self.tz}
        if self.clock is not None:
            env.update(self.clock.env)
        return env


def pair(work: Path, vary: frozenset[str]) -> tuple[Conditions, Conditions]:
    """The reference conditions and the varied ones, under ``work``."""
    first = Conditions(
        "build 1", work / "a" / "src", work / "a" / "home", TreeLayout(0o022), "UTC0"
    )
    other_path = (
        work / "b" / "a-longer" / "build-path" / "src" if "path" in vary else work / "b" / "src"
    )
    second = Conditions(
        "build 2",
        other_path,
        work / "b" / "other-home" if "home" in vary else first.home,
        TreeLayout(
            0o002 if "umask" in vary else 0o022,
            reverse="order" in vary,
            mtime_shift=MTIME_SHIFT if "mtime" in vary else 0,
        ),
        "<+14>-14" if "tz" in vary else first.tz,
        clock_shift(work) if "clock" in vary else None,
    )
    return first, second


def describe(first: Conditions, second: Conditions) -> list[str]:
    """What differed between the two builds, one phrase each, for the report."""
    said = [f"build path {first.tree} vs {second.tree}"]
    if first.layout.umask != second.layout.umask:
        said.append(f"umask {first.layout.umask:03o} vs {second.layout.umask:03o}")
    if first.tz != second.tz:
        said.append(f"TZ={first.tz} vs TZ={second.tz}")
    if second.layout.reverse:
        said.append("source files created in reverse order")
    if second.layout.mtime_shift:
        said.append(f"source mtimes shifted by {second.layout.mtime_shift}s")
    if first.home != second.home:
        said.append("another HOME")
    said.append(second.clock.description if second.clock else "clock not shifted")
    return said
