"""The lockfile gate: exact pins, hashes, no stray indexes, curation, in sync with declarations."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.lockfiles import (
    detect,
    format_of,
    gc_paused,
    locks_no_project,
    parse_file,
    unused_by_uv,
)
from releasegate._internal.lockfiles.consistency import consistency_problems
from releasegate._internal.lockfiles.rules import (
    build_requires_problems,
    cross_lock_problems,
    entry_problems,
    index_problems,
)
from releasegate._internal.lockfiles.settings import LockfileSettings
from releasegate._internal.problems import to_finding

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.lockfiles.model import Lockfile, Problem
    from releasegate._internal.project import Project

NAME = "lockfile"
_WATCHED_EXTRA = ("pyproject.toml", "requirements.in")


def _relevant(files: tuple[str, ...] | None) -> bool:
    """A hook run with changed files only needs to look when a lockfile or its inputs changed."""
    if files is None:
        return True
    return any(format_of(f) or f.endswith((".in", *_WATCHED_EXTRA)) for f in files)


class Found(NamedTuple):
    locks: list[Lockfile]
    """Lockfiles checked in full (with everything they include)."""
    included: list[Lockfile]
    """Lockfiles another one includes: their entries are checked there; here only their sync."""
    unchecked: list[Finding]
    """Lockfiles not checked, said: a configured one that does not exist, a uv.lock uv ignores."""
    inputs: list[Lockfile]
    """Auto-detected ``requirements*.txt`` files that are inputs, not lockfiles."""


NESTED_INPUT = (
    "it lies in a sub-directory and has no pip-compile header or hashes (pinned tools for "
    "docs or CI are installed from such files, not locked)"
)


def input_reason(lock: Lockfile) -> str | None:
    """Why a detected requirements file is an input; None when it is taken as a lockfile.

    In the root a fully pinned file is a lock. In a sub-directory only a recorded compile
    command or hashes make one: ``docs/requirements.txt`` with ``sphinx==7.1`` is what
    Read the Docs installs, and holding it to hashes would be a false error.
    """
    from releasegate._internal.lockfiles.requirements import input_reason as reason

    if lock.format != "requirements" or lock.problems:
        return None
    why = reason(lock)
    nested = Path(lock.path).parent.as_posix() not in (".", "requirements")
    if why is None and nested:
        hashed = any(e.hashes for e in lock.entries if not e.constraint)
        return None if lock.command or hashed else NESTED_INPUT
    return why


def _split_inputs(
    parsed: list[Lockfile], configured: bool
) -> tuple[list[Lockfile], list[Lockfile]]:
    """Lockfiles and inputs: a configured path is a lockfile; a detected one must look locked."""
    if configured:
        return parsed, []
    inputs = [p for p in parsed if input_reason(p)]
    return [p for p in parsed if p not in inputs], inputs


def lockfiles(project: Project, settings: LockfileSettings) -> Found:
    """Parse each lockfile; one that another includes is compared with its own inputs only."""
    from releasegate._internal.paths import inside, is_file

    for configured in settings.paths:
        inside(project.root, configured, "[tool.releasegate.lockfile] paths")
    names = list(settings.paths) or detect(project.root, nested=True)
    unused = [] if settings.paths else _unused_by_uv(project)
    missing = [
        Finding(
            NAME,
            "missing-lockfile",
            f"configured lockfile {n} does not exist",
            path=n,
            line=None,
            hint="fix [tool.releasegate.lockfile] paths",
        )
        for n in names
        if not is_file(project.root / n)
    ]
    parsed = [parse_file(project.root, n) for n in names if is_file(project.root / n)]
    parsed, inputs = _split_inputs(parsed, bool(settings.paths))
    included = {path for lock in parsed for path in lock.included}
    return Found(
        [lock for lock in parsed if lock.path not in included],
        [lock for lock in parsed if lock.path in included],
        [*missing, *unused],
        inputs,
    )


def _unused_by_uv(project: Project) -> list[Finding]:
    """A member's own uv.lock, which uv ignores for the workspace's: said, not checked
    (``detect`` leaves it out for every gate)."""
    workspace = unused_by_uv(project.root)
    if workspace is None and locks_no_project(project.root):
        return [
            Finding(
                NAME,
                "unused-lockfile",
                "uv.lock is not used: pyproject.toml has no [project] table, the only place uv "
                "reads dependencies from, so the file locks none of them (not checked)",
                path="uv.lock",
                line=None,
                hint="delete the stray uv.lock, or declare the project in [project]",
            )
        ]
    if workspace is None:
        return []
    where = project.root.relative_to(workspace).as_posix()
    return [
        Finding(
            NAME,
            "unused-lockfile",
            f"uv.lock is not used: this project ({where}) is a member of the uv workspace "
            f"whose root is {len(project.root.relative_to(workspace).parts) * '../'} and uv "
            "installs from the root's uv.lock (checked with the workspace)",
            path="uv.lock",
            line=None,
            hint="delete this stale uv.lock, or exclude the folder from [tool.uv.workspace] members",
        )
    ]


def _input_findings(found: Found) -> Iterator[Finding]:
    """Say which files were taken as inputs, and which as lockfiles, so nothing is silent."""
    if not found.inputs:
        return
    locks = ", ".join(lock.path for lock in [*found.locks, *found.included]) or "none"
    for lock in found.inputs:
        yield Finding(
            NAME,
            "taken-as-input",
            f"{lock.path} is taken as an input, not a lockfile: {input_reason(lock)}; "
            f"lockfiles checked: {locks}",
            path=lock.path,
            line=None,
            hint="to gate it as a lockfile, compile it (pip-compile --generate-hashes) or list it "
            "in [tool.releasegate.lockfile] paths",
        )


def _problem_findings(lock: Lockfile) -> Iterator[Finding]:
    for problem in lock.problems:
        yield to_finding(NAME, problem, hint=f"fix {problem.path}")


def _sync_findings(
    context: CheckContext, lock: Lockfile, settings: LockfileSettings
) -> Iterator[Finding]:
    from releasegate._internal.lockfiles.inputs import declarations
    from releasegate._internal.lockfiles.sync import Outcome, verdict

    if not lock.entries and lock.problems:
        return  # an unreadable lockfile is already an error; comparing nothing would only add noise
    project = context.project
    result = verdict(lock, declarations(lock, project.root, project.pyproject))
    rules = {"missing": "not-locked", "version-mismatch": "version-drift", "stale": "stale-entry"}
    for drift in result.drifts:
        yield Finding(
            NAME,
            rules[drift.rule],
            drift.message,
            path=drift.path,
            line=drift.line,
            hint=drift.hint,
        )
    yield from _own_version_findings(lock, project)
    if result.reasons and result.outcome is Outcome.UNDECIDABLE:
        severity = Severity.ERROR if settings.undecidable == "fail" else Severity.WARNING
        yield Finding(
            NAME,
            "sync-undecidable",
            f"whether {lock.path} is in sync cannot be decided offline: "
            + "; ".join(result.reasons),
            severity,
            lock.path,
            None,
            "make the declaration static, or run `releasegate check lockfile --resolve`; "
            'set [tool.releasegate.lockfile] undecidable = "fail" to require a decision',
        )


def _own_version_findings(lock: Lockfile, project: Project) -> Iterator[Finding]:
    from releasegate._internal.lockfiles.ownversion import own_versions

    for found in own_versions(lock, project.root, project.pyproject):
        rule = "version-drift" if found.drifted else "project-version-dynamic"
        yield Finding(NAME, rule, found.message, path=found.path, line=found.line, hint=found.hint)


def _allowed_indexes(project: Project, settings: LockfileSettings) -> frozenset[str]:
    from releasegate._internal.lockfiles.indexes import allowed

    return allowed(project.pyproject, project.root, settings.allowed_indexes)


def _installed_with_hashes(project: Project) -> Callable[[], Mapping[str, str]]:
    """The files the project installs with ``--require-hashes``, read once and only if asked."""
    from functools import cache

    from releasegate._internal.lockfiles.required import required_by_project
    from releasegate._internal.paths import checkout_top

    return cache(lambda: required_by_project(project.root, checkout_top(project.root)))


def run(context: CheckContext) -> list[Finding]:
    if not _relevant(context.options.files):
        return []
    with gc_paused():
        return list(_findings(context))


def _findings(context: CheckContext) -> Iterator[Finding]:
    project = context.project
    settings = context.settings(LockfileSettings)
    yield from _placed(build_requires_problems(project.pyproject, settings.build_requires))
    found = lockfiles(project, settings)
    allowed = _allowed_indexes(project, settings) if found.locks else frozenset()
    installed = _installed_with_hashes(project)
    yield from found.unchecked
    yield from _input_findings(found)
    for lock in found.included:
        yield from _sync_findings(context, lock, settings)
    for lock in found.locks:
        yield from _problem_findings(lock)
        yield from _placed(entry_problems(lock, settings, installed))
        yield from _placed(index_problems(lock, settings))
        yield from _placed(consistency_problems(lock, allowed))
        yield from _sync_findings(context, lock, settings)
        if context.options.resolve:
            from releasegate._internal.lockfiles.resolve import resolve_problems

            yield from _placed(resolve_problems(lock, project.root, settings, project.pyproject))
    yield from _placed(cross_lock_problems(found.locks))


def _placed(problems: Iterable[Problem]) -> Iterator[Finding]:
    """The library's problems as this gate's findings (``problems.py``)."""
    for problem in problems:
        yield to_finding(NAME, problem)
