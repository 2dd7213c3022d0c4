"""A small on-disk cache of verdicts keyed by content, so hooks skip repeated slow work.

Rendering a README with docutils costs more than the rest of a metadata hook; the
verdict depends only on the text, its content type and the renderer installed, so
it is kept under ``$RELEASEGATE_CACHE_DIR`` (default: the user cache directory).
A cache that cannot be read or written is simply not used.

Entries are named by a cheap checksum and hold the whole input they were computed
from, compared on every hit, so a checksum collision can only cost a miss. That keeps
hashlib (and the OpenSSL it loads) out of the hook's start-up.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    explicit = os.environ.get("RELEASEGATE_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "releasegate"


def key(*parts: str) -> str:
    """The whole input of a verdict: every part, NUL-separated."""
    return "\0".join(parts)


def _name(text: str) -> str:
    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(data):x}"


def get(namespace: str, key_text: str) -> Any:
    """The value stored for exactly ``key_text``, or None."""
    try:
        path = cache_dir() / namespace / f"{_name(key_text)}.json"
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != key_text:
        return None
    return entry.get("value")


def put(namespace: str, key_text: str, value: Any) -> None:
    import tempfile

    folder = cache_dir() / namespace
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump({"key": key_text, "value": value}, out)
        Path(temporary).replace(folder / f"{_name(key_text)}.json")
    except (OSError, UnicodeError):
        return
