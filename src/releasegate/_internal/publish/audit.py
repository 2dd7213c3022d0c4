"""Two JSON records per run, appended as lines to the audit log.

The intent record (``"phase": "started"``) is written before the first upload: a run
killed mid-way (SIGKILL, a runner lost) leaves a record of what it set out to do. The
outcome record (``"phase": "finished"``, same ``run``) completes it.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
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


def new_run_id() -> str:
    return secrets.token_hex(8)


def _common(
    run: str, env: Mapping[str, str], commit: str | None, artifacts: Sequence[Artifact]
) -> dict[str, Any]:
    return {
        "tool": "releasegate publish",
        "run": run,
        "who": who(env),
        "commit": commit,
        "artifacts": [
            {"filename": a.filename, "sha256": a.sha256, "size": a.size} for a in artifacts
        ],
    }


def intent(
    *,
    run: str,
    env: Mapping[str, str],
    commit: str | None,
    artifacts: Sequence[Artifact],
    registries: Sequence[str],
    started: float,
    governance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        **_common(run, env, commit, artifacts),
        "phase": "started",
        "started": iso(started),
        "registries": list(registries),
        **_governed(governance),
    }


def _governed(governance: Mapping[str, Any] | None) -> dict[str, Any]:
    """The policy's decision (verdicts, verified claims, the policy's digest), when one governs."""
    return {} if governance is None else {"governance": dict(governance)}


def refused(
    *,
    run: str,
    env: Mapping[str, str],
    commit: str | None,
    artifacts: Sequence[Artifact],
    registries: Sequence[str],
    governance: Mapping[str, Any],
    tool: str = "releasegate publish",
) -> dict[str, Any]:
    """A run the governance policy refused: nothing was uploaded or signed."""
    return {
        **_common(run, env, commit, artifacts),
        "tool": tool,
        "phase": "refused",
        "at": iso(time.time()),
        "registries": list(registries),
        **_governed(governance),
    }


def record(
    *,
    run: str,
    env: Mapping[str, str],
    commit: str | None,
    artifacts: Sequence[Artifact],
    outcomes: Sequence[RegistryOutcome],
    started: float,
    ended: float,
    interrupted: bool = False,
    governance: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        **_common(run, env, commit, artifacts),
        **_governed(governance),
        "phase": "finished",
        "interrupted": interrupted,
        "dry_run": False,
        "started": iso(started),
        "ended": iso(ended),
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
