"""Metadata users feel, wherever a project writes it: [project], or Poetry 1's tables (issue 13)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.api import metadata
from tests.api_support import assessment, errors, gate

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

POETRY = """\
[tool.poetry]
name = "demo"
version = "{version}"
description = "d"
authors = ["A <a@example.org>"]

[tool.poetry.dependencies]
python = "{python}"
markdown-it-py = ">=2.2.0"
pygments = "^2.13.0"
{more}ipywidgets = {{ version = ">=7.5.1,<9", optional = true }}

[tool.poetry.extras]
{extras}
[tool.poetry.scripts]
demo = "demo:main"

[build-system]
requires = ["poetry-core>=1.0.0"]
build-backend = "poetry.core.masonry.api"
"""


def _poetry(version: str, python: str = "^3.7.0", more: str = "", extras: str = "") -> str:
    return POETRY.format(version=version, python=python, more=more, extras=extras)


def test_a_poetry_project_without_project_table_is_compared(
    make_repo: Callable[..., GitRepo],
) -> None:
    """rich's shape: no [project]; the gate compared nothing of its metadata."""
    repo = make_repo(
        {
            "pyproject.toml": _poetry("1.0.0", extras='jupyter = ["ipywidgets"]\n'),
            "demo/__init__.py": "def main() -> None: ...\n",
        },
        tag="v1.0.0",
    )
    repo.commit(
        {"pyproject.toml": _poetry("1.0.1", python="^3.8.0", more='typing-extensions = "^4"\n')},
        "chore: modernise",
    )

    found = {(c.kind.value, c.target, c.line) for c in assessment(repo).changes}

    assert found == {
        ("requires-python-raised", "requires-python", 8),
        ("dependency-added", "dependency typing-extensions", 7),
        ("extra-removed", "extra jupyter", 14),  # the (now empty) [tool.poetry.extras]
    }
    # The removed extra breaks `pip install pkg[jupyter]`; dropping a Python in a patch is a
    # warning (pip keeps that Python on the last release that supports it).
    released = gate(repo, release=True)
    assert {f.rule for f in errors(released)} == {"extra-removed"}
    assert "requires-python-raised" in {f.rule for f in released if f.severity.value == "warning"}


def test_poetry_constraints_are_compared_by_meaning(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(
        {"pyproject.toml": _poetry("1.0.0"), "demo/__init__.py": "def main() -> None: ...\n"},
        tag="v1.0.0",
    )
    # ^3.7.0 and >=3.7,<4.0 are the same range.
    repo.commit({"pyproject.toml": _poetry("1.0.1", python=">=3.7,<4.0")}, "chore: spell out")
    assert assessment(repo).changes == ()


def test_a_dependency_whose_marker_cannot_apply_any_more_is_not_removed() -> None:
    old = {
        "requires-python": ">=3.7",
        "dependencies": [
            'importlib-metadata; python_version < "3.8"',
            'typing-extensions>=4; python_version < "3.11"',
            'tomli; python_full_version < "3.8.0"',
            'colorama; sys_platform == "win32" and python_version < "3.8"',
        ],
    }
    new = {"requires-python": ">=3.8", "dependencies": []}

    found = {(c.kind.value, c.target) for c in metadata.compare(old, new, None)}

    assert found == {
        ("requires-python-raised", "requires-python"),
        # Python 3.8 to 3.10 still installed it: a removal.
        ("dependency-removed", "dependency typing-extensions"),
        # The platform part is not judged: said, to be safe.
        ("dependency-removed", "dependency colorama"),
    }


def test_a_dependency_dropped_without_raising_the_floor_is_removed() -> None:
    old = {
        "requires-python": ">=3.7",
        "dependencies": ['importlib-metadata; python_version < "3.8"'],
    }
    new = {"requires-python": ">=3.7", "dependencies": []}
    found = [c.kind.value for c in metadata.compare(old, new, None)]
    assert found == ["dependency-removed"]


_TOML = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
_POETRY_KEYS = st.sampled_from(["dependencies", "extras", "scripts", "plugins", "name"])


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(_POETRY_KEYS, _TOML, max_size=5),
    st.dictionaries(_POETRY_KEYS, _TOML, max_size=5),
)
def test_hostile_poetry_tables_never_crash(old: dict[str, Any], new: dict[str, Any]) -> None:
    before, _ = metadata.metadata_of({"tool": {"poetry": old}})
    after, keys = metadata.metadata_of({"tool": {"poetry": new}})
    for change in metadata.compare(before, after, None, keys):
        assert change.path == "pyproject.toml"


def test_dev_only_extras_moved_to_dependency_groups_are_no_change() -> None:
    """attrs 23.2.0 and most projects since 2024: tests, docs, lint leave the extras."""
    old = {
        "optional-dependencies": {
            "tests-no-zope": ["pytest"],
            "docs": ["sphinx"],
            "dev": ["tox"],
            "typing": ["mypy"],
            "fast": ["orjson"],
        }
    }
    new = {"optional-dependencies": {"tests-no-zope": ["pytest>=8"], "fast": ["orjson"]}}
    assert metadata.compare(old, new, None) == []

    without_user_extra: dict[str, Any] = {"optional-dependencies": {}}
    found = [(c.kind.value, c.target) for c in metadata.compare(old, without_user_extra, None)]
    assert found == [("extra-removed", "extra fast")]


def test_a_new_dev_only_extra_is_no_addition() -> None:
    """platformdirs 4.2.1 added ``[type]`` (mypy for its own CI) in a patch release."""
    old = {"optional-dependencies": {"test": ["pytest"]}}
    new = {"optional-dependencies": {"test": ["pytest"], "type": ["mypy>=1.8"], "docs": ["x"]}}
    assert metadata.compare(old, new, None) == []
    user = {"optional-dependencies": {"test": ["pytest"], "typed": ["typing-extensions"]}}
    found = [(c.kind.value, c.target) for c in metadata.compare(old, user, None)]
    assert found == [("extra-added", "extra typed")]


def test_metadata_moved_into_project_from_setup_py_is_no_change() -> None:
    """sniffio 1.3.0 said python_requires in setup.py; 1.3.1 says requires-python in
    [project]: "(any) -> >= 3.7" was a false error."""
    new = {"name": "demo", "requires-python": ">= 3.7", "dependencies": ["x"]}
    assert metadata.compare({}, new, None) == []
