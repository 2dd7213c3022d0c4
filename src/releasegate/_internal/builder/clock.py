"""Shifting the second build's clock, so that wall-clock stamps cannot hide.

Two builds that run side by side finish in the same second; a gzip header or an
mtime that follows the clock would then match by luck. libfaketime shifts every
clock call of the backend process; without it, a ``sitecustomize`` shim shifts
Python's ``time`` functions (``shim.py``), which is where Python backends read the clock.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from releasegate._internal.builder.shim import CLOCK_VARIABLE, shim_path

SHIFT_SECONDS = 90_061
"""One day, one hour, one minute and one second: every field of a timestamp moves."""

_FAKETIME_GLOBS = (
    ("/usr/lib", "*/faketime/libfaketime.so.1"),
    ("/usr/lib", "faketime/libfaketime.so.1"),
    ("/usr/local/lib", "faketime/libfaketime.so.1"),
)


@dataclass(frozen=True)
class ClockShift:
    method: str
    """``libfaketime`` or ``python-shim``."""
    env: tuple[tuple[str, str], ...]
    description: str


def find_libfaketime() -> str | None:
    override = os.environ.get("RELEASEGATE_LIBFAKETIME")
    if override is not None:
        return override if override and Path(override).is_file() else None
    for base, pattern in _FAKETIME_GLOBS:
        for match in sorted(Path(base).glob(pattern)):
            return str(match)
    return None


def clock_shift(workdir: Path, seconds: int = SHIFT_SECONDS) -> ClockShift:
    """The environment that shifts a backend's clock by ``seconds``, by the best means here."""
    library = find_libfaketime()
    if library is not None:
        preload = os.pathsep.join(filter(None, [library, os.environ.get("LD_PRELOAD")]))
        env: tuple[tuple[str, str], ...] = (
            ("LD_PRELOAD", preload),
            ("FAKETIME", f"+{seconds}s"),
            # Not FAKETIME_DONT_FAKE_MONOTONIC: with it, Python's time.sleep (an absolute
            # clock_nanosleep) fails with EINVAL, and every subprocess timeout with it.
            ("FAKETIME_DONT_RESET", "1"),
        )
        return ClockShift("libfaketime", env, f"clock shifted by +{seconds}s with libfaketime")
    env = (*shim_path(workdir).items(), (CLOCK_VARIABLE, str(seconds)))
    return ClockShift(
        "python-shim",
        env,
        f"Python's clock shifted by +{seconds}s with a sitecustomize shim"
        " (libfaketime not installed; C-level clock reads are not shifted)",
    )
