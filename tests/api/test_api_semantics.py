"""Annotations and bases compared by meaning: modernised spellings are no API change (issue 13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api_support import assessment, errors, gate

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n'


def _pair(
    make_repo: Callable[..., GitRepo], before: str, after: str, version: str = "1.0.1"
) -> GitRepo:
    """``demo.py`` released as v1.0.0 with ``before``, then ``after`` as ``version``."""
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="1.0.0"), "demo.py": before})
    repo.git("tag", "-a", "v1.0.0", "-m", "v1.0.0")
    repo.commit({"pyproject.toml": PYPROJECT.format(version=version), "demo.py": after}, "fix")
    return repo


# (before, after): each pair means the same to callers, or widens a parameter / narrows a return.
COMPATIBLE = {
    "List-to-list": (
        "from typing import List\ndef f(x: List[int]) -> List[str]: ...\n",
        "def f(x: list[int]) -> list[str]: ...\n",
    ),
    "typing-as-t": (
        "import typing as t\ndef f(x: t.Optional[str] = None) -> t.Dict[str, t.Any]: ...\n",
        "from typing import Any\ndef f(x: str | None = None) -> dict[str, Any]: ...\n",
    ),
    "own-alias-inlined": (
        "from typing import Dict, Union\n_Json = Dict[str, Union[int, str]]\n"
        "def f(x: _Json) -> _Json: ...\n",
        "def f(x: dict[str, int | str]) -> dict[str, int | str]: ...\n",
    ),
    "Any-to-object": (
        "from typing import Any\ndef f(x: Any) -> Any: ...\n",
        "def f(x: object) -> object: ...\n",
    ),
    "Iterator-to-Generator": (
        "from typing import Iterator\ndef f() -> Iterator[int]: ...\n",
        "from collections.abc import Generator\ndef f() -> Generator[int, None, None]: ...\n",
    ),
    "bare-generic-parameterised": (
        "from typing import Callable\ndef f(x: dict, cb: Callable) -> list: ...\n",
        "from typing import Any, Callable\n"
        "def f(x: dict[str, int], cb: Callable[..., Any]) -> list[int]: ...\n",
    ),
    "quoted-to-Self": (
        'class Foo:\n    def copy(self) -> "Foo": ...\n',
        "from typing_extensions import Self\nclass Foo:\n    def copy(self) -> Self: ...\n",
    ),
    "Sequence-to-Iterable": (
        "from typing import Sequence\ndef f(x: Sequence[int]) -> None: ...\n",
        "from collections.abc import Iterable\ndef f(x: Iterable[int]) -> None: ...\n",
    ),
    "attribute-List-to-list": (
        "from typing import List, Optional\nclass C:\n    items: List[int]\n    name: Optional[str]\n",
        "class C:\n    items: list[int]\n    name: str | None\n",
    ),
    "Enum-to-IntEnum": (
        "import enum\nclass Color(enum.Enum):\n    RED = 1\n",
        "import enum\nclass Color(enum.IntEnum):\n    RED = 1\n",
    ),
    "Protocol-from-typing": (
        "from typing_extensions import Protocol\nclass P(Protocol):\n    def go(self) -> None: ...\n",
        "from typing import Protocol\nclass P(Protocol):\n    def go(self) -> None: ...\n",
    ),
    # asgiref 3.8.0's typing.py: 24 false base-removed errors (third held-out set). Both
    # TypedDict spellings are functions, not classes, so no isinstance check can tell them apart.
    "TypedDict-from-typing": (
        "from typing_extensions import TypedDict\nclass Scope(TypedDict):\n    type: str\n",
        "from typing import TypedDict\nclass Scope(TypedDict):\n    type: str\n",
    ),
    # tqdm 4.67.2 (pyupgrade): four false base-removed errors in a patch release.
    "explicit-object-base-dropped": (
        "class Bar(object):\n    def go(self) -> None: ...\n",
        "class Bar:\n    def go(self) -> None: ...\n",
    ),
    "abc-to-typing-base": (
        "import collections.abc\nclass M(collections.abc.Mapping):\n    pass\n",
        "import typing\nclass M(typing.Mapping):\n    pass\n",
    ),
}


@pytest.mark.parametrize("case", sorted(COMPATIBLE))
def test_modernised_annotations_and_bases_are_not_breaking(
    make_repo: Callable[..., GitRepo], case: str
) -> None:
    # Widening a parameter is an addition: it needs the minor bump an addition needs.
    repo = _pair(make_repo, *COMPATIBLE[case], "1.1.0" if "Iterable" in case else "1.0.1")
    found = gate(repo, release=True)
    assert errors(found) == [], [f.message for f in found]


def test_a_real_type_change_still_fails(make_repo: Callable[..., GitRepo]) -> None:
    repo = _pair(
        make_repo,
        "from typing import List\ndef f(x: List[int]) -> int: ...\n",
        "def f(x: list[str]) -> str: ...\n",
    )
    rules = sorted(f.rule for f in errors(gate(repo, release=True)))
    assert rules == ["parameter-type-changed", "return-type-changed"]


def test_a_narrowed_parameter_between_standard_types_fails(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = _pair(
        make_repo,
        "from typing import Iterable\ndef f(x: Iterable[int]) -> None: ...\n",
        "def f(x: list[int]) -> None: ...\n",
    )
    assert [f.rule for f in errors(gate(repo, release=True))] == ["parameter-type-changed"]


def test_an_unprovable_change_is_a_note_not_an_error(make_repo: Callable[..., GitRepo]) -> None:
    repo = _pair(
        make_repo,
        "class Shape: ...\nclass Circle(Shape): ...\ndef f(x: Circle) -> Shape: ...\n",
        "class Shape: ...\nclass Circle(Shape): ...\ndef f(x: Shape) -> Circle: ...\n",
    )
    found = gate(repo, release=True)
    assert errors(found) == []
    notes = sorted(f.rule for f in found if f.severity.value == "note")
    assert notes == ["parameter-type-unproven", "return-type-unproven"]


def test_a_union_inside_a_union_is_the_union(make_repo: Callable[..., GitRepo]) -> None:
    """werkzeug 3.1 ``best_match(default: str | (str | None))`` -> ``str | None``."""
    from releasegate._internal.api.annotations import union_members

    assert union_members("str | (str | None)") == union_members("str | None")
    repo = _pair(
        make_repo,
        "def f(x: 'str | (int | None)') -> None: ...\n",
        "def f(x: 'int | None | str') -> None: ...\n",
    )
    assert errors(gate(repo, release=True)) == []


def test_a_base_still_named_as_before_is_kept(make_repo: Callable[..., GitRepo]) -> None:
    """astroid 2.12.0 moved its node bases to a private module: ``astroid.nodes.Statement`` and
    ``astroid.mixins.AssignTypeMixin`` name the new bases, so every ``isinstance`` check through
    them still holds (60 false base-removed errors). Only the old defining path is gone."""
    before = {
        "pyproject.toml": PYPROJECT.format(version="1.0.0"),
        "demo/__init__.py": "from demo.nodes import Assign, Statement\n",
        "demo/mixins.py": "class AssignTypeMixin:\n    def assign_type(self) -> object: ...\n",
        "demo/nodes.py": (
            "from demo import mixins\n\n\nclass Statement:\n    is_statement = True\n\n\n"
            "class Assign(mixins.AssignTypeMixin, Statement):\n    pass\n"
        ),
    }
    repo = make_repo(before)
    repo.git("tag", "-a", "v1.0.0", "-m", "v1.0.0")
    after = {
        "pyproject.toml": PYPROJECT.format(version="2.0.0"),
        "demo/__init__.py": "from demo._base import Statement\nfrom demo.nodes import Assign\n",
        "demo/_base.py": (
            "class AssignTypeNode:\n    def assign_type(self) -> object: ...\n\n\n"
            "class Statement:\n    is_statement = True\n"
        ),
        "demo/mixins.py": "from demo._base import AssignTypeNode as AssignTypeMixin\n",
        "demo/nodes.py": (
            "from demo import _base\n\n\n"
            "class Assign(_base.AssignTypeNode, _base.Statement):\n    pass\n"
        ),
    }
    repo.commit(after, "refactor: bases in a private module")
    changes = sorted(f"{c.kind.value} {c.target}" for c in assessment(repo).changes)
    assert changes == ["object-removed demo.nodes.Statement"]
