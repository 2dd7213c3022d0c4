"""Per-entry rules: exact pins, hashes, index options, curation, and the build backend pin."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, Severity, quoted
from releasegate._internal.lockfiles.hashes import all_well_formed, hash_problem
from releasegate._internal.lockfiles.model import SourceKind
from releasegate._internal.lockfiles.redact import redact

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.lockfiles.settings import LockfileSettings
    from releasegate._internal.tomldoc import TomlDocument

CHECK = "lockfile"


def _at(
    entry: Entry, rule: str, message: str, hint: str, severity: Severity = Severity.ERROR
) -> Finding:
    # The package is what the finding is about: it keeps its identity when the line moves.
    return Finding(CHECK, rule, message, severity, entry.path, entry.line, hint, entry.name)


def pin_finding(entry: Entry) -> Finding | None:
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


def hash_findings(entry: Entry, required: bool) -> Iterator[Finding]:
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
        yield _at(
            entry,
            "missing-hash",
            f"{entry.name} {entry.version or ''} has no hash".replace("  ", " "),
            "lock with hashes (pip-compile --generate-hashes), or set require-hashes = false",
        )


def _exact(entry: Entry) -> bool:
    """The common case, checked first: a registry entry with an exact version."""
    return entry.version is not None and entry.kind is SourceKind.REGISTRY and not entry.editable


def entry_findings(lock: Lockfile, settings: LockfileSettings) -> Iterator[Finding]:
    # pip turns on hash-checking for the whole file as soon as one entry has a hash.
    hashed_mode = lock.format == "requirements" and any(
        e.hashes for e in lock.entries if not e.constraint
    )
    required = settings.require_hashes or hashed_mode
    curate = bool(settings.deny or settings.allow)
    for entry in lock.entries:
        if entry.constraint or entry.is_project:
            continue
        pin = None if _exact(entry) else pin_finding(entry)
        if pin is not None:
            yield pin
        if not (entry.hashes and all_well_formed(entry.hashes)):
            yield from hash_findings(entry, required and pin is None)
        if curate:
            yield from curation_findings(entry, settings)
    yield from duplicate_findings(lock)


def curation_findings(entry: Entry, settings: LockfileSettings) -> Iterator[Finding]:
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


def duplicate_findings(lock: Lockfile) -> Iterator[Finding]:
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


def _conflicting_pins(pins: dict[str, list[Entry]]) -> Iterator[Finding]:
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


def cross_lock_findings(locks: Iterable[Lockfile]) -> Iterator[Finding]:
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


def index_findings(lock: Lockfile, settings: LockfileSettings) -> Iterator[Finding]:
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
        yield Finding(
            CHECK,
            "index-option",
            f"{option.option} {redact(option.value)}: {why}",
            Severity.ERROR,
            option.path,
            option.line,
            "drop it (pip-compile --no-emit-index-url / --no-emit-find-links) or add the URL to "
            "[tool.releasegate.lockfile] allowed-indexes",
        )


def build_requires_findings(doc: TomlDocument | None, severity: str) -> Iterator[Finding]:
    """``[build-system].requires`` pinned with ``==``: a new backend release changes the bytes."""
    if severity == "off" or doc is None:
        return
    level = Severity(severity)
    requires = doc.get("build-system", "requires")
    if not isinstance(requires, list):
        yield Finding(
            CHECK,
            "build-requires-unpinned",
            "[build-system].requires is missing: pip falls back to an unpinned setuptools",
            level,
            "pyproject.toml",
            doc.line("build-system"),
            'declare it pinned, e.g. requires = ["hatchling==1.27.0"]',
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
            yield Finding(
                CHECK,
                "build-requires-unpinned",
                f"[build-system].requires {quoted(text)} is not pinned with ==",
                level,
                "pyproject.toml",
                doc.line("build-system", "requires", index),
                f"pin it to the version you build with (a new release changes METADATA and "
                f"RECORD): {name}==<version>",
            )
