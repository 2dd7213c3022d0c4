"""Progress of a publish run, in the form the environment wants.

A terminal gets one rich progress bar per registry; GitHub Actions gets one
``::group::`` per registry, written whole when the registry is done (registries
run at once, so their lines would otherwise interleave inside groups); anything
else gets plain lines. The CLI chooses and owns the stream.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING, Any

from releasegate._internal.display import display
from releasegate._internal.publish.outcome import FileState
from releasegate._internal.publish.plan import Action
from releasegate._internal.workflow_commands import escape_data

if TYPE_CHECKING:
    from collections.abc import Sequence
    from types import TracebackType
    from typing import TextIO

    from releasegate._internal.publish.outcome import FileOutcome, RegistryOutcome
    from releasegate._internal.publish.plan import Step


def plan_summary(steps: Sequence[Step]) -> str:
    counts = {action: sum(1 for s in steps if s.action is action) for action in Action}
    return ", ".join(f"{counts[action]} {action.value}" for action in Action)


def verdict(outcome: RegistryOutcome) -> str:
    if outcome.completed:
        return "completed (from ledger)" if outcome.resumed else "completed"
    return "FAILED" if outcome.required else "failed (optional)"


def _file_line(outcome: FileOutcome) -> str:
    note = f": {outcome.error}" if outcome.error else ""
    retries = f" after {outcome.attempts} attempts" if outcome.attempts > 1 else ""
    return f"{outcome.state.value} {outcome.filename}{retries}{note}"


class PlainEvents:
    """One line per event, prefixed with the registry name."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def __enter__(self) -> PlainEvents:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _line(self, registry: str, text: str) -> None:
        with self._lock:
            # A registry's reply (an error text) is not ours either: displayed (display.py).
            self._stream.write(display(f"[{registry}] {text}") + "\n")
            self._stream.flush()

    def planned(self, registry: str, steps: Sequence[Step]) -> None:
        if steps:
            self._line(registry, f"plan: {plan_summary(steps)}")

    def retrying(self, registry: str, what: str, attempt: int, wait: float, reason: str) -> None:
        self._line(registry, f"retry {attempt} of {what} in {wait:.1f}s: {reason}")

    def file_done(self, registry: str, outcome: FileOutcome) -> None:
        self._line(registry, _file_line(outcome))

    def registry_done(self, outcome: RegistryOutcome) -> None:
        error = f": {outcome.error}" if outcome.error else ""
        self._line(outcome.name, f"{verdict(outcome)} in {outcome.seconds:.1f}s{error}")

    def secret_minted(self, value: str) -> None:
        """Nothing to do outside GitHub Actions: the scrubber keeps it out of our own output."""


class SilentEvents(PlainEvents):
    """No output at all: the library's ``publish()``, whose caller reads the Report."""

    def __init__(self) -> None:
        super().__init__(io.StringIO())

    def _line(self, registry: str, text: str) -> None:  # noqa: ARG002 - the base's signature
        return None


class GithubEvents(PlainEvents):
    """Lines buffered per registry and written as one ``::group::`` when it is done."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._buffers: dict[str, list[str]] = {}

    def _line(self, registry: str, text: str) -> None:
        with self._lock:
            self._buffers.setdefault(registry, []).append(text)

    def registry_done(self, outcome: RegistryOutcome) -> None:
        super().registry_done(outcome)
        for name, file in outcome.files.items():
            if file.error:
                self._line(outcome.name, f"{name}: {file.error}")
        with self._lock:
            lines = self._buffers.pop(outcome.name, [])
            title = escape_data(display(f"releasegate publish {outcome.name}: {verdict(outcome)}"))
            self._stream.write(f"::group::{title}\n")
            self._stream.writelines(display(line) + "\n" for line in lines)
            self._stream.write("::endgroup::\n")
            self._stream.flush()

    def secret_minted(self, value: str) -> None:
        # Written at once, not buffered with the group: the runner must know the value
        # before any later line could show it. The runner reads workflow commands on
        # stderr too, so a JSON report on stdout stays pure JSON.
        if value:
            with self._lock:
                self._stream.write(f"::add-mask::{escape_data(value)}\n")
                self._stream.flush()


class RichEvents:
    """One progress bar per registry, counting files done."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> RichEvents:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def planned(self, registry: str, steps: Sequence[Step]) -> None:
        with self._lock:
            done = sum(1 for s in steps if s.action is not Action.UPLOAD)
            self._tasks[registry] = self._progress.add_task(
                registry, total=len(steps) or 1, completed=done
            )

    def retrying(self, registry: str, what: str, attempt: int, wait: float, reason: str) -> None:
        self._progress.console.log(
            f"[{registry}] retry {attempt} of {what} in {wait:.1f}s: {reason}",
            markup=False,
            highlight=False,
        )

    def file_done(self, registry: str, outcome: FileOutcome) -> None:
        with self._lock:
            task = self._tasks.get(registry)
        if task is not None:
            self._progress.advance(task)
        if outcome.state is FileState.FAILED:
            self._progress.console.log(
                f"[{registry}] {_file_line(outcome)}", markup=False, highlight=False
            )

    def registry_done(self, outcome: RegistryOutcome) -> None:
        with self._lock:
            task = self._tasks.get(outcome.name)
        if task is not None:
            self._progress.update(task, description=f"{outcome.name}: {verdict(outcome)}")

    def secret_minted(self, value: str) -> None:
        """A terminal is not GitHub Actions: nothing to mask."""
