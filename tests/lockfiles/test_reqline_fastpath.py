"""The requirement and marker fast paths agree with packaging wherever they answer (issue 22).

``reqline`` reads plain declarations and markers without packaging, so that a hook need not
import packaging's parser. A fast answer that packaging would not give is a wrong verdict, so
every generated text the fast path accepts must be one packaging accepts with the same name,
extras, specifier set and marker; and a marker the fast path accepts must evaluate in any
environment (the sync check evaluates such markers only when the lock fails the item).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement

from releasegate._internal.lockfiles import reqline

_SPACE = st.sampled_from(["", " ", "  ", "\t"])
_NAMES = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,6}[A-Za-z0-9])?", fullmatch=True)
_VERSIONS = st.from_regex(
    r"(v|1!)?[0-9]{1,3}(\.[0-9]{1,2}){0,3}((a|b|rc|c|alpha)[0-9]?)?(\.post[0-9])?(\.dev[0-9])?"
    r"(\.\*|\+loc)?",
    fullmatch=True,
)
_OPERATORS = st.sampled_from(["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "=>"])
_VARIABLES = st.sampled_from(
    [
        "python_version",
        "python_full_version",
        "platform_release",
        "sys_platform",
        "os_name",
        "platform_machine",
        "implementation_name",
        "extra",
        "extras",
        "os.name",
        "python_implementation",
    ]
)
_VALUES = st.one_of(
    _VERSIONS,
    st.sampled_from(["win32", "linux", "PyPy", "Foo_Bar", "x86_64", "", "3.11.*", "a b", "v1"]),
)


@st.composite
def _comparisons(draw: st.DrawFn) -> str:
    quote = draw(st.sampled_from(["'", '"']))
    parts = [draw(_VARIABLES), draw(_OPERATORS), f"{quote}{draw(_VALUES)}{quote}"]
    return draw(_SPACE).join(parts)


@st.composite
def _markers(draw: st.DrawFn, depth: int = 0) -> str:
    count = draw(st.integers(1, 3))
    parts = []
    for index in range(count):
        if depth < 2 and draw(st.booleans()):
            parts.append(f"({draw(_markers(depth + 1))})")
        else:
            parts.append(draw(_comparisons()))
        if index < count - 1:
            parts.append(draw(st.sampled_from([" and ", " or ", "and ", " or(", "or"])))
    return "".join(parts)


@st.composite
def _requirements(draw: st.DrawFn) -> str:
    text = draw(_NAMES)
    if draw(st.booleans()):
        extras = draw(st.lists(_NAMES, max_size=3))
        text += draw(_SPACE) + "[" + ",".join(f"{draw(_SPACE)}{e}" for e in extras) + "]"
    specifiers = draw(st.lists(st.tuples(_OPERATORS, _VERSIONS), max_size=3))
    text += ",".join(f"{draw(_SPACE)}{op}{draw(_SPACE)}{version}" for op, version in specifiers)
    if draw(st.booleans()):
        text += draw(_SPACE) + ";" + draw(_SPACE) + draw(_markers())
    return text


def _packaging_view(text: str) -> tuple[str, tuple[str, ...], str, str | None]:
    req = Requirement(text)
    marker = str(req.marker) if req.marker is not None else None
    return reqline.normalize(req.name), tuple(sorted(req.extras)), str(req.specifier), marker


@settings(max_examples=600, deadline=None)
@given(_requirements())
def test_a_fast_requirement_is_what_packaging_reads(text: str) -> None:
    fast = reqline._declared(text)
    if fast is None:
        return
    try:
        expected = _packaging_view(text)
    except InvalidRequirement as exc:
        pytest.fail(f"the fast path accepted {text!r}, packaging refuses it: {exc}")
    assert (fast.name, fast.extras, fast.specifier, fast.marker) == expected
    pinned = fast.specifier[2:] if fast.specifier.count("==") == 1 else None
    if pinned is not None and ("," in fast.specifier or "*" in pinned or "!=" in fast.specifier):
        pinned = None
    assert fast.version == pinned


@settings(max_examples=600, deadline=None)
@given(_markers(), st.sampled_from(["", "foo-bar", "Foo_Bar", "test"]), st.booleans())
def test_a_fast_marker_is_what_packaging_writes_and_always_evaluates(
    text: str, extra: str, odd_platform: bool
) -> None:
    fast = reqline._simple_marker(text)
    if fast is None:
        return
    marker = Marker(text)  # raises when the fast path accepted what packaging refuses
    assert fast == str(marker)
    assert reqline.always_evaluable(fast)
    environment = {"extra": extra}
    if odd_platform:  # values that are no versions, compared with versions
        environment |= {"platform_release": "6.1.0-13-amd64", "python_full_version": "3.14.0+"}
    assert Marker(fast).evaluate(environment) == marker.evaluate(environment)


# What pyproject.toml files and compiled lockfiles write: each must take the fast path, or the
# hook pays for packaging's parser again (tests/test_startup.py checks the imports).
_COMMON = [
    "requests>=2.31",
    "readme-renderer[md]>=43",
    "tomli>=2.0; python_version < '3.11'",
    "cryptography>=42,<47",
    "idna ~= 3.6",
    "attrs[tests, docs] >= 22.2.0",
    "colorama; sys_platform == 'win32'",
    "pytest==8.3.4",
    "typing-extensions>=4.6; python_version<'3.13' and implementation_name == \"cpython\"",
    "exceptiongroup>=1; python_full_version < '3.10.2' or "
    "(python_full_version >= '3.10.2' and platform_machine != 's390x')",
    "sphinx!=7.2.*,>=7",
    "foo; extra == 'Docs_Extra'",
]


@pytest.mark.parametrize("text", _COMMON)
def test_common_declarations_take_the_fast_path(text: str) -> None:
    fast = reqline._declared(text)
    assert fast is not None
    assert (fast.name, fast.extras, fast.specifier, fast.marker) == _packaging_view(text)


@pytest.mark.parametrize(
    "text",
    [
        "foo @ https://example.invalid/foo.whl",
        "foo (>=1)",
        "foo>=1; python_version ~= '3'",
        "foo; (python_version < '3')",
        "foo; 'win32' == sys_platform",
        "foo; 'a' in extras",
        "foo>=1.0+local",
        "foo===1",
        "foo[]",
    ],
)
def test_other_forms_go_to_packaging(text: str) -> None:
    assert reqline._declared(text) is None


_PLAIN_RELEASES = st.from_regex(r"[0-9]{1,2}(\.[0-9]{1,2}){0,3}", fullmatch=True)
_ANY_VERSIONS = st.one_of(_PLAIN_RELEASES, _VERSIONS)


@st.composite
def _specifier_sets(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        operator = draw(_OPERATORS)
        version = draw(st.one_of(_PLAIN_RELEASES, _VERSIONS))
        if draw(st.booleans()):
            version = version.split("+", 1)[0].removesuffix(".*") + ".*"
        parts.append(operator + version)
    return ",".join(parts)


@settings(max_examples=1500, deadline=None)
@given(_specifier_sets(), _ANY_VERSIONS)
def test_a_plain_specifier_answer_is_packagings(specifier: str, version: str) -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import Version

    from releasegate._internal.lockfiles.specmatch import contains

    answer = contains(specifier, version)
    if answer is None:
        return
    try:
        expected = SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except InvalidSpecifier as exc:
        pytest.fail(f"answered for {specifier!r}, which packaging refuses: {exc}")
    assert answer == expected


@pytest.mark.parametrize(
    ("specifier", "version", "expected"),
    [
        (">=2.31,<3", "2.32.3", True),
        ("~=1.4", "1.9", True),
        ("~=1.4.5", "1.5.0", False),
        ("!=1.5.*,>=1", "1.5.2", False),
        ("==1.0", "1.0.0", True),
        (">1.0", "1.0.0", False),
        ("<2", "1.99", True),
    ],
)
def test_plain_specifiers_are_answered_without_packaging(
    specifier: str, version: str, expected: bool
) -> None:
    from releasegate._internal.lockfiles.specmatch import contains

    assert contains(specifier, version) is expected


@settings(max_examples=600, deadline=None)
@given(_requirements())
def test_a_plain_requirement_is_written_as_packaging_writes_it(text: str) -> None:
    written = reqline.canonical(text)
    if written is not None:
        assert written == str(Requirement(text))


_GROUP_NAMES = st.sampled_from(["test", "Test", "lint", "docs_build", "docs-build", "all"])


@st.composite
def _group_tables(draw: st.DrawFn) -> dict[str, list[object]]:
    names = draw(st.lists(_GROUP_NAMES, min_size=1, max_size=4, unique=True))
    table: dict[str, list[object]] = {}
    for name in names:
        items: list[object] = []
        for _ in range(draw(st.integers(0, 4))):
            if draw(st.integers(0, 3)) == 0:
                include = draw(st.one_of(st.sampled_from(names), _GROUP_NAMES))
                items.append({"include-group": include})
            else:
                items.append(draw(st.one_of(_requirements(), st.sampled_from(_COMMON))))
        table[name] = items
    return table


@settings(max_examples=400, deadline=None)
@given(_group_tables(), st.data())
def test_a_plain_dependency_group_is_resolved_as_packaging_resolves_it(
    table: dict[str, list[object]], data: st.DataObject
) -> None:
    from packaging.dependency_groups import resolve_dependency_groups

    from releasegate._internal.lockfiles.declared import _plain_group

    group = data.draw(st.sampled_from(sorted(table)))
    plain = _plain_group(table, group)
    if plain is None:
        return
    assert plain == resolve_dependency_groups(table, group)  # type: ignore[arg-type]


def test_a_typical_dependency_group_table_is_resolved_without_packaging() -> None:
    from releasegate._internal.lockfiles.declared import _plain_group

    table: dict[str, object] = {
        "tests": ["pytest>=8", "hypothesis; python_version >= '3.10'"],
        "dev": [{"include-group": "tests"}, "ruff==0.8.0", "mypy[reports]>=1.13"],
    }
    assert _plain_group(table, "dev") == (
        "pytest>=8",
        'hypothesis; python_version >= "3.10"',
        "ruff==0.8.0",
        "mypy[reports]>=1.13",
    )
    assert _plain_group({**table, "loop": [{"include-group": "loop"}]}, "loop") is None
