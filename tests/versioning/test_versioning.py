from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.version import Version

from releasegate._internal.versioning import (
    DEFAULT_LABELS,
    MUTABLE_LABELS,
    SemVer,
    VersionProblem,
    format_tag,
    label_problem,
    next_version,
    parse_semver,
    pep440_to_semver,
    resolve,
    resolve_loose,
    tag_pattern,
)


@pytest.mark.parametrize(
    ("stated", "semver", "pep440"),
    [
        ("1.2.0", "1.2.0", "1.2.0"),
        ("1.2.0-rc.1", "1.2.0-rc.1", "1.2.0rc1"),
        ("1.2.0rc1", "1.2.0-rc.1", "1.2.0rc1"),
        ("0.4.0-alpha.1", "0.4.0-alpha.1", "0.4.0a1"),
        ("0.4.0a1", "0.4.0-alpha.1", "0.4.0a1"),
        ("2.0.0-beta.3", "2.0.0-beta.3", "2.0.0b3"),
        ("2.0.0-dev.4", "2.0.0-dev.4", "2.0.0.dev4"),
        ("2.0.0.dev4", "2.0.0-dev.4", "2.0.0.dev4"),
        ("1.0.0+build.7", "1.0.0+build.7", "1.0.0+build.7"),
    ],
)
def test_faithful_mapping_both_ways(stated: str, semver: str, pep440: str) -> None:
    resolved = resolve(stated)
    assert str(resolved.semver) == semver
    assert resolved.pep440 == pep440
    assert str(Version(stated)) == pep440  # what PyPI will call it


@pytest.mark.parametrize(
    ("stated", "fragment"),
    [
        ("1.2", "3"),  # two components
        ("1.2.3.4", "3"),
        ("1!1.0.0", "epoch"),
        ("1.0.0.post1", "post-release"),
        ("1.0.0-preview.1", "no PEP 440 form"),
        ("1.0.0+Build", "lower-cased"),
        ("1.0.0+exp-sha", "'-'"),
        ("1.0.0rc1.dev2", "combines"),
        ("not a version", "neither"),
        ("01.0.0", "normalises"),
    ],
)
def test_unfaithful_or_invalid_versions_are_refused(stated: str, fragment: str) -> None:
    with pytest.raises(VersionProblem) as raised:
        resolve(stated)
    assert fragment in raised.value.message


def test_semver_that_pep440_reads_differently_is_refused() -> None:
    # "1.0.0-rc.1.2" is valid SemVer but has no faithful PEP 440 form.
    assert parse_semver("1.0.0-rc.1.2") is not None
    with pytest.raises(VersionProblem):
        resolve("1.0.0-rc.1.2")


@pytest.mark.parametrize(
    ("pre", "expected"),
    [
        ("rc.1", None),
        ("rc1", "-rc.1"),
        ("latest", "mutable"),
        ("snapshot.1", "mutable"),
        ("gamma.1", "not allowed"),
    ],
)
def test_prerelease_label_policy(pre: str, expected: str | None) -> None:
    problem = label_problem(SemVer(1, 0, 0, pre), DEFAULT_LABELS, MUTABLE_LABELS)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None
        assert expected in problem.message + (problem.hint or "")


@pytest.mark.parametrize(
    ("current", "bump", "label", "expected"),
    [
        ("1.2.3", "major", "rc", "2.0.0"),
        ("1.2.3", "minor", "rc", "1.3.0"),
        ("1.2.3", "patch", "rc", "1.2.4"),
        ("1.2.3", "prerelease", "rc", "1.2.4-rc.1"),
        ("1.3.0-rc.1", "prerelease", "rc", "1.3.0-rc.2"),
        ("1.3.0-beta.2", "prerelease", "rc", "1.3.0-rc.1"),
        ("1.3.0-rc.2", "patch", "rc", "1.3.0"),
        ("2.0.0-rc.1", "major", "rc", "2.0.0"),
    ],
)
def test_next_version(current: str, bump: str, label: str, expected: str) -> None:
    parsed = parse_semver(current)
    assert parsed is not None
    assert str(next_version(parsed, bump, label)) == expected


def test_next_prerelease_refuses_going_backwards() -> None:
    with pytest.raises(VersionProblem):
        next_version(SemVer(1, 0, 0, "rc.1"), "prerelease", "alpha")


def test_tag_pattern_round_trip() -> None:
    pattern = tag_pattern("release/v{version}")
    match = pattern.match(format_tag("release/v{version}", "1.2.0-rc.1"))
    assert match is not None
    assert match.group("version") == "1.2.0-rc.1"
    assert pattern.match("v1.2.0") is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_any_string_resolves_or_is_a_version_problem(text: str) -> None:
    try:
        resolved = resolve(text)
    except VersionProblem as problem:
        message = problem.message
        assert message
        return
    assert resolve(resolved.pep440).pep440 == resolved.pep440


@settings(max_examples=300, deadline=None)
@given(
    st.integers(0, 999),
    st.integers(0, 999),
    st.integers(0, 999),
    st.one_of(
        st.none(), st.tuples(st.sampled_from(["alpha", "beta", "rc", "dev"]), st.integers(0, 99))
    ),
)
def test_structured_semver_round_trips_through_pep440(
    major: int, minor: int, patch: int, pre: tuple[str, int] | None
) -> None:
    version = SemVer(major, minor, patch, f"{pre[0]}.{pre[1]}" if pre else None)
    resolved = resolve(str(version))
    assert resolve(resolved.pep440).semver == version
    assert str(Version(str(version))) == resolved.pep440


@pytest.mark.parametrize(
    "text",
    ["1.0." + "9" * 5000, "9" * 5000 + ".0.0", "1.0.0-rc." + "9" * 5000, "1." + "9" * 5000],
)
def test_a_number_over_int_limits_is_a_version_problem(text: str) -> None:
    """int() refuses over 4300 digits (ValueError, exit 3 before issue 27): a VersionProblem."""
    assert parse_semver(text) is None
    for read in (resolve, resolve_loose, pep440_to_semver):
        with pytest.raises(VersionProblem, match="digits"):
            read(text)
