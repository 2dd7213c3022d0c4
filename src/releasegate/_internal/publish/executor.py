"""Preflight every registry at once, then upload to all of them at once, then verify.

Registries run side by side, one thread each; their uploads share one pool of
``concurrency`` workers. A registry that fails records why and stops; the others
never notice. Every message that leaves here has been through the Scrubber.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from releasegate._internal.publish.outcome import FileOutcome, FileState, RegistryOutcome
from releasegate._internal.publish.plan import Action, Step, plan_registry
from releasegate._internal.publish.registries import open_registry
from releasegate._internal.publish.registries.base import RegistryContext
from releasegate._internal.publish.retry import RegistryError, TransientError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from pathlib import Path

    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.ledger import Ledger
    from releasegate._internal.publish.registries.base import Registry
    from releasegate._internal.publish.retry import RetryPolicy
    from releasegate._internal.publish.scrub import Scrubber
    from releasegate._internal.publish.settings import RegistrySpec


class Events(Protocol):
    """Progress as it happens; called from worker threads."""

    def planned(self, registry: str, steps: Sequence[Step]) -> None: ...

    def retrying(
        self, registry: str, what: str, attempt: int, wait: float, reason: str
    ) -> None: ...

    def file_done(self, registry: str, outcome: FileOutcome) -> None: ...

    def registry_done(self, outcome: RegistryOutcome) -> None: ...

    def secret_minted(self, value: str) -> None:
        """A credential minted during the run: the log must hide it from now on."""


@dataclass(frozen=True)
class Job:
    """Everything a run shares."""

    artifacts: tuple[Artifact, ...]
    project: str
    version: str
    root: Path
    env: Mapping[str, str]
    policy: RetryPolicy
    scrubber: Scrubber
    events: Events
    ledger: Ledger
    concurrency: int = 8

    def context(self, spec: RegistrySpec) -> RegistryContext:
        return RegistryContext(
            spec,
            self.project,
            self.version,
            self.root,
            self.env,
            self.policy,
            self.scrubber,
            self.events.secret_minted,
        )

    def retrying(self, registry: str, what: str) -> Callable[[int, float, TransientError], None]:
        def report(attempt: int, wait: float, exc: TransientError) -> None:
            self.events.retrying(registry, what, attempt, wait, self.scrubber.text(exc))

        return report

    def describe(self, exc: Exception) -> str:
        text = str(exc) if isinstance(exc, RegistryError) else f"{type(exc).__name__}: {exc}"
        return self.scrubber.text(text)


@dataclass
class Prepared:
    """The preflight of one registry: its adapter and plan, or why it cannot be used."""

    spec: RegistrySpec
    registry: Registry | None
    steps: tuple[Step, ...] = ()
    error: str | None = None
    resumed: bool = False
    seconds: float = 0.0


def _preflight(spec: RegistrySpec, job: Job, resume: bool) -> Prepared:
    started = time.monotonic()
    if resume and all(job.ledger.verified(spec.name, a.filename, a.sha256) for a in job.artifacts):
        steps = tuple(Step(a, Action.SKIP, a.sha256) for a in job.artifacts)
        return Prepared(spec, None, steps, resumed=True)
    names = {a.filename for a in job.artifacts}
    try:
        registry = open_registry(job.context(spec))
        holdings = job.policy.call(
            lambda: registry.holdings(names), job.retrying(spec.name, "index")
        )
    except Exception as exc:  # noqa: BLE001 - one registry's failure, of any kind, must not stop the others
        return Prepared(spec, None, error=job.describe(exc), seconds=time.monotonic() - started)
    steps = plan_registry(job.artifacts, holdings)
    return Prepared(spec, registry, steps, seconds=time.monotonic() - started)


def preflight_all(specs: Sequence[RegistrySpec], job: Job, resume: bool = False) -> list[Prepared]:
    """Credentials, reachability and holdings of every registry, concurrently."""
    with ThreadPoolExecutor(max_workers=max(1, len(specs))) as pool:
        prepared = list(pool.map(lambda spec: _preflight(spec, job, resume), specs))
    for item in prepared:
        job.events.planned(item.spec.name, item.steps)
    return prepared


def _upload_one(prep: Prepared, step: Step, outcome: FileOutcome, job: Job) -> None:
    registry = prep.registry
    assert registry is not None

    def attempt() -> None:
        outcome.attempts += 1
        registry.upload(step.artifact)

    try:
        job.policy.call(attempt, job.retrying(prep.spec.name, step.artifact.filename))
        outcome.state = FileState.UPLOADED
    except Exception as exc:  # noqa: BLE001 - recorded per file; the run goes on
        outcome.state, outcome.error = FileState.FAILED, job.describe(exc)
        # The last attempt may have landed although its answer was lost.
        if _already_there(registry, step.artifact):
            outcome.state, outcome.error = FileState.UPLOADED, None
    job.ledger.record(prep.spec.name, outcome)
    job.events.file_done(prep.spec.name, outcome)


def _already_there(registry: Registry, artifact: Artifact) -> bool:
    try:
        return registry.holdings({artifact.filename}).get(artifact.filename) == artifact.sha256
    except Exception:  # noqa: BLE001 - a second failure only confirms the first
        return False


def _initial(step: Step) -> FileOutcome:
    outcome = FileOutcome(step.artifact.filename, step.artifact.sha256)
    if step.action is Action.SKIP:
        outcome.state = FileState.SKIPPED
    elif step.action is Action.CONFLICT:
        outcome.state = FileState.CONFLICT
        outcome.error = (
            f"the registry already serves a different {step.artifact.filename} "
            f"(sha256 {step.remote_sha256}, ours {step.artifact.sha256}); not overwritten"
        )
    return outcome


def _verify(prep: Prepared, result: RegistryOutcome, job: Job) -> None:
    """Read the index again: every uploaded or skipped file must be served with our hash."""
    assert prep.registry is not None
    registry = prep.registry
    names = set(result.files)
    uploaded = [o.filename for o in result.files.values() if o.state is FileState.UPLOADED]

    def read() -> dict[str, str]:
        holdings = registry.holdings(names)
        # Indexes behind caches (PyPI's CDN) may list a new file a little later.
        late = [name for name in uploaded if name not in holdings]
        if late:
            raise TransientError(f"the index does not list {', '.join(late)} yet")
        return holdings

    try:
        holdings = job.policy.call(read, job.retrying(prep.spec.name, "verify"))
    except Exception as exc:  # noqa: BLE001 - recorded as the registry's failure
        result.error = f"verification failed: {job.describe(exc)}"
        for outcome in result.files.values():
            job.ledger.record(prep.spec.name, outcome)
        return
    for outcome in result.files.values():
        if outcome.state in (FileState.UPLOADED, FileState.SKIPPED):
            served = holdings.get(outcome.filename)
            outcome.verified = served == outcome.sha256
            if not outcome.verified:
                outcome.error = (
                    f"after upload the registry serves {served or 'nothing'} under this name"
                )
        job.ledger.record(prep.spec.name, outcome)


def _finish(prep: Prepared, result: RegistryOutcome, job: Job) -> None:
    assert prep.registry is not None
    registry = prep.registry
    try:
        job.policy.call(
            lambda: registry.finish(job.artifacts), job.retrying(prep.spec.name, "finish")
        )
    except Exception as exc:  # noqa: BLE001 - recorded as the registry's failure
        result.error = f"finishing failed: {job.describe(exc)}"


def _execute(prep: Prepared, job: Job, uploads: ThreadPoolExecutor) -> RegistryOutcome:
    started = time.monotonic()
    spec = prep.spec
    result = RegistryOutcome(
        spec.name, spec.kind.value, spec.required, error=prep.error, resumed=prep.resumed
    )
    result.files = {step.artifact.filename: _initial(step) for step in prep.steps}
    if prep.resumed:
        for outcome in result.files.values():
            outcome.verified = True
    elif prep.error is None:
        futures = [
            uploads.submit(_upload_one, prep, step, result.files[step.artifact.filename], job)
            for step in prep.steps
            if step.action is Action.UPLOAD
        ]
        for future in futures:
            future.result()
        _verify(prep, result, job)
        if result.completed:
            _finish(prep, result, job)
    result.seconds = prep.seconds + time.monotonic() - started
    job.events.registry_done(result)
    return result


def execute_all(prepared: Sequence[Prepared], job: Job) -> list[RegistryOutcome]:
    """Upload, verify and finish on every prepared registry in parallel."""
    with (
        ThreadPoolExecutor(max_workers=job.concurrency) as uploads,
        ThreadPoolExecutor(max_workers=max(1, len(prepared))) as registries,
    ):
        return list(registries.map(lambda prep: _execute(prep, job, uploads), prepared))
