"""The SemVer gate: valid, faithful to PEP 440, consistent across files, moving forward."""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.problems import to_finding
from releasegate._internal.releases import ReleaseTag, SemverSettings, release_tags, stated_versions
from releasegate._internal.versioning import (
    ResolvedVersion,
    VersionProblem,
    format_tag,
    label_problem,
    parse_semver,
    resolve,
)
from releasegate._internal.versionsources import StatedVersion, uses_vcs_version

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.checks.base import CheckContext

NAME = "semver"


def _finding(
    rule: str,
    message: str,
    at: StatedVersion | None,
    hint: str | None = None,
    severity: Severity = Severity.ERROR,
) -> Finding:
    return Finding(
        NAME, rule, message, severity, at.path if at else None, at.line if at else None, hint
    )


def _validate(
    statements: list[StatedVersion], settings: SemverSettings
) -> tuple[list[tuple[StatedVersion, ResolvedVersion]], list[Finding]]:
    """Resolve each statement; the label policy speaks first, as its hint is the most precise."""
    valid, findings = [], []
    for stated in statements:
        parsed = parse_semver(stated.text.strip())
        problem = (
            label_problem(parsed, settings.labels, settings.mutable_labels) if parsed else None
        )
        if problem is not None:
            message = f"{stated.source} {stated.text!r}: {problem.message}"
            findings.append(_finding("prerelease-label", message, stated, problem.hint))
        try:
            resolved = resolve(stated.text)
        except VersionProblem as exc:
            if problem is None:
                message = f"{stated.source} {stated.text!r}: {exc.message}"
                findings.append(_finding("invalid-version", message, stated, exc.hint))
            continue
        valid.append((stated, resolved))
    return valid, findings


def _comparable(text: str) -> str:
    """A key under which two spellings of one version are equal, even an invalid one.

    Agreement is checked on every statement: an invalid version at one place must not
    hide that another place states something else entirely.
    """
    try:
        return resolve(text).pep440
    except VersionProblem:
        pass
    try:
        return str(Version(text.strip()))
    except InvalidVersion:
        return text.strip()


def _consistency(statements: list[StatedVersion]) -> Iterator[Finding]:
    reference = statements[0]
    key = _comparable(reference.text)
    try:
        resolved = resolve(reference.text)
        hint = f"make every place state {resolved.semver} (PEP 440: {resolved.pep440})"
    except VersionProblem:
        hint = "make every place state the same (valid) version"
    for stated in statements[1:]:
        if _comparable(stated.text) != key:
            yield _finding(
                "version-mismatch",
                f"{stated.source} states {stated.text!r} but {reference.where()} states {reference.text!r}",
                stated,
                hint,
            )


def _monotonic(
    context: CheckContext, settings: SemverSettings, at: StatedVersion, version: ResolvedVersion
) -> Iterator[Finding]:
    project = context.project
    tags = release_tags(project, settings)
    if not tags:
        return
    head = project.git.head
    highest = max(tags, key=lambda t: t.version.canonical)
    if version.canonical < highest.version.canonical:
        yield _finding(
            "version-backwards",
            f"version {version.semver} is lower than the release tag {highest.tag.name}",
            at,
            f"versions only move forward: use a version above {highest.version.semver}",
        )
    at_head = [t for t in tags if t.tag.commit == head]
    for tagged in at_head:
        if tagged.version.pep440 != version.pep440:
            yield _finding(
                "tag-mismatch",
                f"HEAD is tagged {tagged.tag.name} but the project states {version.semver}",
                at,
                f"tag the commit {format_tag(settings.tag_format, str(version.semver))} or fix the version",
            )
        yield from _tag_form(settings, tagged, at)
    same = [t for t in tags if t.version.pep440 == version.pep440 and t.tag.commit != head]
    if same and not any(t.version.pep440 == version.pep440 for t in at_head):
        releasing = context.options.release or bool(at_head)
        if releasing:
            yield _finding(
                "version-reused",
                f"version {version.semver} was already released as {same[0].tag.name}"
                f" on commit {same[0].tag.commit[:12]}",
                at,
                "a release needs a new version: bump it (`releasegate version --next patch`)",
            )
        elif settings.require_bump:
            yield _finding(
                "version-unchanged",
                f"version {version.semver} equals the release {same[0].tag.name};"
                " this project requires a bump after a release",
                at,
                "bump it (`releasegate version --next patch`)",
            )


def _tag_form(settings: SemverSettings, tagged: ReleaseTag, at: StatedVersion) -> Iterator[Finding]:
    if settings.tag_form == "any" or tagged.version.semver.pre is None:
        return
    wanted = str(tagged.version.semver) if settings.tag_form == "semver" else tagged.version.pep440
    expected = format_tag(settings.tag_format, wanted)
    if tagged.tag.name != expected:
        yield _finding(
            "tag-form",
            f"tag {tagged.tag.name} is not in {settings.tag_form} form",
            at,
            f"name it {expected}",
        )


def run(context: CheckContext) -> Iterator[Finding]:
    project = context.project
    settings = context.settings(SemverSettings)
    statements, problems = stated_versions(project, settings)
    for problem in problems:
        yield to_finding(NAME, problem)
    if not statements:
        if uses_vcs_version(project):
            return  # between releases a VCS-versioned project states no version; tags are the truth
        yield Finding(
            NAME,
            "no-version",
            "no version found in pyproject.toml, the package or the changelog",
            Severity.WARNING,
            "pyproject.toml" if project.pyproject else None,
            None,
            "set [project].version, or make it dynamic through the build backend",
        )
        return
    valid, findings = _validate(statements, settings)
    yield from findings
    yield from _consistency(statements)
    if valid and valid[0][0] is statements[0]:
        yield from _monotonic(context, settings, valid[0][0], valid[0][1])
