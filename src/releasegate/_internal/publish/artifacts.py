"""The dists to publish: found in the dist directory, named and hashed once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)

from releasegate._internal.errors import FatalError
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from pathlib import Path

# Files that may sit beside a dist and travel with it where the registry takes them.
SIGSTORE_SUFFIX = ".sigstore.json"
ATTESTATION_SUFFIX = ".publish.attestation"
COMPANION_SUFFIXES = (SIGSTORE_SUFFIX, ATTESTATION_SUFFIX)


@dataclass(frozen=True)
class Artifact:
    """One distribution file."""

    path: Path
    filename: str
    sha256: str
    size: int
    project: str
    """Normalized project name (PEP 503)."""
    version: str
    companions: tuple[Path, ...] = ()
    """Signature bundle and attestation files beside the dist, when present."""

    def companion(self, suffix: str) -> Path | None:
        return next((p for p in self.companions if p.name.endswith(suffix)), None)


def parse_dist_filename(filename: str) -> tuple[str, str] | None:
    """(normalized project, version) of a wheel or sdist file name; None for anything else."""
    try:
        if filename.endswith(".whl"):
            name, version, _build, _tags = parse_wheel_filename(filename)
        elif filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
        else:
            return None
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return canonicalize_name(name), str(version)


def _artifact(path: Path) -> Artifact:
    parsed = parse_dist_filename(path.name)
    if parsed is None:
        raise FatalError(
            f"{path}: not a wheel or sdist file name",
            hint="remove it from the dist directory, or rebuild",
        )
    companions = tuple(
        path.with_name(path.name + suffix)
        for suffix in COMPANION_SUFFIXES
        if path.with_name(path.name + suffix).is_file()
    )
    return Artifact(path, path.name, sha256_file(path), path.stat().st_size, *parsed, companions)


def discover(dist_dir: Path) -> tuple[Artifact, ...]:
    """Every dist in ``dist_dir``, sorted and safe to read; all must belong to one project."""
    if not dist_dir.is_dir():
        raise FatalError(f"{dist_dir}: no such directory", hint="build first: `releasegate build`")
    paths = sorted(
        p
        for p in dist_dir.iterdir()
        if p.is_file() and p.name.endswith((".whl", ".tar.gz", ".zip"))
    )
    if not paths:
        raise FatalError(f"{dist_dir}: no wheel or sdist to publish", hint="build first")
    from releasegate._internal.archives import refuse_unsafe
    from releasegate._internal.publish.identity import refuse_mismatched

    # Before any plan: a hostile member (link, '..', device, duplicate) is never published,
    # nor a dist whose own metadata names another version than its file (pip refuses it).
    archives = refuse_unsafe(paths, "nothing was published")
    artifacts = tuple(_artifact(p) for p in paths)
    refuse_mismatched(artifacts, archives)
    projects = sorted({a.project for a in artifacts})
    if len(projects) > 1:
        raise FatalError(
            f"{dist_dir}: dists of several projects ({', '.join(projects)})",
            hint="publish one project at a time",
        )
    return artifacts
