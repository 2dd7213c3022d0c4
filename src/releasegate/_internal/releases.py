"""The project's version and its release tags: what the SemVer gate, the API gate,
``releasegate version`` and the Action's outputs all read.

Settings come from ``[tool.releasegate.semver]``; the gate module only turns what is
found here into findings.
"""

from __future__ import annotations

import enum
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from releasegate._internal import changelogs
from releasegate._internal.errors import FatalError
from releasegate._internal.problems import FileProblem
from releasegate._internal.versioning import (
    ResolvedVersion,
    VersionProblem,
    resolve,
    resolve_loose,
    tag_pattern,
)
from releasegate._internal.versionsources import (
    StatedVersion,
    VersionFile,
    backend_skipped,
    backend_version,
    configured_files,
    dynamic_sources,
    package_files,
    read_assignment,
    uses_vcs_version,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

    from packaging.version import Version

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
    scheme: str = "auto"
    """``auto``: read from the release tags (SemVer before the first); or the declared scheme."""

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
            scheme=section["scheme"],
        )


AUTO = "auto"
TAG_STYLES = ("v{version}", "{version}")
"""What ``tag-format = "auto"`` chooses from: 7 of 10 real projects tag ``1.2.3``, the rest
``v1.2.3``. Prefixes such as ``name-1.2.3`` come from configuration: releasegate's, or the VCS
version plugin's (vcstags.py)."""
CHANGELOG_SOURCES = ("changelog", "changelog (unreleased)")
VCS_SOURCE = "git tag"
"""The source of a version read from the release tag on HEAD (a VCS-versioned project)."""


@dataclass(frozen=True)
class ReleaseTag:
    tag: Tag
    version: ResolvedVersion


@dataclass(frozen=True)
class TagStyle:
    format: str
    """The tag format in force: configured, or detected from the repository's tags."""
    detected: bool
    note: str | None = None
    """Tags exist but none is a release tag of this format: said, never silently ignored."""
    tags: tuple[ReleaseTag, ...] = ()
    """The release tags of this format (read once: hooks run on every commit)."""


class Scheme(enum.Enum):
    """How the project numbers its releases; SemVer-only rules apply only to ``SEMVER``."""

    SEMVER = "SemVer"
    SEMVER_SHORT = "SemVer with the trailing .0 dropped"
    """``3.4``, ``3.4.1``, ``3.5``: SemVer's meaning in PEP 440's shortest spelling (networkx,
    Python-Markdown, tzlocal). Bumps are SemVer's (``3.5`` is ``3.5.0``); the spelling is PEP
    440's, so the SemVer-only spelling rules do not apply."""
    CALENDAR = "calendar"
    PEP440 = "PEP 440"


def _tag_version(pattern: re.Pattern[str], name: str) -> ResolvedVersion | None:
    match = pattern.match(name)
    # A digit first: PEP 440 would also read "v1.0" as a version under the bare style.
    if match is None or not match.group("version")[:1].isdigit():
        return None
    try:
        return resolve_loose(match.group("version"))
    except VersionProblem:
        return None


def _tags_of(project: Project, tag_format: str) -> list[ReleaseTag]:
    pattern = tag_pattern(tag_format)
    found = []
    for tag in project.git.tags:
        version = _tag_version(pattern, tag.name)
        if version is not None:
            found.append(ReleaseTag(tag, version))
    return found


def _unmatched_note(project: Project, tag_format: str) -> str | None:
    names = [t.name for t in project.git.tags]
    if not names:
        return None
    shown = ", ".join(names[-3:])
    return (
        f"none of the repository's {len(names)} tag(s) ({shown}) is a release tag of the form"
        f" {tag_format}: the version is not compared with past releases"
    )


