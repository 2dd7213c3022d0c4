"""Line numbers for keys of a TOML document.

``tomllib`` gives values but no positions, and findings need ``file:line``. This
scanner walks the text once and records the line where each dotted key path is
defined. It understands table headers, arrays of tables, dotted keys, quoted keys
and multi-line strings and arrays well enough to never mistake their contents for
keys; it is only ever used on text that ``tomllib`` already accepted.
"""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _split_key(text: str) -> tuple[list[str], str] | None:
    """Parse a (dotted, possibly quoted) key at the start of ``text``.

    Returns the key parts and the rest of the text, or None when ``text`` does not
    start with a key.
    """
    parts: list[str] = []
    rest = text.lstrip()
    while True:
        if rest.startswith('"') or rest.startswith("'"):
            quote = rest[0]
            end = rest.find(quote, 1)
            while quote == '"' and end > 0 and rest[end - 1] == "\\":
                end = rest.find(quote, end + 1)
            if end < 0:
                return None
            parts.append(rest[1:end])
            rest = rest[end + 1 :].lstrip()
        else:
            match = _BARE_KEY.match(rest)
            if not match:
                return None
            parts.append(match.group())
            rest = rest[match.end() :].lstrip()
        if rest.startswith("."):
            rest = rest[1:].lstrip()
            continue
        return parts, rest


def _bracket_delta(value: str) -> int:
    """Net count of open brackets/braces in ``value``, ignoring those inside strings."""
    depth = 0
    quote = ""
    index = 0
    while index < len(value):
        char = value[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        index += 1
    return depth


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map each key path (tables, arrays of tables with their index, keys) to its 1-based line."""
    lines: dict[KeyPath, int] = {}
    array_counts: dict[KeyPath, int] = {}
    table: KeyPath = ()
    open_multiline = ""
    depth = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_multiline:
            if raw.count(open_multiline) % 2 == 1:
                open_multiline = ""
            continue
        if depth > 0:
            depth += _bracket_delta(raw)
            continue
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[["):
            parsed = _split_key(stripped[2:])
            if parsed:
                base = tuple(parsed[0])
                index = array_counts.get(base, -1) + 1
                array_counts[base] = index
                table = (*base, index)
                lines.setdefault(base, number)
                lines[table] = number
            continue
        if stripped.startswith("["):
            parsed = _split_key(stripped[1:])
            if parsed:
                table = _resolve_table(tuple(parsed[0]), array_counts)
                lines.setdefault(table, number)
            continue
        parsed = _split_key(stripped)
        if not parsed or not parsed[1].startswith("="):
            continue
        path = (*table, *parsed[0])
        lines.setdefault(path, number)
        value = parsed[1][1:].strip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                open_multiline = quote
        if not open_multiline:
            depth = max(_bracket_delta(value), 0)
    return lines


def _resolve_table(path: tuple[str, ...], array_counts: dict[KeyPath, int]) -> KeyPath:
    """A ``[a.b]`` header below an array of tables ``[[a]]`` belongs to its last element."""
    resolved: list[str | int] = []
    for part in path:
        resolved.append(part)
        count = array_counts.get(tuple(resolved))
        if count is not None:
            resolved.append(count)
    return tuple(resolved)


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path`` or of its nearest defined ancestor."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None
