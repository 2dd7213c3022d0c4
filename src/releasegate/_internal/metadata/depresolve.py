"""Without a lockfile: resolve the distributed requirements once with pip, and cache it.

``pip install --dry-run --ignore-installed --report`` resolves against the index (pip's
own configuration, or the configured index) without installing anything, and its report
holds each resolved version and the file chosen (its sha256), whose own metadata is then
read as for a lockfile; pip's copy of the metadata is the fallback (an older pip drops
``License-Expression``). The
result is cached by the requirements, the index and the Python version: a second run
does not start pip. pip resolves for the interpreter it runs on, so a requirement whose
marker excludes this platform is not in the answer; those are named, not guessed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.metadata import cache
from releasegate._internal.metadata.depmeta import LicenseFields

if TYPE_CHECKING:
    from collections.abc import Sequence

NAMESPACE = "dependency-resolutions"
TIMEOUT = 600


@dataclass(frozen=True)
class Resolved:
    name: str
    version: str
    fields: LicenseFields
    """As pip reported them: an older pip drops fields it does not know (License-Expression)."""
    sha256: str | None = None
    """The file pip chose, so that its own metadata can be fetched and checked."""


class ResolutionFailed(Exception):
    """pip could not resolve the requirements; the message says why."""


def resolve(requirements: Sequence[str], index_url: str | None) -> list[Resolved]:
    python = ".".join(map(str, sys.version_info[:2]))
    key = cache.key(python, index_url or "", *sorted(requirements))
    cached = cache.get(NAMESPACE, key)
    if isinstance(cached, list):
        found = [_from_json(item) for item in cached]
        if all(item is not None for item in found):
            return [item for item in found if item is not None]
    resolved = _run_pip(requirements, index_url)
    cache.put(NAMESPACE, key, [_to_json(item) for item in resolved])
    return resolved


def _run_pip(requirements: Sequence[str], index_url: str | None) -> list[Resolved]:
    # A NUL cannot be passed to a program at all (ValueError: embedded null byte), and no control
    # character belongs in a requirement: the metadata gate names it, this says why nothing ran.
    if any(not text.isprintable() for text in (*requirements, index_url or "")):
        raise ResolutionFailed("a requirement holds a control character; nothing was resolved")
    with tempfile.TemporaryDirectory(prefix="releasegate-resolve-") as folder:
        report = Path(folder) / "report.json"
        argv = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed"]
        argv += ["--quiet", "--no-input", "--disable-pip-version-check", "--report", str(report)]
        if index_url:
            argv += ["--index-url", index_url]
        try:
            completed = subprocess.run(
                [*argv, "--", *requirements],
                capture_output=True,
                text=True,
                check=False,
                timeout=TIMEOUT,
            )
        except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
            raise ResolutionFailed(f"pip could not run: {exc}") from None
        if completed.returncode != 0 or not report.is_file():
            lines = (completed.stderr or completed.stdout).strip().splitlines()
            raise ResolutionFailed(lines[-1] if lines else f"pip exited {completed.returncode}")
        return _parse(report.read_text(encoding="utf-8"))


def _parse(text: str) -> list[Resolved]:
    from releasegate._internal.metadata.deplicenses import normalize

    try:
        installs = json.loads(text).get("install")
    except (ValueError, AttributeError):
        raise ResolutionFailed("pip's report is not the JSON it documents") from None
    found = []
    for item in installs if isinstance(installs, list) else []:
        meta = item.get("metadata") if isinstance(item, dict) else None
        if not isinstance(meta, dict) or not meta.get("name") or not meta.get("version"):
            continue
        classifiers = meta.get("classifier") or []
        fields = LicenseFields(
            meta.get("license_expression"),
            str(meta["license"])[:300] if meta.get("license") else None,
            tuple(str(c) for c in classifiers if str(c).startswith("License ::")),
            "metadata pip resolved",
        )
        name = normalize(str(meta["name"]))
        found.append(Resolved(name, str(meta["version"]), fields, _sha256(item)))
    return found


def _sha256(item: dict[str, Any]) -> str | None:
    info = item.get("download_info")
    archive = info.get("archive_info") if isinstance(info, dict) else None
    hashes = archive.get("hashes") if isinstance(archive, dict) else None
    digest = hashes.get("sha256") if isinstance(hashes, dict) else None
    return digest.lower() if isinstance(digest, str) else None


def _to_json(item: Resolved) -> dict[str, Any]:
    return {
        "name": item.name,
        "version": item.version,
        "fields": item.fields.to_json(),
        "sha256": item.sha256,
    }


def _from_json(value: Any) -> Resolved | None:
    if not isinstance(value, dict):
        return None
    fields = LicenseFields.from_json(value.get("fields"))
    if fields is None:
        return None
    sha = value.get("sha256")
    name, version = str(value.get("name")), str(value.get("version"))
    return Resolved(name, version, fields, sha if isinstance(sha, str) else None)