def tag_style(project: Project, settings: SemverSettings) -> TagStyle:
    """The tag format: the configured one, or the style of the newest release tag.

    The newest wins over the most common so that a project that changed style follows its
    present one, and a stray old tag of the other style (rich's ``9.12.0`` among ``v`` tags)
    never becomes the baseline.
    """
    if settings.tag_format != AUTO:
        return _configured_style(project, settings.tag_format)
    from releasegate._internal.vcstags import configured_tag_format

    # The VCS plugin's own tag pattern (hatch-vcs ``--match hatch-v*``, setuptools-scm
    # ``tag_regex``) is the project's statement of its tag form (hatch-v1.18.0, issue 26).
    plugin_format = configured_tag_format(project.pyproject)
    if plugin_format is not None:
        return _configured_style(project, plugin_format)
    newest: tuple[int, int, str] | None = None
    by_style = {style: _tags_of(project, style) for style in (*TAG_STYLES, *_named(project))}
    for style, found in by_style.items():
        if found:
            key = (max(t.tag.created or 0 for t in found), len(found), style)
            newest = key if newest is None else max(newest, key)
    if newest is None:
        note = _unmatched_note(project, "1.2.3 or v1.2.3")
        return TagStyle(TAG_STYLES[0], detected=True, note=note)
    return TagStyle(newest[2], detected=True, tags=tuple(by_style[newest[2]]))


def _named(project: Project) -> tuple[str, ...]:
    """Tag styles that name the project: networkx tags ``networkx-3.5``, others ``name-v1.2.3``
    (a project that tags so was read as having no release at all, and ``3.5`` as a SemVer
    mistake)."""
    name = project.name
    if not name:
        return ()
    # PEP 503's normal form, without packaging.utils (it imports packaging.tags: a hook's cost).
    names = dict.fromkeys((name, re.sub(r"[-_.]+", "-", name).lower()))
    return tuple(f"{n}{sep}{{version}}" for n in names for sep in ("-", "-v", "@"))


def _configured_style(project: Project, tag_format: str) -> TagStyle:
    found = _tags_of(project, tag_format)
    note = None if found else _unmatched_note(project, tag_format)
    return TagStyle(tag_format, detected=False, note=note, tags=tuple(found))


def release_tags(project: Project, settings: SemverSettings) -> list[ReleaseTag]:
    """Tags of the project's tag style that carry a PEP 440 version (SemVer or not)."""
    if not project.git.tags:
        return []
    return list(tag_style(project, settings).tags)


def _calendar(tags: list[ReleaseTag]) -> bool:
    """The newest final releases are numbered by the year they were made in (``26.1`` in 2026)."""
    dated = [t for t in tags if t.tag.created and t.version.semver.pre is None]
    newest = sorted(dated, key=lambda t: t.version.canonical)[-2:]
    if not newest:
        return False
    for tagged in newest:
        year = time.gmtime(tagged.tag.created or 0).tm_year
        if tagged.version.semver.major not in (year, year % 100):
            return False
    return True


DECLARED = {"semver": Scheme.SEMVER, "calendar": Scheme.CALENDAR, "pep440": Scheme.PEP440}
"""``[tool.releasegate.semver] scheme``: what a project declares instead of being read."""
SCHEME_HINT = (
    'or declare the scheme the project follows: [tool.releasegate.semver] scheme = "pep440"'
    ' (or "calendar")'
)


def version_scheme(tags: list[ReleaseTag], declared: str = AUTO) -> Scheme:
    """SemVer, calendar (the major is the year of release) or other PEP 440 (``26.3``).

    Read from the project's release history, never from the version alone: a ``1.2`` with no
    release before it is a SemVer mistake until the project says otherwise (issue 28).
    """
    if declared in DECLARED:
        return DECLARED[declared]
    if _calendar(tags):
        return Scheme.CALENDAR
    # The newest release decides: a project that changed scheme follows its present one.
    newest = max(tags, key=lambda t: t.tag.created or 0, default=None)
    if newest is not None and _short_semver(tags, newest):
        return Scheme.SEMVER_SHORT
    if newest is not None and len(newest.version.canonical.release) != 3:
        return Scheme.PEP440
    return Scheme.SEMVER


def _short_semver(tags: list[ReleaseTag], newest: ReleaseTag) -> bool:
    """The newest major's releases are ``X.Y`` and ``X.Y.Z`` both, never longer: patches get a
    third number and minors do not (networkx 3.4, 3.4.1, 3.4.2, 3.5). Only ``X.Y`` (idna 3.7,
    packaging 24.1) says nothing about what a change is worth: PEP 440."""
    major = newest.version.canonical.release[0]
    lengths = {
        len(t.version.canonical.release)
        for t in tags
        if t.version.semver.pre is None and t.version.canonical.release[0] == major
    }
    return lengths == {2, 3}


