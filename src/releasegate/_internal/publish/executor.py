"""Every registry on its own thread: plan, upload, verify the bytes, finish.

A registry's plan (what it holds) is read at once on all registries. By default
(``on-conflict = "stop-release"``) uploads wait until every plan is known, or until
``plan-deadline``: a conflict anywhere then stops the release everywhere before a byte
moves, and a registry that has not answered by then fails alone. With
``stop-registry`` each registry goes as soon as its own plan is ready, and only its
own conflict stops it. Uploads share ``concurrency`` slots; a stop (Ctrl-C, SIGTERM)
or the ``run-deadline`` lets no new upload start. Every message that leaves here has
been through the Scrubber.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from releasegate._internal.publish import workers
from releasegate._internal.publish.outcome import FileOutcome, FileState, RegistryOutcome
from releasegate._internal.publish.plan import (
    Action,
    Step,
    VersionFiles,
    extras,
    plan_registry,
    wanted_names,
)
from releasegate._internal.publish.registries import open_registry
from releasegate._internal.publish.registries.base import RegistryContext
from releasegate._internal.publish.registries.upload_form import Forms
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

STOP_RELEASE = "stop-release"
T = TypeVar("T")


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
class Deadlines:
    """From ``PublishSettings``; the defaults live only in ``schema/sections/publish.json``."""

    plan: float
    run: float
    grace: float
    """After a stop, seconds in-flight uploads get to end."""


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
    # From PublishSettings: the defaults live only in the schema.
    concurrency: int
    on_conflict: str
    deadlines: Deadlines
    stop: threading.Event = field(default_factory=threading.Event)
    """Set from outside (a signal handler): no upload starts any more."""
    read_only: bool = False
    started: float = field(default_factory=time.monotonic)
    forms: Forms = field(default_factory=Forms)
    """This run's upload forms: a run never reuses another's (a dist signed since gains an
    attestation its earlier form lacks)."""

    @property
    def ends(self) -> float:
        """The run deadline, as a ``time.monotonic()`` instant: every registry's budget."""
        return self.started + self.deadlines.run

    def call(self, action: Callable[[], T], registry: str, what: str) -> T:
        """``action`` with the retry policy, within the run's budget."""
        return self.policy.call(action, self.retrying(registry, what), until=self.ends)

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
            self.read_only,
            self.artifacts,
            self.forms,
        )

    def retrying(self, registry: str, what: str) -> Callable[[int, float, TransientError], None]:
        def report(attempt: int, wait: float, exc: TransientError) -> None:
            self.events.retrying(registry, what, attempt, wait, self.scrubber.text(exc))

        return report

    def describe(self, exc: Exception) -> str:
        if isinstance(exc, RegistryError):
            return self.scrubber.text(exc)
        # A library's raw text ("KeyError: 'flavor'") tells a user nothing.
        return (
            f"unexpected failure while talking to the registry ({type(exc).__name__}); "
            "this is a releasegate bug: please report it"
        )


@dataclass
class Prepared:
    """The preflight of one registry: its adapter and plan, or why it cannot be used."""

    spec: RegistrySpec
    registry: Registry | None
    steps: tuple[Step, ...] = ()
    error: str | None = None
    resumed: bool = False
    seconds: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)
    """Dists of the version served already that are not part of the release."""


def _preflight(spec: RegistrySpec, job: Job, resume: bool) -> Prepared:
    started = time.monotonic()
    if resume and all(job.ledger.verified(spec, a.filename, a.sha256) for a in job.artifacts):
        steps = tuple(Step(a, Action.SKIP, a.sha256) for a in job.artifacts)
        return Prepared(spec, None, steps, resumed=True)
    names = wanted_names(job.artifacts)
    try:
        registry = open_registry(job.context(spec))
        # The whole version as served, not only our names: a foreign file of the version
        # is listed (and, when its hash is not stated, hashed) for the dry run to show.
        holdings = job.call(
            lambda: registry.holdings(VersionFiles(job.version, names)), spec.name, "index"
        )
    except Exception as exc:  # noqa: BLE001 - one registry's failure, of any kind, must not stop the others
        return Prepared(spec, None, error=job.describe(exc), seconds=time.monotonic() - started)
    steps = plan_registry(job.artifacts, holdings)
    extra = extras(job.artifacts, holdings)
    return Prepared(spec, registry, steps, seconds=time.monotonic() - started, extra=extra)


