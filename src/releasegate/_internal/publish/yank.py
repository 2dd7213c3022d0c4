"""``yank``: a version withdrawn (PEP 592) on every configured registry, then verified.

Each registry kind yanks its own way. A directory index marks the files' entries in
both forms of its page; a GitHub release is marked where people look (title, notes,
pre-release flag; ``github_release.py``). Indexes of kind ``pypi`` have no API for it:
PyPI's yank is a button on a page for people, and devpi-server (private indexes,
through 6.20) and pypiserver have none at all. Where a page for people exists (PyPI,
TestPyPI, or a configured ``yank-url``), the run prints the exact step with its URL and
waits, within a bound, for the simple API to show the mark; elsewhere it says that the
registry cannot yank. Never silently skipped: every registry ends in a verdict read back
from what it serves, so a registry that answers "done" and serves no mark is caught.

The audit log gets the intent before anything changes and the outcome after, as a
publish run's: who, when, the reason and each registry's result.
"""

from __future__ import annotations

import dataclasses
import enum
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.publish import audit, workers
from releasegate._internal.publish.plan import of_version
from releasegate._internal.publish.registries import open_registry
from releasegate._internal.publish.settings import Kind

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Mapping, Sequence
    from pathlib import Path

    from releasegate._internal.governance.decision import Decision
    from releasegate._internal.project import Project
    from releasegate._internal.publish.executor import Events, Job
    from releasegate._internal.publish.registries.base import Registry, RegistryContext
    from releasegate._internal.publish.settings import RegistrySpec

CHECK = "yank"

# Where a person yanks a release on the indexes known to have such a page: PyPI's
# documented way is the project's release management page, Options beside the release, Yank
# (https://docs.pypi.org/project-management/yanking/).
KNOWN_YANK_PAGES = {
    "upload.pypi.org": "https://pypi.org/manage/project/{project}/releases/",
    "test.pypi.org": "https://test.pypi.org/manage/project/{project}/releases/",
}


class Method(str, enum.Enum):
    API = "api"
    """The registry is changed by releasegate (directory, GitHub release)."""
    MANUAL = "manual"
    """A person does it on the registry's page; releasegate waits and reads."""
    NONE = "none"
    """The registry cannot yank: said, and its state read."""


class Yanker(Protocol):
    """A registry releasegate can mark (directory, GitHub release)."""

    def yank_states(
        self, names: Collection[str] | None = None, *, fresh: bool = True
    ) -> dict[str, str | None]: ...

    def set_yanked(self, names: Collection[str], reason: str | None) -> None:
        """Mark ``names`` yanked with ``reason``; None takes the mark off."""


def method_of(spec: RegistrySpec) -> tuple[Method, str | None]:
    """How ``spec`` yanks, and the page a person uses for it (MANUAL only)."""
    if spec.kind in (Kind.DIRECTORY, Kind.GITHUB_RELEASE):
        return Method.API, None
    page = spec.yank_url or KNOWN_YANK_PAGES.get(urlsplit(spec.url).hostname or "")
    return (Method.MANUAL, page) if page else (Method.NONE, None)


def manual_step(page: str, project: str, version: str, reason: str | None) -> str:
    """The one instruction a person follows on the registry's page."""
    url = page.replace("{project}", project).replace("{version}", version)
    if reason is None:
        return f"open {url}, Options beside {version} -> Un-yank, and confirm"
    return f"open {url}, Options beside {version} -> Yank, reason: {reason!r}, and confirm"


@dataclass(frozen=True)
class YankOptions:
    version: str
    reason: str | None
    """None: ``--undo``."""
    registries: list[str] | None = None
    dry_run: bool = False
    wait: float = 600.0
    """Seconds a manual step is waited for."""
    poll: float = 5.0


@dataclass
class YankOutcome:
    name: str
    kind: str
    required: bool
    method: Method
    before: dict[str, str | None] = field(default_factory=dict)
    after: dict[str, str | None] | None = None
    """What the registry serves once done (None: not read, as in a dry run or an error)."""
    step: str | None = None
    """The manual step a person was asked to take."""
    error: str | None = None
    seconds: float = 0.0

    @property
    def files(self) -> list[str]:
        return sorted(self.before)


def in_effect(states: Mapping[str, str | None], reason: str | None) -> bool:
    """Every file marked with ``reason`` (none marked when undoing)."""
    if reason is None:
        return all(state is None for state in states.values())
    return all(state == reason for state in states.values())


def _read(registry: Registry, job: Job, spec: RegistrySpec, version: str) -> dict[str, str | None]:
    states = job.call(registry.yank_states, spec.name, "index")
    return {name: state for name, state in states.items() if of_version(name, version)}


