"""The manifest gate: the built sdist and wheel are complete and their metadata strict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.problems import to_finding

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from releasegate._internal.archives import Archive
    from releasegate._internal.artifacts import ManifestSettings
    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.metadata.problem import Problem
    from releasegate._internal.project import Project

NAME = "manifest"
_PYPROJECT = "pyproject.toml"


def run(context: CheckContext) -> Iterator[Finding]:
    from releasegate._internal.archives import read_archive
    from releasegate._internal.artifacts import (
        BuildFailed,
        BuildNotTrusted,
        ManifestSettings,
        shared_dists,
    )

    project = context.project
    settings = context.settings(ManifestSettings)
    try:
        sdist_path, wheel_path = shared_dists(project)
    except BuildFailed as exc:
        untrusted = isinstance(exc, BuildNotTrusted)
        yield Finding(
            NAME,
            "build-not-trusted" if untrusted else "build-failed",
            exc.message,
            Severity.WARNING if untrusted else Severity.ERROR,
            _PYPROJECT if project.pyproject else None,
            project.pyproject.line("build-system") if project.pyproject else None,
            exc.hint,
        )
        return
    sdist, wheel = read_archive(sdist_path), read_archive(wheel_path)
    yield from _dist_findings(project, sdist, "sdist")
    yield from _dist_findings(project, wheel, "wheel")
    # An unsafe or unreadable sdist is reported above; its member list is not to be trusted.
    if settings.completeness and not sdist.problems and project.git.is_repository:
        yield from _completeness(project, sdist, settings, sdist_path)


def _dist_findings(project: Project, built: Archive, kind: str) -> Iterator[Finding]:
    from releasegate._internal.metadata import distcheck

    for problem in distcheck.check(built, kind):
        yield _pyproject_finding(project, problem)


def _pyproject_finding(project: Project, problem: Problem) -> Finding:
    """Artifact problems come from [project]: point there, at the field when one is known."""
    doc = project.pyproject
    key = {
        "license-file-missing": ("project", "license-files"),
        "long-description": ("project", "readme"),
    }.get(problem.rule, ("project",))
    line = doc.line(*key) if doc is not None else None
    return to_finding(NAME, problem, path=_PYPROJECT if doc else None, line=line)


def _completeness(
    project: Project, sdist: Archive, settings: ManifestSettings, sdist_path: Path
) -> Iterator[Finding]:
    from releasegate._internal.archives import sdist_relative
    from releasegate._internal.metadata import completeness, sdistselect

    tool = project.pyproject.get("tool", "check-manifest") if project.pyproject else None
    ignore = completeness.ignore_list(project.root, tool, settings.ignore)
    shipped = list(sdist_relative(sdist))
    selected = sdistselect.selector(project.pyproject)
    tracked = project.git.tracked_files()
    generated = sdistselect.generated_files(project.pyproject)
    diff = completeness.compare(
        tracked, shipped, project.root, ignore, selected=selected, generated=generated
    )
    for name in diff.missing_from_sdist:
        yield Finding(
            NAME,
            "missing-from-sdist",
            f"{name} is tracked by git but not in {sdist_path.name}",
            path=name,
            line=None,
            hint="include it in the sdist (backend's sdist include / MANIFEST.in), or list it in "
            "[tool.releasegate.manifest] ignore",
        )
    for name in diff.untracked_in_sdist:
        yield Finding(
            NAME,
            "untracked-in-sdist",
            f"{name} is in {sdist_path.name} but git does not track it",
            path=name,
            line=None,
            hint="commit it, exclude it from the sdist, "
            "or list it in [tool.releasegate.manifest] ignore",
        )
