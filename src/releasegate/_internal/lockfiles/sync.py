"""Is the lockfile in sync with what the project declares? In sync, drifted, or undecidable.

A declared requirement whose marker applies must be locked at a version that
satisfies it. Where the lock records the dependency graph, an entry that no
declared requirement reaches is stale. When the declaration itself cannot be read
offline the verdict says so, with the reason, instead of passing.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import quoted
from releasegate._internal.lockfiles.model import required_by
from releasegate._internal.lockfiles.reqline import (
    ReqLineError,
    always_evaluable,
    marker_applies,
    normalize,
    parse_requirement,
)
from releasegate._internal.lockfiles.specmatch import contains

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from releasegate._internal.lockfiles.declared import Declarations, Declared
    from releasegate._internal.lockfiles.model import Entry, Lockfile


class Outcome(str, enum.Enum):
    IN_SYNC = "in sync"
    DRIFTED = "drifted"
    UNDECIDABLE = "cannot be decided offline"


# Records are NamedTuples: a hook defines one in a seventh of a frozen dataclass's time.
class Drift(NamedTuple):
    rule: str
    """``missing``, ``version-mismatch`` or ``stale``."""
    message: str
    path: str
    line: int | None
    hint: str


class Verdict(NamedTuple):
    outcome: Outcome
    drifts: tuple[Drift, ...] = ()
    reasons: tuple[str, ...] = ()
    """Why it cannot be decided offline (only for UNDECIDABLE, or alongside drift)."""


class _Wanted(NamedTuple):
    declared: Declared
    name: str
    specifier: str
    marker: str | None
    """A marker that can always be evaluated, evaluated only when the lock fails the item.

    Evaluating imports packaging.markers, a tenth of a hook's run (issue 22); an item the
    lock satisfies needs no answer. A marker that may fail to evaluate is evaluated at once,
    so that its error is reported whatever the lock holds.
    """

    def applies(self) -> bool:
        return self.marker is None or marker_applies(self.marker, self.declared.extra)


def _wanted(declared: Iterable[Declared], reasons: list[str], own: set[str]) -> list[_Wanted]:
    """Declared requirements whose marker applies here or is not evaluated yet, parsed."""
    wanted = []
    for item in declared:
        try:
            req = parse_requirement(item.text)
        except ReqLineError as exc:
            reasons.append(
                f"{item.path}:{item.line or ''}: {quoted(item.text)} is not a requirement: {exc}"
            )
            continue
        if req.name in own:
            continue  # ``proj[extra]``, or a workspace member: its declarations are listed already
        marker = req.marker
        if marker is not None and not always_evaluable(marker):
            try:
                applies = marker_applies(marker, item.extra)
            except ValueError as exc:  # e.g. ``python_full_version ~= "3"`` cannot be compared
                reasons.append(
                    f"{item.path}:{item.line or ''}: marker of {quoted(item.text)}: {exc}"
                )
                continue
            if not applies:
                continue
            marker = None
        wanted.append(_Wanted(item, req.name, req.specifier, marker))
    return wanted


def _satisfies(entry: Entry, specifier: str) -> bool | None:
    """Whether the entry's version meets ``specifier``; None without a usable version."""
    if not specifier:
        return True
    if entry.version is None:
        return None
    plain = contains(specifier, entry.version)
    if plain is not None:
        return plain
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    try:
        return SpecifierSet(specifier).contains(Version(entry.version), prereleases=True)
    except ValueError:  # InvalidVersion/InvalidSpecifier, or a part over int()'s 4300 digits
        return None


# The name each format gives the main dependencies' group in its per-package ``groups``.
_MAIN_GROUP = {"pdm": "default", "poetry": "main"}


def _lock_group(item: Declared, fmt: str) -> str | None:
    """The group of the lock that must hold ``item`` (None: the format records no groups)."""
    main = _MAIN_GROUP.get(fmt)
    if main is None:
        return None
    if item.group is not None:
        return item.group
    return item.extra if fmt == "pdm" and item.extra else main


def _in_group(item: Declared, locked: list[Entry], lock: Lockfile) -> list[Entry]:
    """The entries that installing ``item``'s group from the lock would install."""
    group = _lock_group(item, lock.format)
    if group is None or any(entry.groups is None for entry in locked):
        return locked
    return [entry for entry in locked if group in (entry.groups or ())]


def _check_wanted(want: _Wanted, locked: list[Entry], lock: Lockfile) -> Drift | None:
    drift = _drift(want, locked, lock)
    return drift if drift is not None and want.applies() else None


