"""The API gate's pure parts: the severity table, bumps, annotations, metadata, archives."""

from __future__ import annotations

import io
import tarfile
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.api import metadata, source
from releasegate._internal.api.annotations import compare_parameter, compare_return, union_members
from releasegate._internal.api.bumps import Bump, Impact, actual_bump, required_bump
from releasegate._internal.api.changes import IMPACT, ChangeKind
from releasegate._internal.versioning import SemVer

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import GitRepo


def test_every_kind_of_change_has_an_impact() -> None:
    assert set(IMPACT) == set(ChangeKind)
    assert {kind.impact for kind in ChangeKind} == set(Impact)


@pytest.mark.parametrize(
    ("impact", "major", "expected"),
    [
        (Impact.BREAKING, 1, Bump.MAJOR),
        (Impact.BREAKING, 0, Bump.MINOR),
        (Impact.ADDITION, 1, Bump.MINOR),
        (Impact.ADDITION, 0, Bump.MINOR),
        (Impact.FIX, 1, Bump.PATCH),
    ],
)
def test_required_bump(impact: Impact, major: int, expected: Bump) -> None:
    assert required_bump(impact, SemVer(major, 4, 2)) is expected


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (SemVer(2, 0, 0), Bump.MAJOR),
        (SemVer(2, 0, 0, "rc.1"), Bump.MAJOR),
        (SemVer(1, 3, 0), Bump.MINOR),
        (SemVer(1, 2, 4), Bump.PATCH),
        (SemVer(1, 2, 3), Bump.NONE),
        (SemVer(1, 1, 9), Bump.NONE),
        (SemVer(0, 9, 0), Bump.NONE),
    ],
)
def test_actual_bump(current: SemVer, expected: Bump) -> None:
    assert actual_bump(SemVer(1, 2, 3), current) is expected


def test_unions_in_every_spelling_are_the_same() -> None:
    spellings = [
        "Optional[int]",
        "typing.Optional[int]",
        "Union[int, None]",
        "int | None",
        "None|int",
    ]
    assert {union_members(text) for text in spellings} == {frozenset({"int", "None"})}
    assert union_members("dict[str, int | None] | None") == {"dict[str,None|int]", "None"}


def test_annotation_verdicts() -> None:
    assert compare_parameter("int", "int | str") == (
        ChangeKind.PARAMETER_TYPE_WIDENED,
        "annotation int -> int | str",
    )
    assert compare_parameter("int | str", "int")[0] is ChangeKind.PARAMETER_TYPE_CHANGED  # type: ignore[index]
    assert compare_parameter(None, "int") is None
    assert compare_parameter("Optional[int]", "int | None") is None
    assert compare_return("int | None", "int")[0] is ChangeKind.RETURN_TYPE_NARROWED  # type: ignore[index]
    # Widened: a typing correction (flask 3.0.1), a warning short of a major bump (issue 28).
    assert compare_return("int", "int | None")[0] is ChangeKind.RETURN_TYPE_WIDENED  # type: ignore[index]
    assert compare_return("int", "str")[0] is ChangeKind.RETURN_TYPE_CHANGED  # type: ignore[index]
    assert compare_return("None", "int") is None  # a function that returned nothing gained a value


def test_requires_python_compared_as_sets() -> None:
    def kinds(old: Any, new: Any) -> list[ChangeKind]:
        return [
            c.kind
            for c in metadata.compare({"requires-python": old}, {"requires-python": new}, None)
        ]

    assert kinds(">=3.9", ">=3.10") == [ChangeKind.REQUIRES_PYTHON_RAISED]
    assert kinds(">=3.9", ">= 3.9.0") == []
    assert kinds(">=3.10", ">=3.9") == [ChangeKind.REQUIRES_PYTHON_LOWERED]
    assert kinds(None, ">=3.8") == [ChangeKind.REQUIRES_PYTHON_RAISED]
    assert kinds(">=3.9,<4", ">=3.9") == [ChangeKind.REQUIRES_PYTHON_LOWERED]
    assert kinds(">=3.9", "not a specifier") == []  # the metadata gate reports it


def test_dependencies_by_canonical_name() -> None:
    old = {"dependencies": ["Foo_Bar>=1", "baz"], "optional-dependencies": {"x": ["qux"]}}
    new = {"dependencies": ["foo-bar>=2"], "optional-dependencies": {"X": []}}
    found = {(c.kind, c.target) for c in metadata.compare(old, new, None)}
    assert found == {
        (ChangeKind.DEPENDENCY_CHANGED, "dependency foo-bar"),
        (ChangeKind.DEPENDENCY_REMOVED, "dependency baz"),
        (ChangeKind.DEPENDENCY_REMOVED, "dependency qux"),
    }


_TOML = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_KEYS = st.sampled_from(
    [
        "requires-python",
        "dependencies",
        "optional-dependencies",
        "scripts",
        "gui-scripts",
        "entry-points",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, _TOML, max_size=6), st.dictionaries(_KEYS, _TOML, max_size=6))
def test_hostile_metadata_never_crashes(old: dict[str, Any], new: dict[str, Any]) -> None:
    for change in metadata.compare(old, new, None):
        assert change.path == "pyproject.toml"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_any_annotation_text_gives_a_verdict(text: str) -> None:
    union_members(text)
    compare_parameter(text, "int")
    compare_return("int | str", text)


def test_hostile_archive_members_are_not_written(
    make_repo: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    repo: GitRepo = make_repo({"pkg/__init__.py": "x = 1\n"})
    payload = io.BytesIO()
    with tarfile.open(fileobj=payload, mode="w") as archive:
        for name in ("../evil.py", "/abs/evil.py", "pkg/ok.py"):
            data = b"y = 2\n"
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))

    import subprocess

    real_run = subprocess.run

    def fake_archive(args: list[str], **kwargs: Any) -> Any:
        if args[:2] == ["git", "archive"]:
            return subprocess.CompletedProcess(args, 0, payload.getvalue(), b"")
        return real_run(args, **kwargs)

    monkeypatch.setattr("subprocess.run", fake_archive)
    from releasegate._internal.project import Project

    into = tmp_path / "out" / "inner"
    source.extract(Project(repo.root), "HEAD", {"pkg/__init__.py"}, into)
    assert (into / "pkg/ok.py").is_file()
    assert not (tmp_path / "out" / "evil.py").exists()
    assert not list(tmp_path.rglob("abs"))