class _Plans:
    """The plans of every registry, and the moment uploads may begin."""

    def __init__(self, specs: Sequence[RegistrySpec], job: Job) -> None:
        self._job = job
        self._names = {spec.name for spec in specs}
        self._lock = threading.Lock()
        self._plans: dict[str, Prepared] = {}
        self._all = threading.Event()
        self._frozen: dict[str, Prepared] | None = None
        self.deadline = time.monotonic() + job.deadlines.plan

    def add(self, prep: Prepared) -> None:
        with self._lock:
            self._plans[prep.spec.name] = prep
            if set(self._plans) >= self._names:
                self._all.set()
        self._job.events.planned(prep.spec.name, prep.steps)

    def wait(self) -> dict[str, Prepared]:
        """Every plan known by the plan deadline, the same answer for every caller."""
        self._all.wait(max(0.0, self.deadline - time.monotonic()))
        with self._lock:
            if self._frozen is None:
                self._frozen = dict(self._plans)
            return self._frozen

    def left_out(self, name: str) -> str | None:
        """Why the run need not wait for registry ``name`` any longer, or None: with
        stop-release, one without a plan at plan-deadline uploads nothing, whatever it
        still answers."""
        if self._job.on_conflict != STOP_RELEASE or time.monotonic() < self.deadline:
            return None
        return None if name in self.wait() else self.late()

    def late(self) -> str:
        return (
            f"no plan within plan-deadline ({self._job.deadlines.plan:g}s): "
            "the others went on without this registry"
        )

    def known(self) -> list[Prepared]:
        with self._lock:
            return list(self._plans.values())

    def blocker(self, prep: Prepared) -> str | None:
        """Why ``prep``'s registry must not upload, or None."""
        if self._job.on_conflict != STOP_RELEASE:
            return None
        plans = self.wait()
        if prep.spec.name not in plans:
            return self.late()
        elsewhere = sorted(
            f"{p.spec.name} ({s.artifact.filename})"
            for p in plans.values()
            for s in p.steps
            if s.action is Action.CONFLICT
        )
        if elsewhere:
            return (
                f"nothing uploaded: the release stopped on a conflict at {', '.join(elsewhere)} "
                "(on-conflict = stop-release)"
            )
        return None


def _upload_one(prep: Prepared, step: Step, outcome: FileOutcome, job: Job) -> None:
    registry = prep.registry
    assert registry is not None

    def attempt() -> None:
        outcome.attempts += 1
        registry.upload(step.artifact)

    try:
        job.call(attempt, prep.spec.name, step.artifact.filename)
        outcome.state = FileState.UPLOADED
    except Exception as exc:  # noqa: BLE001 - recorded per file; the run goes on
        _attribute(registry, step.artifact, outcome, job.describe(exc))
    job.ledger.record(prep.spec, outcome)


def _attribute(registry: Registry, artifact: Artifact, outcome: FileOutcome, error: str) -> None:
    """Why an upload failed, from the bytes the registry serves under its name now.

    An attempt whose answer was lost (a reset after the server stored the file) makes
    the retry meet "already exists" (pypiserver's 409, PyPI's 400). Our bytes there:
    the file is uploaded, and this download verified it; refused at the first attempt,
    none of ours can have stored it: another run did ("already there"). Other bytes: a
    conflict, never a failure to retry. Nothing there: the upload failed.
    """
    try:
        holdings = registry.holdings({artifact.filename}, verify_bytes=True)
    except Exception:  # noqa: BLE001 - a second failure only confirms the first
        holdings = {}
    served = holdings.get(artifact.filename)
    if served == artifact.sha256:
        ours = FileState.UPLOADED if outcome.attempts > 1 else FileState.ALREADY_THERE
        outcome.state, outcome.verified, outcome.error = ours, True, None
    elif served is not None:
        outcome.state = FileState.CONFLICT
        outcome.error = (
            f"the registry already serves a different {artifact.filename} "
            f"(served sha256 {served}, ours {artifact.sha256}); not overwritten ({error})"
        )
    else:
        outcome.state, outcome.error = FileState.FAILED, error


def _initial(step: Step) -> FileOutcome:
    outcome = FileOutcome(step.artifact.filename, step.artifact.sha256)
    if step.action is Action.SKIP:
        outcome.state = FileState.SKIPPED
    elif step.action is Action.CONFLICT:
        outcome.state = FileState.CONFLICT
        outcome.error = f"the registry already serves a different {step.conflict}; not overwritten"
    return outcome


