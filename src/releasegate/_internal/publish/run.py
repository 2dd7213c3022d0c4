"""``publish`` as a library call: what the CLI maps its arguments to."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError
from releasegate._internal.publish import audit
from releasegate._internal.publish.artifacts import discover
from releasegate._internal.publish.executor import Deadlines, Job, execute_all, preflight_all
from releasegate._internal.publish.ledger import Ledger
from releasegate._internal.publish.plan import Action
from releasegate._internal.publish.retry import RetryPolicy
from releasegate._internal.publish.runlock import RunLock
from releasegate._internal.publish.scrub import Scrubber
from releasegate._internal.publish.settings import (
    PublishSettings,
    check_usable,
    registry_specs,
    select,
)

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from releasegate._internal.governance.decision import Decision
    from releasegate._internal.project import Project
    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.executor import Events, Prepared
    from releasegate._internal.publish.outcome import RegistryOutcome
    from releasegate._internal.publish.settings import RegistrySpec


@dataclass(frozen=True)
class PublishOptions:
    dist_dir: str | None = None
    registries: list[str] | None = None
    dry_run: bool = False
    resume: bool = False
    stop: threading.Event | None = None
    """Set it (from a signal handler) to stop the run: no new upload starts."""


@dataclass
class PublishResult:
    artifacts: tuple[Artifact, ...]
    prepared: list[Prepared]
    outcomes: list[RegistryOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    audit_entry: dict[str, Any] | None = None
    dist_dir: str = "dist"
    interrupted: bool = False
    governance: Decision | None = None
    """The policy's decision, made before anything else; None when no policy governs."""

    @property
    def refused(self) -> bool:
        return self.governance is not None and not self.governance.allowed

    @property
    def ok(self) -> bool:
        """Every required registry completed (a dry run: could be planned without conflict)."""
        if self.refused:
            return False
        if not self.outcomes:
            return all(
                p.error is None
                and not p.extra
                and all(s.action is not Action.CONFLICT for s in p.steps)
                for p in self.prepared
                if p.spec.required
            )
        return all(o.completed for o in self.outcomes if o.required)


def configured(project: Project, configured: str, key: str) -> Path:
    """A path from the checkout's configuration: inside the project, links followed."""
    from releasegate._internal.paths import inside

    return inside(project.root, configured, f"[tool.releasegate.publish] {key}")


def _version(artifacts: tuple[Artifact, ...], dist_dir: Path) -> str:
    versions = sorted({a.version for a in artifacts})
    if len(versions) > 1:
        raise FatalError(
            f"{dist_dir}: dists of several versions ({', '.join(versions)})",
            hint="publish one version at a time: empty the dist directory and rebuild",
        )
    return versions[0]


def make_job(
    project: Project,
    *,
    artifacts: tuple[Artifact, ...],
    version: str,
    events: Events,
    env: Mapping[str, str],
    ledger: Ledger | None = None,
    stop: threading.Event | None = None,
    read_only: bool = False,
) -> Job:
    settings = project.config.settings(PublishSettings)
    policy = RetryPolicy(
        settings.retries,
        settings.backoff,
        settings.backoff_max,
        settings.timeout,
        settings.request_deadline,
    )
    ledger = ledger or Ledger(configured(project, settings.ledger, "ledger"))
    project_name = artifacts[0].project if artifacts else (project.name or "")
    specs = registry_specs(project.config)
    secrets = [name for spec in specs for name in (spec.password_env, spec.token_env)]
    return Job(
        artifacts,
        project_name,
        version,
        project.root,
        env,
        policy,
        Scrubber.for_env(env, secrets),
        events,
        ledger,
        settings.concurrency,
        settings.on_conflict,
        Deadlines(settings.plan_deadline, settings.run_deadline, settings.interrupt_grace),
        stop or threading.Event(),
        read_only,
    )


