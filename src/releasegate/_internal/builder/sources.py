"""Private copies of a source tree, one per build, written in a chosen order, umask and time.

Copying the git-tracked files is what a fresh clone would hold; outside git a
filtered walk leaves out build output, caches and virtual environments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from releasegate._internal.git import Git, GitMissing, clone_shared

_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "dist",
        "build",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "node_modules",
        ".eggs",
    }
)


@dataclass(frozen=True)
class TreeLayout:
    """How a copy is written: the umask its modes follow, file order, and a shift of mtimes."""

    umask: int = 0o022
    reverse: bool = False
    mtime_shift: int = 0


def tracked_files(root: Path) -> list[str] | None:
    """Files git tracks under ``root`` (relative to it), or None when ``root`` is not in git."""
    try:
        return Git(root).tracked_files_or_none()
    except GitMissing:
        return None  # the build still works from a walk of the tree


def walked_files(root: Path) -> list[str]:
    """Every file under ``root`` outside build output, caches and environments."""
    found: list[str] = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.endswith(".egg-info"))
        base = Path(directory).relative_to(root)
        found.extend((base / name).as_posix() for name in files)
    return sorted(found)


def source_files(root: Path) -> tuple[list[str], str]:
    """The files to copy and where the list came from (``git`` or ``walk``)."""
    tracked = tracked_files(root)
    if tracked:
        return tracked, "git"
    return walked_files(root), "walk"


def copy_tree(root: Path, files: list[str], dest: Path, layout: TreeLayout) -> None:
    """Write ``files`` of ``root`` under ``dest`` as ``layout`` says; missing files are skipped."""
    dest.mkdir(parents=True, exist_ok=True)
    ordered = list(reversed(files)) if layout.reverse else files
    directories: set[Path] = set()
    for name in ordered:
        source = root / name
        if not os.path.lexists(source) or source.is_dir():
            continue  # deleted in the work tree, or a submodule
        target = dest / name
        _make_parents(target.parent, dest, layout.umask, directories)
        _copy_one(source, target, layout)
    for directory in sorted(directories, reverse=not layout.reverse):
        shifted = directory.stat().st_mtime + layout.mtime_shift
        os.utime(directory, (shifted, shifted))


def _make_parents(directory: Path, dest: Path, umask: int, made: set[Path]) -> None:
    missing = []
    while directory != dest and directory not in made:
        missing.append(directory)
        directory = directory.parent
    for path in reversed(missing):
        path.mkdir(exist_ok=True)
        path.chmod(0o777 & ~umask)
        made.add(path)


def _copy_one(source: Path, target: Path, layout: TreeLayout) -> None:
    if source.is_symlink():
        # Kept as a link to the same target: the copy must build like the checkout would.
        target.symlink_to(source.readlink())
        return
    info = source.stat()
    target.write_bytes(source.read_bytes())
    executable = info.st_mode & 0o100
    target.chmod((0o777 if executable else 0o666) & ~layout.umask)
    mtime = info.st_mtime + layout.mtime_shift
    os.utime(target, (mtime, mtime))


def git_top_level(root: Path) -> Path | None:
    """The work tree's top directory when ``root`` is exactly that top, else None."""
    try:
        top = Git(root).top_level()
    except GitMissing:
        return None
    return root if top is not None and top.resolve() == root.resolve() else None


def attach_history(root: Path, dest: Path) -> bool:
    """Give ``dest`` the git history of ``root`` (shared objects, no checkout) for VCS versions.

    Backends that take the version from git tags (setuptools-scm, hatch-vcs, pdm's scm)
    need a repository; ``clone --shared`` borrows the objects, so it costs milliseconds.
    Call before ``copy_tree``; call ``sync_index`` after it.
    """
    if git_top_level(root) is None:
        return False
    return clone_shared(root, dest)


def prepare_copy(
    source: Path, files: list[str], tree: Path, layout: TreeLayout, history: bool
) -> None:
    """The private copy one build works on: git history first (when asked), then the files."""
    cloned = history and attach_history(source, tree)
    copy_tree(source, files, tree, layout)
    if cloned:
        sync_index(tree)


def sync_index(dest: Path) -> None:
    """Point the copy's index at HEAD so that the copied files read as the commit's state."""
    Git(dest).refresh_index()
