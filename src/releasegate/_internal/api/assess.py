"""The whole assessment: last release, versions, API and metadata changes, commits, allowlist.

Shared by the gate (``checks/api.py``) and ``releasegate version --next auto``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.api.bumps import Bump, Impact, actual_bump, required_bump
from releasegate._internal.api.commits import Commit, since
from releasegate._internal.api.settings import covers
from releasegate._internal.api.trees import api_changes

if TYPE_CHECKING:
    from releasegate._internal.api.changes import Change, Problem
    from releasegate._internal.api.settings import ApiSettings
    from releasegate._internal.project import Project
    from releasegate._internal.releases import ReleaseTag, Scheme, SemverSettings
    from releasegate._internal.versioning import ResolvedVersion, SemVer
    from releasegate._internal.waivers import Waiver


@dataclass(frozen=True)
class Assessment:
    base: ReleaseTag | None
    """The last final release reachable from HEAD; None before the first release."""
    current: ResolvedVersion | None
    """The version the project states now; None when it states none."""
    changes: tuple[Change, ...] = ()
    """Changes that count (allowlisted ones are in ``allowed``)."""
    allowed: tuple[tuple[Change, Waiver], ...] = ()
    expired: tuple[Waiver, ...] = ()
    commits: tuple[Commit, ...] = ()
    problems: tuple[Problem, ...] = ()
    scheme: Scheme | None = None
    """How the project numbers releases; bump sizes are SemVer's, so held only under SemVer."""
    taken: frozenset[str] = frozenset()
    """The versions (PEP 440) already released from other commits: never proposed again."""

    @property
    def sized(self) -> bool:
        """The bump must cover the changes: SemVer only (None: a caller that did not ask)."""
        from releasegate._internal.releases import Scheme

        return self.scheme in (None, Scheme.SEMVER, Scheme.SEMVER_SHORT)

    def need(self, impact: Impact) -> Bump:
        return required_bump(impact, self.base.version.semver) if self.base else Bump.NONE

    @property
    def actual(self) -> Bump:
        if self.base is None or self.current is None:
            return Bump.NONE
        return actual_bump(self.base.version.semver, self.current.semver)

    @property
    def api_required(self) -> Bump:
        counted = (c for c in self.changes if not c.kind.unproven)
        return max((self.need(c.impact) for c in counted), default=Bump.NONE)

    @property
    def commits_required(self) -> Bump:
        return max((self.need(c.impact) for c in self.commits if c.impact), default=Bump.NONE)

    @property
    def required(self) -> Bump:
        return max(self.api_required, self.commits_required)

    def proposal(self) -> SemVer | None:
        """The smallest version that satisfies the gate: the base bumped by what is required."""
        from releasegate._internal.versioning import next_version, semver_to_pep440

        if self.base is None:
            return self.current.semver if self.current else None
        bump = max(self.required, Bump.PATCH).label
        proposal = next_version(self.base.version.semver, bump)
        # A version tagged elsewhere (a release branch's 3.0.1 seen from main) is taken: the
        # next free one of the same size is the answer (3.0.2; 3.2.0 when 3.1.0 is taken).
        while semver_to_pep440(proposal) in self.taken:
            proposal = next_version(proposal, bump)
        return proposal


def last_release(
    project: Project,
    settings: SemverSettings,
    releasing: bool = False,
    current: ResolvedVersion | None = None,
) -> ReleaseTag | None:
    """The release the work is compared with: the one ``current`` follows by version order.

    Ancestry does not decide (issue 28): werkzeug tagged 2.3.3 on a commit 2.3.4 does not
    descend from, and 3.0.1 follows 3.0.0 however the 2.3.x branch merged. When a release is
    being made (a tag build in CI), or HEAD is a tagged release checked out as it is, HEAD's own
    tags are that release and the previous one is the base: a tagged HEAD is gated the same
    locally and in CI (issue 13). With changes on top of a tagged HEAD (a pre-commit run),
    HEAD's tag is the base for that work.
    """
    from releasegate._internal.releases import previous_release, release_tags

    tags = release_tags(project, settings)
    head = project.git.head
    if not tags or head is None:
        return None
    # Untracked files (caches, build output) are no work on top of the tag: only tracked changes
    # make a tagged HEAD the base for that work rather than the release being made.
    changed = project.git.run("status", "--porcelain", "--untracked-files=no", check=False)
    own = releasing or not changed.strip()
    if current is not None:
        at_head = project.git.tags_at_head()
        base = previous_release(tags, current.canonical, head, own=own, at_head=at_head)
        if base is not None:
            return base
    # No version stated (VCS-versioned between releases), or one below every release (a
    # 0.0.0 placeholder): the newest final release HEAD descends from.
    merged = project.git.merged_tags
    reachable = [t for t in tags if t.tag.name in merged]
    return previous_release(reachable, None, head, own=own, at_head=project.git.tags_at_head())


