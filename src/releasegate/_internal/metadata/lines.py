"""Lines of pyproject.toml keys, down to the item of a multi-line array.

``TomlDocument.item_line`` does the work (the lockfile gate needs it too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.tomldoc import TomlDocument


def key_line(doc: TomlDocument, key: tuple[str | int, ...]) -> int | None:
    return doc.item_line(*key)