def _drift(want: _Wanted, locked: list[Entry], lock: Lockfile) -> Drift | None:
    item = want.declared
    if locked and item.required and not _in_group(item, locked, lock):
        held = ", ".join(sorted({g for e in locked for g in e.groups or ()}))
        return Drift(
            "missing",
            f"{quoted(item.text)} ({item.path}) is declared in group "
            f"{quoted(_lock_group(item, lock.format))} but {lock.path} locks {want.name} only for "
            f"{held}",
            item.path,
            item.line,
            f"re-lock: {_relock_hint(lock)}",
        )
    if not locked:
        if not item.required:
            return None
        return Drift(
            "missing",
            f"{quoted(item.text)} ({item.path}) is declared but not locked in {lock.path}",
            item.path,
            item.line,
            f"re-lock: {_relock_hint(lock)}",
        )
    verdicts = [_satisfies(entry, want.specifier) for entry in locked]
    if any(v is not False for v in verdicts):
        return None
    versions = ", ".join(sorted({e.version or "?" for e in locked}))
    first = locked[0]
    return Drift(
        "version-mismatch",
        f"{want.name} is locked at {versions} but {item.path} declares {quoted(item.text)}",
        first.path,
        first.line,
        f"re-lock: {_relock_hint(lock)}",
    )


def _once(found: list[tuple[_Wanted, Drift]]) -> list[Drift]:
    """Each drift once, where its requirement is written.

    A group that includes another repeats its requirements: pipx's "docs" group, included by
    "dev" (twice, once through "type") and by "type", made one unlocked requirement four errors.
    A drift that names its group (locked, but not for that group) stays one per group.
    """
    written = {(d.rule, d.message) for w, d in found if not w.declared.included}
    kept = [d for w, d in found if not w.declared.included or (d.rule, d.message) not in written]
    return list(dict.fromkeys(kept))


def _relock_hint(lock: Lockfile) -> str:
    """The command that wrote the lock when it records one (pip-compile's header), else its tool's."""
    if lock.command:
        import shlex

        from releasegate._internal.lockfiles.redact import redact

        # The header may carry an --index-url with credentials: never repeat them.
        return redact(lock.command[0] + " " + shlex.join(lock.command[1:]))
    from releasegate._internal.lockfiles import relock_hint

    return relock_hint(lock.format)


def _edges(entries: list[Entry]) -> dict[str, set[str]]:
    """Parent name -> child names (the model records child -> parents)."""
    children: dict[str, set[str]] = defaultdict(set)
    for child, parents in required_by(entries).items():
        for parent in parents:
            children[parent].add(child)
    return children


def _reachable(roots: set[str], children: dict[str, set[str]]) -> set[str]:
    seen = set(roots)
    stack = list(roots)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _stale(
    lock: Lockfile, entries: list[Entry], wanted: list[_Wanted], declared: Declarations
) -> Iterator[Drift]:
    # Every declared name counts as a root, whatever its marker: a lock for another
    # platform legitimately holds it.
    roots = {want.name for want in wanted} | _all_names(declared)
    # Entries read from an included lockfile belong to that file's own inputs.
    roots.update(entry.name for entry in entries if entry.path != lock.path)
    children = _edges(entries)
    roots.update(_left_out(lock, entries, children))
    reached = _reachable(roots, children)
    for entry in entries:
        if entry.name not in reached and entry.path == lock.path:
            yield Drift(
                "stale",
                f"{entry.name} {entry.version or ''} is locked but nothing declared needs it",
                entry.path,
                entry.line,
                f"re-lock to drop it: {_relock_hint(lock)}",
            )


def _left_out(lock: Lockfile, entries: list[Entry], children: dict[str, set[str]]) -> set[str]:
    """Packages the lock left out on purpose that its resolution still installed.

    pip-compile ``--unsafe-package=aiohttp`` omits the project's own release, which a test
    plugin (pytest-aiohttp) pulls from the index; its dependencies stay locked "via aiohttp"
    and ``pip-compile --dry-run`` keeps every one of them (issue 26).
    """
    from releasegate._internal.lockfiles.inputs import omitted_packages

    locked = {entry.name for entry in entries}
    return {name for name in omitted_packages(lock.command) if name in children} - locked


def _all_names(declared: Declarations) -> set[str]:
    names = set()
    for item in declared.items:
        try:
            names.add(parse_requirement(item.text.split(";", 1)[0].strip()).name)
        except ReqLineError:
            continue
    return names


def verdict(lock: Lockfile, declared: Declarations) -> Verdict:
    """Compare ``lock`` with ``declared``."""
    reasons = list(declared.undecidable)
    entries = [e for e in lock.entries if not e.constraint and not e.is_project]
    by_name: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_name[entry.name].append(entry)
    # The project and, in a workspace, every member the lock builds from its own folder.
    own = {e.name for e in lock.entries if e.is_project}
    if declared.own_name:
        own.add(normalize(declared.own_name))
    wanted = _wanted(declared.items, reasons, own)
    drifts = _once(
        [(w, d) for w in wanted if (d := _check_wanted(w, by_name.get(w.name, []), lock))]
    )
    if lock.records_graph and not reasons:
        drifts.extend(_stale(lock, entries, wanted, declared))
    if drifts:
        return Verdict(Outcome.DRIFTED, tuple(drifts), tuple(reasons))
    if reasons:
        return Verdict(Outcome.UNDECIDABLE, (), tuple(reasons))
    return Verdict(Outcome.IN_SYNC)
