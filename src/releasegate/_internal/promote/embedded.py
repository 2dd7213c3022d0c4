"""The old version inside the payload: refused where found, rewritten only where listed.

``__version__ = "1.4.0rc2"`` or a ``_version.py`` written by setuptools-scm or hatch-vcs would
make the promoted package report its pre-release version at run time. Such a file is named
with its line, whichever way it spells the version (``1.4.0.rc2``, ``1.4.0RC2``, ``v1.4.0c2``,
``(1, 4, 0, "rc", 2)``: see ``spelling``); a project that lists it in
``[tool.releasegate.promote] rewrite`` gets exactly those spellings changed, and the diff goes
into the promotion record. Files matching ``keep`` (a changelog recording the pre-release) may
mention it.
"""

from __future__ import annotations

import difflib
import fnmatch
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.promote import spelling
from releasegate._internal.promote.payload import Role, rewritten

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive
    from releasegate._internal.promote.payload import Layout
    from releasegate._internal.promote.versions import Step


@dataclass(frozen=True)
class Embedded:
    path: str
    """The member's path inside the project (sdist) or the wheel."""
    line: int
    text: str


def _kept(path: str, keep: tuple[str, ...]) -> bool:
    base = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(base, g) for g in keep)


def embedded(archive: Archive, layout: Layout, keep: tuple[str, ...]) -> list[Embedded]:
    """Every line of a payload member that states the archive's version."""
    found = []
    for member in archive.members:
        if member.kind != "file" or layout.role(member.name) is not Role.PAYLOAD:
            continue
        path = layout.inner(member.name)
        if member.content is None or _kept(path, keep):
            continue
        found += [Embedded(path, line, text) for line, text in _lines(member.content, layout)]
    return found


def _lines(content: bytes, layout: Layout) -> list[tuple[int, str]]:
    """(line, text of the line) for every line that spells the version."""
    found: dict[int, str] = {}
    for start in spelling.mentions(content, layout.version):
        line = content.count(b"\n", 0, start) + 1
        begin = content.rfind(b"\n", 0, start) + 1
        end = content.find(b"\n", start)
        text = content[begin : end if end >= 0 else len(content)]
        found.setdefault(line, text.decode("utf-8", "replace").strip()[:200])
    return sorted(found.items())


def changes(archive: Archive, layout: Layout, step: Step) -> list[dict[str, str]]:
    """The unified diff of every listed member the promotion rewrites (for the record)."""
    result = []
    for member in archive.members:
        role = layout.role(member.name)
        if role not in (Role.REWRITE, Role.VCS) or member.content is None:
            continue
        after = rewritten(role, member.content, step)
        if after == member.content:
            continue
        path = layout.inner(member.name)
        diff = difflib.unified_diff(
            member.content.decode("utf-8", "replace").splitlines(keepends=True),
            after.decode("utf-8", "replace").splitlines(keepends=True),
            f"a/{path}",
            f"b/{path}",
        )
        result.append({"path": path, "diff": "".join(diff)})
    return result
