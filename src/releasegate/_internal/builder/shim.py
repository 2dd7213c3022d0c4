"""A ``sitecustomize`` for the second build's backend: shifted clock, reversed directory listings.

Python backends read the clock through ``time`` and list directories through ``os.listdir`` and
``os.scandir`` (``os.walk``, ``glob`` and ``pathlib`` call them). On ext4 a listing follows a
hash of the names, not the order files were created in, so writing the copy in another order
changes nothing there (issue 16): the shim reverses every listing the backend sees instead, so a
backend that ships files in listing order differs on every filesystem. One file does both jobs:
Python imports only the first ``sitecustomize`` on its path.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

CLOCK_VARIABLE = "RELEASEGATE_CLOCK_SHIFT"
REVERSE_VARIABLE = "RELEASEGATE_REVERSE_LISTINGS"

_SHIM = '''\
"""Written by releasegate for a reproducibility check: varies what the backend sees."""
import os as _os

if _os.environ.get("RELEASEGATE_CLOCK_SHIFT"):
    import time as _time

    _shift = int(_os.environ["RELEASEGATE_CLOCK_SHIFT"])
    _real_time, _real_time_ns = _time.time, _time.time_ns
    _real_localtime, _real_gmtime = _time.localtime, _time.gmtime
    _time.time = lambda: _real_time() + _shift
    _time.time_ns = lambda: _real_time_ns() + _shift * 1_000_000_000
    _time.localtime = lambda secs=None: _real_localtime(_time.time() if secs is None else secs)
    _time.gmtime = lambda secs=None: _real_gmtime(_time.time() if secs is None else secs)

if _os.environ.get("RELEASEGATE_REVERSE_LISTINGS"):
    _real_listdir, _real_scandir = _os.listdir, _os.scandir

    class _Reversed:
        """What os.scandir returns (an iterator and a context manager), in reverse order."""

        def __init__(self, entries):
            self._entries = iter(entries)

        def __iter__(self):
            return self

        def __next__(self):
            return next(self._entries)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()

        def close(self):
            self._entries = iter(())

    def _listdir(path="."):
        return _real_listdir(path)[::-1]

    def _scandir(path="."):
        with _real_scandir(path) as found:
            return _Reversed(list(found)[::-1])

    _os.listdir, _os.scandir = _listdir, _scandir
'''


def shim_path(workdir: Path) -> dict[str, str]:
    """Write the shim under ``workdir`` once; the ``PYTHONPATH`` that makes Python import it."""
    folder = workdir / "python-shim"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "sitecustomize.py"
    if not target.is_file():
        target.write_text(_SHIM, encoding="utf-8")
    return {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
    }
