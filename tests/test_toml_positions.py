"""Key lines of big TOML files (issue 22): the bracket count of a line, done at C speed.

Every line of a multi-line array is scanned for brackets; a uv.lock is mostly such lines,
and the character loop that did it cost a quarter of a second on attrs' lock. The
replacement must count exactly as the loop did.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.tomlpos import _bracket_delta, key_lines


def _loop(value: str) -> int:
    """The character loop _bracket_delta replaced, kept as the reference."""
    depth, quote, index = 0, "", 0
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


_PIECES = st.text(alphabet="[]{}\"'\\# ,=ab.", max_size=60)


@settings(max_examples=1000, deadline=None)
@given(_PIECES)
def test_the_bracket_count_is_the_loops(value: str) -> None:
    assert _bracket_delta(value) == _loop(value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_the_bracket_count_is_the_loops_on_any_text(value: str) -> None:
    assert _bracket_delta(value) == _loop(value)


def test_keys_after_a_multiline_array_of_inline_tables_keep_their_lines() -> None:
    text = (
        '[[package]]\nname = "a"\nwheels = [\n'
        '    { url = "https://x/a-1-py3-none-any.whl#[{", hash = "sha256:00", size = 1 },\n'
        '    { url = \'https://x/a]}.whl\', hash = "sha256:\\"]", size = 2 }, # ]]\n'
        ']\nversion = "1"\n\n[[package]]\nname = "b"\n'
    )
    lines = key_lines(text)
    assert lines[("package", 0, "version")] == 7
    assert lines[("package", 1, "name")] == 10
