"""What ``releasegate sbom`` does with a project: find the lockfile, build, write."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.runner import report_of, result_of
from releasegate._internal.sbom.cyclonedx import RootProject, build_bom, to_json
from releasegate._internal.sbom.pins import CHECK, read_pins

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project


@dataclass(frozen=True)
class SbomSettings:
    """``[tool.releasegate.sbom]``; defaults live only in ``schema/sections/sbom.json``."""

    SECTION: ClassVar[str] = "sbom"
    lockfile: str
    """Root-relative; empty: the richest lockfile found."""
    output: str

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SbomSettings:
        return cls(str(section["lockfile"]), str(section["output"]))


@dataclass(frozen=True)
class SbomOutcome:
    report: Report
    text: str
    components: int


def find_lockfile(project: Project, explicit: str | None) -> Path:
    configured = explicit or project.config.settings(SbomSettings).lockfile
    if configured:
        path = project.root / configured
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


def root_project(project: Project) -> RootProject:
    if not project.name:
        raise UsageError(
            "the project has no [project] name in pyproject.toml; the SBOM needs its root component"
        )
    version = project.metadata.get("version")
    license_value = project.metadata.get("license")
    return RootProject(
        project.name,
        version if isinstance(version, str) else None,
        license_value if isinstance(license_value, str) else None,
    )


def build_sbom(project: Project, lockfile: str | None) -> SbomOutcome:
    started = time.monotonic()
    path = find_lockfile(project, lockfile)
    pins = read_pins(project.root, project.relative(path))
    text = to_json(build_bom(root_project(project), pins.pins))
    summary = f"{len(pins.pins)} component(s) from {pins.display}"
    seconds = time.monotonic() - started
    result = result_of(CHECK, pins.problems, project, seconds=seconds, summary=summary)
    return SbomOutcome(report_of([result], project), text, len(pins.pins))


def write_atomically(target: Path, text: str) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise FatalError(f"cannot write {target}: {exc.strerror}") from None
