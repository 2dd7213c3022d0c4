"""A TOML file read once: its text, its data, and the lines of its keys."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# tomli, not the standard library's copy of it: its wheels are compiled (mypyc) and read a
# large uv.lock in a third of tomllib's time (attrs' 446 KB: 15 ms against 45), and a hook
# imports it faster (issue 22).
import tomli as tomllib

from releasegate._internal.errors import TomlError
from releasegate._internal.paths import MAX_READ, read_bounded, read_inside
from releasegate._internal.tomlpos import KeyPath, array_table_lines, key_lines, line_of

if TYPE_CHECKING:
    from pathlib import Path

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")

MAX_BYTES = MAX_READ
"""The largest TOML file read (paths.MAX_READ)."""

MAX_DEPTH = 100
"""Deeper nesting than any real TOML file has; tomllib itself recurses out near 500 levels, and
every later walk of the data (schema validation, copies) would recurse too."""


@dataclass
class TomlDocument:
    path: Path
    text: str
    data: dict[str, Any]
    _lines: dict[KeyPath, int] | None = field(default=None, repr=False)
    _text_lines: list[str] | None = field(default=None, repr=False)

    def line(self, *path: str | int) -> int | None:
        """Line of the key at ``path`` (or its nearest ancestor); None when absent."""
        if self._lines is None:
            self._lines = key_lines(self.text)
        return line_of(self._lines, path)

    def table_lines(self, key: str) -> list[int | None]:
        """The line of each table of the top-level array of tables ``key`` (``[[package]]``)."""
        tables = self.data.get(key)
        count = len(tables) if isinstance(tables, list) else 0
        if self._lines is None:
            quick = array_table_lines(self.text, key, count)
            if quick is not None:
                return list(quick)
        return [self.line(key, index) for index in range(count)]

    def item_line(self, *path: str | int) -> int | None:
        """Like ``line``, down to the item of a multi-line array of strings.

        An array item has no key, so for a path ending in an index the line is found by
        looking for the item's string from the array's line on.
        """
        base = self.line(*path) if path else None
        if base is None or not path or not isinstance(path[-1], int):
            return base
        value = self.get(*path)
        if not isinstance(value, str):
            return base
        import json

        spellings = (json.dumps(value), f"'{value}'")
        if self._text_lines is None:  # split once: a pyproject.toml lists a hundred items
            self._text_lines = self.text.splitlines()
        lines = self._text_lines
        for number in range(base, min(len(lines), base + 2000) + 1):
            if any(s in lines[number - 1] for s in spellings):
                return number
        return base

    def get(self, *path: str | int) -> Any:
        """The value at ``path``, or None when any step is missing or of the wrong kind."""
        node: Any = self.data
        for step in path:
            in_list = isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node)
            in_table = isinstance(step, str) and isinstance(node, dict) and step in node
            if in_list or in_table:
                node = node[step]
            else:
                return None
        return node


def parse_toml(path: Path, text: str, display: str) -> TomlDocument:
    """Parse ``text``; a syntax error becomes a TomlError naming ``display`` and the line."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise TomlError(display, None, _TOO_DEEP) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib < 3.14 keeps the position only in the message text.
        message = str(exc)
        match = _POSITION.search(message)
        line = int(match.group(1)) if match else None
        reason = _POSITION.sub("", message).strip()
        raise TomlError(display, line, f"not valid TOML: {reason}") from None
    if _depth(data) > MAX_DEPTH:
        raise TomlError(display, None, _TOO_DEEP)
    return TomlDocument(path, text, data)


_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep (arrays or tables); no real file is"


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest, walked without recursion (the data may be deep)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    push = stack.append
    while stack:
        node, level = stack.pop()
        if level > deepest:
            deepest = level
            if deepest > MAX_DEPTH:
                break
        # A plain loop: a lockfile holds thousands of tables (attrs' uv.lock: 4,300).
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (dict, list)):
                push((child, level + 1))
    return deepest


def read_toml(path: Path, display: str | None = None, *, root: Path | None = None) -> TomlDocument:
    """Read and parse a TOML file; unreadable or undecodable files are TomlErrors.

    ``root``: the file is the checkout's own (pyproject.toml, a lockfile) and must stay inside
    it after links are followed (paths.read_inside); None for a file the user named.
    """
    shown = display or path.name
    try:
        raw = read_bounded(path) if root is None else read_inside(root, path)
    except OSError as exc:
        raise TomlError(shown, None, f"cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reason = "not valid UTF-8 (TOML files must be UTF-8)"
        raise TomlError(shown, line, reason) from None
    return parse_toml(path, text, shown)
