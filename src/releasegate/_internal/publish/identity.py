"""Each dist's own metadata names the project and version of the release.

A wheel whose file name says 1.6.0 while its METADATA says 1.5.9 uploads fine and then
fails every install (pip: "inconsistent version: expected '1.6.0', but metadata has
'1.5.9'"), and a registry keeps the file under its name forever. So, before any plan or
upload: the wheel's ``*.dist-info/METADATA`` and the sdist's ``PKG-INFO`` must state the
name and version of the file name (compared as PEP 503 names and PEP 440 versions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from releasegate._internal.archives import sdist_prefix
from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.archives import Archive
    from releasegate._internal.publish.artifacts import Artifact


def _metadata_member(archive: Archive, filename: str) -> tuple[str | None, str]:
    """The member holding the dist's core metadata, or None with the reason."""
    if filename.endswith(".whl"):
        found = sorted(
            {n.split("/", 1)[0] for n in archive.files() if n.endswith(".dist-info/METADATA")}
        )
        if len(found) != 1:
            return None, f"{len(found)} *.dist-info/METADATA files (a wheel has exactly one)"
        return f"{found[0]}/METADATA", ""
    prefix = sdist_prefix(archive)
    name = f"{prefix}/PKG-INFO"
    return (name, "") if prefix and name in archive.by_name() else (None, "no PKG-INFO")


def _headers(archive: Archive, member: str) -> dict[str, str]:
    """Name and Version from the header block (the start of the file is enough: a large
    METADATA past the reader's kept bytes still has its head)."""
    data = archive.read(member) or archive.head(member) or b""
    found: dict[str, str] = {}
    for line in data.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            break  # the body (long description) starts here
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in ("name", "version"):
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _same_version(stated: str, expected: str) -> bool:
    try:
        return Version(stated) == Version(expected)
    except InvalidVersion:
        return False


def mismatch(artifact: Artifact, archive: Archive) -> str | None:
    """Why ``artifact``'s own metadata does not match its file name, or None."""
    member, reason = _metadata_member(archive, artifact.filename)
    if member is None:
        return f"{artifact.filename}: {reason}"
    headers = _headers(archive, member)
    name, version = headers.get("name"), headers.get("version")
    if name is None or version is None:
        return f"{artifact.filename}: {member} states no {'Name' if name is None else 'Version'}"
    if canonicalize_name(name) != artifact.project:
        return f"{artifact.filename}: {member} says Name: {name} (the file name says {artifact.project})"
    if not _same_version(version, artifact.version):
        return (
            f"{artifact.filename}: {member} says Version: {version} "
            f"(the file name says {artifact.version})"
        )
    return None


def refuse_mismatched(artifacts: Sequence[Artifact], archives: Sequence[Archive]) -> None:
    """Raise FatalError naming every dist whose metadata is not the release's."""
    wrong = [m for a, arc in zip(artifacts, archives, strict=True) if (m := mismatch(a, arc))]
    if wrong:
        raise FatalError(
            "dist metadata does not match the release, nothing was published: " + " | ".join(wrong),
            hint="pip refuses a dist whose metadata disagrees with its file name: rebuild every "
            "dist from the release's checkout (a stale build left in dist/?)",
        )
