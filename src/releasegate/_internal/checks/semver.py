"""The SemVer gate: valid, faithful to PEP 440, consistent across files, moving forward.

Projects that do not use SemVer (two-part ``26.3``, calendar ``25.4.0``) get every check
that holds for their scheme, and one note naming the SemVer-only rules that were skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.version import Version

from releasegate._internal.findings import REGISTERED, Finding, Severity, quoted
from releasegate._internal.problems import to_finding
from releasegate._internal.releases import (
    CHANGELOG_SOURCES,
    DECLARED,
    SCHEME_HINT,
    VCS_SOURCE,
    ReleaseTag,
    Scheme,
    SemverSettings,
    TagStyle,
    previous_release,
    release_floor,
    stated_versions,
    tag_style,
    version_hint,
    version_scheme,
)
from releasegate._internal.versioning import (
    ResolvedVersion,
    VersionProblem,
    format_tag,
    label_problem,
    parse_semver,
    resolve,
    resolve_loose,
)
from releasegate._internal.versionsources import (
    StatedVersion,
    backend_skipped,
    package_files,
    uses_vcs_version,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.project import Project

NAME = "semver"
SKIPPED = "three release components, SemVer pre-release labels, bump size from API changes"


@dataclass(frozen=True)
class State:
    """What every rule of one run reads: settings, tags, and whether this commit is a release."""

    settings: SemverSettings
    style: TagStyle
    tags: list[ReleaseTag]
    releasing: bool
    scheme: Scheme = Scheme.SEMVER


def _finding(
    rule: str,
    message: str,
    at: StatedVersion | None,
    hint: str | None = None,
    severity: Severity = REGISTERED,
) -> Finding:
    return Finding(
        NAME, rule, message, severity, at.path if at else None, at.line if at else None, hint
    )


def _between_releases(stated: StatedVersion, state: State) -> Finding | None:
    """A dev version in PEP 440's loose spelling (click's ``8.5.0.dev``) is never published."""
    try:
        loose = resolve_loose(stated.text)
    except VersionProblem:
        return None
    if state.releasing or not loose.canonical.is_devrelease:
        return None
    message = (
        f"{stated.source} {quoted(stated.text)} is a dev version that PEP 440 spells {quoted(loose.pep440)};"
        " fine between releases, but a release needs a normal version"
    )
    return _finding("dev-version", message, stated)


def _check_one(stated: StatedVersion, state: State) -> tuple[ResolvedVersion | None, list[Finding]]:
    """Resolve one statement under the scheme; the label policy speaks first (best hint)."""
    if state.scheme is not Scheme.SEMVER:
        return _check_pep440(stated, state)
    findings = []
    parsed = parse_semver(stated.text.strip())
    settings = state.settings
    problem = label_problem(parsed, settings.labels, settings.mutable_labels) if parsed else None
    if problem is not None:
        message = f"{stated.source} {quoted(stated.text)}: {problem.message}"
        findings.append(_finding("prerelease-label", message, stated, problem.hint))
    try:
        return resolve(stated.text), findings
    except VersionProblem as exc:
        note = _between_releases(stated, state)
        if note is not None:
            return resolve_loose(stated.text), [*findings, note]
        if problem is None:
            message = f"{stated.source} {quoted(stated.text)}: {exc.message}"
            findings.append(_finding("invalid-version", message, stated, _hint(stated, exc, state)))
        return None, findings


def _hint(stated: StatedVersion, problem: VersionProblem, state: State) -> str | None:
    """A valid PEP 440 version under an inferred SemVer: the project may follow another scheme.

    With no release to read the scheme from, ``1.2`` is a SemVer mistake (issue 28), but the
    fix may be to say the project numbers its releases otherwise.
    """
    if state.settings.scheme in DECLARED or state.tags:
        return problem.hint  # declared, or read from releases that are SemVer
    try:
        parts = len(resolve_loose(stated.text).canonical.release)
    except VersionProblem:
        return problem.hint
    if parts == 3:
        return problem.hint  # a SemVer-shaped mistake (a post-release, a loose spelling)
    return f"{problem.hint}, {SCHEME_HINT}" if problem.hint else SCHEME_HINT.removeprefix("or ")


def _check_pep440(
    stated: StatedVersion, state: State
) -> tuple[ResolvedVersion | None, list[Finding]]:
    """Valid and in PEP 440's normal form, so the tag and the index name the same release."""
    try:
        loose = resolve_loose(stated.text)
    except VersionProblem as exc:
        return None, [_finding("invalid-version", f"{stated.source}: {exc.message}", stated)]
    if loose.pep440 == loose.stated:
        return loose, []
    note = _between_releases(stated, state)
    if note is not None:
        return loose, [note]
    message = f"{stated.source} {quoted(stated.text)} becomes {quoted(loose.pep440)} under PEP 440"
    return None, [_finding("invalid-version", message, stated, f"write {loose.pep440}")]


def _comparable(text: str) -> Version | str:
    """A key under which two spellings of one version are equal, even an invalid one.

    Agreement is checked on every statement: an invalid version at one place must not
    hide that another place states something else entirely.
    """
    try:
        return resolve(text).canonical
    except VersionProblem:
        pass
    try:
        return Version(text.strip())
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        return text.strip()


