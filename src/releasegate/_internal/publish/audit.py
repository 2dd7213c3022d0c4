"""One JSON record per run, appended as a line to the audit log."""

from __future__ import annotations

import getpass
import json
import os
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.outcome import RegistryOutcome


def who(env: Mapping[str, str]) -> str:
    """GITHUB_ACTOR in Actions, else the local user."""
    actor = env.get("GITHUB_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        return "unknown"


def iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def record(
    *,
    env: Mapping[str, str],
    commit: str | None,
    artifacts: Sequence[Artifact],
    outcomes: Sequence[RegistryOutcome],
    started: float,
    ended: float,
    dry_run: bool = False,
) -> dict[str, Any]:
    return {
        "tool": "releasegate publish",
        "who": who(env),
        "commit": commit,
        "dry_run": dry_run,
        "started": iso(started),
        "ended": iso(ended),
        "artifacts": [
            {"filename": a.filename, "sha256": a.sha256, "size": a.size} for a in artifacts
        ],
        "registries": [
            {
                "name": o.name,
                "kind": o.kind,
                "required": o.required,
                "completed": o.completed,
                "error": o.error,
                "resumed": o.resumed,
                "seconds": round(o.seconds, 3),
                "files": {
                    name: {
                        "state": f.state.value,
                        "verified": f.verified,
                        "attempts": f.attempts,
                        "error": f.error,
                    }
                    for name, f in o.files.items()
                },
            }
            for o in outcomes
        ],
    }


def append(path: Path, entry: Mapping[str, Any]) -> None:
    """One line per run; O_APPEND keeps concurrent writers' lines whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(entry, sort_keys=True) + "\n").encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)
