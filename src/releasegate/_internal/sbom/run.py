"""What ``releasegate sbom`` does with a project: find the lockfile, build, write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.findings import Finding, Severity
from releasegate._internal.paths import inside
from releasegate._internal.runner import report_of, result_of
from releasegate._internal.sbom.cyclonedx import (
    MAX_VERSION,
    RootProject,
    build_bom,
    to_json,
    too_long,
)
from releasegate._internal.sbom.pins import CHECK, read_pins

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project
    from releasegate._internal.sbom.licenses import Licenses
    from releasegate._internal.sbom.pins import Pin, Pins
    from releasegate._internal.vulns.matching import Match


@dataclass(frozen=True)
class SbomSettings:
    """``[tool.releasegate.sbom]``; defaults live only in ``schema/sections/sbom.json``."""

    SECTION: ClassVar[str] = "sbom"
    lockfile: str
    """Root-relative; empty: the richest lockfile found."""
    output: str
    non_shipped: str
    """``mark``: components only development groups need get scope ``excluded``; ``omit``."""
    licenses: str
    """``index``: as the license gate reads them; ``offline``: installed or cached only."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SbomSettings:
        return cls(
            str(section["lockfile"]),
            str(section["output"]),
            str(section["non-shipped"]),
            str(section["licenses"]),
        )


@dataclass(frozen=True)
class SbomOutcome:
    report: Report
    text: str
    components: int


def find_lockfile(project: Project, explicit: str | None) -> Path:
    configured = explicit or project.config.settings(SbomSettings).lockfile
    if configured:
        key = "[tool.releasegate.sbom] lockfile"
        path = project.root / configured if explicit else inside(project.root, configured, key)
        if not path.is_file():
            raise UsageError(f"lockfile not found: {configured}")
        return path
    from releasegate._internal.lockfiles import detect, format_of

    # The richest format first: pylock and uv.lock record hashes of every artifact.
    preference = ("pylock", "uv", "poetry", "requirements")
    found = sorted(
        detect(project.root), key=lambda rel: preference.index(format_of(rel) or "requirements")
    )
    if found:
        return project.root / found[0]
    raise UsageError(
        "no lockfile: found no requirements*.txt, pylock.toml, uv.lock or poetry.lock",
        hint="name one with --lockfile or [tool.releasegate.sbom] lockfile",
    )


def _version(project: Project) -> tuple[str | None, list[Finding]]:
    """The project's version, static or dynamic (from its version sources or its git tag)."""
    from releasegate._internal.errors import ReleasegateError
    from releasegate._internal.releases import SemverSettings, current_version

    version = project.metadata.get("version")
    if isinstance(version, str):
        return version, []
    try:
        return current_version(project, project.config.settings(SemverSettings)).pep440, []
    except ReleasegateError as exc:
        warning = Finding(
            CHECK, "no-version", f"the root component has no version: {exc.message}", hint=exc.hint
        )
        return None, [warning]


def root_project(project: Project) -> tuple[RootProject, list[Finding]]:
    if not project.name:
        raise UsageError(
            "the project has no [project] name in pyproject.toml; the SBOM needs its root component"
        )
    version, problems = _version(project)
    license_value = project.metadata.get("license")
    license_text = license_value if isinstance(license_value, str) else None
    return RootProject(project.name, version, license_text), problems


def _too_long(root: RootProject, pins: Sequence[Pin], shown: str) -> list[Finding]:
    return [
        Finding(
            CHECK,
            "version-too-long",
            f"the version of {name} is longer than CycloneDX's {MAX_VERSION} characters",
            path=shown,
            hint="no real release has such a version; check the lockfile and pyproject.toml",
        )
        for name in too_long(root, pins)
    ]


def _licenses(project: Project, pins: Pins, offline: bool) -> tuple[Licenses, list[Finding]]:
    """Each pin's license from its own metadata; the license gate's index and site-packages."""
    from releasegate._internal.metadata.licensepolicy import LicenseSettings
    from releasegate._internal.sbom import licenses

    gate = project.config.settings(LicenseSettings)
    found = licenses.read(pins.pins, gate.index_url, gate.site_packages, offline=offline)
    if not found.missing:
        return found, []
    count = len(found.missing)
    first = min(found.missing.values())
    unknown = Finding(
        CHECK,
        "licenses-unknown",
        f"{count} component(s) carry no license: their metadata could not be read ({first})",
        Severity.NOTE if offline else Severity.WARNING,
        pins.display,
        hint=(
            "run where the index is reachable (no --offline), or install the locked versions"
            if offline
            else "set [tool.releasegate.license] index-url (or PIP_INDEX_URL) to a reachable index"
        ),
    )
    return found, [unknown]


def _vulnerabilities(
    project: Project, pins: Pins, database: str | None
) -> tuple[list[Match], list[Finding]]:
    """What is known against the pins, when an advisory database is given; failing closed."""
    from releasegate._internal.vulns import for_lock
    from releasegate._internal.vulns.settings import VulnsSettings
    from releasegate._internal.vulns.sources import Unavailable, open_source

    chosen = database or project.config.settings(VulnsSettings).database
    if not chosen or pins.lockfile is None:
        return [], []
    requires = project.metadata.get("requires-python")
    try:
        source = open_source(project.root / chosen, online=False, api_url="")
        matches = for_lock(pins.lockfile, source, requires if isinstance(requires, str) else None)
    except Unavailable as exc:
        # An SBOM that says "no vulnerabilities" because none could be read would be a lie.
        return [], [Finding(CHECK, "vulns-unavailable", exc.message, hint=exc.hint)]
    return matches, []


def build_sbom(
    project: Project,
    lockfile: str | None,
    *,
    offline: bool = False,
    database: str | None = None,
) -> SbomOutcome:
    started = time.monotonic()
    settings = project.config.settings(SbomSettings)
    path = find_lockfile(project, lockfile)
    root, problems = root_project(project)
    data = project.pyproject.data if project.pyproject else {}
    pins = read_pins(project.root, project.relative(path), data, project.name)
    problems += pins.problems + _too_long(root, pins.pins, pins.display)
    text = ""
    if not any(f.severity is Severity.ERROR for f in problems):
        matches, unavailable = _vulnerabilities(project, pins, database)
        problems += unavailable
    if not any(f.severity is Severity.ERROR for f in problems):
        licenses, unknown = _licenses(project, pins, offline or settings.licenses == "offline")
        problems += unknown
        omit = settings.non_shipped == "omit"
        bom = build_bom(
            root,
            pins.pins,
            graph=pins.graph,
            omit_unshipped=omit,
            licenses=licenses.found,
            matches=matches,
        )
        text = to_json(bom)
    summary = f"{len(pins.pins)} component(s) from {pins.display}"
    seconds = time.monotonic() - started
    result = result_of(CHECK, problems, project, seconds=seconds, summary=summary)
    return SbomOutcome(report_of([result], project), text, len(pins.pins))


def destination(project: Project, given: str | None) -> Path | None:
    """Where the SBOM goes: None for stdout. A path from the command line is the user's own;
    one from the checkout's configuration must stay inside the project."""
    if given is not None:
        return None if given == "-" else project.root / given
    configured = project.config.settings(SbomSettings).output
    if configured == "-":
        return None
    return inside(project.root, configured, "[tool.releasegate.sbom] output")


def write_atomically(target: Path, text: str) -> None:
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A fresh name (O_EXCL): a link committed under a predictable name is never followed.
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise FatalError(f"cannot write {target}: {exc.strerror}") from None
    partial = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise FatalError(f"cannot write {target}: {exc.strerror}") from None
