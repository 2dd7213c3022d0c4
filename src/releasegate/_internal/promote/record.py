"""The promotion record: what was promoted, from which bytes, with which proof, when, by whom.

The same record is written into the promoted artifact (``.dist-info/releasegate-promotion.json``
or the sdist's top directory) and appended to the audit log by ``publish/audit.py``'s writer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.publish.audit import iso, who

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

TOOL = "releasegate promote"


@dataclass(frozen=True)
class Context:
    """Who promotes, from which commit, when: the same for every artifact of one run."""

    env: Mapping[str, str]
    commit: str | None
    when: float
    lineage: Mapping[str, str] = field(default_factory=dict)
    """A rollback's ``restores`` (the good version whose files these are) and ``replaces``
    (the bad version they are released above), in every record and the audit entry."""
    tool: str = TOOL


def artifact_record(
    *,
    source: tuple[str, str, str],
    target: str,
    payload_digest: str,
    rewritten: Sequence[Mapping[str, str]],
    context: Context,
) -> dict[str, Any]:
    """``source`` is (file name, sha256, version) of the pre-release artifact."""
    filename, sha256, version = source
    return {
        **context.lineage,
        "tool": context.tool,
        "source": {"filename": filename, "sha256": sha256, "version": version},
        "version": target,
        "payload_digest": payload_digest,
        "rewritten": [dict(change) for change in rewritten],
        "when": iso(context.when),
        "who": who(context.env),
        "commit": context.commit,
    }


def encode(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, indent=2, sort_keys=True) + "\n").encode("utf-8")


def decode(data: bytes) -> dict[str, Any] | None:
    """A record read back from an artifact (hostile input: None unless it has the shape)."""
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    source = value.get("source") if isinstance(value, dict) else None
    if not isinstance(source, dict) or not all(
        isinstance(source.get(k), str) for k in ("filename", "sha256", "version")
    ):
        return None
    if not isinstance(value.get("payload_digest"), str) or not isinstance(
        value.get("rewritten", []), list
    ):
        return None
    return dict(value)


def audit_entry(records: Sequence[Mapping[str, Any]], context: Context) -> dict[str, Any]:
    return {
        **context.lineage,
        "tool": context.tool,
        "who": who(context.env),
        "commit": context.commit,
        "when": iso(context.when),
        "artifacts": [dict(r) for r in records],
    }
