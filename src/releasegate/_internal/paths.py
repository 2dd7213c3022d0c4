"""Paths named by the repository's own configuration stay inside the repository.

The checkout is untrusted input (a pull request from a stranger, a release job holding
tokens): a configured ``output = "../.bashrc"`` or ``"/etc/x"``, or a committed symlink
that leads out, must not make releasegate read or write outside the project. Paths given
on the command line or by the job's environment are the user's own and are not checked here.
Files the checkout names (includes, lockfiles, readmes, changelogs, version files) are read with
``read_inside()``: inside the project after every link (a lockfile's include: inside the checkout,
see ``checkout_top``), a regular file, and bounded.

``.git/`` is never project content, wherever it is met: actions/checkout keeps the job's token in
``.git/config`` (``http.extraheader``), so ``version-files = [{path = ".git/config"}]``,
``-r .git/config`` or a committed symlink into ``.git`` would quote it into every report. Both
functions refuse any path whose real path has a ``.git`` component below the root.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING

from releasegate._internal.errors import ConfigError
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from pathlib import Path

MAX_READ = 64 * 1024 * 1024
"""The largest file of the checkout read (uv.lock of a big monorepo is a few MB): a checkout may
link a file to /dev/zero or make it huge, and an unbounded read ends in MemoryError."""


def inside(root: Path, configured: str, key: str) -> Path:
    """``root / configured`` with every link followed; ConfigError when it leaves ``root``.

    ``key`` names the setting in the message (e.g. ``[tool.releasegate.sbom] output``). The
    path need not exist yet: links are followed as far as they exist, a dangling one included.
    """
    base = root.resolve()
    if "\0" in configured:  # no file system has such a name; resolve() would raise ValueError
        raise ConfigError([f"{key} = {quoted(configured)} holds a NUL character"])
    target = (base / configured).resolve()
    if target == base or not target.is_relative_to(base) or _in_git(base, target):
        where = (
            "the project root itself"
            if target == base
            else "git's own data (.git/), never project content"
            if target.is_relative_to(base)
            else "outside the project"
        )
        raise ConfigError(
            [f"{key} = {quoted(configured)} resolves to {where} ({target})"],
            hint="configured paths stay inside the repository; to use another place, "
            "give it on the command line",
        )
    return target


def _in_git(base: Path, target: Path) -> bool:
    """``target`` (resolved, inside ``base``) is ``.git`` or below it, in any case (macOS)."""
    return any(part.lower() == ".git" for part in target.relative_to(base).parts)


def outside(root: Path, path: Path) -> bool:
    """``path``, every link followed, leaves ``root`` or enters a ``.git`` below it."""
    base, target = root.resolve(), path.resolve()
    return not target.is_relative_to(base) or _in_git(base, target)


def checkout_top(root: Path) -> Path | None:
    """The folder at or above ``root`` that holds ``.git`` (the checkout), or None.

    A workspace member's files may name the repository's shared ones (``-r ../../common.txt``):
    those stay inside the checkout, which is what is untrusted as a whole.
    """
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            return folder
    return None


def is_file(path: Path) -> bool:
    """``path.is_file()`` that is False, not an OSError, for a name too long for the system
    (a component over 255 bytes raises ENAMETOOLONG, which pathlib lets through)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def is_dir(path: Path) -> bool:
    """``path.is_dir()``, False for a name too long for the system or holding a NUL."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def read_bounded(path: Path, limit: int = MAX_READ) -> bytes:
    """The bytes of a regular file (links followed) of at most ``limit`` bytes.

    OSError for anything else: a FIFO, a device such as /dev/zero, a directory, or a file too
    large; the read itself stops at ``limit`` so a file that grows cannot exhaust memory.
    """
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        raw = handle.read(limit + 1)
    if len(raw) > limit:
        raise OSError(errno.EFBIG, f"larger than {limit // (1024 * 1024)} MiB")
    return raw


def read_inside(root: Path, path: Path, limit: int = MAX_READ) -> bytes:
    """``read_bounded(path)`` when ``path``, every link followed, is inside ``root``.

    A file the checkout names (``-r /proc/self/environ``, a committed symlink
    ``requirements.txt -> ~/.env``) is refused with an OSError before a byte is read, so
    nothing outside the project can reach a finding, an annotation or a report.
    """
    if "\0" in str(path):  # resolve() and open() raise ValueError on it
        raise OSError(errno.EINVAL, "a NUL character in the name")
    base, target = root.resolve(), path.resolve()
    if not target.is_relative_to(base):
        raise OSError(errno.EACCES, "it leads outside the project")
    if _in_git(base, target):
        raise OSError(errno.EACCES, "it leads into .git/ (git's own data, never project content)")
    return read_bounded(target, limit)


def read_text_inside(root: Path, path: Path, limit: int = MAX_READ) -> str:
    """``read_inside()`` decoded as UTF-8, undecodable bytes replaced."""
    return read_inside(root, path, limit).decode("utf-8", errors="replace")
