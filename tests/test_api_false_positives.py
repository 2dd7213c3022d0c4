"""griffe's known false positives are not reported; ``__all__`` decides what is public."""

from __future__ import annotations

from typing import TYPE_CHECKING

import griffe

from tests.api_support import assessment, edit, errors, gate, released, set_version

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

INIT, CORE, ERRORS = "src/shapes/__init__.py", "src/shapes/core.py", "src/shapes/errors.py"


def _raw_griffe(repo: GitRepo, tmp_path: Path) -> list[str]:
    """What griffe alone reports between the tag and the working tree."""
    old_root = tmp_path / "old"
    repo.git("worktree", "add", "-q", str(old_root), "v1.0.0")
    old, new = (
        griffe.load(
            "shapes",
            search_paths=[root / "src"],
            allow_inspection=False,
            resolve_aliases=True,
            modules_collection=griffe.ModulesCollection(),
        )
        for root in (old_root, repo.root)
    )
    return [b.obj.path for b in griffe.find_breaking_changes(old, new)]


def test_inherited_exception_args_is_not_reported(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = released(make_repo)
    edit(repo, ERRORS, "class ShapeError(_BaseError):", "class ShapeError(ValueError):")
    set_version(repo, "1.0.1")
    repo.commit(message="refactor: ShapeError is a ValueError")

    raw = _raw_griffe(repo, tmp_path)
    assert "shapes.errors.ShapeError.args" in raw  # griffe alone flags it

    targets = [c.target for c in assessment(repo).changes]
    assert "shapes.errors.ShapeError.args" not in targets  # ValueError has args at run time
    assert (
        "shapes.errors.ShapeError.explain" in targets
    )  # ValueError has no explain: a real removal


def test_members_of_an_unseen_third_party_base_are_not_claimed_removed(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo)
    edit(
        repo,
        ERRORS,
        "class ShapeError(_BaseError):",
        "import somelib\n\n\nclass ShapeError(somelib.Error):",
    )
    set_version(repo, "1.0.1")
    repo.commit(message="refactor: base on somelib")
    assert [c.target for c in assessment(repo).changes] == []


def test_version_constants_are_ignored(make_repo: Callable[..., GitRepo], tmp_path: Path) -> None:
    repo = released(make_repo)
    edit(repo, CORE, 'VERSION = "1.0.0"\n__version__ = VERSION\n', 'VERSION = "1.0.1"\n')
    edit(repo, INIT, '__version__ = "1.0.0"', '__version__ = "1.0.1"')
    set_version(repo, "1.0.1")
    repo.commit(message="chore: release 1.0.1")

    assert "shapes.core.__version__" in _raw_griffe(repo, tmp_path)  # griffe alone flags it
    assert assessment(repo).changes == ()
    assert gate(repo, release=True) == []


def test_all_decides_what_is_public(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    # internal_tool is not in __all__: removing it is not a change, and neither is a new
    # function left out of __all__.
    edit(repo, INIT, "def internal_tool() -> None:", "def experimental() -> None:")
    set_version(repo, "1.0.1")
    repo.commit(message="refactor: internals")
    assert assessment(repo).changes == ()

    edit(repo, INIT, '"scale"]', '"scale", "experimental"]')
    repo.commit(message="feat: experimental")
    changes = assessment(repo).changes
    assert [(c.kind.value, c.target) for c in changes] == [("object-added", "shapes.experimental")]


def test_private_names_and_unchanged_code_give_nothing(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    edit(repo, CORE, "def _helper() -> None:", "def _helper(x: int) -> int:")
    edit(
        repo,
        CORE,
        "    return Circle(shape.radius * factor)",
        "    return Circle(factor * shape.radius)",
    )
    set_version(repo, "1.0.1")
    repo.commit(message="fix: internals")
    assert assessment(repo).changes == ()
    assert errors(gate(repo)) == []


def test_members_maybe_inherited_from_an_unseen_base_are_not_additions(
    make_repo: Callable[..., GitRepo],
) -> None:
    """flask 3.0.3 defines Blueprint.__init__, which it inherited from sansio before."""
    repo = released(make_repo)
    edit(
        repo,
        ERRORS,
        "class ShapeError(_BaseError):\n    pass\n",
        "import somelib\n\n\nclass ShapeError(somelib.Error):\n    pass\n",
    )
    set_version(repo, "1.0.1")
    repo.commit(message="refactor: base on somelib", tag="v1.0.1")
    edit(
        repo,
        ERRORS,
        "class ShapeError(somelib.Error):\n    pass\n",
        "class ShapeError(somelib.Error):\n    def __init__(self, message: str) -> None: ...\n\n"
        "    def render(self) -> str: ...\n",
    )
    set_version(repo, "1.0.2")
    repo.commit(message="fix: spell out what somelib.Error did")

    assert [c.target for c in assessment(repo).changes] == []