def _agrees(version: Version | str, stated: StatedVersion, releasing: bool) -> bool:
    """Equal; or, for a changelog, the release this version is on its way to or from."""
    other = _comparable(stated.text)
    if other == version:
        return True
    if stated.source not in CHANGELOG_SOURCES:
        return False
    if not isinstance(version, Version) or not isinstance(other, Version):
        return False
    ahead = not releasing and other > version
    if version.is_prerelease and Version(version.base_version) == other:
        # "## 1.5.0 (unreleased)" for 1.5.0.dev0 / 1.5.0rc1; between releases also a plain
        # "## 3.2.0" heading: the entry being written for the release in progress (3.2.0.dev0).
        return stated.source == CHANGELOG_SOURCES[1] or not releasing
    if stated.source == CHANGELOG_SOURCES[1]:
        # "## [1.5.0] - Unreleased" above the released 1.4.0 the project still states: the next
        # release's notes, written before the version moves.
        return ahead
    # Between releases main carries a dev or pre-release above the last released entry.
    return version.is_prerelease and version > other


def _stale(stated: StatedVersion, state: State) -> ReleaseTag | None:
    """The last release, when the changelog's newest entry is older: a file the project stopped
    maintaining (one warning), not a version that disagrees."""
    if stated.source not in CHANGELOG_SOURCES:
        return None
    entry = _comparable(stated.text)
    finals = [t for t in state.tags if not t.version.canonical.is_prerelease]
    last = max(finals, key=lambda t: t.version.canonical, default=None)
    if isinstance(entry, Version) and last is not None and entry < last.version.canonical:
        return last
    return None


def _consistency(statements: list[StatedVersion], state: State) -> Iterator[Finding]:
    reference = statements[0]
    key = _comparable(reference.text)
    try:
        resolved = resolve(reference.text)
        hint = f"make every place state {resolved.semver} (PEP 440: {resolved.pep440})"
    except VersionProblem:
        hint = "make every place state the same (valid) version"
    for stated in statements[1:]:
        if not _agrees(key, stated, state.releasing):
            last = _stale(stated, state)
            if last is not None:
                yield _finding(
                    "changelog-stale",
                    f"the changelog's newest entry is {stated.text}, older than the last release"
                    f" {last.tag.name}: it is no longer kept up to date",
                    stated,
                    "add entries for the releases since, or set [tool.releasegate.semver]"
                    ' changelog = "" if the project keeps its notes elsewhere',
                )
                continue
            yield _finding(
                "version-mismatch",
                f"{stated.source} states {quoted(stated.text)} but {reference.where()} states {quoted(reference.text)}",
                stated,
                hint,
            )
        elif stated.source == CHANGELOG_SOURCES[1] and state.releasing:
            message = f"the changelog still calls {stated.text} unreleased"
            hint = "give the entry its release date before tagging"
            yield _finding("changelog-unreleased", message, stated, hint)


def _monotonic(
    project: Project, state: State, at: StatedVersion, version: ResolvedVersion
) -> Iterator[Finding]:
    tags, fmt = state.tags, state.style.format
    if not tags:
        return
    head = project.git.head
    floor = release_floor(project, version.canonical, tags)
    if floor is not None:
        yield _finding(
            "version-backwards",
            f"version {version.display} is lower than the release tag {floor.tag.name}",
            at,
            f"versions only move forward: use a version above {floor.version.display}",
        )
    at_head = [t for t in tags if t.tag.commit == head]
    for tagged in at_head:
        if at.source == VCS_SOURCE and tagged.version.canonical < version.canonical:
            continue  # the version is HEAD's newest tag: an older one is a past release of it
        if tagged.version.canonical != version.canonical:
            yield _finding(
                "tag-mismatch",
                f"HEAD is tagged {tagged.tag.name} but the project states {version.display}",
                at,
                f"tag the commit {format_tag(fmt, version.display)} or fix the version",
            )
        yield from _tag_form(state, tagged, at)
    same = [t for t in tags if t.version.canonical == version.canonical and t.tag.commit != head]
    if same and not any(t.version.canonical == version.canonical for t in at_head):
        if state.releasing:
            yield _finding(
                "version-reused",
                f"version {version.display} was already released as {same[0].tag.name}"
                f" on commit {same[0].tag.commit[:12]}",
                at,
                "a release needs a new version: bump it (`releasegate version --next patch`)",
            )
        elif state.settings.require_bump:
            yield _finding(
                "version-unchanged",
                f"version {version.display} equals the release {same[0].tag.name};"
                " this project requires a bump after a release",
                at,
                "bump it (`releasegate version --next patch`)",
            )


def _tag_form(state: State, tagged: ReleaseTag, at: StatedVersion) -> Iterator[Finding]:
    form = state.settings.tag_form
    if form == "any" or not tagged.version.exact or tagged.version.semver.pre is None:
        return
    wanted = str(tagged.version.semver) if form == "semver" else tagged.version.pep440
    expected = format_tag(state.style.format, wanted)
    if tagged.tag.name != expected:
        yield _finding(
            "tag-form", f"tag {tagged.tag.name} is not in {form} form", at, f"name it {expected}"
        )


