"""Which requirements files the project itself installs with ``--require-hashes``.

An unhashed pin is a warning by default: docs, CI constraints and dev tools are often compiled
without hashes on purpose (705 of 781 error findings on 22 real repositories). A file the
project installs with ``pip install --require-hashes -r FILE`` is different: pip refuses it
the moment one pin lacks a hash, so its missing hashes break an install, an error.

The commands are read as text from the places projects install from, never run: the workflows
in ``.github/workflows/``, ``tox.ini`` and ``noxfile.py``.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

MAX_FILE = 1024 * 1024
"""A workflow, tox.ini or noxfile larger than this is not read (the checkout is hostile)."""
MAX_WORKFLOWS = 200
_FLAG = "--require-hashes"
# Words of a command, whether a shell line (`-r req.txt`) or Python (`"-r", "req.txt"`).
_WORD = re.compile(r"[^\s,\"'()\[\]]+")
_TOX_DIR = ("{toxinidir}/", "{tox_root}/")


def _commands(text: str) -> Iterator[tuple[int, str]]:
    """Each line with its continuation lines (``\\`` at the end) joined, and its line number."""
    start, parts = 0, list[str]()
    for number, line in enumerate(text.splitlines(), start=1):
        if not parts:
            start = number
        stripped = line.rstrip()
        parts.append(stripped.removesuffix("\\"))
        if not stripped.endswith("\\"):
            yield start, " ".join(parts)
            parts = []
    if parts:
        yield start, " ".join(parts)


def _requirement_files(command: str) -> Iterator[str]:
    words = _WORD.findall(command)
    for index, word in enumerate(words):
        if word in ("-r", "--requirement") and index + 1 < len(words):
            yield words[index + 1]
        elif word.startswith("--requirement="):
            yield word.partition("=")[2]
        elif word.startswith("-r") and len(word) > 2 and not word.startswith("-r-"):
            yield word[2:]


def _normal(path: str) -> str | None:
    for prefix in _TOX_DIR:
        path = path.removeprefix(prefix)
    if "$" in path or "{" in path or path.startswith("/"):
        return None  # a variable or an absolute path names no file of the checkout we can know
    shown = posixpath.normpath(path)
    return None if shown.startswith("../") else shown


def hashed_installs(text: str) -> Iterator[tuple[str, int]]:
    """The requirements files ``text`` installs with ``--require-hashes``, with the line."""
    for number, command in _commands(text):
        if _FLAG not in command:
            continue
        for found in _requirement_files(command):
            path = _normal(found)
            if path is not None:
                yield path, number


def _sources(top: Path, root: Path) -> Iterator[tuple[Path, Path]]:
    """Each file to read, with the folder its paths are relative to."""
    workflows = top / ".github" / "workflows"
    if workflows.is_dir():
        found = sorted(p for p in workflows.iterdir() if p.suffix in (".yml", ".yaml"))
        yield from ((path, top) for path in found[:MAX_WORKFLOWS])
    for name in ("tox.ini", "noxfile.py"):
        yield root / name, root


def required_by_project(root: Path, top: Path | None) -> dict[str, str]:
    """Root-relative requirements files the project installs with ``--require-hashes``,
    each with where (``.github/workflows/ci.yml:23``)."""
    from releasegate._internal.paths import is_file, read_text_inside

    top = top or root
    found: dict[str, str] = {}
    for source, base in _sources(top, root):
        if not is_file(source):
            continue
        try:
            text = read_text_inside(top, source, MAX_FILE)
        except OSError:
            continue  # unreadable, or a link out of the checkout: it requires nothing
        where = source.relative_to(top).as_posix()
        for path, line in hashed_installs(text):
            relative = _relative_to_root(base / path, root)
            if relative is not None:
                found.setdefault(relative, f"{where}:{line}")
    return found


def _relative_to_root(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None  # another project of the monorepo