def publish(
    project: Project, options: PublishOptions, events: Events, env: Mapping[str, str] | None = None
) -> PublishResult:
    env = dict(os.environ) if env is None else env
    settings = project.config.settings(PublishSettings)
    specs = select(registry_specs(project.config, env), options.registries)
    dist_rel = options.dist_dir or settings.dist_dir
    # --dist-dir is the user's own; the configured one stays inside the checkout.
    dist_dir = (
        project.root / dist_rel
        if options.dist_dir
        else configured(project, settings.dist_dir, "dist-dir")
    )
    artifacts = discover(dist_dir)
    version = _version(artifacts, dist_dir)
    # Before any registry is asked anything: a refused run moves no byte.
    decision = decide(project, "publish", dry_run=options.dry_run, env=env)
    ledger_path = configured(project, settings.ledger, "ledger")
    if decision is not None and not decision.allowed and not options.dry_run:
        return _refused(project, decision, (artifacts, specs), env, dist_rel)
    check_usable(specs, env, version, project.config.source or "configuration", project.root)
    if options.dry_run:  # nothing is written: no lock, the ledger as it is now
        ledger, warning = Ledger.load(ledger_path)
        job = make_job(
            project, artifacts=artifacts, version=version, events=events, env=env, ledger=ledger
        )
        prepared = preflight_all(specs, job, resume=options.resume)
        return PublishResult(
            artifacts, prepared, warnings=_listed(warning), dist_dir=dist_rel, governance=decision
        )
    run_id = audit.new_run_id()
    with RunLock(ledger_path, run_id) as lock:
        # Before the ledger is read: the run that held the lock has written its last entries.
        lock.acquire(settings.lock_wait)
        ledger, warning = Ledger.load(ledger_path)
        job = make_job(
            project,
            artifacts=artifacts,
            version=version,
            events=events,
            env=env,
            ledger=ledger,
            stop=options.stop,
        )
        result = PublishResult(
            artifacts, [], warnings=_listed(warning), dist_dir=dist_rel, governance=decision
        )
        return _execute(project, specs, job, options, result, run_id=run_id)


def decide(
    project: Project, action: str, *, dry_run: bool, env: Mapping[str, str]
) -> Decision | None:
    from releasegate._internal.governance.decision import decide as governance_decision

    return governance_decision(project, action, dry_run=dry_run, env=env)


def _refused(
    project: Project,
    decision: Decision,
    what: tuple[tuple[Artifact, ...], tuple[RegistrySpec, ...]],
    env: Mapping[str, str],
    dist_rel: str,
) -> PublishResult:
    """Nothing uploaded, nothing locked; the refusal and its verdicts audited."""
    artifacts, specs = what
    settings = project.config.settings(PublishSettings)
    entry = audit.refused(
        run=audit.new_run_id(),
        env=env,
        commit=project.git.head,
        artifacts=artifacts,
        registries=[s.name for s in specs],
        governance=decision.record(),
    )
    audit.append(configured(project, settings.audit_log, "audit-log"), entry)
    return PublishResult(artifacts, [], audit_entry=entry, dist_dir=dist_rel, governance=decision)


def _listed(warning: str | None) -> list[str]:
    return [warning] if warning else []


def _execute(
    project: Project,
    specs: tuple[RegistrySpec, ...],
    job: Job,
    options: PublishOptions,
    result: PublishResult,
    *,
    run_id: str,
) -> PublishResult:
    settings = project.config.settings(PublishSettings)
    log = configured(project, settings.audit_log, "audit-log")
    started = time.time()
    commit = job.env.get("GITHUB_SHA") or project.git.head
    governance = result.governance.record() if result.governance else None
    # Before the first upload: a killed run still leaves a record of what it started.
    intent = audit.intent(
        run=run_id,
        env=job.env,
        commit=commit,
        artifacts=result.artifacts,
        registries=[s.name for s in specs],
        started=started,
        governance=governance,
    )
    audit.append(log, intent)
    result.prepared, result.outcomes = execute_all(specs, job, resume=options.resume)
    result.interrupted = job.stop.is_set()
    result.audit_entry = audit.record(
        run=run_id,
        env=job.env,
        commit=commit,
        artifacts=result.artifacts,
        outcomes=result.outcomes,
        started=started,
        ended=time.time(),
        interrupted=result.interrupted,
        governance=governance,
    )
    audit.append(log, result.audit_entry)
    return result
