"""Lines of pyproject.toml keys, down to the item of a multi-line array.

``TomlDocument.line`` knows keys; an array item has no key, so for a path ending in
an index the line is found by looking for the item's string from the array's line on.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.tomldoc import TomlDocument


def key_line(doc: TomlDocument, key: tuple[str | int, ...]) -> int | None:
    base = doc.line(*key) if key else None
    if base is None or not key or not isinstance(key[-1], int):
        return base
    value = doc.get(*key)
    if not isinstance(value, str):
        return base
    spellings = (json.dumps(value), f"'{value}'")
    lines = doc.text.splitlines()
    for number in range(base, min(len(lines), base + 2000) + 1):
        if any(s in lines[number - 1] for s in spellings):
            return number
    return base
