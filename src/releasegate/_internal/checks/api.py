"""The API-aware SemVer gate: the bump since the last release must cover what changed.

What changed comes from ``releasegate._internal.api`` (griffe on the package at the last release
tag and in the working tree, ``[project]`` metadata, Conventional Commits). Between
releases, while the version still equals the last release, the gate only notes what the
next release needs; once the version moves (or a release is being made) a bump that is
too small fails, change by change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.api.bumps import Impact
from releasegate._internal.api.changes import ADVISORY, ChangeKind
from releasegate._internal.api.deprecations import POLICY_HINT
from releasegate._internal.findings import Finding, Severity, quoted
from releasegate._internal.problems import to_finding
from releasegate._internal.waivers import WaiverList

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.api.assess import Assessment
    from releasegate._internal.api.bumps import Bump
    from releasegate._internal.api.changes import Change
    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.project import Project
    from releasegate._internal.releases import ReleaseTag
    from releasegate._internal.waivers import Waiver

NAME = "api"
ALLOW_HINT = "or list it in [tool.releasegate.api] allow with a reason and an expiry date"
ALLOW_LIST = WaiverList(
    ("api", "allow"),
    "allowlist entry",
    "allow-expired",
    "remove the entry, or extend its expiry date if the exception still holds",
)


def run(context: CheckContext) -> Iterator[Finding]:
    project = context.project
    if not _has_release_tags(project):
        return  # nothing released, nothing to compare: cheap and silent on purpose
    from releasegate._internal.api.assess import assess
    from releasegate._internal.api.settings import ApiSettings
    from releasegate._internal.releases import SemverSettings

    settings = context.settings(ApiSettings)
    semver = context.settings(SemverSettings)
    nested = context.options.nested
    assessment = assess(project, settings, semver, context.options.release, nested)
    yield from _expired(project, assessment.expired)
    if assessment.base is None:
        context.summary.append("no earlier release to compare with")
        return
    _name_base(context, assessment.base)
    _record_changes(context, assessment)
    yield from _problems(project, assessment)
    if not assessment.sized:
        yield from _unsized(assessment, _pending(context, assessment))
        return
    if _pending(context, assessment):
        yield from _note(assessment)
        return
    yield from _unproven(assessment)
    yield from _too_small(assessment)
    yield from _commits_too_small(assessment)


def _name_base(context: CheckContext, base: ReleaseTag) -> None:
    """Every verdict says what it was compared with: the summary and the JSON ``data``.

    The base is chosen by version order, so it may sit on another branch (a release branch's
    2.3.3 for 2.3.4): said, because a reader of the verdict would otherwise assume history.
    """
    ancestor = base.tag.name in context.project.git.merged_tags
    context.data["base"] = {
        "tag": base.tag.name,
        "version": base.version.display,
        "commit": base.tag.commit,
        "ancestor": ancestor,
    }
    branch = "" if ancestor else " (not an ancestor of HEAD)"
    context.summary.append(f"base release {base.tag.name}{branch}")


def _record_changes(context: CheckContext, assessment: Assessment) -> None:
    """Every change that counts, as data (the release dossier lists them): findings say only
    what the bump does not cover."""
    context.data["changes"] = [
        {
            "kind": change.kind.value,
            "impact": change.impact.value,
            "target": change.target,
            "detail": change.detail,
            "path": change.path,
            "line": change.line,
        }
        for change in assessment.changes
    ]


def _problems(project: Project, assessment: Assessment) -> Iterator[Finding]:
    """What kept part of the comparison from being made: warnings, not verdicts."""
    for problem in assessment.problems:
        if problem.rule == "package-not-found" and not _named(project):
            continue  # not a Python distribution (no name anywhere): there is no API to compare
        yield to_finding(NAME, problem)


def _named(project: Project) -> bool:
    from releasegate._internal.api.source import candidates

    return bool(candidates(project, None))


def _has_release_tags(project: Project) -> bool:
    return bool(project.git.tags)


def _pending(context: CheckContext, assessment: Assessment) -> bool:
    """The version has not moved since the release and no release is being made from here."""
    if assessment.current is None:
        return True
    base = assessment.base.tag.name if assessment.base else None
    tagged = [t for t in context.project.git.tags_at_head() if t.name != base]
    releasing = context.options.release or bool(tagged)
    return assessment.actual is assessment.actual.NONE and not releasing


def _bump_text(assessment: Assessment) -> str:
    if assessment.base is None:
        return "there is no release to compare with"
    current = assessment.current.display if assessment.current else "?"
    if assessment.actual is assessment.actual.NONE:
        return f"the version {current} is no bump from {assessment.base.tag.name}"
    base = assessment.base
    label = assessment.actual.label
    return f"{base.version.display} -> {current} is a {label} bump (base: tag {base.tag.name})"


def _note(assessment: Assessment) -> Iterator[Finding]:
    required = assessment.required
    if required is required.NONE or assessment.base is None:
        return
    proposal = assessment.proposal()
    yield Finding(
        NAME,
        "unreleased-changes",
        f"{len(assessment.changes)} API change(s) and {len(assessment.commits)} commit(s) since "
        f"{assessment.base.tag.name} need a {required.label} bump; the next release: {proposal}",
        path="pyproject.toml" if assessment.current else None,
        line=None,
        hint="set the version with `releasegate version --next auto` before releasing",
    )


def _unsized(assessment: Assessment, pending: bool) -> Iterator[Finding]:
    """A calendar or two-part version says nothing about compatibility: the changes are
    shown (breaks as warnings, so a reviewer sees them in CI), the bump size is not held.

    packaging 22.0 removed LegacyVersion and attrs removes deprecated names in a year's
    release: their users read the changelog, not the number, and a failure would be wrong.
    """
    if assessment.base is None or not assessment.changes:
        return
    breaking = [c for c in assessment.changes if c.impact is Impact.BREAKING]
    breaking = [c for c in breaking if not c.kind.unproven]
    scheme = assessment.scheme.value if assessment.scheme else "non-SemVer"
    yield Finding(
        NAME,
        "scheme",
        f"{len(assessment.changes)} API change(s) since {assessment.base.tag.name}"
        f" ({len(breaking)} breaking); {scheme} versions carry no SemVer meaning, so no bump"
        " size is required",
        path=None,
        line=None,
        hint="say what breaks in the changelog" if breaking else None,
    )
    if pending:
        return  # between releases the count is enough; the release lists each break
    yield from _unproven(assessment)
    for change in breaking:
        yield _unsized_finding(assessment, change)


def _unsized_finding(assessment: Assessment, change: Change) -> Finding:
    where = ""
    if change.at_release and assessment.base is not None:
        at = f"{change.path}:{change.line}" if change.line is not None else change.path
        where = f" (it was at {at} in {assessment.base.tag.name})"
    return Finding(
        NAME,
        change.kind.value,
        f"{change.target}: {change.detail}{where} breaks code written for"
        f" {assessment.base.tag.name if assessment.base else 'the last release'}",
        Severity.WARNING,
        change.path,
        None if change.at_release else change.line,
        f"name it in the changelog's entry for this release, {ALLOW_HINT}",
    )


def _unproven(assessment: Assessment) -> Iterator[Finding]:
    """Annotation changes the comparison cannot judge: said, so a reviewer can, never failed."""
    since = f" since {assessment.base.tag.name}" if assessment.base else ""
    for change in assessment.changes:
        if change.kind.unproven:
            yield Finding(
                NAME,
                change.kind.value,
                f"{change.target}: {change.detail}{since} may or may not be compatible "
                "(the types involved are not ones the comparison can relate)",
                path=change.path,
                line=change.line,
                hint="check that every old use still type-checks; a breaking change needs its bump",
            )


def _too_small(assessment: Assessment) -> Iterator[Finding]:
    actual = assessment.actual
    folded: list[Change] = []
    for change in assessment.changes:
        if change.kind.unproven:
            continue
        need = assessment.need(change.impact)
        if need > actual and change.deprecated:
            folded.append(change)
        elif need > actual:
            yield _change_finding(assessment, change, need.label)
        elif change.kind in ADVISORY and assessment.need(ADVISORY[change.kind]) > actual:
            yield _advisory_finding(assessment, change, assessment.need(ADVISORY[change.kind]))
    if folded:
        yield _deprecated_finding(assessment, folded)


MAX_LISTED = 12


def _deprecated_finding(assessment: Assessment, removed: list[Change]) -> Finding:
    """Every removal of deprecated API in one finding: werkzeug 2.1.0 removed ~120 objects
    its 2.0 had deprecated; one finding per object asked for as many allow entries."""
    need = max(assessment.need(c.impact) for c in removed)
    names = [c.target for c in removed]
    listed = ", ".join(names[:MAX_LISTED])
    more = f" and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
    message = (
        f"{len(names)} deprecated object(s) removed ({listed}{more}) need a {need.label} bump,"
        f" but {_bump_text(assessment)}"
    )
    hint = (
        f"release {assessment.proposal()}, or, if the project removes deprecated API in minor"
        f" releases, say so with {POLICY_HINT}"
    )
    first = removed[0]
    return Finding(NAME, "deprecated-removed", message, Severity.ERROR, first.path, None, hint)


def _advisory_finding(assessment: Assessment, change: Change, want: Bump) -> Finding:
    what = "returns" if change.kind is ChangeKind.RETURN_TYPE_WIDENED else "accepts"
    message = (
        f"{change.target}: {change.detail} {what} more than before, which a {want.label}"
        f" release usually announces, but {_bump_text(assessment)}"
    )
    hint = f"fine for a typing fix; release a {want.label} version if it changes the contract"
    return Finding(
        NAME, change.kind.value, message, Severity.WARNING, change.path, change.line, hint
    )


def _change_finding(assessment: Assessment, change: Change, need: str) -> Finding:
    where = ""
    if change.at_release and assessment.base is not None:
        at = f"{change.path}:{change.line}" if change.line is not None else change.path
        where = f" (it was at {at} in {assessment.base.tag.name})"
    message = (
        f"{change.target}: {change.detail}{where} needs a {need} bump, but {_bump_text(assessment)}"
    )
    hint = f"release {assessment.proposal()} (`releasegate version --next auto`), {ALLOW_HINT}"
    line = None if change.at_release else change.line
    return Finding(NAME, change.kind.value, message, path=change.path, line=line, hint=hint)


def _commits_too_small(assessment: Assessment) -> Iterator[Finding]:
    need = assessment.commits_required
    if need <= assessment.actual:
        return
    culprit = next(c for c in assessment.commits if c.impact and assessment.need(c.impact) == need)
    # Only a break hurts users of a too-small bump; a feature in a patch release hurts no one.
    breaking = culprit.impact is Impact.BREAKING
    yield Finding(
        NAME,
        "commits-bump",
        f"commit {culprit.sha[:12]} {quoted(culprit.subject)} needs a {need.label} bump, "
        f"but {_bump_text(assessment)}",
        Severity.ERROR if breaking else Severity.WARNING,
        hint=f"release {assessment.proposal()} (`releasegate version --next auto`)",
    )


def _expired(project: Project, entries: tuple[Waiver, ...]) -> Iterator[Finding]:
    from releasegate._internal import waivers

    for problem in waivers.expired(entries, ALLOW_LIST, project.config, project.root):
        yield to_finding(NAME, problem)