def _verify(
    prep: Prepared, outcomes: Sequence[FileOutcome], result: RegistryOutcome, job: Job
) -> None:
    """Download what the registry serves under these names now: it must be our bytes.

    The version is judged as served, as ``verify-mirrors`` does: a dist of the version
    that is not ours (listed before the run or since) fails the registry, naming it.
    """
    assert prep.registry is not None
    registry = prep.registry
    names = {o.filename for o in outcomes}

    def read() -> dict[str, str]:
        holdings = registry.holdings(VersionFiles(job.version, names), verify_bytes=True)
        # Indexes behind caches (PyPI's CDN) may list a new file a little later.
        late = sorted(names - set(holdings))
        if late:
            raise TransientError(f"the index does not list {', '.join(late)} yet")
        return holdings

    try:
        holdings = job.call(read, prep.spec.name, "verify")
    except Exception as exc:  # noqa: BLE001 - recorded on each file
        for outcome in outcomes:
            outcome.error = f"verification failed: {job.describe(exc)}"
            job.ledger.record(prep.spec, outcome)
        return
    result.extra = extras(job.artifacts, holdings)
    for outcome in outcomes:
        served = holdings[outcome.filename]
        outcome.verified = served == outcome.sha256
        if not outcome.verified:
            outcome.error = (
                f"after upload the registry serves {served} under this name (ours {outcome.sha256})"
            )
        job.ledger.record(prep.spec, _as_recorded(outcome, result.extra))


def _as_recorded(outcome: FileOutcome, extra: Mapping[str, str]) -> FileOutcome:
    """What the ledger keeps: a file beside a foreign one of its version is not verified,
    so that ``--resume`` judges the registry again instead of trusting it."""
    if not extra or not outcome.verified:
        return outcome
    return dataclasses.replace(
        outcome, verified=False, error=f"the registry also serves {', '.join(extra)}"
    )


def _finish(prep: Prepared, result: RegistryOutcome, job: Job) -> None:
    assert prep.registry is not None
    registry = prep.registry
    try:
        result.attached = job.call(lambda: registry.finish(job.artifacts), prep.spec.name, "finish")
    except Exception as exc:  # noqa: BLE001 - recorded as the registry's failure
        result.error = f"finishing failed: {job.describe(exc)}"
        # Not published until finished (a directory's page, a draft release): the ledger
        # must not let --resume skip the registry.
        for outcome in result.files.values():
            unfinished = dataclasses.replace(outcome, verified=False, error=result.error)
            job.ledger.record(prep.spec, unfinished)


class _Slots:
    """Upload slots shared by every registry; none is handed out after a stop."""

    def __init__(self, job: Job) -> None:
        self._job = job
        self._semaphore = threading.BoundedSemaphore(job.concurrency)
        self.closed = threading.Event()
        """Set at the run deadline."""

    def stopped(self) -> bool:
        return self._job.stop.is_set() or self.closed.is_set()

    def run(self, prep: Prepared, step: Step, outcome: FileOutcome, halt: threading.Event) -> bool:
        """Upload in a slot; False when the upload did not start."""
        with self._semaphore:
            if self.stopped():
                outcome.error = "not started: the run was stopped"
                return False
            if halt.is_set():
                return False  # as for a conflict in the plan: the conflict's finding says why
            _upload_one(prep, step, outcome, self._job)
            return True


def _uploads(prep: Prepared, result: RegistryOutcome, slots: _Slots, job: Job) -> None:
    """Upload each file, then verify every file with one read of the page.

    The last file to land needs a page read after it anyway, and that read lists the
    others too: one read per registry instead of one per file (a server may hash every
    file it lists for each read). Adapters begin downloading a file as it lands, so the
    bytes are mostly in by then. A conflict met on the way (a retry's "already exists"
    over other bytes) starts no further upload here.
    """
    halt = threading.Event()
    landed: list[FileOutcome] = []

    def upload(step: Step) -> None:
        outcome = result.files[step.artifact.filename]
        if not slots.run(prep, step, outcome, halt):
            return
        if outcome.state is FileState.CONFLICT:
            halt.set()
        if outcome.state is FileState.UPLOADED and not outcome.verified:
            landed.append(outcome)
        else:
            job.events.file_done(prep.spec.name, outcome)

    threads = [
        workers.start(
            lambda s=step: upload(s),  # type: ignore[misc]
            f"upload-{prep.spec.name}",
        )
        for step in prep.steps
        if step.action is Action.UPLOAD
    ]
    for thread in threads:
        thread.join()
    held = [o for o in result.files.values() if o.state is FileState.SKIPPED]
    if landed or held:
        _verify(prep, [*landed, *held], result, job)
    for outcome in landed:
        job.events.file_done(prep.spec.name, outcome)


