"""Lockfile formats, each parsed once into the common model (``model.Lockfile``).

The registry below is explicit: a new format is one module with
``parse(path, root) -> Lockfile`` plus one line here giving the file names it owns.
Modules are imported only when a file of theirs is read.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gc
import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol, cast

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.lockfiles.model import Lockfile


class FormatEntry(NamedTuple):
    module: str
    patterns: tuple[str, ...]
    """File-name globs auto-detection matches (in the root and in ``requirements/``)."""
    relock: str
    """The command that regenerates such a file, for hints."""


# One line per format, as the module docstring promises, however long it gets.
# fmt: off
FORMATS: dict[str, FormatEntry] = {
    "requirements": FormatEntry("releasegate._internal.lockfiles.requirements", ("requirements*.txt", "requirements/*.txt"), "pip-compile --generate-hashes"),  # noqa: E501
    "pylock": FormatEntry("releasegate._internal.lockfiles.pylock", ("pylock.toml", "pylock.*.toml"), "uv export --format pylock.toml (or the tool that wrote it)"),  # noqa: E501
    "uv": FormatEntry("releasegate._internal.lockfiles.uvlock", ("uv.lock",), "uv lock"),
    "poetry": FormatEntry("releasegate._internal.lockfiles.poetry", ("poetry.lock",), "poetry lock"),
    "pdm": FormatEntry("releasegate._internal.lockfiles.pdmlock", ("pdm.lock",), "pdm lock"),
}
# fmt: on


def relock_hint(fmt: str) -> str:
    entry = FORMATS.get(fmt)
    return entry.relock if entry else "regenerate the lockfile"


class Format(Protocol):
    NAME: str

    def parse(self, path: Path, root: Path) -> Lockfile: ...


def format_of(relative: str) -> str | None:
    """The format whose patterns match the root-relative POSIX path ``relative``."""
    for name, entry in FORMATS.items():
        if any(fnmatch.fnmatchcase(relative, pattern) for pattern in entry.patterns):
            return name
    return None


NESTED_DEPTH = 2
"""How deep below the root ``detect(nested=True)`` looks for requirements files."""
# Test data is not a lock of this project (pdm's tests/fixtures/requirements.txt is an
# input with a made-up extra index), nor are generated or installed trees.
_SKIPPED_DIRS = frozenset(
    {
        *("node_modules", "build", "dist", "venv", "env", "site-packages", "__pycache__"),
        *("tests", "test", "testing", "testdata", "fixtures", "examples"),
    }
)


def detect(root: Path, *, nested: bool = False) -> list[str]:
    """Lockfiles present under ``root``, root-relative, in a stable order.

    ``nested`` adds ``requirements*.txt`` (and ``requirements/*.txt``) up to NESTED_DEPTH
    directories down, as sigstore-python keeps its pip-compile lock in ``install/``.
    """
    found: list[str] = []
    listings: dict[str, list[os.DirEntry[str]]] = {}
    for entry in FORMATS.values():
        for pattern in entry.patterns:
            found.extend(_matching(root, pattern, listings))
    if nested:
        found.extend(sorted(p for p in _candidates(root) if _nested_requirements(p)))
    if "uv.lock" in found and (unused_by_uv(root) or locks_no_project(root)):
        found.remove("uv.lock")  # uv installs from the workspace root's, or from none here
    return list(dict.fromkeys(found))


def locks_no_project(root: Path) -> bool:
    """``root/uv.lock`` beside a pyproject.toml that uv cannot lock: neither ``[project]`` nor
    ``[tool.uv.workspace]`` (textual: a Poetry project with a stray, empty uv.lock). uv reads
    nothing else, so the file locks none of what the project declares."""
    from releasegate._internal.errors import TomlError
    from releasegate._internal.tomldoc import read_toml

    pyproject = root / "pyproject.toml"
    if not (root / "uv.lock").is_file() or not pyproject.is_file():
        return False
    try:
        doc = read_toml(pyproject, root=root)
    except TomlError:
        return False  # the file's own problem, reported by the gates that read it
    return doc.get("project") is None and doc.get("tool", "uv", "workspace") is None


def unused_by_uv(root: Path) -> Path | None:
    """The root of the uv workspace whose member ``root`` is: uv ignores ``root/uv.lock``."""
    from releasegate._internal.lockfiles.uvworkspace import enclosing_workspace

    return enclosing_workspace(root) if (root / "uv.lock").is_file() else None


def _matching(root: Path, pattern: str, listings: dict[str, list[os.DirEntry[str]]]) -> list[str]:
    """Files matching ``pattern`` (``name-glob`` or ``dir/name-glob``), root-relative, sorted.

    One directory listing serves every pattern: pathlib's glob lists the directory again
    for each of them (a millisecond of every lockfile hook).
    """
    folder, _, name = pattern.rpartition("/")
    if folder not in listings:
        try:
            with os.scandir(root / folder) as entries:
                listings[folder] = list(entries)
        except OSError:
            listings[folder] = []
    prefix = f"{folder}/" if folder else ""
    return sorted(
        prefix + e.name
        for e in listings[folder]
        if fnmatch.fnmatchcase(e.name, name) and _is_file(e)
    )


def _is_file(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False


def _nested_requirements(relative: str) -> bool:
    *dirs, name = relative.split("/")
    if not 1 <= len(dirs) <= NESTED_DEPTH or not name.endswith(".txt"):
        return False
    if any(d.startswith(".") or d in _SKIPPED_DIRS for d in dirs):
        return False
    return fnmatch.fnmatchcase(name, "requirements*.txt") or dirs[-1] == "requirements"


def _candidates(root: Path) -> list[str]:
    """Files git tracks under ``root`` (so nothing it ignores); a bounded walk outside git."""
    from releasegate._internal.git import Git, GitMissing

    try:
        tracked = Git(root).tracked_files_or_none()
    except GitMissing:
        tracked = None
    if tracked is not None:
        return tracked
    found: list[str] = []
    for directory, subdirs, files in os.walk(root):
        here = Path(directory)
        depth = len(here.relative_to(root).parts)
        # A virtual environment is skipped by its marker file, whatever it is called.
        subdirs[:] = [
            d
            for d in subdirs
            if depth < NESTED_DEPTH
            and not d.startswith(".")
            and d not in _SKIPPED_DIRS
            and not (here / d / "pyvenv.cfg").exists()
        ]
        found.extend((here / f).relative_to(root).as_posix() for f in files)
    return found


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic GC while many small acyclic objects are built.

    Each full collection walks every live object, so with the GC on, the cost per
    entry grows with the size of the lockfile (measured: 1.6-2x per entry at 50,000
    entries); nothing built here forms cycles that would need collecting.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_file(root: Path, relative: str, fmt: str | None = None) -> Lockfile:
    """Parse one lockfile; ``fmt`` defaults to what its name says (requirements otherwise).

    Parsed once per run: the lockfile, license and SBOM code all read the same files, and
    the model is immutable. The file's content is part of the cache key, so a file rewritten
    during the run (or between two in-process runs) is parsed again. The bytes themselves,
    not a digest of them: hashlib costs a hook 2-3 ms to import, and the parsed model the
    cache holds anyway is several times the size of the text.
    """
    chosen = fmt or format_of(relative) or "requirements"
    from releasegate._internal.paths import read_inside

    try:
        content = read_inside(root, root / relative)
    except OSError:
        content = b""  # the format module reports the unreadable file
    return _parse_cached(root, relative, chosen, content)


@functools.lru_cache(maxsize=64)
def _parse_cached(root: Path, relative: str, fmt: str, content: bytes) -> Lockfile:
    del content  # only part of the cache key
    module = cast("Format", importlib.import_module(FORMATS[fmt].module))
    with gc_paused():
        return module.parse(root / relative, root)


def clear_cache() -> None:
    """Forget parsed lockfiles (for long-lived processes and benchmarks)."""
    _parse_cached.cache_clear()
