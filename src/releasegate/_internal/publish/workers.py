"""Daemon worker threads: a registry that never answers must not hold the process.

``concurrent.futures`` joins its workers at interpreter exit, so one black-holed
registry would keep a finished run alive until its sockets time out. The publish
executor abandons such a registry at its deadline; these threads let it.
"""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

T = TypeVar("T")
R = TypeVar("R")


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
