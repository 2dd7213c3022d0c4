"""``verify-mirrors``: what every registry serves for a version, compared file by file.

The reference is the local dists when they are at hand, otherwise what most
registries serve: a file is expected when more than half of the readable registries
serve it, with the hash most of them agree on. A registry lacking a file is
``missing``; one serving other bytes under the name is ``mismatch``; one serving a
file of the version that is not expected (an impostor wheel with a more specific
tag, which pip would prefer) is ``extra``; one that cannot be read is
``unreachable``. For one version the bytes are downloaded and hashed: an index's
claimed hash is not what pip checks. Registries are read anonymously unless their
credentials are set: no upload token is minted to read.

Yank state (PEP 592) is compared too: a file yanked on one registry and served plainly by
another is ``yank-missing`` (PEP 592: a mirror must not serve a yanked file without its
mark; pip there still picks the version by a range); the mark without the reason, or with
another one, is ``yank-reason``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding
from releasegate._internal.publish import workers
from releasegate._internal.publish.plan import VersionFiles, of_version
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
    yanked: dict[str, str | None] = field(default_factory=dict)
    """filename -> the yank reason ("" for none) or None, for the files it serves."""


def _read(spec: RegistrySpec, job: Job, version: str | None) -> Served:
    if spec.kind is Kind.GITHUB_RELEASE and version is None:
        return Served(spec.name, None, "a GitHub release is per version: pass --version V")
    wanted = None if version is None else VersionFiles(version)
    try:
        registry = open_registry(job.context(spec))
        files = job.call(
            lambda: registry.holdings(wanted, verify_bytes=wanted is not None), spec.name, "index"
        )
        # The page holdings just read: the marks are those of the files just hashed.
        states = job.call(lambda: registry.yank_states(wanted, fresh=False), spec.name, "index")
    except Exception as exc:  # noqa: BLE001 - reported as this registry's finding
        return Served(spec.name, None, job.describe(exc))
    files = {n: h for n, h in files.items() if of_version(n, version)}
    return Served(spec.name, files, yanked={n: states.get(n) for n in files})


def read_all(specs: Sequence[RegistrySpec], job: Job, version: str | None) -> list[Served]:
    return workers.parallel_map(lambda spec: _read(spec, job, version), list(specs), 16)


def _reference(served: Sequence[Served], local: Mapping[str, str]) -> dict[str, str]:
    if local:
        return dict(local)
    readable = [item.files for item in served if item.files is not None]
    votes: dict[str, Counter[str]] = {}
    for files in readable:
        for name, sha in files.items():
            votes.setdefault(name, Counter())[sha] += 1
    # The odd one out is the one to blame, not the majority that lacks its file.
    return {
        name: counter.most_common(1)[0][0]
        for name, counter in votes.items()
        if 2 * sum(counter.values()) > len(readable)
    }


def _extra(registry: str, name: str, sha: str) -> Finding:
    return Finding(
        CHECK,
        "extra",
        f"{registry}: serves {name} (sha256 {sha}), which is not part of the release",
        hint="pip may pick this file over the released ones: find out who uploaded it "
        "and remove it before trusting this mirror",
    )


def nothing_compared(version: str | None) -> Finding:
    return Finding(
        CHECK,
        "nothing-compared",
        f"no registry serves version {version or '(any)'} and there are no local dists: "
        "nothing was compared",
        hint="check --version, or build the dists to compare against",
    )


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
                        hint="`releasegate publish` uploads what is missing (it reads every "
                        "registry again; --resume would trust the ledger)",
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
        findings.extend(
            _extra(item.registry, name, sha)
            for name, sha in sorted(item.files.items())
            if name not in reference
        )
    findings.extend(compare_yanks(served))
    return findings


def _yank_reference(served: Sequence[Served]) -> dict[str, str]:
    """filename -> the reason it is yanked with somewhere ("" when no registry gives one).

    The most common non-empty reason wins: a mirror that lost the reason is the odd one.
    """
    reasons: dict[str, Counter[str]] = {}
    for item in served:
        for name, state in item.yanked.items():
            if state is not None:
                reasons.setdefault(name, Counter())[state] += 1
    reference = {}
    for name, counter in reasons.items():
        given = [(count, reason) for reason, count in counter.items() if reason]
        reference[name] = max(given)[1] if given else ""
    return reference


def compare_yanks(served: Sequence[Served]) -> list[Finding]:
    """Every registry serving a file yanked elsewhere carries the mark and the reason."""
    reference = _yank_reference(served)
    findings = []
    for item in served:
        for name, reason in sorted(reference.items()):
            if item.files is None or name not in item.files:
                continue  # unreachable or missing: reported as such
            state = item.yanked.get(name)
            if state is None:
                findings.append(
                    Finding(
                        CHECK,
                        "yank-missing",
                        f"{item.registry}: serves {name} without its yank mark; it is yanked "
                        f"elsewhere ({reason or 'no reason given'})",
                        hint="PEP 592: a mirror must not serve a yanked file without its mark; "
                        "`releasegate yank VERSION --reason TEXT` marks it where it can, or "
                        "resync the mirror",
                        subject=f"{item.registry}/{name}",
                    )
                )
            elif state != reason:
                got = f"reason {state!r}" if state else "no reason"
                findings.append(
                    Finding(
                        CHECK,
                        "yank-reason",
                        f"{item.registry}: {name} is yanked with {got}; elsewhere: {reason!r}",
                        hint="the mark is there, its reason is not: users pinning the version "
                        "do not see why; resync the mirror or yank again with the reason",
                        subject=f"{item.registry}/{name}",
                    )
                )
    return findings


def yank_rows(served: Sequence[Served]) -> list[tuple[str, str, str]]:
    """registry, file, state: one row per file yanked somewhere, per registry serving it."""
    reference = _yank_reference(served)
    rows = []
    for item in served:
        for name in sorted(reference):
            if item.files is None or name not in item.files:
                continue
            state = item.yanked.get(name)
            shown = "not yanked" if state is None else f"yanked: {state or '(no reason)'}"
            rows.append((item.registry, name, shown))
    return rows
