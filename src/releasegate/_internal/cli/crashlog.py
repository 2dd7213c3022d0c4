"""The crash log of an internal error (exit 3), ready to paste into a bug report.

As pre-commit's ``error_handler`` does: versions, the command and the traceback go to a file
whose path the CLI prints, so that a user who saw one line on a terminal (or in a CI log) can
report the bug without running again. The environment is never written: CI holds tokens
there. Every line goes through ``display`` (a message may quote the hostile checkout).
"""

from __future__ import annotations

import platform
import sys
import traceback
from typing import TYPE_CHECKING

from releasegate import __version__
from releasegate._internal.display import display_lines

if TYPE_CHECKING:
    from pathlib import Path

NAME = "crash.log"

# The libraries whose versions explain most bugs: the parsers and the comparison's engine.
LIBRARIES = ("packaging", "griffe", "twine", "requests", "sigstore", "rich", "PyGithub")

TRACEBACK_LIMIT = 100_000
"""Characters of one traceback line kept (the display step's bound for a field is too short)."""


def _version_of(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def report(exc: BaseException, command: str | None) -> str:
    """The text of the crash log: versions, the command, the error and its traceback."""
    lines = [
        "### version information",
        "",
        f"releasegate: {__version__}",
        f"python: {sys.version.split(chr(10))[0]} ({platform.python_implementation()})",
        f"platform: {platform.platform()}",
        *(f"{name}: {_version_of(name)}" for name in LIBRARIES),
        "",
        "### error information",
        "",
        f"command: releasegate {command or '(none)'}",
        f"{type(exc).__name__}: {exc}",
        "",
        "".join(traceback.format_exception(exc)).rstrip("\n"),
    ]
    return display_lines("\n".join(lines), TRACEBACK_LIMIT) + "\n"


def write(exc: BaseException, command: str | None) -> Path | None:
    """Write the crash log under releasegate's cache directory; its path, or None when it
    cannot be written (a read-only home must not turn one error into two)."""
    from releasegate._internal.metadata.cache import cache_dir

    path = cache_dir() / NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report(exc, command), encoding="utf-8")
    except OSError:
        return None
    return path
