"""Per-entry rules: exact pins, hashes, index options, curation, and the build backend pin."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import REGISTERED, Severity, quoted
from releasegate._internal.lockfiles.hashes import all_well_formed, hash_problem
from releasegate._internal.lockfiles.model import Problem, SourceKind
from releasegate._internal.lockfiles.redact import redact

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.lockfiles.settings import LockfileSettings
    from releasegate._internal.tomldoc import TomlDocument


def _at(
    entry: Entry, rule: str, message: str, hint: str, severity: Severity | None = None
) -> Problem:
    # The package is what the problem is about: it keeps its identity when the line moves.
    return Problem(message, entry.path, entry.line, hint, rule, severity, entry.name)


def pin_problem(entry: Entry) -> Problem | None:
    """Why ``entry`` does not fix one exact artifact, or None."""
    shown = redact(entry.url or "")
    if entry.editable:
        return _at(
            entry,
            "editable",
            f"{entry.name} is an editable install ({shown})",
            "lock a released version (name==version) instead of an editable path",
        )
    if entry.kind is SourceKind.VCS and entry.commit is None:
        return _at(
            entry,
            "vcs-not-pinned",
            f"{entry.name} is a VCS reference without a full commit id ({shown})",
            "pin the VCS URL to a full 40-character commit: ...@<sha>",
        )
    if entry.kind is SourceKind.DIRECTORY:
        return _at(
            entry,
            "local-path",
            f"{entry.name} is installed from a local directory ({shown})",
            "lock a released version or a hashed archive",
        )
    if entry.kind in (SourceKind.URL, SourceKind.FILE) and not entry.hashes:
        return _at(
            entry,
            "url-without-hash",
            f"{entry.name} comes from {shown} without a hash",
            "add --hash=sha256:<digest> (pip-compile --generate-hashes does)",
        )
    if entry.kind is SourceKind.REGISTRY and entry.version is None:
        what = f"range {quoted(entry.specifier)}" if entry.specifier else "a bare name"
        return _at(
            entry,
            "not-pinned",
            f"{entry.name} is not pinned exactly ({what})",
            f"pin it with == (e.g. {entry.name}==<version>), or re-lock",
        )
    return None


def hash_problems(entry: Entry, required: HashPolicy | None) -> Iterator[Problem]:
    for value in entry.hashes:
        problem = hash_problem(value)
        if problem is not None:
            yield _at(
                entry,
                "bad-hash",
                f"{entry.name}: {problem}",
                "regenerate the hashes with the locking tool",
            )
    if required and not entry.hashes and entry.kind is not SourceKind.VCS and not entry.editable:
        pin = f"{entry.name} {entry.version or ''}".strip()
        because = f" ({required.why})" if required.why else ""
        yield _at(
            entry, "missing-hash", f"{pin} has no hash{because}", _HASH_HINT, required.severity
        )


_HASH_HINT = (
    "lock with hashes (pip-compile --generate-hashes); list the files that must be hashed in "
    "[tool.releasegate.lockfile] require-hashes, or set it to false"
)


class HashPolicy(NamedTuple):
    """How a lockfile's unhashed pins are reported."""

    severity: Severity
    why: str | None
    """Why hashes are required here (what makes it an error); None for the default warning."""


def hash_policy(
    lock: Lockfile, settings: LockfileSettings, installed: Callable[[], Mapping[str, str]]
) -> HashPolicy | None:
    """Errors where pip would refuse the file or the project requires hashes; else a warning.

    ``installed`` gives the files the project installs with ``--require-hashes`` (its
    workflows, tox and nox files: ``lockfiles/required.py``), read only when needed.
    """
    why = _required_by_project(lock, settings)
    if why is not None:
        return HashPolicy(Severity.ERROR, why)
    if not any(_unhashed(e) for e in lock.entries):
        return HashPolicy(REGISTERED, None)  # nothing to report: spare reading the workflows
    where = installed().get(lock.path)
    if where is not None:
        return HashPolicy(Severity.ERROR, f"installed with --require-hashes at {where}")
    return None if settings.require_hashes is False else HashPolicy(REGISTERED, None)


def _required_by_project(lock: Lockfile, settings: LockfileSettings) -> str | None:
    """Why the lock itself or the settings make hashes required here; None when they do not."""
    if any(e.hashes for e in lock.entries if not e.constraint):
        # pip turns on hash-checking for the whole file as soon as one entry has a hash; uv,
        # Poetry and PDM hash every entry they lock, so one without is a hand edit installed
        # unchecked (integrity).
        if lock.format == "requirements":
            return "other pins of the file have hashes: pip refuses it"
        if settings.require_hashes is not False:
            return "every other entry of the lock has hashes"
    if settings.require_hashes is True:
        return "require-hashes = true"
    if isinstance(settings.require_hashes, frozenset) and lock.path in settings.require_hashes:
        return f"require-hashes lists {lock.path}"
    return None


def _unhashed(entry: Entry) -> bool:
    return not entry.hashes and not entry.constraint and not entry.is_project


def _exact(entry: Entry) -> bool:
    """The common case, checked first: a registry entry with an exact version."""
    return entry.version is not None and entry.kind is SourceKind.REGISTRY and not entry.editable


