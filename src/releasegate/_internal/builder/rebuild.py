"""The rebuilder's job: rebuild a published wheel from its published sdist, and compare.

The conditions come from ``BUILDINFO.json`` (``releasegate build`` writes it beside
``SHA256SUMS``): ``SOURCE_DATE_EPOCH`` and every distribution of the build environment. Without
it they are read from the artifacts: the backend and its version from the wheel's ``WHEEL``
``Generator`` line, ``SOURCE_DATE_EPOCH`` from the sdist's member times (backends that honour it
stamp every member with it). The rebuild runs under the gate's reference conditions (umask 022,
TZ=UTC0, C.UTF-8, PYTHONHASHSEED=0) and a difference gets the same classified explanation.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.archives import Limits, read_archive
from releasegate._internal.builder.conditions import reference
from releasegate._internal.builder.diff import HINTS, Comparison, Problem, explain
from releasegate._internal.builder.inference import UTC, Attempt, attempts
from releasegate._internal.builder.pep517 import BuildEnvironment, BuildSettings, backend_output
from releasegate._internal.builder.publisher import clock_cause, deflate_cause
from releasegate._internal.builder.repaired import comparable, left_out, repair_of
from releasegate._internal.builder.shipping import BUILDINFO_FILE, build_system_of
from releasegate._internal.builder.unpack import UnsafeArchive, extract_sdist
from releasegate._internal.errors import FatalError
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive
    from releasegate._internal.builder.conditions import Conditions
    from releasegate._internal.builder.pep517 import Installer
    from releasegate._internal.builder.plugins import IndexFiles

_GENERATOR = re.compile(r"^Generator:\s*(?P<name>[A-Za-z0-9._-]+)\s*\(?(?P<version>[0-9][^\s)]*)")
_GENERATOR_DISTS = {"bdist_wheel": "wheel", "flit": "flit_core"}
"""Generators named after a command or a tool rather than the distribution that wrote the wheel:
flit-core writes ``Generator: flit 3.10.1`` (flask 3.1.0), and flit and flit-core share versions.
Without the mapping the backend went unpinned and the rebuild differed in METADATA and WHEEL."""


_BACKENDS = frozenset({"flit-core", "hatchling", "poetry-core", "pdm-backend", "setuptools"})
"""Backends a wrapper requirement may install (flit-scm, hatch-fancy-pypi-readme's users...)."""


@dataclass(frozen=True)
class RebuildConditions:
    """What the rebuild pins, and where each value came from."""

    source_date_epoch: int | None
    pins: dict[str, str] = field(default_factory=dict)
    said: tuple[str, ...] = ()
    attempts: tuple[Attempt, ...] = ()
    """What the rebuild tries, in order, until one reproduces: the recorded or given
    conditions alone, or the plausible ones inferred from the published wheel."""


@dataclass(frozen=True)
class RebuildOptions:
    isolated: bool = True
    installer: Installer = "auto"
    buildinfo: Path | None = None
    """None: ``BUILDINFO.json`` beside the wheel, if there is one."""
    source_date_epoch: int | None = None
    """Overrides the recorded or inferred value."""
    epoch_unset: bool = False
    """``--source-date-epoch none``: rebuild with SOURCE_DATE_EPOCH unset."""
    tz: str | None = None
    """Overrides the time zone (the inferred one, or UTC)."""
    keep: Path | None = None
    limits: Limits = field(default_factory=Limits)
    index_files: IndexFiles | None = None
    """An index's files of a project, to pin a VCS plugin as on the release's day (None: the
    plugin is not pinned, and that is said)."""


@dataclass(frozen=True)
class RebuildResult:
    published: str
    rebuilt: str
    """sha256 of the published and of the rebuilt wheel."""
    problems: tuple[Problem, ...]
    """The verdict, then what differs: the rebuild command places them as findings."""
    conditions: RebuildConditions
    name: str = ""
    """The published wheel's file name."""
    output: str = ""
    """What the backend printed (shown only on request)."""

    @property
    def reproduced(self) -> bool:
        return self.published == self.rebuilt

    def data(self) -> dict[str, object]:
        """The verdict as fields, shaped as the reproducible gate's artifacts."""
        return {
            "kind": "wheel",
            "name": self.name,
            "identical": self.reproduced,
            "builds": [
                {"label": "published", "sha256": self.published},
                {"label": "rebuilt", "sha256": self.rebuilt},
            ],
        }


def _read_buildinfo(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FatalError(f"{path}: cannot read the build record: {exc}") from None
    if not isinstance(data, dict):
        raise FatalError(f"{path}: a build record is a JSON object")
    return data


def _generator(wheel: Archive) -> tuple[str, str] | None:
    """The backend distribution and version from ``*.dist-info/WHEEL``'s Generator line."""
    for member in wheel.members:
        if member.name.endswith(".dist-info/WHEEL") and member.content is not None:
            for line in member.content.decode("utf-8", "replace").splitlines():
                match = _GENERATOR.match(line)
                if match:
                    name = match["name"]
                    return _GENERATOR_DISTS.get(name, name), match["version"]
    return None


def conditions_of(
    sdist: Archive, wheel: Archive, options: RebuildOptions, requires: list[str]
) -> RebuildConditions:
    info_path = options.buildinfo or wheel.path.parent / BUILDINFO_FILE
    said: list[str] = []
    pins: dict[str, str] = {}
    if options.buildinfo is not None or info_path.is_file():
        info = _read_buildinfo(info_path)
        recorded = info.get("source_date_epoch")
        tried = [Attempt(recorded if isinstance(recorded, int) else None, UTC, "recorded")]
        environment = info.get("environment")
        if isinstance(environment, dict):
            pins = {str(k): str(v) for k, v in environment.items() if k not in ("pip",)}
        said.append(f"conditions from {info_path}")
    else:
        pins, pinned = _backend_pin(wheel, requires)
        said.extend(pinned)
        plugins, about = _plugin_pins(wheel, requires, options, also=_to_date(pins, requires))
        pins.update(plugins)
        said.extend(about)
        tried = attempts(sdist, wheel)
        said.append("no BUILDINFO.json: conditions inferred from the published wheel and sdist")
    tried = _overridden(tried, options, said)
    return RebuildConditions(tried[0].epoch, pins, tuple(said), tuple(tried))


def _backend_pin(wheel: Archive, requires: list[str]) -> tuple[dict[str, str], list[str]]:
    """The backend pinned as the wheel's Generator line names it, when it is a build
    requirement; otherwise said, so that an unpinned rebuild is never silent."""
    generator = _generator(wheel)
    if generator is None:
        return {}, ["the wheel names no Generator: the backend is not pinned"]
    names = {_name(r) for r in requires}
    if _name(generator[0]) in names:
        pin = f"backend {generator[0]}=={generator[1]} from the wheel's Generator line"
        return {generator[0]: generator[1]}, [pin]
    if generator[0] == "wheel" and "setuptools" in names:
        # setuptools before 70.1 wrote wheels through the wheel package's bdist_wheel, which it
        # asks for at build time: that one is pinned, setuptools itself dated (requests 2.32.3).
        return {"wheel": generator[1]}, [
            f"the wheel's Generator bdist_wheel {generator[1]} is not among the build"
            f" requirements ({', '.join(sorted(names))}): wheel=={generator[1]} pinned, the"
            " setuptools that called it dated by the release day"
        ]
    if _name(generator[0]) in _BACKENDS:
        # A wrapper backend (flit_scm over flit_core: exceptiongroup 1.2.2) installs it.
        return {generator[0]: generator[1]}, [
            f"backend {generator[0]}=={generator[1]} from the wheel's Generator line (not a build"
            f" requirement itself: a dependency of {', '.join(sorted(names))})"
        ]
    return {}, [
        f"the wheel's Generator {generator[0]} {generator[1]} is not among the build"
        f" requirements ({', '.join(sorted(names)) or 'none'}): nothing pinned from it"
    ]


def _to_date(pins: dict[str, str], requires: list[str]) -> tuple[str, ...]:
    """setuptools, when the Generator named the wheel package and the project left it free."""
    if "wheel" not in pins:
        return ()
    exact = [r for r in requires if _name(r) == "setuptools" and "==" in r]
    return () if exact else ("setuptools",)


def _plugin_pins(
    wheel: Archive, requires: list[str], options: RebuildOptions, also: tuple[str, ...] = ()
) -> tuple[dict[str, str], list[str]]:
    from releasegate._internal.builder.plugins import VCS_PLUGINS, plugin_pins

    if options.index_files is None:
        unpinned = [r for r in requires if _name(r) in VCS_PLUGINS and "==" not in r]
        unpinned.extend(also)
        return {}, [f"{r!r} not pinned (no index to date it)" for r in unpinned]
    project = wheel.path.name.split("-", 1)[0]
    return plugin_pins(requires, wheel.path.name, project, options.index_files, also=also)


def _overridden(tried: list[Attempt], options: RebuildOptions, said: list[str]) -> list[Attempt]:
    """What the command line fixes replaces the recorded or inferred values."""
    if options.source_date_epoch is None and not options.epoch_unset and options.tz is None:
        return tried
    first = tried[0]
    epoch = None if options.epoch_unset else options.source_date_epoch
    if epoch is None and not options.epoch_unset:
        epoch = first.epoch
    said.append("conditions given on the command line")
    return [Attempt(epoch, options.tz or first.tz, "given")]


def _name(requirement: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return canonicalize_name(requirement)


def rebuild(sdist: Path, wheel: Path, options: RebuildOptions | None = None) -> RebuildResult:
    """Rebuild ``wheel`` from ``sdist`` under the recorded conditions, or under the plausible
    ones in turn until one reproduces, and explain any difference left."""
    chosen = options or RebuildOptions()
    published_sdist = _safe(read_archive(sdist, chosen.limits))
    published = _safe(read_archive(wheel, chosen.limits))
    with tempfile.TemporaryDirectory(prefix="releasegate-rebuild-") as tmp:
        work = Path(tmp)
        try:
            tree = extract_sdist(sdist, work / "sdist", chosen.limits)
        except UnsafeArchive as unsafe:
            raise FatalError(f"refusing to unpack {unsafe}") from None
        requires = build_system_of(tree).get("requires") or ["setuptools>=40.8.0"]
        conditions = conditions_of(published_sdist, published, chosen, list(requires))
        log: list[str] = []
        target = sha256_file(wheel)
        repair = repair_of(published)
        best = _search(
            tree,
            work,
            options=chosen,
            conditions=conditions,
            published=published,
            log=log,
            repaired=repair is not None,
        )
        if repair is None and best.distance:
            best = _clocked(published, best, chosen.limits)
        rebuilt = read_archive(best.path, chosen.limits)
        problems = (
            _compare_repaired(published, rebuilt, best.attempt, repair)
            if repair is not None
            else _compare(published, rebuilt, best.attempt)
        )
        if chosen.keep is not None:
            import shutil

            chosen.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(best.path, chosen.keep / best.path.name)
        digest = sha256_file(best.path)
    conditions = replace(conditions, said=(*conditions.said, *best.tried))
    return RebuildResult(
        target, digest, tuple(problems), conditions, wheel.name, backend_output(log)
    )


def _clocked(published: Archive, best: _Built, limits: Limits) -> _Built:
    """The attempt whose every difference is the publisher's build clock, over the closest.

    six 1.17.0 was built with SOURCE_DATE_EPOCH unset: its six.py keeps the sdist's time and
    the dist-info the build's. The epoch attempt comes closest (one member, six.py, differs in
    time) but says the wrong thing; the unset attempt differs only in the dist-info's clock,
    which explains everything (``publisher.clock_cause``)."""
    # The unset attempt first: it is how such a wheel was built, and what the cause says.
    for path, attempt in sorted(best.others, key=lambda other: other[1].epoch is not None):
        if clock_cause(published, read_archive(path, limits), "") is not None:
            return replace(best, path=path, attempt=attempt)
    return best


@dataclass(frozen=True)
class _Built:
    path: Path
    attempt: Attempt
    distance: int
    """Members that differ from the published wheel (0: identical bytes)."""
    tried: tuple[str, ...] = ()
    others: tuple[tuple[Path, Attempt], ...] = ()
    """Every attempt's wheel, in order (each in its own folder under the work directory)."""


def _search(
    tree: Path,
    work: Path,
    *,
    options: RebuildOptions,
    conditions: RebuildConditions,
    published: Archive,
    log: list[str],
    repaired: bool = False,
) -> _Built:
    """Build under each attempt in one prepared environment until the bytes match (for a
    repaired wheel: the files the repair leaves alone); the closest build otherwise."""
    place = reference(work)
    place.home.mkdir(parents=True, exist_ok=True)
    target = sha256_file(published.path)
    best: _Built | None = None
    tried: list[str] = []
    others: list[tuple[Path, Attempt]] = []
    with BuildEnvironment(isolated=options.isolated, installer=options.installer) as environment:
        environment.pin(conditions.pins)
        environment.prepare(tree, replace(place.settings({}, set_epoch=False), log=log))
        for number, attempt in enumerate(conditions.attempts):
            settings = _settings(place, attempt, log)
            built = environment.build(tree, "wheel", work / f"out{number}", settings)
            identical = sha256_file(built) == target
            distance = (
                0
                if identical
                else _distance(published, read_archive(built, options.limits), repaired=repaired)
            )
            identical = distance == 0
            tried.append(f"tried {attempt.describe()} ({attempt.why}): "
                         + _closeness(distance, repaired=repaired))  # fmt: skip
            others.append((built, attempt))
            if best is None or distance < best.distance:
                best = _Built(built, attempt, distance)
            if identical:
                break
    assert best is not None  # conditions always hold at least one attempt
    return replace(best, tried=tuple(tried), others=tuple(others))


def _closeness(distance: int, *, repaired: bool) -> str:
    if distance:
        return f"{distance} member(s) differ"
    return "the files the repair leaves alone are identical" if repaired else "identical"


def _settings(place: Conditions, attempt: Attempt, log: list[str]) -> BuildSettings:
    epoch = {} if attempt.epoch is None else {"SOURCE_DATE_EPOCH": str(attempt.epoch)}
    settings = place.settings(epoch, set_epoch=attempt.epoch is not None)
    return replace(settings, env={**settings.env, "TZ": attempt.tz}, log=log)


def _distance(published: Archive, rebuilt: Archive, *, repaired: bool = False) -> int:
    """Members whose name, bytes, time or mode differ: how far a rebuild is from the wheel.

    For a repaired wheel, only the names and bytes of the files the repair leaves alone: 0 when
    they all match (the repair rewrote the zip's times, order and modes)."""
    if repaired:
        a = {(m.name, m.sha256) for m in comparable(published).members}
        b = {(m.name, m.sha256) for m in comparable(rebuilt).members}
        return len({entry[0] for entry in a ^ b})

    def key(archive: Archive) -> set[tuple[str, str | None, str, int]]:
        return {(m.name, m.sha256, m.mtime, m.mode) for m in archive.members}

    a2, b2 = key(published), key(rebuilt)
    return len({entry[0] for entry in a2 ^ b2}) or 1


def _safe(archive: Archive) -> Archive:
    if archive.problems:
        problems = "; ".join(p.message for p in archive.problems)
        raise FatalError(f"refusing to read {archive.path.name}: {problems}")
    return archive


def _compare(published: Archive, rebuilt: Archive, attempt: Attempt) -> list[Problem]:
    labels = ("published", "rebuilt")
    a, b = sha256_file(published.path), sha256_file(rebuilt.path)
    name = published.path.name
    if a == b:
        return [
            Problem(
                rule="reproduced",
                message=f"wheel {name}: rebuilt from the sdist, identical (sha256 {a}); reproduces"
                f" under: {attempt.describe()}",
            )
        ]
    # The publisher's backend may be another release than the rebuild's: pinning it can help.
    comparison = Comparison("wheel", published, rebuilt, labels, same_backend=False)
    causes = _publisher_causes(explain(comparison), published, rebuilt)
    contents = any(p.rule not in _NOT_CONTENT for p in causes)
    verdict = Problem(
        rule="not-reproduced",
        message=f"wheel {name}: the rebuild differs (published sha256 {a}, rebuilt sha256 {b}); the"
        f" closest attempt: {attempt.describe()}",
        hint="the findings below say what differs in the closest attempt; a content difference"
        " that no build condition explains means the wheel was not built from this sdist"
        if contents
        else "every file's content matches the rebuild's: the findings below say what else "
        "differs and why",
    )
    return [verdict, *causes]


_NOT_CONTENT = frozenset(
    {
        "zip-timestamp",
        "permissions",
        "member-order",
        "archive-metadata",
        "archive-bytes",
        "other-deflate",
        "compression-level",
        "build-clock",
    }
)
"""Differences in how files were packed, not in what they hold."""


def _publisher_causes(found: list[Problem], published: Archive, rebuilt: Archive) -> list[Problem]:
    """The generic class replaced by what the publisher's machine did, when that shows."""
    title = f"wheel {published.path.name}"
    rules = {p.rule for p in found}
    cause = None
    if rules == {"archive-bytes"}:
        cause = deflate_cause(published.path, rebuilt.path, title)
    elif rules == {"zip-timestamp"}:
        cause = clock_cause(published, rebuilt, title)
    return (
        found
        if cause is None
        else [Problem(rule=cause.rule, message=cause.message, hint=cause.hint)]
    )


_CONTENT_RULES = frozenset(
    {"content", "only-one-side", "line-endings", *HINTS} - {
        "gzip-mtime", "gzip-header", "tar-mtime", "zip-timestamp", "permissions", "owner",
        "member-order", "archive-metadata", "archive-bytes",
    }
)  # fmt: skip
"""What a repaired wheel can still show: files present on one side, and their contents."""


def _compare_repaired(
    published: Archive, rebuilt: Archive, attempt: Attempt, repair: str
) -> list[Problem]:
    """Compare only what the compiler and the repair leave alone; no fix for what they make."""
    labels = ("published", "rebuilt")
    name = published.path.name
    mine, theirs = comparable(published), comparable(rebuilt)
    skipped = left_out(published)
    found = [
        p
        for p in explain(Comparison("wheel", mine, theirs, labels, same_backend=False))
        if p.rule in _CONTENT_RULES
    ]
    said = (
        f"wheel {name}: {repair}. The compiled files and what the repair writes cannot be"
        f" rebuilt here ({len(skipped)} file(s) not compared: {', '.join(skipped[:5])}"
        f"{' ...' if len(skipped) > 5 else ''}); the {len(mine.members)} other file(s)"
    )
    if not found:
        return [
            Problem(
                rule="repaired-wheel",
                message=f"{said} were compared: identical; closest attempt: {attempt.describe()}",
                hint="nothing for the project to fix: the compiled files are reproduced only by "
                "building in the same manylinux image with the same repair tool as the project's "
                "CI did; compare those with diffoscope",
            )
        ]
    verdict = Problem(
        rule="not-reproduced",
        message=f"{said} were compared and differ; the closest attempt: {attempt.describe()}",
        hint="the findings below are about files neither the compiler nor the repair writes",
    )
    return [verdict, *found]