def stated_version(project: Project, settings: SemverSettings) -> ResolvedVersion | None:
    """The version the project states, or the one the release tags on HEAD state.

    A version the version sources cannot read (click 8.1: ``version = attr:
    click.__version__`` in setup.cfg) is still stated by the tag a release is made from;
    without it the gate took every release for "no bump yet" and passed click's removals.
    """
    from releasegate._internal.errors import FatalError
    from releasegate._internal.releases import current_version, release_tags

    try:
        return current_version(project, settings)
    except FatalError:
        head = project.git.head
        tagged = [t for t in release_tags(project, settings) if t.tag.commit == head]
        if head is None or not tagged:
            return None
        return max(tagged, key=lambda t: t.version.canonical).version


def assess(
    project: Project,
    settings: ApiSettings,
    semver: SemverSettings,
    releasing: bool = False,
    nested: tuple[str, ...] = (),
) -> Assessment:
    """``nested``: folders of other projects inside this one (workspace members): not its own."""
    current = stated_version(project, semver)
    base = last_release(project, semver, releasing, current)
    if base is None:
        return Assessment(None, current)
    changes, problems = api_changes(project, settings, base.tag.commit)
    changes.extend(metadata_changes(project, base.tag.commit))
    kept, allowed, expired = apply_allowlist(
        changes, settings.allow, dt.datetime.now(dt.timezone.utc).date()
    )
    commits = tuple(since(project.git, base.tag.commit, nested)) if settings.commits else ()
    return Assessment(
        base,
        current,
        tuple(kept),
        tuple(allowed),
        tuple(expired),
        commits,
        tuple(problems),
        scheme_of(project, semver),
        taken(project, semver),
    )


def taken(project: Project, semver: SemverSettings) -> frozenset[str]:
    """Versions released from other commits: HEAD's own tags are the release being made, whose
    version is the right answer for it."""
    from releasegate._internal.releases import release_tags

    head = project.git.head
    return frozenset(
        t.version.pep440 for t in release_tags(project, semver) if t.tag.commit != head
    )


def scheme_of(project: Project, semver: SemverSettings) -> Scheme:
    """The SemVer gate's reading of the scheme, so the two gates never disagree on it."""
    from releasegate._internal.releases import release_tags, version_scheme

    return version_scheme(release_tags(project, semver), semver.scheme)


def apply_allowlist(
    changes: list[Change], allow: tuple[Waiver, ...], today: dt.date
) -> tuple[list[Change], list[tuple[Change, Waiver]], list[Waiver]]:
    """Split off changes covered by a live entry; an expired entry covers nothing."""
    live = [entry for entry in allow if not entry.expired(today)]
    kept, allowed = [], []
    for change in changes:
        entry = next((e for e in live if covers(e, change.target)), None)
        if entry is None:
            kept.append(change)
        else:
            allowed.append((change, entry))
    return kept, allowed, [entry for entry in allow if entry.expired(today)]


def metadata_changes(project: Project, commit: str) -> list[Change]:
    """``[project]`` (or Poetry 1's tables standing for it) at ``commit`` against the tree."""
    from releasegate._internal.api import metadata
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.tomldoc import parse_toml

    text = project.git.show(commit, metadata.PYPROJECT)
    if text is None or project.pyproject is None:
        return []
    try:
        released = parse_toml(project.root / metadata.PYPROJECT, text, metadata.PYPROJECT)
    except ConfigError:
        return []  # the release's pyproject.toml is history; a broken one cannot be fixed now
    old, _ = metadata.metadata_of(released.data)
    new, keys = metadata.metadata_of(project.pyproject.data)
    return metadata.compare(old, new, project.pyproject, keys)


def next_auto(project: Project, semver: SemverSettings) -> SemVer:
    """``releasegate version --next auto``: the smallest version the API gate accepts."""
    from releasegate._internal.api.settings import ApiSettings
    from releasegate._internal.errors import FatalError

    settings = project.config.settings(ApiSettings)
    assessment = assess(project, settings, semver)
    if not assessment.sized:
        from releasegate._internal.errors import UsageError

        scheme = assessment.scheme.value if assessment.scheme else "?"
        raise UsageError(
            f"the project numbers its releases by {scheme} versions, not SemVer: no bump"
            " follows from its API changes",
            hint="choose the next version yourself (`releasegate check api` lists the changes)",
        )
    proposal = assessment.proposal()
    if proposal is None:
        raise FatalError(
            "no release tag and no stated version to start from",
            hint="set [project].version for the first release",
        )
    return proposal
