"""Lineage of a promoted artifact: its payload is the named pre-release's, byte for byte.

``releasegate verify PROMOTED --promoted-from SOURCE`` checks that the promotion record inside
PROMOTED names SOURCE by its sha256, and that the payload digests of both (recomputed here,
not taken from the record) equal each other and the record's: offline, with no policy. When
SOURCE has a Sigstore bundle, ``verify`` checks it as usual, so the chain reaches a signature;
when it has none, a warning says the signature was not part of the verdict.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import Finding
from releasegate._internal.promote import payload, record
from releasegate._internal.promote.source import read_source

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.findings import GateResult
    from releasegate._internal.project import Project

CHECK = "lineage"


def _record_of(promoted: Path) -> dict[str, Any] | str:
    found = read_source(promoted, ())
    if isinstance(found, str):
        return found
    data = found.archive.read(found.layout.prefixes(found.layout.version)[0] + payload.RECORD_NAME)
    decoded = record.decode(data) if data is not None else None
    return decoded if decoded is not None else "it carries no promotion record"


def _problems(promoted: Path, source: Path) -> tuple[list[str], str | None]:
    entry = _record_of(promoted)
    if isinstance(entry, str):
        return [f"{promoted.name}: {entry}"], None
    rewritten = tuple(
        str(c["path"]) for c in entry.get("rewritten", []) if isinstance(c, dict) and "path" in c
    )
    before, after = read_source(source, rewritten), read_source(promoted, rewritten)
    if isinstance(before, str) or isinstance(after, str):
        return [f"cannot read: {before if isinstance(before, str) else after}"], None
    named = entry["source"]
    problems = []
    if named["sha256"] != before.sha256:
        problems.append(f"the promotion record names another file ({named['filename']})")
    expected = payload.digest(before.archive, before.layout)
    found = payload.digest(after.archive, after.layout)
    if found != expected:
        problems.append(f"payload {found} differs from the pre-release's {expected}")
    if entry["payload_digest"] != expected:
        problems.append(
            f"the record's payload digest {entry['payload_digest']} is not the source's"
        )
    return problems, expected


def promoted_from(promoted: Path, source: Path) -> bool:
    """Whether ``promoted`` is ``source`` promoted: its record names it, the payloads agree."""
    problems, _ = _problems(promoted, source)
    return not problems


def lineage_result(
    project: Project, promoted: Path, source: Path, *, source_signed: bool = True
) -> GateResult:
    """The lineage, saying which parts were verified; ``source_signed`` False when SOURCE has
    no bundle, so its signature is not part of the verdict (a warning says so)."""
    from releasegate._internal.runner import result_of

    started = time.monotonic()
    problems, digest = _problems(promoted, source)
    shown = project.relative(promoted)
    findings = [
        Finding(
            CHECK,
            "broken-lineage",
            p,
            path=shown,
            hint="promote exactly the tested pre-release, and name it here",
        )
        for p in problems
    ]
    if not problems:
        message = (
            f"{promoted.name} is {source.name} promoted: verified that its promotion record "
            f"names {source.name} by sha256 and that both payloads are {digest} (recomputed)"
        )
        findings.append(Finding(CHECK, "lineage", message, path=shown))
    if not source_signed:
        findings.append(
            Finding(
                CHECK,
                "source-unsigned",
                f"{source.name}'s signature was not verified: no Sigstore bundle beside it, so "
                "the lineage reaches a file, not a signer",
                path=project.relative(source),
                hint="keep the pre-release's .sigstore.json beside it (or pass --bundle) and an "
                "identity policy (--repository): its signature is then verified too",
            )
        )
    seconds = time.monotonic() - started
    return result_of(CHECK, findings, project, seconds=seconds)
