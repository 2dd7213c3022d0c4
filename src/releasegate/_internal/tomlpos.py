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
        if rest.startswith(('"', "'")):
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


# What can change the depth of a line, strings taken whole so the brackets in them do not
# count: a basic string (with escapes), a literal string (either may be left open at the end
# of the line), a comment's start, a bracket or a brace.
_DEPTH_TOKENS = re.compile(r""""(?:[^"\\]|\\.)*"?|'[^']*'?|#|[][{}]""")


def _bracket_delta(value: str) -> int:
    """Net count of open brackets/braces in ``value``, ignoring those inside strings.

    Called on every line of a multi-line array: a uv.lock is mostly such lines, and a loop
    over their characters took a quarter of a second on attrs' (issue 22).
    """
    if '"' not in value and "'" not in value:
        code = value.split("#", 1)[0]
        return code.count("[") + code.count("{") - code.count("]") - code.count("}")
    depth = 0
    for part in _DEPTH_TOKENS.findall(value):
        if part == "#":
            break
        if part in ("[", "{"):
            depth += 1
        elif part in ("]", "}"):
            depth -= 1
    return depth


class _Scanner:
    """Line-by-line state: the current table, open multi-line values, array-of-table counts."""

    def __init__(self) -> None:
        self.lines: dict[KeyPath, int] = {}
        self.array_counts: dict[KeyPath, int] = {}
        self.table: KeyPath = ()
        self.open_multiline = ""
        self.depth = 0

    def feed(self, number: int, raw: str) -> None:
        if self.open_multiline:
            if raw.count(self.open_multiline) % 2 == 1:
                self.open_multiline = ""
            return
        if self.depth > 0:
            self.depth += _bracket_delta(raw)
            return
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            return
        if stripped.startswith("["):
            self._header(number, stripped)
        else:
            self._assignment(number, stripped)

    def _header(self, number: int, stripped: str) -> None:
        is_array = stripped.startswith("[[")
        parsed = _split_key(stripped[2 if is_array else 1 :])
        if not parsed:
            return
        base = self._resolve(tuple(parsed[0]))
        if is_array:
            index = self.array_counts.get(base, -1) + 1
            self.array_counts[base] = index
            self.lines.setdefault(base, number)
            self.table = (*base, index)
            self.lines[self.table] = number
        else:
            self.table = base
            self.lines.setdefault(base, number)

    def _resolve(self, path: tuple[str, ...]) -> KeyPath:
        """A header below an array of tables ``[[a]]`` belongs to its last element."""
        resolved: list[str | int] = []
        for part in path[:-1]:
            resolved.append(part)
            count = self.array_counts.get(tuple(resolved))
            if count is not None:
                resolved.append(count)
        return (*resolved, path[-1])

    def _assignment(self, number: int, stripped: str) -> None:
        parsed = _split_key(stripped)
        if not parsed or not parsed[1].startswith("="):
            return
        self.lines.setdefault((*self.table, *parsed[0]), number)
        value = parsed[1][1:].strip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                self.open_multiline = quote
        if not self.open_multiline:
            self.depth = max(_bracket_delta(value), 0)


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map each key path (tables, arrays of tables with their index, keys) to its 1-based line."""
    scanner = _Scanner()
    for number, raw in enumerate(text.splitlines(), start=1):
        scanner.feed(number, raw)
    return scanner.lines


# Line breaks that str.splitlines counts and "\n" does not.
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _quick_search_is_safe(text: str) -> bool:
    """No multi-line string (its lines may look like headers) and no line break but "\n"
    and "\r\n". Substring tests: a regex over a 446 KB uv.lock took 5 ms of a hook."""
    if '"""' in text or "'''" in text or any(c in text for c in _ODD_BREAKS):
        return False
    return "\r" not in text or text.count("\r") == text.count("\r\n")


def array_table_lines(text: str, key: str, count: int) -> list[int] | None:
    """The line of each ``[[key]]`` header of a top-level array of ``count`` tables, quickly.

    A uv.lock or poetry.lock is one such array, and only its headers' lines are needed per
    entry: a search for them is ~20x cheaper than ``key_lines`` on the whole file (attrs'
    uv.lock: 14 ms, issue 22). Without multi-line strings, a line that starts ``[[key]]`` in a
    file tomllib accepted can only be such a header (an array value cannot hold a bare word).
    None when the search cannot be trusted or does not find ``count`` headers.
    """
    if not _quick_search_is_safe(text):
        return None
    quoted = re.escape(key)
    header = re.compile(
        rf"[ \t]*\[\[[ \t]*(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*\]\][ \t]*(?:#.*)?\r?$",
        re.MULTILINE,
    )
    lines: list[int] = []
    line, position = 1, 0
    # Each "[[" found by substring search, tried as a header where it starts its line: a
    # regex scan of every line start cost 3 ms more on attrs' uv.lock.
    found = text.find("[[")
    while found != -1:
        start = text.rfind("\n", 0, found) + 1
        if not text[start:found].strip(" \t") and header.match(text, start):
            line += text.count("\n", position, start)
            position = start
            lines.append(line)
        found = text.find("[[", found + 2)
    return lines if len(lines) == count else None


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int | None:
    """The line of ``path`` or of its nearest defined ancestor."""
    for end in range(len(path), 0, -1):
        found = lines.get(path[:end])
        if found is not None:
            return found
    return None
