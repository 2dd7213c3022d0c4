"""``verify-mirrors``: what every registry serves for a version, compared file by file.

The reference is the local dists when they are at hand, otherwise the hash most
registries agree on. A registry lacking a file is ``missing``; one serving other
bytes under the name is ``mismatch``; one that cannot be read is ``unreachable``.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

from releasegate._internal.findings import Finding
from releasegate._internal.publish.artifacts import parse_dist_filename
from releasegate._internal.publish.registries import open_registry
from releasegate._internal.publish.settings import Kind

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.publish.executor import Job
    from releasegate._internal.publish.settings import RegistrySpec

CHECK = "verify-mirrors"


@dataclass(frozen=True)
class Served:
    registry: str
    files: dict[str, str] | None
    """filename -> sha256; None when the registry could not be read."""
    error: str | None = None


def _same_version(filename: str, version: str | None) -> bool:
    parsed = parse_dist_filename(filename)
    if parsed is None:
        return False
    if version is None:
        return True
    try:
        return Version(parsed[1]) == Version(version)
    except InvalidVersion:
        return parsed[1] == version


def _read(spec: RegistrySpec, job: Job, version: str | None) -> Served:
    if spec.kind is Kind.GITHUB_RELEASE and version is None:
        return Served(spec.name, None, "a GitHub release is per version: pass --version V")
    try:
        registry = open_registry(job.context(spec))
        files = job.policy.call(lambda: registry.holdings(None), job.retrying(spec.name, "index"))
    except Exception as exc:  # noqa: BLE001 - reported as this registry's finding
        return Served(spec.name, None, job.describe(exc))
    return Served(spec.name, {n: h for n, h in files.items() if _same_version(n, version)})


def read_all(specs: Sequence[RegistrySpec], job: Job, version: str | None) -> list[Served]:
    with ThreadPoolExecutor(max_workers=max(1, len(specs))) as pool:
        return list(pool.map(lambda spec: _read(spec, job, version), specs))


def _reference(served: Sequence[Served], local: Mapping[str, str]) -> dict[str, str]:
    if local:
        return dict(local)
    votes: dict[str, Counter[str]] = {}
    for item in served:
        for name, sha in (item.files or {}).items():
            votes.setdefault(name, Counter())[sha] += 1
    return {name: counter.most_common(1)[0][0] for name, counter in votes.items()}


def compare(served: Sequence[Served], local: Mapping[str, str]) -> list[Finding]:
    reference = _reference(served, local)
    findings = []
    for item in served:
        if item.files is None:
            findings.append(
                Finding(
                    CHECK,
                    "unreachable",
                    f"{item.registry}: {item.error}",
                    hint="check the url and credentials of this registry",
                )
            )
            continue
        for name, sha in sorted(reference.items()):
            got = item.files.get(name)
            if got is None:
                findings.append(
                    Finding(
                        CHECK,
                        "missing",
                        f"{item.registry}: {name} is missing",
                        hint="`releasegate publish --resume` uploads what is missing",
                    )
                )
            elif got != sha:
                findings.append(
                    Finding(
                        CHECK,
                        "mismatch",
                        f"{item.registry}: {name} has sha256 {got}, expected {sha}",
                        hint="a file with the same name and other content: find out "
                        "who uploaded it before trusting this mirror",
                    )
                )
    return findings
