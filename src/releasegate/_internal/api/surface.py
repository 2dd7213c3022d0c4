"""The public API of two versions of a package, read statically by griffe, and what changed.

Breakages come from ``griffe.find_breaking_changes``, filtered for its known false
positives (``breakages``); additions and annotation changes come from walking griffe's
models (``additions``), since griffe reports breakages only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.api.additions import additions
from releasegate._internal.api.breakages import breakages
from releasegate._internal.api.naming import public_paths, publicly_named

if TYPE_CHECKING:
    from releasegate._internal.api.changes import Change
    from releasegate._internal.api.members import Comparison, Member


def compare(old: Member, new: Member, comparison: Comparison) -> list[Change]:
    """Every change from ``old`` to ``new``: griffe's breakages, then additions."""
    import griffe

    comparison.old_root = old
    with griffe.logger.disable():
        changes = list(breakages(old, new, comparison))
        changes.extend(additions(old, new, comparison))
        names = {**public_paths(old), **public_paths(new)}
    return publicly_named(changes, names)
