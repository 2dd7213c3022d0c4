"""The governance record that ships with a release: ``GOVERNANCE.json`` beside the dists.

``publish`` writes it into the dist directory once the policy allowed the run and before the
first upload, so it travels where ``BUILDINFO.json`` travels (the dist folder, the workflow
artifact, the dossier). It names the files it governs by their sha256 and binds
``BUILDINFO.json`` by its own, so a consumer can tell under which policy exactly these bytes
left; the audit record holds the record's sha256. It quotes the verified claims, never the
token (``Decision.claims`` holds none).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from releasegate._internal.governance.decision import Decision

RECORD_FILE = "GOVERNANCE.json"
"""Also known to sign/outputs.py: sign and verify leave it alone (it comes after signing)."""
RECORD_FORMAT = 1
BUILDINFO_FILE = "BUILDINFO.json"


def content(
    decision: Decision, dist_dir: Path, files: Mapping[str, str], *, commit: str | None, run: str
) -> dict[str, Any]:
    """The record: the decision, the run, and the files (name: sha256) and build record it
    governs."""
    buildinfo = dist_dir / BUILDINFO_FILE
    return {
        "format": RECORD_FORMAT,
        **decision.record(),
        "run": run,
        "commit": commit,
        "artifacts": dict(sorted(files.items())),
        "buildinfo_sha256": sha256_file(buildinfo) if buildinfo.is_file() else None,
    }


def write(
    decision: Decision, dist_dir: Path, files: Mapping[str, str], *, commit: str | None, run: str
) -> tuple[Path, str]:
    """Write the record into ``dist_dir`` (whole, then renamed); its path and sha256."""
    target = dist_dir / RECORD_FILE
    partial = target.with_name(RECORD_FILE + ".partial")
    document = content(decision, dist_dir, files, commit=commit, run=run)
    try:
        partial.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", "utf-8")
        partial.replace(target)
    except OSError as exc:
        raise FatalError(
            f"{target}: cannot write the governance record: {exc.strerror}",
            hint="the dist directory must be writable: nothing was uploaded",
        ) from None
    return target, sha256_file(target)


RECORD_LIMIT = 4 * 1024 * 1024
"""The largest record read back (a decision of thousands of files is far below it)."""


def governing(dist_dir: Path, files: Mapping[str, str]) -> Path | None:
    """The record beside the dists when it governs exactly ``files`` (name: sha256), else None:
    a record left by another release's run is never shipped with this one."""
    target = dist_dir / RECORD_FILE
    try:
        if not target.is_file() or target.is_symlink() or target.stat().st_size > RECORD_LIMIT:
            return None
        document = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    named = document.get("artifacts") if isinstance(document, dict) else None
    return target if named == dict(files) and document.get("allowed") is True else None