def _no_version(project: Project, state: State) -> Finding:
    """What was looked for, and how this project would state it."""
    places = ["[project].version and [tool.poetry].version in pyproject.toml"]
    places += [f"__version__ in {p}" for p in package_files(project, state.settings.package)]
    if uses_vcs_version(project):
        places.append(f"a release tag ({state.style.format}) on HEAD")
    severity = Severity.ERROR if state.releasing else Severity.WARNING
    skipped = backend_skipped(project, state.settings.backend_metadata)
    unasked = "; the build backend was not asked (it would run the checkout's code)"
    return Finding(
        NAME,
        "no-version",
        f"no version found: looked for {', '.join(places)}{unasked if skipped else ''}",
        severity,
        "pyproject.toml" if project.pyproject else None,
        None,
        version_hint(project, state.settings),
    )


def _scheme_note(scheme: Scheme, at: StatedVersion, version: ResolvedVersion) -> Finding:
    if scheme is Scheme.SEMVER_SHORT:
        message = (
            f"{version.pep440} follows SemVer with the trailing .0 dropped, as the project's"
            f" releases do ({version.pep440} is {version.semver}): checked PEP 440 validity,"
            f" agreement and monotonicity, and the API gate sizes the bump; skipped the"
            f" SemVer-only spelling rules (three release components, SemVer pre-release labels)"
        )
        return _finding("scheme", message, at)
    kind = "calendar versions" if scheme is Scheme.CALENDAR else "PEP 440 versions, not SemVer"
    message = (
        f"{version.pep440} follows {kind}: checked PEP 440 validity, agreement and"
        f" monotonicity; skipped the SemVer-only rules ({SKIPPED})"
    )
    return _finding("scheme", message, at)


def _state(context: CheckContext) -> State:
    project = context.project
    settings = context.settings(SemverSettings)
    style = tag_style(project, settings) if project.git.tags else TagStyle("v{version}", True)
    tags = list(style.tags)
    head = project.git.head
    at_head = any(t.tag.commit == head for t in tags)
    return State(settings, style, tags, context.options.release or at_head)


def _scheme_of(state: State) -> Scheme:
    return version_scheme(state.tags, state.settings.scheme)


def _tag_hint(tag_format: str) -> str:
    """What to tag: the form this project reads (a workspace member's ``name-v1.2.3``), not a
    plain ``v1.2.3`` that a member of a workspace with tags of its own would never match."""
    from releasegate._internal.releases import AUTO

    if tag_format == AUTO or not tag_format.partition("{version}")[0].rstrip("v"):
        return "tag releases 1.2.3 or v1.2.3, or set [tool.releasegate.semver] tag-format"
    example = tag_format.replace("{version}", "1.2.3")
    return (
        f"tag releases {example}, or set [tool.releasegate.semver] tag-format to the form "
        "this project's release tags take (a member released under another's tag: that tag)"
    )


def run(context: CheckContext) -> Iterator[Finding]:
    project = context.project
    state = _state(context)
    statements, problems = stated_versions(project, state.settings)
    for problem in problems:
        yield to_finding(NAME, problem)
    if state.style.note is not None:
        hint = _tag_hint(state.settings.tag_format)
        yield Finding(NAME, "no-release-tags", state.style.note, path=None, line=None, hint=hint)
    own = [s for s in statements if s.source not in CHANGELOG_SOURCES]
    vcs = uses_vcs_version(project)
    if not own and (vcs or not statements):
        if state.releasing or not vcs:
            yield _no_version(project, state)
        return  # between releases a VCS-versioned project states no version; tags are the truth
    if not own and backend_skipped(project, state.settings.backend_metadata):
        yield _no_version(project, state)  # only the changelog is checked: said, never silent
    state = State(state.settings, state.style, state.tags, state.releasing, _scheme_of(state))
    checked = [_check_one(stated, state) for stated in statements]
    for _, findings in checked:
        yield from findings
    yield from _consistency(statements, state)
    first = checked[0][0]
    if state.scheme is not Scheme.SEMVER and first is not None:
        yield _scheme_note(state.scheme, statements[0], first)
    if first is not None:
        _name_base(context, state, first)
        yield from _monotonic(project, state, statements[0], first)


def _name_base(context: CheckContext, state: State, version: ResolvedVersion) -> None:
    """The release this version follows, by version order: in the summary and the JSON data.

    The same choice the API gate makes (``previous_release``), read from the tags already
    listed: a hook asks git nothing more for it.
    """
    head = context.project.git.head
    at_head = context.project.git.tags_at_head()
    base = previous_release(
        state.tags, version.canonical, head, own=state.releasing, at_head=at_head
    )
    context.data["version"] = version.display
    if base is None:
        if state.tags:
            context.summary.append(f"version {version.display}, no release before it")
        return
    context.data["base"] = {
        "tag": base.tag.name,
        "version": base.version.display,
        "commit": base.tag.commit,
    }
    context.summary.append(f"version {version.display}, base release {base.tag.name}")