def _context_for(job: Job, spec: RegistrySpec) -> RegistryContext:
    context = job.context(spec)
    # An index of kind pypi is only read: no upload credential is demanded or minted.
    return dataclasses.replace(context, read_only=True) if spec.kind is Kind.PYPI else context


def _one(
    spec: RegistrySpec, job: Job, options: YankOptions, say: Callable[[str], None]
) -> YankOutcome:
    method, page = method_of(spec)
    outcome = YankOutcome(spec.name, spec.kind.value, spec.required, method)
    started = time.monotonic()
    try:
        registry = open_registry(_context_for(job, spec))
        outcome.before = _read(registry, job, spec, options.version)
        if outcome.before and page is not None:
            outcome.step = manual_step(page, job.project, options.version, options.reason)
        if options.dry_run or not outcome.before:
            return outcome
        _act(registry, spec, job, options, outcome, say=say)
    except Exception as exc:  # noqa: BLE001 - a dead registry or missing credential is its finding
        outcome.error = job.describe(exc)
    finally:
        outcome.seconds = time.monotonic() - started
    return outcome


def _act(
    registry: Registry,
    spec: RegistrySpec,
    job: Job,
    options: YankOptions,
    outcome: YankOutcome,
    *,
    say: Callable[[str], None],
) -> None:
    reason = options.reason
    if in_effect(outcome.before, reason):
        outcome.after = outcome.before  # already as asked: nothing to change
        return
    if outcome.method is Method.API:
        yanker: Yanker = registry  # type: ignore[assignment]
        job.call(lambda: yanker.set_yanked(outcome.files, reason), spec.name, "yank")
        outcome.after = _read(registry, job, spec, options.version)
        return
    if outcome.method is Method.MANUAL:
        say(f"{spec.name}: {outcome.step}")
        ends = time.monotonic() + options.wait
        while True:
            outcome.after = _read(registry, job, spec, options.version)
            if in_effect(outcome.after, reason) or time.monotonic() >= ends or job.stop.is_set():
                return
            job.stop.wait(min(options.poll, max(0.0, ends - time.monotonic())))
    outcome.after = outcome.before


def yank_all(
    specs: Sequence[RegistrySpec],
    job: Job,
    options: YankOptions,
    say: Callable[[str], None],
) -> list[YankOutcome]:
    """Every registry at once: a person's manual step on one does not hold up the others."""
    return workers.parallel_map(lambda spec: _one(spec, job, options, say), list(specs), 16)


# ------------------------------------------------------------------------------ findings


def _severity(outcome: YankOutcome) -> Severity | None:
    """An optional registry only warns, as in ``publish``; a required one takes the row's."""
    return None if outcome.required else Severity.WARNING


def _finding(outcome: YankOutcome, rule: str, message: str, hint: str) -> Finding:
    severity = _severity(outcome)
    if severity is None:
        return Finding(CHECK, rule, message, hint=hint, subject=outcome.name)
    return Finding(CHECK, rule, message, severity, hint=hint, subject=outcome.name)


def _marks(states: Mapping[str, str | None]) -> str:
    shown = sorted(
        {"not yanked" if s is None else f"yanked ({s or 'no reason'})" for s in states.values()}
    )
    return ", ".join(shown)


def findings_of(outcomes: Sequence[YankOutcome], options: YankOptions) -> list[Finding]:
    findings = []
    what = "un-yank" if options.reason is None else "yank"
    for outcome in outcomes:
        name = outcome.name
        if outcome.error is not None:
            findings.append(
                _finding(
                    outcome,
                    "registry-failed",
                    f"{name}: {outcome.error}",
                    "nothing was changed there; fix the cause and run the same command again",
                )
            )
        elif not outcome.before:
            findings.append(
                _finding(
                    outcome,
                    "not-served",
                    f"{name}: serves no file of version {options.version}: nothing to {what}",
                    "check the version; `releasegate verify-mirrors --version V` lists what is served",
                )
            )
        elif options.dry_run:
            continue
        elif outcome.method is Method.NONE and not in_effect(outcome.before, options.reason):
            findings.append(
                _finding(
                    outcome,
                    "cannot-yank",
                    f"{name}: this index has no yank (devpi-server's private indexes and "
                    f"pypiserver have none); {len(outcome.before)} file(s) of "
                    f"{options.version} are still {_marks(outcome.before)}",
                    "set `yank-url` if the index has a page for it, or remove the files by "
                    "the index's own means (devpi remove on a volatile index)",
                )
            )
        elif outcome.after is not None and not in_effect(outcome.after, options.reason):
            asked = "asked for by hand" if outcome.method is Method.MANUAL else "accepted"
            findings.append(
                _finding(
                    outcome,
                    "not-in-effect",
                    f"{name}: the {what} was {asked}, but the index serves {_marks(outcome.after)}",
                    "read the index's page; run the same command again (it only changes "
                    "what is not yet as asked)"
                    + (f"; the step: {outcome.step}" if outcome.step else ""),
                )
            )
    return findings