def previous_release(
    tags: Iterable[ReleaseTag],
    version: Version | None,
    head: str | None,
    *,
    own: bool,
    at_head: Iterable[Tag] = (),
) -> ReleaseTag | None:
    """The release ``version`` follows: the greatest final release below it, by version order.

    Order, not ancestry (issue 28): a release branch tags 2.3.3 on a commit 2.3.4 does not
    descend from (werkzeug), and a maintenance 3.6.6 made after 4.0.0 follows 3.6.5.

    ``own``: HEAD's tags are the release being made (a release run, or a tagged HEAD checked
    out as it is), so a tag of ``version`` there is not its base (an older release of the same
    commit is: anyio's 4.6.2 for 4.6.2.post1), and a release made after it (werkzeug's 2.3.8, a
    month after 3.0.0) is not either. Otherwise a release of the same
    version is the base of the work on top of it. Post-releases are finals; pre- and dev
    releases never are a base. ``version`` None: the greatest of ``tags`` not on HEAD.
    ``at_head``: every tag on HEAD, which dates the release (``existing``).
    """
    finals = [t for t in tags if t.version.semver.pre is None]
    if own:
        mine = [t for t in finals if t.tag.commit == head and _same(t, version)]
        finals = [t for t in existing(finals, version, head, at_head) if t not in mine]
        released = bool(mine)
        if released and version is not None:
            return _greatest(t for t in finals if t.version.canonical < version)
    if version is None:
        return _greatest(finals)
    return _greatest(t for t in finals if t.version.canonical <= version)


def _same(tagged: ReleaseTag, version: Version | None) -> bool:
    return version is None or tagged.version.canonical == version


def existing(
    tags: list[ReleaseTag], version: Version | None, head: str | None, at_head: Iterable[Tag] = ()
) -> list[ReleaseTag]:
    """The releases that existed when HEAD's release of ``version`` was tagged.

    A release checked again later (a CI re-run, werkzeug 2.3.4 today) was not below 2.3.8,
    which did not exist yet. Only what provably came later is left out: a release whose commit
    is newer than HEAD's first tag. A tag's own date may be far later than its release: urllib3
    tagged 2.0.5 and 2.0.6 again, in their other style, a year after, so every tag on HEAD
    (``at_head``, any style) dates the release. HEAD untagged: every release.
    """
    made = [t.tag.created for t in tags if t.tag.commit == head and _same(t, version)]
    if not made or not all(made):
        return tags
    first = min([m or 0 for m in made] + [t.created for t in at_head if t.created])
    return [t for t in tags if (t.tag.committed or t.tag.created or 0) <= first]


def _line(version: Version) -> tuple[int, ...]:
    """The release line, major.minor: maintenance branches are cut per minor (3.6.x, 4.1.x)."""
    return (*version.release, 0)[:2]


def _binds(tagged: ReleaseTag, line: tuple[int, ...], merged: frozenset[str]) -> bool:
    """A release HEAD descends from, or of the same line; a pre-release only of its own line."""
    same_line = _line(tagged.version.canonical) == line
    if tagged.version.canonical.is_prerelease:
        return same_line
    return same_line or tagged.tag.name in merged


def release_floor(project: Project, version: Version, tags: list[ReleaseTag]) -> ReleaseTag | None:
    """The highest release above ``version`` that it must not go below.

    Only releases HEAD descends from, or of the same release line, set the floor: 3.6.6 made on
    a 3.6.x branch after 4.0.0 is a maintenance release, and httpx made 0.19 to 0.28 after
    1.0.0.beta0. ``git tag --merged`` runs only when some tag is higher, so the usual commit
    pays nothing for it.
    """
    line = _line(version)
    before = existing(tags, version, project.git.head, project.git.tags_at_head())
    higher = [t for t in before if t.version.canonical > version]
    if all(_line(t.version.canonical) == line or t.version.canonical.is_prerelease for t in higher):
        merged: frozenset[str] = frozenset()  # reachability cannot change the answer
    else:
        merged = project.git.merged_tags
    binding = [t for t in higher if _binds(t, line, merged)]
    return max(binding, key=lambda t: t.version.canonical, default=None)


def _greatest(tags: Iterable[ReleaseTag]) -> ReleaseTag | None:
    return max(tags, key=lambda t: t.version.canonical, default=None)


