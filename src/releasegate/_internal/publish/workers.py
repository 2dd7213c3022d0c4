"""Daemon worker threads: a registry that never answers must not hold the process.

``concurrent.futures`` joins its workers at interpreter exit, so one black-holed
registry would keep a finished run alive until its sockets time out. The publish
executor abandons such a registry at its deadline; these threads let it. ``Fresh``
shares one read among the threads that need it at about the same time.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")
R = TypeVar("R")


class _Flight(Generic[T]):
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
    """``read()`` begun after the caller asked, shared by the callers that ask meanwhile.

    Each file is verified as soon as its upload lands, and each verification needs
    the registry's page as it is now: a read already in flight may predate the file.
    Callers that arrive during a read share the next one, which starts when the
    current one ends; so at most one read is in flight, and a burst of landings costs
    two reads, not one each (a popular project's page weighs megabytes).
    """

    def __init__(self, read: Callable[[], T]) -> None:
        self._read = read
        self._lock = threading.Lock()
        self._current: _Flight[T] | None = None
        self._next: _Flight[T] | None = None

    def get(self) -> T:
        with self._lock:
            before, joined = self._current, self._next
            if before is None:
                flight = self._current = _Flight()
            elif joined is None:
                flight = self._next = _Flight()
        if before is not None and joined is not None:
            return joined.result()  # the next read has not begun: it is fresh enough
        if before is not None:
            before.done.wait()
        try:
            flight.value = self._read()
        except BaseException as exc:  # noqa: BLE001 - every caller of this read gets it
            flight.error = exc
        with self._lock:
            self._current, self._next = self._next, None
        flight.done.set()
        return flight.result()


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
