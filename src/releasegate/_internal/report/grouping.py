"""One cause, one entry: the same rule firing many times in one file, grouped for reading.

aiohttp's 647 unhashed pins printed 1,442 lines with its one true finding buried (issue 26).
Text output shows such a run as one entry with the count and the first few locations, and
notes of one rule as one entry whatever their files (they fail nothing: a reader needs to
know they are there, ``--format json`` lists them). JSON and SARIF are not grouped, so
machines keep every location.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import Severity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from releasegate._internal.findings import Finding

GROUP_FROM = 3
"""Two findings of one rule in one file are shown one by one; from three, as a group."""
SHOWN = 5


class Group(NamedTuple):
    """Findings of one rule, severity and file, in the order they were found."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    def rest(self) -> str | None:
        """What the entry adds after its first finding (``... and 37 more (lines 14, 16, ...)``);
        None for a single finding."""
        more = len(self.findings) - 1
        if more <= 0:
            return None
        rest = self.findings[1:]
        if any(f.path != self.first.path for f in rest):
            where, label = "", ""
            places = [f.location() for f in rest if f.location()]
        else:
            where = f" in {self.first.path}" if self.first.path else ""
            places = [str(f.line) for f in rest if f.line is not None]
            label = "line " if len(set(places)) == 1 else "lines "
        places = list(dict.fromkeys(places))  # three unpinned build requirements on one line
        if not places:
            return f"... and {more} more {self.first.rule_id}{where}"
        shown = ", ".join(places[:SHOWN]) + (", ..." if len(places) > SHOWN else "")
        return f"... and {more} more {self.first.rule_id}{where} ({label}{shown})"


def group(findings: Iterable[Finding]) -> list[Group]:
    """``findings`` with each large run of one rule, severity and file made one Group.

    A group stands where its first finding was; smaller runs stay one Group per finding.
    """
    runs: dict[tuple[str, str, str | None], list[tuple[int, Finding]]] = {}
    for index, finding in enumerate(findings):
        note = finding.severity is Severity.NOTE
        key = (finding.rule_id, finding.severity.value, None if note else finding.path)
        runs.setdefault(key, []).append((index, finding))
    placed: list[tuple[int, Group]] = []
    for run in runs.values():
        if len(run) >= GROUP_FROM:
            placed.append((run[0][0], Group(tuple(f for _, f in run))))
        else:
            placed.extend((index, Group((f,))) for index, f in run)
    return [g for _, g in sorted(placed, key=lambda item: item[0])]
