"""Every process the code under test starts, recorded by an audit hook (PEP 578).

``sys.addaudithook`` sees ``subprocess.Popen``, ``os.exec*``, ``os.posix_spawn``, ``os.spawn*``
and ``os.system`` whoever calls them: releasegate, or a library it calls (pypa/build,
pyproject-hooks, pip's own entry point). A hook cannot be removed, so one is installed for the
whole session and records only inside ``processes()``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

EVENTS = frozenset(
    {"subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system", "os.fork"}
)


@dataclass(frozen=True)
class Started:
    """One process start: the event, the program (argv[0] or the command) and its env."""

    event: str
    argv: tuple[str, ...]
    env: Mapping[str, str] | None
    """None: the child inherits the parent's whole environment."""

    @property
    def program(self) -> str:
        return PurePath(self.argv[0]).name if self.argv else ""


_logs: list[list[Started]] = []
_lock = threading.Lock()


def _argv(value: Any) -> tuple[str, ...]:
    if isinstance(value, (str, bytes, os.PathLike)):
        return (os.fsdecode(value),)
    try:
        return tuple(
            os.fsdecode(v) if isinstance(v, (bytes, os.PathLike)) else str(v) for v in value
        )
    except TypeError:
        return (str(value),)


def _env(value: Any) -> Mapping[str, str] | None:
    if value is None:
        return None
    return {os.fsdecode(k): os.fsdecode(v) for k, v in dict(value).items()}


def _started(event: str, args: tuple[Any, ...]) -> Started:
    if event == "subprocess.Popen":  # (executable, args, cwd, env)
        return Started(event, _argv(args[1]), _env(args[3]))
    if event in ("os.exec", "os.posix_spawn"):  # (path, args, env)
        return Started(event, _argv(args[1]), _env(args[2]))
    if event == "os.spawn":  # (mode, path, args, env)
        return Started(event, _argv(args[2]), _env(args[3]))
    if event == "os.system":  # (command,)
        return Started(event, _argv(args[0]), None)
    return Started(event, (), None)  # os.fork: whatever runs next is this process's code


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event not in EVENTS or not _logs:
        return
    started = _started(event, args)
    with _lock:
        for log in _logs:
            log.append(started)


_installed = False


def install() -> None:
    global _installed  # noqa: PLW0603 - one hook per interpreter, ever (hooks cannot be removed)
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True


@contextlib.contextmanager
def processes() -> Iterator[list[Started]]:
    """The processes started (in any thread) while the block runs."""
    install()
    log: list[Started] = []
    with _lock:
        _logs.append(log)
    try:
        yield log
    finally:
        with _lock:
            _logs.remove(log)
