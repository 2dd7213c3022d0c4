"""What the SBOM needs from a lockfile: name, exact version and hashes of each entry.

Read through the shared lockfile model (``releasegate._internal.lockfiles``), so the SBOM knows
every format the lockfile gate knows. Problems are Findings with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, Severity

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.lockfiles.model import Entry

CHECK = "sbom"


@dataclass(frozen=True)
class Pin:
    name: str
    version: str | None
    hashes: tuple[tuple[str, str], ...] = ()
    """(algorithm, hex digest) pairs, as the lockfile states them."""
    line: int | None = None


@dataclass
class Pins:
    display: str
    pins: list[Pin] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)


def _pin(entry: Entry) -> Pin:
    return Pin(
        entry.name, entry.version, tuple((h.algorithm, h.digest) for h in entry.hashes), entry.line
    )


def read_pins(root: Path, relative: str) -> Pins:
    """The pins of the lockfile at ``root / relative``; unpinned entries are warnings."""
    from releasegate._internal.lockfiles import parse_file

    lockfile = parse_file(root, relative)
    pins = Pins(relative)
    pins.problems.extend(
        Finding(
            CHECK,
            "lockfile-unreadable" if p.rule == "parse-error" else p.rule,
            p.message,
            Severity.ERROR,
            p.path,
            p.line,
            p.hint,
        )
        for p in lockfile.problems
    )
    for entry in lockfile.entries:
        if entry.is_project or entry.constraint:
            continue
        pins.pins.append(_pin(entry))
        if entry.version is None:
            pins.problems.append(
                Finding(
                    CHECK,
                    "unpinned",
                    f"{entry.name} is not pinned: the SBOM records no version",
                    Severity.WARNING,
                    entry.path,
                    entry.line,
                    "pin it with == in the lockfile",
                )
            )
    return pins
