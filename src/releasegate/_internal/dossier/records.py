"""Each record a release leaves, read as hostile input: bounded, typed, never trusted.

A record that is not there, or cannot be read, is not an error: the dossier says which record
is missing and what writes it (``Gaps``), and shows everything else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

RECORD_LIMIT = 64 * 1024 * 1024
"""The largest record read (an SBOM of thousands of components is a few MB)."""
DISTS = (".whl", ".tar.gz", ".zip")


class Unreadable(Exception):
    """A record that exists but is not what its writer writes."""


@dataclass
class Gaps:
    """What the dossier could not show, and why: one entry per record."""

    entries: list[dict[str, str]] = field(default_factory=list)

    def missing(self, record: str, detail: str) -> None:
        self.entries.append({"record": record, "state": "missing", "detail": detail})

    def unreadable(self, record: str, detail: str) -> None:
        self.entries.append({"record": record, "state": "unreadable", "detail": detail})


def read_json(path: Path, limit: int = RECORD_LIMIT) -> Any:
    """``path``'s JSON: a regular file of at most ``limit`` bytes, or ``Unreadable``."""
    try:
        if not path.is_file():
            raise Unreadable(f"{path.name}: not a regular file")
        if path.stat().st_size > limit:
            raise Unreadable(f"{path.name}: larger than {limit} bytes")
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Unreadable(f"{path.name}: {type(exc).__name__}") from exc


def text(value: object) -> str:
    """A scalar of a record as text ("" for anything else): records are never trusted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return ""


def obj(value: object) -> dict[str, Any]:
    """An object of a record ({} for anything else)."""
    return value if isinstance(value, dict) else {}


def dicts(value: object) -> list[dict[str, Any]]:
    """The objects of a list in a record (anything else in it is dropped)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def checks_of(paths: Iterable[Path], gaps: Gaps) -> list[dict[str, Any]]:
    """Every gate result (``checks``) of the JSON reports, in the order given."""
    found: list[dict[str, Any]] = []
    for path in paths:
        if not path.exists() and not path.is_symlink():
            # The step that writes it did not run (a job skipped after an earlier failure):
            # missing, which says something else than a report that is there and corrupt.
            gaps.missing("report", f"{path.name}: no such file ({path})")
            continue
        try:
            document = read_json(path)
        except Unreadable as exc:
            gaps.unreadable("report", str(exc))
            continue
        checks = dicts(document.get("checks")) if isinstance(document, dict) else []
        if not checks:
            gaps.unreadable("report", f"{path.name}: not a releasegate JSON report (no checks)")
        found.extend(checks)
    return found


def dists_of(dist_dir: Path) -> list[dict[str, Any]]:
    """Every dist in ``dist_dir`` with its sha256 and size (regular files only, no links)."""
    if not dist_dir.is_dir():
        return []
    return [
        {"filename": path.name, "sha256": sha256_file(path), "size": path.stat().st_size}
        for path in sorted(dist_dir.iterdir())
        if path.name.endswith(DISTS) and path.is_file() and not path.is_symlink()
    ]


def sums_of(path: Path, limit: int = 1024 * 1024) -> dict[str, str]:
    """``SHA256SUMS`` (``sha256sum`` format): file name -> sha256; ``Unreadable`` when broken."""
    try:
        if not path.is_file() or path.stat().st_size > limit:
            raise Unreadable(f"{path.name}: not a regular file of at most {limit} bytes")
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise Unreadable(f"{path.name}: {type(exc).__name__}") from exc
    sums: dict[str, str] = {}
    for line in lines:
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name:
            raise Unreadable(f"{path.name}: a line that is not `<sha256>  <file>`")
        sums[name.lstrip("*")] = digest.lower()
    return sums


def ledger_of(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """The publish ledger's registries: registry -> file name -> entry."""
    data = read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("registries"), dict):
        raise Unreadable(f"{path.name}: not a releasegate ledger")
    return {
        str(name): {str(f): e for f, e in files.items() if isinstance(e, dict)}
        for name, files in data["registries"].items()
        if isinstance(files, dict)
    }


def audit_of(path: Path, limit: int = RECORD_LIMIT) -> list[dict[str, Any]]:
    """The audit log's finished runs (a line that is not JSON is skipped: a run killed while
    writing leaves half a line)."""
    if not path.is_file() or path.stat().st_size > limit:
        raise Unreadable(f"{path.name}: not a regular file of at most {limit} bytes")
    runs = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("phase") == "finished":
            runs.append(entry)
    return runs