def version_hint(project: Project, settings: SemverSettings) -> str:
    """How to state the version, in the project's own terms (no "[project].version" for VCS)."""
    if uses_vcs_version(project):
        example = tag_style(project, settings).format.replace("{version}", "1.2.3")
        return f"the version comes from git tags: tag the release commit (e.g. {example})"
    if backend_skipped(project, settings.backend_metadata):
        return (
            "only the build backend knows this dynamic version, and asking it runs the checkout's "
            "code: on a trusted commit run with --allow-backend (--release and tag builds ask "
            "it), or state __version__ where the backend reads it"
        )
    dynamic = project.metadata.get("dynamic")
    if isinstance(dynamic, list) and "version" in dynamic:
        return (
            "state __version__ where the build backend reads it, or name that module in"
            " [tool.releasegate.semver] package"
        )
    return "set [project].version in pyproject.toml"


def head_tag_versions(project: Project, settings: SemverSettings) -> list[StatedVersion]:
    """The newest release tag on HEAD as a statement: the version of a VCS-versioned project.

    One commit released twice (anyio tagged 4.6.2, then 4.6.2.post1 on the same commit) has
    one version now, the newest, as ``git describe`` says; the older tag is a past release.
    """
    head = project.git.head
    tagged = [t for t in release_tags(project, settings) if t.tag.commit == head]
    newest = max(tagged, key=lambda t: (t.tag.created or 0, t.version.canonical), default=None)
    return [] if newest is None else [StatedVersion(VCS_SOURCE, newest.version.stated, None, None)]


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
    # No [project] table at all (metadata in setup.cfg: tenacity) with a VCS plugin configured
    # is a version from git tags too.
    legacy = doc is not None and not isinstance(doc.get("project"), dict)
    vcs = (is_dynamic or legacy) and uses_vcs_version(project)
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
    if (is_dynamic or vcs) and not found:
        found.extend(_fallback(project, settings, vcs))
    entry = _changelog(project, settings, problems)
    if entry is not None:
        found.append(entry)
    for item in configured_files(project, list(settings.version_files)):
        if isinstance(item, FileProblem):
            problems.append(item)
        else:
            found.append(item)
    unique = list({(s.path, s.line, s.text): s for s in found}.values())
    return unique, problems


def _fallback(project: Project, settings: SemverSettings, vcs: bool) -> list[StatedVersion]:
    """A dynamic version no file states: the release tag on HEAD (VCS), or the backend's."""
    if vcs:
        return head_tag_versions(project, settings)
    from_backend = backend_version(project) if settings.backend_metadata else None
    return [from_backend] if from_backend is not None else []


def _changelog(
    project: Project, settings: SemverSettings, problems: list[FileProblem]
) -> StatedVersion | None:
    """The changelog's top entry; a note among ``problems`` when it cannot be read right."""
    if settings.changelog not in ("", changelogs.AUTO):
        from releasegate._internal.paths import inside

        inside(project.root, settings.changelog, "[tool.releasegate.semver] changelog")
    reading = changelogs.read(project.root, settings.changelog)
    if reading is None:
        return None
    if reading.entry is None:
        if reading.note is not None:
            note = f"changelog not compared: {reading.note}"
            problems.append(FileProblem("changelog-skipped", note, reading.path))
        return None
    source = CHANGELOG_SOURCES[0] if reading.entry.released else CHANGELOG_SOURCES[1]
    return StatedVersion(source, reading.entry.version, reading.path, reading.entry.line)


def current_version(project: Project, settings: SemverSettings) -> ResolvedVersion:
    """The project's version, for ``releasegate version``; FatalError when it has none.

    A changelog names the last release, not the version: it counts only when nothing else
    states one, and never for a VCS-versioned project (whose version is the tag on HEAD).
    """
    statements, _ = stated_versions(project, settings)
    own = [s for s in statements if s.source not in CHANGELOG_SOURCES]
    if not own and not uses_vcs_version(project):
        own = statements
    if not own:
        raise FatalError("no version found", hint=version_hint(project, settings))
    try:
        return resolve(own[0].text)
    except VersionProblem as exc:
        problem = exc
    try:
        # Two-part, calendar and ``.dev`` versions are real (packaging 26.3, click 8.5.0.dev).
        return resolve_loose(own[0].text)
    except VersionProblem:
        raise FatalError(f"{own[0].where()}: {problem.message}", hint=problem.hint) from None
