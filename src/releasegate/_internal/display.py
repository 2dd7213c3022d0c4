"""The one escaping step between text releasegate did not write and any output.

A checkout chooses its keys, dependency strings, file names, versions and headings, and a fork's
report chooses every string in it. Printed raw, such a string can end the line and start a
GitHub workflow command of its own (``\\n::stop-commands::x`` silences every annotation after it;
the runner reads a command at the start of a line, leading spaces trimmed), or drive the terminal
(OSC 52 writes the clipboard, OSC 8 hides a link, ``ESC[2J`` clears the screen). So every such
string passes ``display()`` on its way out:

- control characters (C0, DEL, C1: ESC, CR, LF, NUL, ``\\x9b``...) are shown escaped
  (``\\x1b``, ``\\n``), so a value is always one line of plain text;
- a value that begins (after spaces) with ``:`` has that colon shown as ``\\x3a``, so that
  wherever it lands at the start of a line, with or without our own ``: `` after it, no
  ``::command`` can form; ``##[`` (the runner's older command prefix) likewise;
- it is cut to ``FIELD_LIMIT`` characters, saying how long it was.

``Report`` applies it to every string of every finding and result it holds (``clean()``), so every
renderer, the PR comment and the check run read escaped text by construction; the CLI applies it to
every line of an error it prints. Workflow-command encoding (``%0A``...) is a further step of its
own, in ``workflow_commands.py``. This module imports nothing of releasegate.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import re
from typing import Any

FIELD_LIMIT = 2000
"""The most characters of one displayed value: messages quote at most 200 characters of any one
input (``findings.quoted``), so only text nobody wrote for a reader reaches this bound."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# C0, DEL and C1 (U+0080-U+009F: a terminal may read U+009B as CSI, U+0085 as a line break), and
# the Unicode line and paragraph separators some viewers break on.
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"


@functools.cache
def _unsafe(inside: bool) -> re.Pattern[str]:
    """A control character; the old command prefix anywhere; unless ``inside``, a colon after
    nothing but (printable) white space at the start, which the runner trims before it looks
    for ``::``. Compiled on first need (0.8 ms): nearly all text takes the fast path."""
    if inside:
        return re.compile(rf"[{_CONTROL}]|##\[")
    return re.compile(rf"[{_CONTROL}]|##\[|^[^\S{_CONTROL}]*:")


def _plain(text: str, inside: bool) -> bool:
    """Nothing to escape: printable (no control character nor separator but the space), no
    ``##[``, and no leading colon where the value may start a line."""
    return (
        text.isprintable() and "##[" not in text and (inside or not text.lstrip().startswith(":"))
    )


def _escaped(match: re.Match[str]) -> str:
    found = match.group()
    if found == "##[":
        return "##\\x5b"
    if found.endswith(":"):
        return found[:-1] + "\\x3a"
    return _NAMED.get(found) or (
        f"\\x{ord(found):02x}" if ord(found) < 0x100 else f"\\u{ord(found):04x}"
    )


def display(text: str, limit: int = FIELD_LIMIT, *, inside: bool = False) -> str:
    """``text`` as one safe line of at most ``limit`` characters (idempotent: safe text stays).

    ``inside``: the caller writes it after text of its own on the same line (``  | line``), so
    a leading colon cannot start a command and is kept as it is.
    """
    if not _plain(text, inside):
        text = _unsafe(inside).sub(_escaped, text)
    if len(text) <= limit:
        return text
    suffix = f"... ({len(text)} characters)"
    return text[: max(0, limit - len(suffix))] + suffix


def display_lines(text: str, limit: int = FIELD_LIMIT) -> str:
    """A multi-line message we composed (an error and its tip): each line through ``display``.

    The line breaks are meant to be ours (values are quoted with ``findings.quoted``, whose repr
    escapes a line break); whatever a line holds, it cannot start a command or drive a terminal.
    """
    return "\n".join(display(line, limit) for line in text.split("\n"))


def clean(value: Any) -> Any:
    """``value`` with every string in it displayed: strings, tuples and lists of them, and the
    fields of frozen dataclasses (a Finding, a GateResult), recursively. Mappings are left
    alone (they are JSON data, which the JSON encoder escapes); so are enums and numbers.

    Returns ``value`` itself when nothing changed, so clean input costs no copies.
    """
    if isinstance(value, enum.Enum):
        return value
    if isinstance(value, str):
        return display(value)
    if isinstance(value, tuple):
        items = tuple(clean(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, list):
        cleaned = [clean(item) for item in value]
        return value if all(a is b for a, b in zip(cleaned, value, strict=True)) else cleaned
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = clean(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value
