"""``publish`` as a library call: what the CLI maps its arguments to."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError
from releasegate._internal.publish import audit
from releasegate._internal.publish.artifacts import discover
from releasegate._internal.publish.executor import Job, execute_all, preflight_all
from releasegate._internal.publish.ledger import Ledger
from releasegate._internal.publish.plan import Action
from releasegate._internal.publish.retry import RetryPolicy
from releasegate._internal.publish.scrub import Scrubber
from releasegate._internal.publish.settings import PublishSettings, registry_specs, select

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from releasegate._internal.project import Project
    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.executor import Events, Prepared
    from releasegate._internal.publish.outcome import RegistryOutcome


@dataclass(frozen=True)
class PublishOptions:
    dist_dir: str | None = None
    registries: list[str] | None = None
    dry_run: bool = False
    resume: bool = False


@dataclass
class PublishResult:
    artifacts: tuple[Artifact, ...]
    prepared: list[Prepared]
    outcomes: list[RegistryOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    audit_entry: dict[str, Any] | None = None
    dist_dir: str = "dist"

    @property
    def ok(self) -> bool:
        """Every required registry completed (a dry run: could be planned without conflict)."""
        if not self.outcomes:
            return all(
                p.error is None and all(s.action is not Action.CONFLICT for s in p.steps)
                for p in self.prepared
                if p.spec.required
            )
        return all(o.completed for o in self.outcomes if o.required)


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
) -> Job:
    settings = project.config.settings(PublishSettings)
    policy = RetryPolicy(settings.retries, settings.backoff, settings.backoff_max, settings.timeout)
    ledger = ledger or Ledger(project.root / settings.ledger)
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
    )


def publish(
    project: Project, options: PublishOptions, events: Events, env: Mapping[str, str] | None = None
) -> PublishResult:
    env = dict(os.environ) if env is None else env
    settings = project.config.settings(PublishSettings)
    specs = select(registry_specs(project.config), options.registries)
    dist_rel = options.dist_dir or settings.dist_dir
    dist_dir = project.root / dist_rel
    artifacts = discover(dist_dir)
    ledger, warning = Ledger.load(project.root / settings.ledger)
    version = _version(artifacts, dist_dir)
    job = make_job(
        project, artifacts=artifacts, version=version, events=events, env=env, ledger=ledger
    )
    started = time.time()
    prepared = preflight_all(specs, job, resume=options.resume)
    result = PublishResult(
        artifacts, prepared, warnings=[warning] if warning else [], dist_dir=dist_rel
    )
    if options.dry_run:
        return result
    result.outcomes = execute_all(prepared, job)
    commit = env.get("GITHUB_SHA") or project.git.head
    result.audit_entry = audit.record(
        env=env,
        commit=commit,
        artifacts=artifacts,
        outcomes=result.outcomes,
        started=started,
        ended=time.time(),
    )
    audit.append(project.root / settings.audit_log, result.audit_entry)
    return result
