"""``--resolve``: pip-compile re-resolves a requirements lockfile; report what it would change.

The lockfile is copied into a temporary directory and compiled there, so pip-compile
keeps every pin that still fits (as it does for a user) and changes only what has
drifted; nothing the user owns is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.lockfiles.inputs import compile_sources
from releasegate._internal.lockfiles.redact import redact

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.lockfiles.settings import LockfileSettings

CHECK = "lockfile"
TIMEOUT = 600


def _command(
    lock: Lockfile, output: Path, sources: list[str], settings: LockfileSettings
) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "piptools",
        "compile",
        "--quiet",
        "--no-header",
        "--strip-extras",
        "--output-file",
        str(output),
    ]
    if any(e.hashes for e in lock.entries):
        argv.append("--generate-hashes")
    if settings.index_url:
        argv += ["--index-url", settings.index_url]
    return [*argv, *sources]


def _sources(lock: Lockfile, root: Path) -> list[str]:
    sources, extras = compile_sources(lock, root)
    if not sources:
        sibling = Path(lock.path).with_suffix(".in")
        sources = [sibling.as_posix()] if (root / sibling).is_file() else ["pyproject.toml"]
    return (
        [str(root / s) for s in sources]
        + [f"--extra={e}" for e in extras if e != "*"]
        + (["--all-extras"] if "*" in extras else [])
    )


def _compile(lock: Lockfile, root: Path, settings: LockfileSettings) -> Lockfile | Finding:
    from releasegate._internal.lockfiles.requirements import parse

    with tempfile.TemporaryDirectory(prefix="releasegate-resolve-") as tmp:
        output = Path(tmp) / "requirements.txt"
        shutil.copyfile(root / lock.path, output)
        try:
            completed = subprocess.run(
                _command(lock, output, _sources(lock, root), settings),
                cwd=root,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
                env={**os.environ, "CUSTOM_COMPILE_COMMAND": "releasegate --resolve"},
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return _failed(lock, f"pip-compile did not run: {exc}")
        if completed.returncode != 0:
            tail = " | ".join(completed.stderr.strip().splitlines()[-3:])
            return _failed(lock, f"pip-compile failed: {redact(tail)}")
        return parse(output, Path(tmp))


def _failed(lock: Lockfile, message: str) -> Finding:
    return Finding(
        CHECK,
        "resolve-failed",
        message,
        Severity.ERROR,
        lock.path,
        None,
        "check the index (index-url) and the inputs; run pip-compile by hand for details",
    )


def _by_name(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    return {e.name: e for e in entries if not e.constraint}


def differences(lock: Lockfile, fresh: Lockfile) -> Iterator[Finding]:
    old, new = _by_name(lock.entries), _by_name(fresh.entries)
    hint = "re-lock with pip-compile and commit the result"
    for name, entry in new.items():
        before = old.get(name)
        if before is None:
            yield Finding(
                CHECK,
                "resolve-differs",
                f"re-resolving adds {name}=={entry.version}",
                Severity.ERROR,
                lock.path,
                None,
                hint,
            )
        elif before.version != entry.version:
            yield Finding(
                CHECK,
                "resolve-differs",
                f"re-resolving moves {name} from {before.version} to {entry.version}",
                Severity.ERROR,
                before.path,
                before.line,
                hint,
            )
        elif before.hashes and set(before.hashes) != set(entry.hashes):
            yield Finding(
                CHECK,
                "resolve-differs",
                f"the index serves other files for {name}=={entry.version} "
                "than the lockfile's hashes",
                Severity.ERROR,
                before.path,
                before.line,
                "find out why the artifacts changed before re-locking",
            )
    for name, entry in old.items():
        if name not in new:
            yield Finding(
                CHECK,
                "resolve-differs",
                f"re-resolving drops {name}",
                Severity.ERROR,
                entry.path,
                entry.line,
                hint,
            )


def resolve_findings(lock: Lockfile, root: Path, settings: LockfileSettings) -> Iterator[Finding]:
    if lock.format != "requirements":
        yield Finding(
            CHECK,
            "resolve-unsupported",
            f"--resolve re-resolves pip-tools lockfiles only, not {lock.format}",
            Severity.NOTE,
            lock.path,
            None,
            "use the locking tool's own check (uv lock --check, poetry check --lock)",
        )
        return
    fresh = _compile(lock, root, settings)
    if isinstance(fresh, Finding):
        yield fresh
        return
    yield from differences(lock, fresh)
