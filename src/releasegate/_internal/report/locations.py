"""Finding paths as GitHub wants them: relative to the repository root, not the project.

A finding's path is relative to the project folder. In a monorepo (``working-directory:``
or ``-C``) the project is a subfolder, and annotations, check-run annotations and SARIF
locations must name files from the top of the repository, or GitHub attaches them to
the wrong file or to none (issue 17).
"""

from __future__ import annotations

import functools
from pathlib import Path


@functools.lru_cache(maxsize=8)
def _placed(root: str) -> tuple[Path, str]:
    """The repository's top directory and the project's ``sub/dir/`` prefix within it."""
    from releasegate._internal.git import Git, GitMissing

    project = Path(root).resolve()
    try:
        top = Git(project).top_level()
    except GitMissing:  # renderers work without git: paths stay project-relative
        top = None
    if top is None:
        return project, ""
    try:
        relative = project.relative_to(top.resolve()).as_posix()
    except ValueError:  # a project outside its own work tree: nothing better to say
        return project, ""
    return top.resolve(), "" if relative == "." else relative + "/"


def repository_prefix(root: str) -> str:
    """``sub/dir/`` of the project folder ``root`` in its git work tree; empty at the top."""
    return _placed(root)[1]


def in_repository(root: str, path: str) -> str:
    """``path`` (relative to the project ``root``) relative to the repository root."""
    return repository_prefix(root) + path


def repository_root(root: str) -> Path:
    """The top of the work tree holding the project (the project itself outside git)."""
    return _placed(root)[0]
