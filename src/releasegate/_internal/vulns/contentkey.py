"""The key of a database's cached index: a digest of its records' content, not of their stat.

A record edited in place keeping its size and mtime (``os.utime``, a restored backup, a
checkout whose tool sets times) must not be matched against the index of what it said
before. So the key is a digest over every record file's name and content digest. Reading
every file on every warm run would cost more than the rest of the gate, so each file's
content digest is remembered beside its stat, and read again only when the stat differs:
the stat includes the inode and the *change* time (``st_ctime_ns`` on POSIX), which every
write and every ``utime`` sets to now and which no user can set back. On Windows, where
``st_ctime`` is the creation time, every file is read each time.

The same content anywhere (a copy, a CI cache restored with new times) gets the same key:
the index is built once per content, whatever the path.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

FORMAT = 1
_TRUST_STAT = os.name != "nt"


def _stat_key(path: str) -> list[int] | None:
    """What a file's stat says about its content; None when the stat cannot vouch for it."""
    if not _TRUST_STAT:
        return None
    info = os.stat(path)  # noqa: PTH116 - string paths: a Path per record costs
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]


def _digest(path: str) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:  # noqa: PTH123 - string paths: a Path per record costs
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _load(memo: Path) -> dict[str, list[object]]:
    try:
        data = json.loads(memo.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    files = data.get("files")
    return files if isinstance(files, dict) else {}


def _store(memo: Path, files: dict[str, list[object]]) -> None:
    import tempfile

    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=memo.parent, suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(json.dumps({"format": FORMAT, "files": files}, separators=(",", ":")))
        Path(temporary).replace(memo)
    except OSError:
        return  # without the memo, the next run reads every file again: slower, as correct


def content_key(files: Iterable[tuple[str, str]], memo: Path, salt: str) -> str:
    """A digest of ``salt`` and each (name, content) of ``files``, in the order given.

    ``memo`` keeps each file's digest with its stat for the next run (one memo per database
    path: a file's stat means nothing at another path).
    """
    known = _load(memo)
    seen: dict[str, list[object]] = {}
    key = hashlib.blake2b(salt.encode(), digest_size=16)
    for name, path in files:
        stat = _stat_key(path)
        entry = known.get(name)
        if stat is not None and isinstance(entry, list) and entry[:-1] == stat:
            digest = str(entry[-1])
        else:
            digest = _digest(path)
        seen[name] = [*(stat or []), digest]
        key.update(f"{name}\0{digest}\n".encode())
    if seen != known and _TRUST_STAT:
        _store(memo, seen)
    return key.hexdigest()
