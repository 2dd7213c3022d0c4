"""Known vulnerabilities of locked packages, from OSV advisories read offline or looked up online.

``records`` reads one OSV record, ``database`` reads and indexes a directory or zip of
them (cached, so a warm run only loads the index), ``osvapi`` asks OSV's API,
``matching`` decides exactly which advisories affect a version and merges aliases,
``packages`` says which locked versions ship, and ``for_lock`` ties them together for
the SBOM and the gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from releasegate._internal.lockfiles.model import Lockfile
    from releasegate._internal.vulns.matching import Match
    from releasegate._internal.vulns.packages import Package
    from releasegate._internal.vulns.sources import Advisories


def for_lock(
    lock: Lockfile, advisories: Advisories, requires_python: str | None = None
) -> list[Match]:
    """The vulnerabilities known against the packages ``lock`` pins (marker-aware).

    ``advisories`` comes from ``sources.open_source``; reading it may raise
    ``sources.Unavailable``, which callers must treat as a failure, never as "none known".
    """
    from releasegate._internal.vulns.packages import from_entries

    return for_packages(from_entries(lock.entries, requires_python), advisories)


def for_packages(packages: Iterable[Package], advisories: Advisories) -> list[Match]:
    from releasegate._internal.lockfiles import gc_paused
    from releasegate._internal.vulns.matching import match_all

    chosen = list(packages)
    # Thousands of small acyclic objects beside a large live index: a cyclic GC pass per
    # few hundred allocations would walk the whole index each time (measured: 3x slower).
    with gc_paused():
        return match_all(chosen, advisories.lookup((p.name, p.version) for p in chosen))
