"""One requirement line read fast and once (issue 22), with packaging's verdict every time.

The fast paths (``name==version``, with or without a marker) and the per-string cache must
give exactly what ``packaging.requirements`` gives, errors included.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement

from releasegate._internal.lockfiles.reqline import (
    ReqLine,
    ReqLineError,
    normalize,
    parse_requirement,
)


def _by_packaging(text: str) -> ReqLine | str:
    """What parse_requirement must return: packaging's reading, or its first error line."""
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        return str(exc).splitlines()[0]
    specs = list(req.specifier)
    pinned = specs[0].version if len(specs) == 1 and specs[0].operator in ("==", "===") else None
    marker = str(req.marker) if req.marker is not None else None
    return ReqLine(
        normalize(req.name),
        str(req.specifier),
        None if pinned is not None and "*" in pinned else pinned,
        marker,
        req.url,
        tuple(sorted(req.extras)),
    )


def _ours(text: str) -> ReqLine | str:
    try:
        return parse_requirement(text)
    except ReqLineError as exc:
        return str(exc)


_MARKERS = [
    "python_version < '3.11'",
    'python_version<"3.11"',
    "sys_platform == 'win32' and implementation_name == 'cpython'",
    "extra == 'Dev_Tools'",
    "(python_version >= '3.8') or os_name=='nt'",
    "",
    " ",
    "python_version <",
    "nonsense == 'x'",
    "python_version < '3' # comment",
    "python_version < '3'; os_name == 'nt'",
    "platform_machine == 'x86_64' and python_full_version ~= '3'",
]
_LINES = [
    "tomli==2.2.1",
    "tomli==2.2.1 ; python_version < '3.11'",
    "Foo_Bar.baz===1.0-local ; sys_platform=='linux'",
    "foo == 1.0+local ;python_version<'3'",
    "foo==1.0;",
    "foo==1.*; python_version < '3'",
    "foo[bar]==1.0 ; python_version < '3'",
    "foo @ https://example.invalid/foo-1.0.tar.gz ; python_version < '3'",
    "foo>=1,<2 ; python_version < '3'",
    "foo==1.0 ; python_version < '3'\n",
    "foo==0_",
    "foo-==1.0",
]


@pytest.mark.parametrize("text", _LINES + [f"pkg==1.0 ; {m}" for m in _MARKERS])
def test_a_line_reads_as_packaging_reads_it(text: str) -> None:
    assert _ours(text) == _by_packaging(text)
    assert _ours(text) == _by_packaging(text)  # the second time from the cache


_NAME = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,8}", fullmatch=True)
_VERSION = st.one_of(
    st.from_regex(r"[0-9][0-9a-z.+!_*-]{0,8}", fullmatch=True),
    st.from_regex(
        r"([0-9]!)?[0-9]{1,3}(\.[0-9]{1,2}){0,2}(rc1|a0)?(\.post1)?(\.dev0)?(\+[a-z0-9.]{1,4})?",
        fullmatch=True,
    ),
)
_SPACE = st.sampled_from(["", " ", "  ", "\t", "\n"])


@settings(max_examples=300, deadline=None)
@given(
    st.tuples(_NAME, _SPACE, st.sampled_from(["==", "==="]), _VERSION, _SPACE),
    st.sampled_from([None, *_MARKERS]),
)
def test_any_pinned_line_reads_as_packaging_reads_it(
    parts: tuple[str, str, str, str, str], marker: str | None
) -> None:
    # Before issue 22 the fast path took ``foo==0_`` for a pin; packaging refuses it.
    name, space, op, version, before = parts
    text = f"{name}{space}{op}{space}{version}" + (f"{before};{space}{marker}" if marker else "")
    assert _ours(text) == _by_packaging(text)


def test_a_marker_repeated_on_many_lines_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # A compiled lockfile writes the same few markers on hundreds of lines. Every parse
    # packaging makes (requirement or marker) starts a Tokenizer: count those.
    from packaging import _tokenizer

    sources: list[str] = []
    original = _tokenizer.Tokenizer.__init__

    def counting(self: _tokenizer.Tokenizer, source: str, **kwargs: object) -> None:
        sources.append(source)
        original(self, source, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_tokenizer.Tokenizer, "__init__", counting)
    marker = "python_version < '3.9' and platform_system == 'Haiku'"
    lines = [parse_requirement(f"pkg-{i}=={i}.0 ; {marker}") for i in range(200)]
    assert {line.marker for line in lines} == {
        'python_version < "3.9" and platform_system == "Haiku"'
    }
    assert len(sources) <= 1
