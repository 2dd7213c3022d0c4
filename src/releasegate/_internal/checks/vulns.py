"""The vulnerability gate: known advisories against the locked (or resolved) dependencies.

Fails closed: when advisories cannot be read, the gate says so in an error finding; an
unchecked project never passes. The logic lives in ``vulns/``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding
from releasegate._internal.problems import to_finding
from releasegate._internal.waivers import WaiverList

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator
    from pathlib import Path

    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.project import Project
    from releasegate._internal.vulns.matching import Match
    from releasegate._internal.vulns.packages import Package
    from releasegate._internal.vulns.settings import VulnsSettings
    from releasegate._internal.vulns.sources import Advisories
    from releasegate._internal.waivers import Waiver

NAME = "vulns"
IGNORE_HINT = "or list it in [tool.releasegate.vulns] ignore with a reason and an expiry date"
IGNORE_LIST = WaiverList(
    ("vulns", "ignore"),
    "ignore entry",
    "ignore-expired",
    "upgrade past the advisory and remove the entry, or extend its expiry date if the "
    "reason still holds",
    ", so it ignores nothing",
)


def run(context: CheckContext) -> Iterator[Finding]:
    from releasegate._internal.vulns.settings import VulnsSettings

    settings = context.settings(VulnsSettings)
    project = context.project
    today = dt.date.today()
    yield from _expired(project, [e for e in settings.ignore if e.expired(today)])
    offline = context.options.offline
    if offline:
        # --offline: no index, no OSV API; a configured database still answers.
        from dataclasses import replace

        settings = replace(settings, online=False)
    packages = yield from _packages(project, settings, offline)
    if not packages:
        return
    database = context.options.vulns_database or settings.database
    matches = yield from _matches(packages, project.root, database, settings)
    ignored = {e.subject for e in settings.ignore if not e.expired(today)}
    yield from (_finding(m, ignored) for m in matches if _reported(m, settings, ignored))


def _packages(
    project: Project, settings: VulnsSettings, offline: bool
) -> Generator[Finding, None, list[Package]]:
    from releasegate._internal.vulns import packages

    requires_python = project.metadata.get("requires-python")
    requires = requires_python if isinstance(requires_python, str) else None
    found, lockfiles = packages.locked(project.root, requires)
    if lockfiles:
        return found
    try:
        return packages.resolved(project.pyproject, settings.index_url, offline=offline)
    except packages.NotDecidable as exc:
        yield Finding(
            NAME,
            "dependencies-unknown",
            f"the dependency versions the project ships cannot be known: {exc}",
            path="pyproject.toml" if project.pyproject is not None else None,
            line=None,
            hint="commit a lockfile (uv lock, pip-compile --generate-hashes), or make the "
            "dependencies resolvable",
        )
        return []


def _matches(
    packages: list[Package], root: Path, database: str | None, settings: VulnsSettings
) -> Generator[Finding, None, list[Match]]:
    from releasegate._internal.vulns import for_packages
    from releasegate._internal.vulns.sources import Unavailable, open_source

    try:
        source = open_source(
            root / database if database else None, settings.online, settings.api_url
        )
        matches = for_packages(packages, source)
    except Unavailable as exc:
        yield Finding(
            NAME,
            "advisories-unavailable",
            f"{len(packages)} locked packages were not checked for known vulnerabilities: "
            f"{exc.message}",
            hint=exc.hint,
        )
        return []
    yield from _source_problems(source, settings)
    return matches


def _source_problems(source: Advisories, settings: VulnsSettings) -> Iterator[Finding]:
    if source.problems:
        shown = "; ".join(source.problems[:5])
        more = len(source.problems) - 5
        yield Finding(
            NAME,
            "database-corrupt",
            f"{len(source.problems)} record(s) of the {source.description} cannot be read, so "
            f"their advisories were not checked: {shown}"
            + (f"; and {more} more" if more > 0 else ""),
            hint="replace the database with a fresh copy of the export",
        )
    age = _age_days(source.newest)
    if age is not None and age > settings.max_age_days:
        yield Finding(
            NAME,
            "database-stale",
            f"the {source.description} is {age} days old (newest record {source.newest[:10]}); "
            "advisories published since are not checked",
            hint="refresh the database, or raise [tool.releasegate.vulns] max-age-days",
        )


def _age_days(newest: str) -> int | None:
    try:
        when = dt.datetime.fromisoformat(newest.replace("Z", "+00:00")[:25])
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return (dt.datetime.now(dt.timezone.utc) - when).days


def _reported(match: Match, settings: VulnsSettings, ignored: set[str]) -> bool:
    from releasegate._internal.vulns.ignores import unaddressed
    from releasegate._internal.vulns.matching import RATINGS

    vulnerability = match.vulnerability
    if unaddressed(vulnerability, ignored) == ():
        return False  # every distinct vulnerability in it is ignored by name
    rating = vulnerability.severity.rating
    if rating not in RATINGS:
        return True  # unknown severity: reported whatever the threshold
    return RATINGS.index(rating) >= RATINGS.index(settings.min_severity)


def _finding(match: Match, ignored: set[str]) -> Finding:
    from releasegate._internal.vulns.ignores import unaddressed

    package, vulnerability = match.package, match.vulnerability
    names = " / ".join(vulnerability.ids)
    if vulnerability.aliases:
        names += f" ({', '.join(vulnerability.aliases)})"
    summary = f": {vulnerability.summary}" if vulnerability.summary else ""
    left = unaddressed(vulnerability, ignored)
    if left:
        named = ", ".join(sorted(vulnerability.names & ignored))
        summary += f" [the ignore of {named} does not cover {', '.join(left)}, still unaddressed]"
    if vulnerability.fixed:
        hint = f"upgrade {package.name} to {vulnerability.fixed} or later, {IGNORE_HINT}"
    else:
        hint = f"no fixed version is known: replace {package.name}, {IGNORE_HINT}"
    return Finding(
        NAME,
        "vulnerable-dependency",
        f"{package.name} {package.version} is affected by {names}, severity "
        f"{vulnerability.severity.describe()}{summary}",
        path=package.path,
        line=package.line,
        hint=hint,
    )


def _expired(project: Project, entries: list[Waiver]) -> Iterator[Finding]:
    from releasegate._internal import waivers

    for problem in waivers.expired(entries, IGNORE_LIST, project.config, project.root):
        yield to_finding(NAME, problem)
