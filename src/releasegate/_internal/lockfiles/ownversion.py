"""Does uv.lock still record the version each project of the lock declares?

uv locks the project itself (``source = { editable = "." }``) with its version, and
``uv lock --check`` fails when ``[project].version`` moved on without a re-lock: the lock
no longer matches what is declared. A dynamic version is computed by the build backend,
so nothing offline can compare it: that is said, never judged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.tomldoc import TomlDocument


class OwnVersion(NamedTuple):
    drifted: bool
    """True: the versions differ (an error); False: they cannot be compared (said)."""
    message: str
    path: str
    line: int | None
    hint: str


def own_versions(
    lock: Lockfile, root: Path, pyproject: TomlDocument | None
) -> Iterator[OwnVersion]:
    """One record per project entry of a uv.lock whose version differs or cannot be compared."""
    if lock.format != "uv":
        return
    for entry in lock.entries:
        if entry.is_project and entry.version is not None:
            doc = _declaring(entry, root, pyproject)
            found = _compare(entry, doc, lock, _shown(doc, root)) if doc is not None else None
            if found is not None:
                yield found


def _declaring(entry: Entry, root: Path, pyproject: TomlDocument | None) -> TomlDocument | None:
    """The pyproject.toml of the project the entry locks: the root's, or a member's folder."""
    if entry.url in (None, ".", "./"):
        return pyproject
    from releasegate._internal.lockfiles.inputs import read_other

    folder = (root / str(entry.url)).resolve()
    if not folder.is_relative_to(root.resolve()):
        return None
    return read_other(folder / "pyproject.toml", root)


def _shown(doc: TomlDocument, root: Path) -> str:
    try:
        return doc.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return doc.path.name


def _compare(entry: Entry, doc: TomlDocument, lock: Lockfile, where: str) -> OwnVersion | None:
    project = doc.get("project")
    if not isinstance(project, dict) or project.get("name") is None:
        return None
    declared = project.get("version")
    dynamic = project.get("dynamic")
    if not isinstance(declared, str):
        if isinstance(dynamic, list) and "version" in dynamic:
            return OwnVersion(
                False,
                f"{lock.path} records {entry.name} {entry.version}, but its version is dynamic: "
                "only the build backend computes it, so the two are not compared",
                entry.path,
                entry.line,
                "nothing; `uv lock --check` compares them where the backend can run",
            )
        return None
    if _same(declared, str(entry.version)):
        return None
    return OwnVersion(
        True,
        f"{lock.path} records {entry.name} {entry.version} but {where} declares version "
        f"{quoted(declared)}: the lock no longer matches (`uv lock --check` fails)",
        entry.path,
        entry.line,
        "re-lock: uv lock",
    )


def _same(left: str, right: str) -> bool:
    from packaging.version import Version

    try:
        return Version(left) == Version(right)
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        return left.strip() == right.strip()
