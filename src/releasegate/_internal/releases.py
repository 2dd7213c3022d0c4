"""The project's version and its release tags: what the SemVer gate, the API gate,
``releasegate version`` and the Action's outputs all read.

Settings come from ``[tool.releasegate.semver]``; the gate module only turns what is
found here into findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from releasegate._internal.errors import FatalError
from releasegate._internal.problems import FileProblem
from releasegate._internal.versioning import ResolvedVersion, VersionProblem, resolve, tag_pattern
from releasegate._internal.versionsources import (
    StatedVersion,
    VersionFile,
    backend_version,
    changelog_version,
    configured_files,
    dynamic_sources,
    package_files,
    read_assignment,
    uses_vcs_version,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from releasegate._internal.git import Tag
    from releasegate._internal.project import Project


@dataclass(frozen=True)
class SemverSettings:
    """``[tool.releasegate.semver]``; defaults live only in ``schema/sections/semver.json``."""

    SECTION: ClassVar[str] = "semver"
    tag_format: str
    tag_form: str
    labels: tuple[str, ...]
    mutable_labels: tuple[str, ...]
    require_bump: bool
    changelog: str
    package: str | None
    version_files: tuple[VersionFile, ...]
    backend_metadata: bool

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SemverSettings:
        return cls(
            tag_format=section["tag-format"],
            tag_form=section["tag-form"],
            labels=tuple(section["labels"]),
            mutable_labels=tuple(label.lower() for label in section["mutable-labels"]),
            require_bump=bool(section["require-bump"]),
            changelog=section["changelog"],
            package=section.get("package"),  # no default: None means "find it"
            version_files=tuple(
                VersionFile(f["path"], f["pattern"]) for f in section["version-files"]
            ),
            backend_metadata=bool(section["backend-metadata"]),
        )


@dataclass(frozen=True)
class ReleaseTag:
    tag: Tag
    version: ResolvedVersion


def stated_versions(
    project: Project, settings: SemverSettings
) -> tuple[list[StatedVersion], list[FileProblem]]:
    """Every statement of the version, deduplicated by location, and problems with config entries."""
    found: list[StatedVersion] = []
    problems: list[FileProblem] = []
    doc = project.pyproject
    static = project.metadata.get("version")
    if doc is not None and isinstance(static, str):
        found.append(
            StatedVersion(
                "[project].version", static, "pyproject.toml", doc.line("project", "version")
            )
        )
    dynamic = project.metadata.get("dynamic")
    is_dynamic = isinstance(dynamic, list) and "version" in dynamic
    vcs = is_dynamic and uses_vcs_version(project)
    if is_dynamic:
        found.extend(dynamic_sources(project))
    poetry = doc.get("tool", "poetry", "version") if doc else None
    if isinstance(poetry, str) and doc is not None and poetry not in ("0.0.0",):
        found.append(
            StatedVersion(
                "[tool.poetry].version",
                poetry,
                "pyproject.toml",
                doc.line("tool", "poetry", "version"),
            )
        )
    for relative in package_files(project, settings.package):
        if vcs and relative.endswith("_version.py"):
            continue  # written by setuptools-scm / hatch-vcs at build time, not a statement
        stated = read_assignment(project, relative, "__version__")
        if stated is not None:
            found.append(stated)
    if is_dynamic and not vcs and not found and settings.backend_metadata:
        from_backend = backend_version(project)
        if from_backend is not None:
            found.append(from_backend)
    entry = changelog_version(project, settings.changelog)
    if entry is not None:
        found.append(entry)
    for item in configured_files(project, list(settings.version_files)):
        if isinstance(item, FileProblem):
            problems.append(item)
        else:
            found.append(item)
    unique = list({(s.path, s.line, s.text): s for s in found}.values())
    return unique, problems


def release_tags(project: Project, settings: SemverSettings) -> list[ReleaseTag]:
    """Tags that follow the tag format and carry a valid version."""
    pattern = tag_pattern(settings.tag_format)
    tags = []
    for tag in project.git.tags:
        match = pattern.match(tag.name)
        if match is None:
            continue
        try:
            tags.append(ReleaseTag(tag, resolve(match.group("version"))))
        except VersionProblem:
            continue
    return tags


def current_version(project: Project, settings: SemverSettings) -> ResolvedVersion:
    """The project's version, for ``releasegate version``; FatalError when it has none."""
    statements, _ = stated_versions(project, settings)
    if not statements and uses_vcs_version(project):
        statements = [
            StatedVersion("git tag", t.version.stated, None, None)
            for t in release_tags(project, settings)
            if t.tag.commit == project.git.head
        ]
    if not statements:
        raise FatalError("no version found", hint="set [project].version in pyproject.toml")
    try:
        return resolve(statements[0].text)
    except VersionProblem as exc:
        raise FatalError(f"{statements[0].where()}: {exc.message}", hint=exc.hint) from None