def _execute(
    prep: Prepared, result: RegistryOutcome, job: Job, plans: _Plans, slots: _Slots
) -> None:
    result.files = {step.artifact.filename: _initial(step) for step in prep.steps}
    result.error, result.resumed = prep.error, prep.resumed
    if prep.resumed:
        for outcome in result.files.values():
            outcome.verified = True
        return
    if prep.error is not None:
        return
    if any(s.action is Action.CONFLICT for s in prep.steps):
        return  # its conflict findings say why: nothing of the version goes here
    blocked = plans.blocker(prep)
    if blocked or slots.stopped():
        result.error = blocked or "stopped before any upload"
        return
    _uploads(prep, result, slots, job)
    if slots.stopped():
        result.error = "stopped: uploads in flight were let finish, nothing else started"
        return
    if result.completed:
        _finish(prep, result, job)


class _Registry:
    """One registry's thread and its outcome, reported exactly once."""

    def __init__(self, spec: RegistrySpec, job: Job) -> None:
        self.spec = spec
        self.outcome = RegistryOutcome(spec.name, spec.kind.value, spec.required)
        self._job = job
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._reported = False
        self.thread: threading.Thread | None = None

    def run(self, resume: bool, plans: _Plans, slots: _Slots) -> None:
        prep = _preflight(self.spec, self._job, resume)
        plans.add(prep)
        if self._reported:
            return  # left out at the plan deadline: its outcome is reported, and final
        try:
            _execute(prep, self.outcome, self._job, plans, slots)
        except Exception as exc:  # noqa: BLE001 - this registry's failure, never the others'
            self.outcome.error = self._job.describe(exc)
        self.report()

    def report(self, abandoned: str | None = None) -> None:
        with self._lock:
            if self._reported:
                return
            self._reported = True
            if abandoned:
                self.outcome.error = abandoned
            self.outcome.seconds = time.monotonic() - self._started
        self._job.events.registry_done(self.outcome)


def _wait(registries: Sequence[_Registry], job: Job, slots: _Slots, plans: _Plans) -> str | None:
    """Until every registry is done, the run deadline, or the grace after a stop.

    A registry left out at the plan deadline is reported then, and not waited for: it
    would hold the run for as long as its retries last.
    """
    run_ends = job.ends
    grace_ends: float | None = None
    for item in registries:
        assert item.thread is not None
        while item.thread.is_alive():
            left_out = plans.left_out(item.spec.name)
            if left_out is not None:
                item.report(left_out)
                break
            now = time.monotonic()
            if job.stop.is_set() and grace_ends is None:
                grace_ends = now + job.deadlines.grace
            if grace_ends is not None and now >= grace_ends:
                return f"stopped: still busy {job.deadlines.grace:g}s after the stop"
            if now >= run_ends:
                slots.closed.set()  # nothing new starts in an abandoned run
                return f"no end within run-deadline ({job.deadlines.run:g}s)"
            item.thread.join(0.05)
    return None


def execute_all(
    specs: Sequence[RegistrySpec], job: Job, resume: bool = False
) -> tuple[list[Prepared], list[RegistryOutcome]]:
    """Plan, upload, verify and finish on every registry in parallel."""
    plans, slots = _Plans(specs, job), _Slots(job)
    registries = [_Registry(spec, job) for spec in specs]
    for item in registries:
        item.thread = workers.start(
            lambda i=item: i.run(resume, plans, slots),  # type: ignore[misc]
            f"registry-{item.spec.name}",
        )
    interrupted = False
    try:
        abandoned = _wait(registries, job, slots, plans)
    except KeyboardInterrupt:
        # A second signal stops at once: in-flight uploads are abandoned (worker threads are
        # daemons), but what each registry got so far is still recorded and reported.
        job.stop.set()
        slots.closed.set()
        abandoned, interrupted = "interrupted: stopped at once by a second signal", True
    for item in registries:
        assert item.thread is not None
        # A join that KeyboardInterrupt broke can leave is_alive() False for a thread still
        # running (CPython): after one, every registry not yet reported is abandoned.
        if interrupted or item.thread.is_alive():
            item.report(abandoned)
    return plans.known(), [item.outcome for item in registries]


def preflight_all(specs: Sequence[RegistrySpec], job: Job, resume: bool = False) -> list[Prepared]:
    """A dry run: every registry's plan, concurrently, within the plan deadline."""
    plans = _Plans(specs, job)

    def plan(spec: RegistrySpec) -> None:
        plans.add(_preflight(spec, job, resume))

    threads = [workers.start(lambda s=spec: plan(s), f"plan-{spec.name}") for spec in specs]  # type: ignore[misc]
    for thread in threads:
        thread.join(max(0.0, plans.deadline - time.monotonic()))
    known = {p.spec.name: p for p in plans.known()}
    late = f"no plan within plan-deadline ({job.deadlines.plan:g}s)"
    return [known.get(spec.name) or Prepared(spec, None, error=late) for spec in specs]
