"""``--new-since REF``: only what a change makes worse fails.

The base is REF's merge base with HEAD (``base.py``, which fetches it into a shallow CI
checkout), laid out as a detached worktree beside the checkout; the same gates run there with
this run's configuration, and this run's findings are matched against the base's by rule, file
and subject, never by line (``compare.py``): those already there become notes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.baseline.base import Base, laid_out, resolve
from releasegate._internal.baseline.compare import compare

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project

__all__ = ["Base", "compare", "new_since", "resolve"]


def new_since(
    project: Project,
    base: Base,
    report: Report,
    judge: Callable[[Project], Report],
    *,
    config: Path | None = None,
) -> Report:
    """``report`` with what was already at ``base`` (from ``resolve``) turned into notes.

    ``judge`` runs this run's gates on a project; it is given the base's, whose configuration is
    this run's (``config``, the ``--config`` given, or the checkout's own file): the same gates and
    settings on both sides, so that turning a rule on in a change shows what it finds in old code
    as notes, not as new; and the base's configuration is never read.
    """
    from releasegate._internal.project import Project

    with laid_out(project.git, base.commit) as tree:
        root = _project_root(project, tree)
        if root is None:
            return compare(report, None, base)  # the project did not exist there: all new
        at_base = Project(root, _config_path(project.root, config))
        return compare(report, judge(at_base), base)


def _project_root(project: Project, tree: Path) -> Path | None:
    """Where the project's folder is in the base's tree, when it is there."""
    inside = tree / project.git.run("rev-parse", "--show-prefix").strip()
    return inside if inside.is_dir() else None


def _config_path(root: Path, explicit: Path | None) -> Path | None:
    """This run's configuration file, to be read for the base too."""
    from releasegate._internal.config import CONFIG_FILE, PYPROJECT

    if explicit is not None:
        return explicit.resolve()
    found = [root / name for name in (CONFIG_FILE, PYPROJECT) if (root / name).is_file()]
    return found[0] if found else None
