"""Daemon worker threads: a registry that never answers must not hold the process.

``concurrent.futures`` joins its workers at interpreter exit, so one black-holed
registry would keep a finished run alive until its sockets time out. The publish
executor abandons such a registry at its deadline; these threads let it. ``Fresh``
shares one read among the threads that need it at about the same time; ``spawn``
runs one call beside the caller's own work.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")
R = TypeVar("R")


class Flight(Generic[T]):
    """A value computed on another thread."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None

    def result(self) -> T:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value  # type: ignore[return-value]


class Fresh(Generic[T]):
    """``read()`` begun after the caller asked, at most ``at_once`` reads in flight.

    Each file is verified as soon as its upload lands, and each verification needs
    the registry's page as it is now: a read already in flight may predate the file.
    A caller starts its own read while fewer than ``at_once`` are in flight; beyond
    that, callers share the next read, which starts when one ends. So a burst of
    landings costs a few reads, not one each (a popular project's page weighs
    megabytes), and two files landing together are not verified one after the other.
    """

    def __init__(self, read: Callable[[], T], at_once: int = 1) -> None:
        self._read = read
        self._at_once = at_once
        self._changed = threading.Condition()
        self._running = 0
        self._next: Flight[T] | None = None

    def get(self) -> T:
        with self._changed:
            if self._next is not None:
                joined = self._next
            elif self._running < self._at_once:
                joined, flight = None, Flight[T]()
                self._running += 1
            else:
                joined, flight = None, Flight[T]()
                self._next = flight
                self._changed.wait_for(lambda: self._running < self._at_once)
                self._next = None  # begun: later callers may not share it
                self._running += 1
        if joined is not None:
            return joined.result()  # it has not begun: fresh enough
        try:
            flight.value = self._read()
        except BaseException as exc:  # noqa: BLE001 - every caller of this read gets it
            flight.error = exc
        with self._changed:
            self._running -= 1
            self._changed.notify_all()
        flight.done.set()
        return flight.result()


def spawn(function: Callable[[], T], name: str) -> Flight[T]:
    """``function()`` on a daemon thread; ``.result()`` waits for its value or raises its error."""
    flight = Flight[T]()

    def run() -> None:
        try:
            flight.value = function()
        except BaseException as exc:  # noqa: BLE001 - handed to whoever asks for the result
            flight.error = exc
        flight.done.set()

    start(run, name)
    return flight


def start(target: Callable[[], object], name: str) -> threading.Thread:
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


def parallel_map(function: Callable[[T], R], items: Sequence[T], workers: int = 8) -> list[R]:
    """``[function(i) for i in items]`` on up to ``workers`` daemon threads, in order.

    The first exception (in item order) is raised once every call has ended.
    """
    if len(items) <= 1:
        return [function(item) for item in items]
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(items)):
        todo.put(index)
    results: list[tuple[bool, object]] = [(False, None)] * len(items)

    def work() -> None:
        while True:
            try:
                index = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = (True, function(items[index]))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                results[index] = (False, exc)

    threads = [start(work, "releasegate-worker") for _ in range(min(workers, len(items)))]
    for thread in threads:
        thread.join()
    values: list[R] = []
    for ok, value in results:
        if not ok:
            raise value  # type: ignore[misc]
        values.append(value)  # type: ignore[arg-type]
    return values
