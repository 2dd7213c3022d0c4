"""One publish at a time per ledger: a lock file beside it, naming the run that holds it.

Two runs on one ledger (a re-run started while the first still uploads, two jobs on one
self-hosted runner) each planned "upload", POSTed every file, and rewrote the ledger from
their own copy, so it kept one run's entries. The second run now waits for the first
(``lock-wait`` seconds), then plans from what the registries serve, and finds the files
there; past the bound it stops, naming the holder.

The lock is the operating system's (``flock``, ``msvcrt.locking`` on Windows) on
``<ledger>.lock``: a run killed with SIGKILL releases it with its process, so no stale
lock outlives its holder. The file itself stays (deleting a locked file lets a third run
lock a new one beside the second's); its content is the holder, for the message.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import time
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from pathlib import Path

_POLL = 0.2


def _try_lock(descriptor: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(descriptor: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(descriptor, fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return f"run {data['run']} (pid {data['pid']} on {data['host']}, started {data['started']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "another run (its holder record is unreadable)"


class RunLock:
    """Held from before the plan until the audit record is written."""

    def __init__(self, ledger: Path, run: str) -> None:
        self.path = ledger.with_name(ledger.name + ".lock")
        self._run = run
        self._descriptor: int | None = None

    def acquire(self, wait: float) -> float:
        """Take the lock within ``wait`` seconds; the seconds waited. FatalError past it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        started = time.monotonic()
        while not _try_lock(descriptor):
            if time.monotonic() - started >= wait:
                os.close(descriptor)
                raise FatalError(
                    f"another publish holds {self.path}: {_holder(self.path)}; "
                    f"waited {wait:g}s, nothing was published",
                    hint="let it end (then run again: what it uploaded is skipped), or raise "
                    "[tool.releasegate.publish] lock-wait",
                )
            time.sleep(_POLL)
        self._descriptor = descriptor
        self._write_holder(descriptor)
        return time.monotonic() - started

    def _write_holder(self, descriptor: int) -> None:
        holder = {
            "run": self._run,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        os.ftruncate(descriptor, 0)
        os.lseek(descriptor, 0, os.SEEK_SET)
        os.write(descriptor, json.dumps(holder).encode("utf-8"))

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        try:
            _unlock(descriptor)
        finally:
            os.close(descriptor)
