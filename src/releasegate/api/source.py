"""Where the package lives, in the working tree and at a release, read without importing it."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from releasegate.errors import FatalError
from releasegate.versionsources import import_name

if TYPE_CHECKING:
    from releasegate.project import Project


def candidates(project: Project, explicit: str | None) -> list[str]:
    """Relative paths the package may have: the configured one, or the usual layouts."""
    if explicit:
        return [PurePosixPath(explicit.rstrip("/")).as_posix()]
    name = import_name(project)
    if name is None:
        return []
    return [f"src/{name}", name, f"src/{name}.py", f"{name}.py"]


def in_tree(project: Project, paths: list[str]) -> str | None:
    """The first candidate that exists in the working tree."""
    for relative in paths:
        target = project.root / relative
        if (target / "__init__.py").is_file() or (target.suffix == ".py" and target.is_file()):
            return relative
        if target.is_dir() and any(target.glob("*.py")):
            return relative  # a namespace package
    return None


def at_commit(project: Project, commit: str, paths: list[str]) -> str | None:
    """The first candidate that exists in ``commit`` (one ``git ls-tree`` for all of them)."""
    if not paths:
        return None
    out = project.git.run("ls-tree", "--name-only", commit, "--", *paths, check=False)
    present = set(out.splitlines())
    return next((p for p in paths if p in present), None)


def extract(project: Project, commit: str, relative: str, into: Path) -> None:
    """Write the Python files under ``relative`` at ``commit`` below ``into``, paths kept."""
    completed = subprocess.run(
        ["git", "archive", "--format=tar", commit, "--", relative],
        cwd=project.root,
        capture_output=True,
        check=False,
    )
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", "replace").strip()
        raise FatalError(f"git archive {commit[:12]} -- {relative} failed: {stderr}")
    with tarfile.open(fileobj=io.BytesIO(completed.stdout)) as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.endswith((".py", ".pyi")) and _safe(member.name):
                _write(archive, member, into)


def _safe(name: str) -> bool:
    """git archive never writes these, but the archive is read as untrusted anyway."""
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _write(archive: tarfile.TarFile, member: tarfile.TarInfo, into: Path) -> None:
    source = archive.extractfile(member)
    if source is None:
        return
    target = into.joinpath(*PurePosixPath(member.name).parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read())