# ------------------------------------------------------------------------------ audit


def intent(
    *,
    run: str,
    env: Mapping[str, str],
    options: YankOptions,
    project: str,
    specs: Sequence[RegistrySpec],
    started: float,
) -> dict[str, object]:
    return {
        **_entry("started", run=run, env=env, options=options, project=project, started=started),
        "registries": [spec.name for spec in specs],
    }


def record(
    *,
    run: str,
    env: Mapping[str, str],
    options: YankOptions,
    project: str,
    outcomes: Sequence[YankOutcome],
    started: float,
) -> dict[str, object]:
    return {
        **_entry("finished", run=run, env=env, options=options, project=project, started=started),
        "ended": audit.iso(time.time()),
        "registries": [
            {
                "name": o.name,
                "kind": o.kind,
                "method": o.method.value,
                "required": o.required,
                "in_effect": o.after is not None and in_effect(o.after, options.reason),
                "before": o.before,
                "after": o.after,
                "step": o.step,
                "error": o.error,
                "seconds": round(o.seconds, 3),
            }
            for o in outcomes
        ],
    }


def _entry(
    phase: str,
    *,
    run: str,
    env: Mapping[str, str],
    options: YankOptions,
    project: str,
    started: float,
) -> dict[str, object]:
    """What the intent and the outcome record both say: one yank run, in the same words."""
    return {
        "tool": "releasegate yank",
        "phase": phase,
        "run": run,
        "who": audit.who(env),
        "project": project,
        "version": options.version,
        "action": "unyank" if options.reason is None else "yank",
        "reason": options.reason,
        "started": audit.iso(started),
    }


def append(log: Path, entry: Mapping[str, object]) -> None:
    audit.append(log, entry)


# ------------------------------------------------------------------------------ the run


@dataclass
class YankResult:
    project: str
    specs: tuple[RegistrySpec, ...]
    outcomes: list[YankOutcome]
    dry_run: bool
    governance: Decision | None = None
    """The release policy's decision; a refused yank asked no registry anything."""

    @property
    def refused(self) -> bool:
        return self.governance is not None and not self.governance.allowed


def yank(
    project: Project,
    options: YankOptions,
    events: Events,
    say: Callable[[str], None],
    env: Mapping[str, str],
) -> YankResult:
    """``options.version`` yanked (or un-yanked) on every selected registry, audited."""
    from packaging.utils import canonicalize_name

    from releasegate._internal.errors import UsageError
    from releasegate._internal.publish.run import configured, make_job
    from releasegate._internal.publish.runlock import RunLock
    from releasegate._internal.publish.settings import (
        PublishSettings,
        check_usable,
        registry_specs,
        select,
    )

    if not project.name:
        raise UsageError("no project name: [project] name is needed to find its files")
    name = canonicalize_name(project.name)
    specs = select(registry_specs(project.config, env), options.registries)
    where = project.config.source or "configuration"
    # A directory outside the project is refused as for publish; credentials are each
    # registry's own finding, so that a missing token there does not keep the others.
    local = tuple(spec for spec in specs if spec.kind is Kind.DIRECTORY)
    check_usable(local, env, options.version, where, project.root)
    job = make_job(project, artifacts=(), version=options.version, events=events, env=env)
    job = dataclasses.replace(job, project=name)
    if options.dry_run:
        return YankResult(name, specs, yank_all(specs, job, options, say), True)
    # Pulling a release is governed as publishing one: the default branch's policy decides
    # before any registry is changed (a laptop token under "dry-run-only" changes nothing).
    from releasegate._internal.governance.decision import decide

    decision = decide(project, "yank", dry_run=False, env=env)
    if decision is not None and not decision.allowed:
        return YankResult(name, specs, [], False, decision)
    settings = project.config.settings(PublishSettings)
    log = configured(project, settings.audit_log, "audit-log")
    run_id = audit.new_run_id()
    with RunLock(configured(project, settings.ledger, "ledger"), run_id) as lock:
        # A publish rewriting a directory page meanwhile would write it without the mark.
        lock.acquire(settings.lock_wait)
        started = time.time()
        append(
            log,
            intent(
                run=run_id, env=env, options=options, project=name, specs=specs, started=started
            ),
        )
        outcomes = yank_all(specs, job, options, say)
        append(
            log,
            record(
                run=run_id,
                env=env,
                options=options,
                project=name,
                outcomes=outcomes,
                started=started,
            ),
        )
    return YankResult(name, specs, outcomes, False, decision)
