"""Key lines of big TOML files (issue 22): the bracket count of a line, done at C speed.

Every line of a multi-line array is scanned for brackets; a uv.lock is mostly such lines,
and the character loop that did it cost a quarter of a second on attrs' lock. The
replacement must count exactly as the loop did.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.tomlpos import _bracket_delta, array_table_lines, key_lines, line_of


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


# Each piece is valid TOML on its own lines; some look like a header without being one.
_TOML_PIECES = [
    "[[package]]\n",
    '[["package"]] # quoted\n',
    "  [[ package ]]\n",
    "[[package]]\r\n",
    'name = "a"\n',
    "[package.sdist]\n",
    "[[package.wheels]]\n",
    'wheels = [\n  { url = "u", hash = "h" },\n]\n',
    'description = """\n[[package]]\n"""\n',
    "literal = '''\n[[package]]\n'''\n",
    "# [[package]]\n",
    "# a comment\u2028[[package]]\n",
    "\n",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_TOML_PIECES), max_size=12))
def test_the_quick_header_lines_are_the_scanners(pieces: list[str]) -> None:
    from releasegate._internal.errors import TomlError
    from releasegate._internal.tomldoc import TomlDocument, parse_toml

    text = "version = 1\n" + "".join(pieces)
    try:
        doc: TomlDocument = parse_toml(Path("uv.lock"), text, "uv.lock")
    except TomlError:
        return  # e.g. [package.sdist] before any [[package]]: never given to the scanner
    tables = doc.data.get("package")
    count = len(tables) if isinstance(tables, list) else 0
    lines = key_lines(text)
    assert doc.table_lines("package") == [line_of(lines, ("package", i)) for i in range(count)]


def test_the_quick_header_search_stands_down_when_it_could_be_fooled() -> None:
    fooled = '[[package]]\nname = "a"\nd = """\n[[package]]\n"""\n'
    assert array_table_lines(fooled, "package", 2) is None  # a multi-line string
    assert array_table_lines("[[package]]\n", "package", 2) is None  # the count disagrees
    crlf = 'version = 1\r\n\r\n[[package]]\r\nname = "a"\r\n\r\n[[package]] # b\r\nname = "b"\r\n'
    assert array_table_lines(crlf, "package", 2) == [3, 6]


_PIECES = st.sampled_from(
    [
        "[[package]]\n",
        "  [[ package ]]  # spaced\n",
        '[["package"]]\n',
        "[[package.wheels]]\n",
        'name = "a"\n',
        "x = [[1, 2], [3]]\n",
        "y = [\n  [[4]],\n]\n",
        "[tool]\n",
        "\n",
        "[[package]]\r\n",
        'z = "\x0c"\n',
        "w = '''\n[[package]]\n'''\n",
        "\r",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12))
def test_the_quick_header_search_agrees_with_the_full_scan_or_stands_down(
    pieces: list[str],
) -> None:
    import tomli

    text = "".join(pieces)
    try:
        data = tomli.loads(text)
    except tomli.TOMLDecodeError:
        return
    count = len(data.get("package", []))
    quick = array_table_lines(text, "package", count)
    if quick is not None:
        full = key_lines(text)
        assert quick == [full[("package", index)] for index in range(count)]