def entry_problems(
    lock: Lockfile,
    settings: LockfileSettings,
    installed: Callable[[], Mapping[str, str]] = dict,
) -> Iterator[Problem]:
    required = hash_policy(lock, settings, installed)
    curate = bool(settings.deny or settings.allow)
    for entry in lock.entries:
        if entry.constraint or entry.is_project:
            continue
        pin = None if _exact(entry) else pin_problem(entry)
        if pin is not None:
            yield pin
        if not (entry.hashes and all_well_formed(entry.hashes)):
            yield from hash_problems(entry, required if pin is None else None)
        if curate:
            yield from curation_problems(entry, settings)
    yield from duplicate_problems(lock)


def curation_problems(entry: Entry, settings: LockfileSettings) -> Iterator[Problem]:
    reason = settings.deny.get(entry.name)
    if reason is not None:
        yield _at(
            entry,
            "denied-package",
            f"{entry.name} is denied: {reason or 'no reason given'}",
            "remove it and what pulls it in, or change [tool.releasegate.lockfile] deny",
        )
    elif settings.allow and entry.name not in settings.allow:
        yield _at(
            entry,
            "not-allowed",
            f"{entry.name} is not on the allowed list",
            "add it to [tool.releasegate.lockfile] allow after review, or drop it",
        )


def duplicate_problems(lock: Lockfile) -> Iterator[Problem]:
    """Same package twice in one lock: different hash sets, or (requirements) different pins."""
    seen: dict[tuple[str, str | None], Entry] = {}
    pins: dict[str, list[Entry]] = defaultdict(list)
    for entry in lock.entries:
        if entry.constraint or entry.is_project:
            continue
        first = seen.setdefault((entry.name, entry.version), entry)
        if (
            first is not entry
            and first.hashes
            and entry.hashes
            and set(first.hashes) != set(entry.hashes)
        ):
            yield _at(
                entry,
                "hash-mismatch",
                f"{entry.name} {entry.version} has other hashes than at {first.path}:{first.line}",
                "one version has one set of artifacts: re-lock so both entries agree",
            )
        if entry.marker is None:
            pins[entry.name].append(entry)
    if lock.format == "requirements":
        yield from _conflicting_pins(pins)


def _conflicting_pins(pins: dict[str, list[Entry]]) -> Iterator[Problem]:
    for entries in pins.values():
        versions = {e.version for e in entries}
        if len(versions) > 1:
            later = entries[-1]
            yield _at(
                later,
                "conflicting-pins",
                f"{later.name} is pinned to {', '.join(sorted(str(v) for v in versions))}",
                "pip refuses double requirements: keep one pin",
            )


def cross_lock_problems(locks: Iterable[Lockfile]) -> Iterator[Problem]:
    """The same name and version with disjoint hashes in two lockfiles: one of them lies."""
    first: dict[tuple[str, str], Entry] = {}
    for lock in locks:
        for entry in lock.entries:
            if entry.version is None or not entry.hashes or entry.constraint:
                continue
            other = first.setdefault((entry.name, entry.version), entry)
            if other.path != entry.path and not set(other.hashes) & set(entry.hashes):
                yield _at(
                    entry,
                    "hash-mismatch",
                    f"{entry.name} {entry.version} shares no hash with {other.path}:{other.line}",
                    "the same release has the same files: regenerate both lockfiles",
                )


def index_problems(lock: Lockfile, settings: LockfileSettings) -> Iterator[Problem]:
    for option in lock.index_options:
        if settings.index_allowed(option.value):
            continue
        why = (
            (
                "an extra index lets anyone who registers a name there win the resolution "
                "(dependency confusion)"
            )
            if option.option == "--extra-index-url"
            else "it changes where packages come from"
        )
        yield Problem(
            rule="index-option",
            message=f"{option.option} {redact(option.value)}: {why}",
            path=option.path,
            line=option.line,
            hint="drop it (pip-compile --no-emit-index-url / --no-emit-find-links) or add the URL to "
            "[tool.releasegate.lockfile] allowed-indexes",
        )


def build_requires_problems(doc: TomlDocument | None, severity: str) -> Iterator[Problem]:
    """``[build-system].requires`` pinned with ``==``: a new backend release changes the bytes."""
    if severity == "off" or doc is None:
        return
    level = Severity(severity)
    requires = doc.get("build-system", "requires")
    if not isinstance(requires, list):
        yield Problem(
            rule="build-requires-unpinned",
            message="[build-system].requires is missing: pip falls back to an unpinned setuptools",
            severity=level,
            path="pyproject.toml",
            line=doc.line("build-system"),
            hint='declare it pinned, e.g. requires = ["hatchling==1.27.0"]',
        )
        return
    from releasegate._internal.lockfiles.reqline import ReqLineError, parse_requirement

    for index, text in enumerate(requires):
        name = "the-backend"  # what the hint says when the entry is not a requirement
        try:
            parsed = parse_requirement(text) if isinstance(text, str) else None
        except ReqLineError:
            parsed = None
        pinned = parsed is not None and parsed.version is not None
        name = parsed.name if parsed is not None else name
        if not pinned:
            yield Problem(
                rule="build-requires-unpinned",
                message=f"[build-system].requires {quoted(text)} is not pinned with ==",
                severity=level,
                path="pyproject.toml",
                line=doc.line("build-system", "requires", index),
                hint=f"pin it to the version you build with (a new release changes METADATA and "
                f"RECORD): {name}==<version>",
            )
