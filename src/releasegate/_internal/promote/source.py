"""One pre-release artifact read for promotion: its archive, layout, version and checks.

The archive is read by ``archives`` (the one hostile-input reader) with every member's
content kept, since the promoted archive is written from it; its limits stay the reader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.archives import Limits, read_archive, sdist_prefix
from releasegate._internal.hashing import sha256_file
from releasegate._internal.promote.payload import Layout, Role, set_metadata_version

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.archives import Archive

WHEEL, SDIST = "wheel", "sdist"


@dataclass(frozen=True)
class Source:
    path: Path
    kind: str
    archive: Archive
    layout: Layout
    sha256: str

    def target_name(self, version: str) -> str:
        stem, old = self.layout.stem, self.layout.version
        return f"{stem}-{version}" + self.path.name[len(f"{stem}-{old}") :]


def kind_of(path: Path) -> str | None:
    if path.name.endswith(".whl"):
        return WHEEL
    return SDIST if path.name.endswith(".tar.gz") else None


def split_name(path: Path, kind: str) -> tuple[str, str] | None:
    """(stem, version) from a wheel's or an sdist's file name."""
    base = path.name.removesuffix(".tar.gz") if kind == SDIST else path.name
    parts = base.split("-")
    if len(parts) < 2 or (kind == WHEEL and len(parts) not in (5, 6)):
        return None
    return parts[0], parts[1]


def read_source(path: Path, rewrite: tuple[str, ...]) -> Source | str:
    """The artifact at ``path``, or why it cannot be promoted."""
    kind = kind_of(path)
    split = split_name(path, kind) if kind else None
    if kind is None or split is None:
        return "not a wheel or an sdist with a standard file name"
    limits = Limits()
    archive = read_archive(path, limits.keeping_everything())
    if archive.problems:
        return f"unsafe or unreadable archive: {archive.describe_problems()}"
    layout = Layout(kind, split[0], split[1], rewrite)
    problem = _layout_problem(archive, layout)
    if problem:
        return problem
    return Source(path, kind, archive, layout, sha256_file(path))


def _layout_problem(archive: Archive, layout: Layout) -> str | None:
    top = layout.prefixes(layout.version)[0]
    if layout.kind == SDIST and sdist_prefix(archive) != top.rstrip("/"):
        return f"the sdist's top directory is not {top}"
    metadata = [m for m in archive.members if layout.role(m.name) is Role.METADATA]
    if not metadata:
        return "no METADATA / PKG-INFO found for its version"
    for member in metadata:
        content = member.content or b""
        if set_metadata_version(content, "") == content or _version(content) != layout.version:
            return f"{member.name} does not state Version: {layout.version}"
    return None


def _version(content: bytes) -> str:
    for line in content.split(b"\n"):
        if line.startswith(b"Version:"):
            return line[8:].strip().decode("utf-8", "replace")
        if not line.strip():
            break
    return ""
