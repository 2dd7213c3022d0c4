"""Which ignore entries cover a finding: every distinct vulnerability in it must be named.

Records merge through any shared id or alias, and a merged finding can hold two bugs: in the
PyPA database PYSEC-2021-335 (CVE-2021-32807) and PYSEC-2021-370 (CVE-2021-32811) both list
GHSA-qcx9-j53g-ccgf, so AccessControl's finding names both CVEs. Ignoring
CVE-2021-32807 must not hide CVE-2021-32811. So a finding is ignored only when each of its
*units* is addressed, a unit being a CVE id it names, or, for a record with no CVE alias,
its PYSEC id (else its own id). An entry addresses:

- the unit it names itself (``CVE-2021-32807``);
- every unit of a record whose own id it is (``PYSEC-2021-335`` ignores that advisory whole);
- through an alias (a GHSA id the records list), the unit of the records listing it when they
  are all about that one unit (``GHSA-j8r2-...``, listed by PYSEC-2023-74, is CVE-2023-32681).
  An alias listed by records about different bugs (GHSA-qcx9-j53g-ccgf, beside both CVEs
  above) addresses nothing: which bug was meant cannot be told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Collection

    from releasegate._internal.vulns.matching import Vulnerability


def _units(record_id: str, aliases: tuple[str, ...]) -> frozenset[str]:
    names = (record_id, *aliases)
    cves = frozenset(n for n in names if n.startswith("CVE-"))
    if cves:
        return cves
    pysec = sorted(n for n in names if n.startswith("PYSEC-"))
    return frozenset(pysec[:1] or [record_id])


def units(vulnerability: Vulnerability) -> frozenset[str]:
    """The distinct vulnerabilities a (merged) finding is about."""
    records = vulnerability.records or tuple((i, vulnerability.aliases) for i in vulnerability.ids)
    return frozenset().union(*(_units(i, a) for i, a in records))


def addressed(vulnerability: Vulnerability, ignored: Collection[str]) -> frozenset[str]:
    """The units of ``vulnerability`` that the ignore entries ``ignored`` name."""
    records = [(i, a, _units(i, a)) for i, a in vulnerability.records]
    found = set(units(vulnerability) & set(ignored))
    for entry in ignored:
        own = [u for i, _, u in records if i == entry]
        listing = frozenset().union(*(u for i, a, u in records if entry in a))
        if own:
            found.update(*own)
        elif len(listing) == 1:
            found |= listing
    return frozenset(found)


def unaddressed(vulnerability: Vulnerability, ignored: Collection[str]) -> tuple[str, ...] | None:
    """None when no entry names the finding; else the units still not ignored (sorted),
    empty when every one is: then the finding is ignored."""
    if not vulnerability.names & set(ignored):
        return None
    return tuple(sorted(units(vulnerability) - addressed(vulnerability, ignored)))
