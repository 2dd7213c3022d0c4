"""Hostile strings a checkout can write, and what every output must hold whatever they are.

Shared by the renderer property test (test_hostile_output.py) and the checkouts driven through
real gates (test_hostile_output_gates.py): no foreign GitHub workflow command, no raw control
character, no line over the bound (issue 27).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from releasegate._internal.display import FIELD_LIMIT

if TYPE_CHECKING:
    from collections.abc import Iterator

LONG = "k" * 20_000
"""A 100,000-character key gave a 200,000-character line before the bound; 20,000 shows it."""

HOSTILE = (
    "\n::stop-commands::pwned",
    "\r::error::injected",
    "\n::add-mask::x",
    "::warning file=a.py::forged",
    " ::notice::leading space",
    "\u3000::notice::ideographic space",
    "##[error]old-style command",
    "\x1b]52;c;aGFja2Vk\x07",  # OSC 52: writes the clipboard
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: a hidden link
    "\x1b[2J\x1b[H",  # clear the screen
    "\x9b2J",  # C1 CSI
    "\x85next line",  # C1 NEL
    "%0A::error::percent-encoded",
    "%25%3A%2C",
    "\x00nul",
    "\x7fdel",
    "\u2028::line separator",
    "a,b:c=d",
    LONG,
)

hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), min_size=1, max_size=3
).map("".join)
"""A hostile string: fragments above joined, and any text hypothesis finds."""

# Raw control characters that may never reach an output (a JSON encoder escapes them itself).
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# The colour codes rich writes on a terminal: releasegate's own escapes, the only ones allowed.
OWN_SGR = re.compile(r"\x1b\[[0-9;]*m")
LINE_BOUND = 6 * FIELD_LIMIT + 400
"""A line joins at most a location, a message, a rule and a hint, each displayed within
FIELD_LIMIT (a workflow command's encoding may grow a value, %0A for a newline)."""
JSON_LINE_BOUND = 6 * LINE_BOUND
"""JSON writes a non-ASCII character as ``\\uXXXX``: six characters for one."""

OWN_COMMAND = re.compile(
    r"::(?:group::[^\n]*|endgroup::"
    r"|(?:error|warning|notice) (?:file=[^,:\n]*,)?(?:line=\d+,)?title=[^,:\n]*::[^\n]*)"
)
"""The workflow commands releasegate writes itself; any other line starting ``::`` is foreign."""


def problems(output: str, *, line_bound: int = LINE_BOUND, terminal: bool = False) -> list[str]:
    """What is wrong with ``output``: foreign commands, raw control characters, long lines."""
    found = []
    text = OWN_SGR.sub("", output) if terminal else output
    raw = RAW_CONTROL.search(text)
    if raw is not None:
        found.append(
            f"raw control character {raw.group()!r} near {text[max(0, raw.start() - 40) : raw.end() + 40]!r}"
        )
    if "##[" in text:
        found.append("an old-style ##[ command")
    for line in text.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith("::") and OWN_COMMAND.fullmatch(stripped) is None:
            found.append(f"foreign workflow command {line[:120]!r}")
        if len(line) > line_bound:
            found.append(f"a line of {len(line)} characters")
    return found


def json_problems(text: str) -> list[str]:
    """A JSON document: well-formed, no control character in any string, no line too long."""
    found = problems(text, line_bound=JSON_LINE_BOUND)
    for value in _strings(json.loads(text)):
        raw = RAW_CONTROL.search(value)
        if raw is not None:
            found.append(f"control character {raw.group()!r} in JSON string {value[:80]!r}")
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "data":  # facts for machines, encoded by JSON, never rendered as text
                continue
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
