"""What the SBOM needs from a lockfile: name, exact version and hashes of each entry.

Read through the shared lockfile model (``releasegate._internal.lockfiles``), so the SBOM knows
every format the lockfile gate knows. Problems are Findings with file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import Finding

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.sbom.graph import Graph

CHECK = "sbom"


@dataclass(frozen=True)
class Pin:
    name: str
    version: str | None
    hashes: tuple[tuple[str, str], ...] = ()
    """(algorithm, hex digest) pairs, as the lockfile states them."""
    line: int | None = None
    vcs_url: str | None = None
    """``git+https://host/repo@commit`` for a version-control dependency (purl's qualifier)."""
    registry: bool = True
    """From an index (False: a direct URL, VCS or path source, which has no index metadata)."""


@dataclass
class Pins:
    display: str
    pins: list[Pin] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    graph: Graph | None = None
    lockfile: Lockfile | None = None
    """The parsed lockfile (its entries' markers decide which versions vulnerabilities concern)."""


def _vcs_url(entry: Entry) -> str | None:
    """The purl ``vcs_url`` of a git entry: no credentials, no query, the commit when known."""
    from releasegate._internal.lockfiles.model import SourceKind
    from releasegate._internal.lockfiles.redact import redact

    if entry.kind is not SourceKind.VCS or not entry.url:
        return None
    url = redact(entry.url.split("#", 1)[0].split("?", 1)[0])
    if "+" not in url.split("://", 1)[0]:
        url = f"git+{url}"
    if entry.commit and "@" not in url.rsplit("/", 1)[-1]:
        url = f"{url}@{entry.commit}"
    return url


def _pin(entry: Entry) -> Pin:
    from releasegate._internal.lockfiles.model import SourceKind

    hashes = tuple((h.algorithm, h.digest) for h in entry.hashes)
    registry = entry.kind is SourceKind.REGISTRY
    return Pin(entry.name, entry.version, hashes, entry.line, _vcs_url(entry), registry)


def _bad_name(entry: Entry) -> Finding:
    return Finding(
        CHECK,
        "lockfile-unreadable",
        "an entry with an empty package name",
        path=entry.path,
        line=entry.line,
        hint="regenerate the lockfile with the tool that wrote it",
    )


def read_pins(
    root: Path, relative: str, pyproject: Mapping[str, Any] | None = None, own: str | None = None
) -> Pins:
    """The pins of the lockfile at ``root / relative``; unpinned entries are warnings.

    ``own`` is the project's name: the project pinned in its own lockfile is the root
    component, not a dependency of itself.
    """
    from packaging.utils import canonicalize_name

    from releasegate._internal.lockfiles import parse_file
    from releasegate._internal.sbom.graph import graph_of

    lockfile = parse_file(root, relative)
    pins = Pins(relative, graph=graph_of(lockfile, pyproject or {}, own), lockfile=lockfile)
    own_name = canonicalize_name(own) if own else None
    pins.problems.extend(
        Finding(
            CHECK,
            "lockfile-unreadable" if p.rule == "parse-error" else p.rule,
            p.message,
            path=p.path,
            line=p.line,
            hint=p.hint,
        )
        for p in lockfile.problems
    )
    for entry in lockfile.entries:
        if entry.is_project or entry.constraint or (own_name and entry.name == own_name):
            continue
        if not entry.name.strip():
            pins.problems.append(_bad_name(entry))
            continue
        pins.pins.append(_pin(entry))
        if entry.version is None:
            pins.problems.append(
                Finding(
                    CHECK,
                    "unpinned",
                    f"{entry.name} is not pinned: the SBOM records no version",
                    path=entry.path,
                    line=entry.line,
                    hint="pin it with == in the lockfile",
                )
            )
    return pins
