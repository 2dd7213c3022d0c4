"""Is a project a member of a uv workspace rooted above it? Then uv never reads its uv.lock.

uv locks a whole workspace in the root's uv.lock; run in a member's folder, it finds the
root and uses that file. A uv.lock left in a member (pydantic-core kept its own after it
moved into the pydantic repository) is stale by nature: held to the member's
declarations, it gives errors about a file nothing installs from. The lock that counts is
checked at the workspace root.

Only folders inside the same checkout are looked at: the search stops at the folder that
holds ``.git``, and finds nothing outside a repository.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

_PYPROJECT = "pyproject.toml"


def enclosing_workspace(root: Path) -> Path | None:
    """The root of the uv workspace ``root`` is a member of, when it lies above ``root``."""
    from releasegate._internal.paths import checkout_top

    top = checkout_top(root)
    if top is None or top == root:
        return None
    for folder in root.parents:
        if _is_member(folder, root):
            return folder
        if folder == top:
            break
    return None


def _is_member(workspace: Path, root: Path) -> bool:
    from releasegate._internal.errors import TomlError
    from releasegate._internal.tomldoc import read_toml

    if not (workspace / _PYPROJECT).is_file():
        return False
    try:
        table = read_toml(workspace / _PYPROJECT, root=workspace).get("tool", "uv", "workspace")
    except TomlError:
        return False  # not this gate's file to judge; uv would refuse the workspace anyway
    if not isinstance(table, dict):
        return False
    # As uv matches them: globs relative to the workspace root, ``exclude`` winning.
    return _matches(workspace, table.get("members"), root) and not _matches(
        workspace, table.get("exclude"), root
    )


def _matches(workspace: Path, patterns: object, root: Path) -> bool:
    if not isinstance(patterns, list):
        return False
    for pattern in patterns:
        if not isinstance(pattern, str):
            continue
        try:
            if any(folder.resolve() == root for folder in workspace.glob(pattern)):
                return True
        except (ValueError, NotImplementedError, OSError):  # "", "/abs": no glob uv accepts
            continue
    return False
