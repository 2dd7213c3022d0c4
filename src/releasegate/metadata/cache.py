"""A small on-disk cache of verdicts keyed by content, so hooks skip repeated slow work.

Rendering a README with docutils costs more than the rest of a metadata hook; the
verdict depends only on the text, its content type and the renderer installed, so
it is kept under ``$RELEASEGATE_CACHE_DIR`` (default: the user cache directory).
A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    explicit = os.environ.get("RELEASEGATE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "releasegate"


def key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def get(namespace: str, name: str) -> Any:
    try:
        return json.loads((cache_dir() / namespace / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def put(namespace: str, name: str, value: Any) -> None:
    folder = cache_dir() / namespace
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(value, out)
        Path(temporary).replace(folder / f"{name}.json")
    except OSError:
        return
