"""griffe's known false positives are not reported; ``__all__`` decides what is public."""

from __future__ import annotations

from typing import TYPE_CHECKING

import griffe

from tests.api_support import (
    assessment,
    changes_of,
    edit,
    errors,
    gate,
    release_pair,
    released,
    set_version,
)

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


def test_an_override_dropped_for_what_the_base_provides_is_not_removed(
    make_repo: Callable[..., GitRepo],
) -> None:
    """flask 3.1.3 dropped SecureCookieSession.get/__getitem__ (werkzeug's CallbackDict still
    has them); attrs 26.1 dropped FrozenError.args (AttributeError's)."""
    repo = released(make_repo)
    classes = (
        "import werkzeug\n\n\nclass Session(werkzeug.CallbackDict):\n"
        "    def get(self, key: str, default: object = None) -> object: ...\n"
        "    def __getitem__(self, key: str) -> object: ...\n"
        "    def save(self) -> None: ...\n\n\n"
        "class Frozen(AttributeError):\n    args = ()\n\n\n"
    )
    edit(repo, ERRORS, "class ShapeError(_BaseError):", classes + "class ShapeError(_BaseError):")
    repo.commit(message="feat: sessions", tag="v1.1.0")
    text = (repo.root / ERRORS).read_text(encoding="utf-8")
    text = text.replace(
        "    def get(self, key: str, default: object = None) -> object: ...\n"
        "    def __getitem__(self, key: str) -> object: ...\n"
        "    def save(self) -> None: ...\n",
        "    pass\n",
    ).replace("    args = ()\n", "    pass\n")
    (repo.root / ERRORS).write_text(text, encoding="utf-8")
    set_version(repo, "1.1.1")
    repo.commit(message="fix: let the bases serve them")

    # save is the class's own: a framework base is not assumed to have everything.
    assert [c.target for c in assessment(repo).changes] == ["shapes.errors.Session.save"]


def test_an_empty_default_spelled_otherwise_is_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """build 1.5.1: DefaultIsolatedEnv.install(constraints=[]) became constraints=()."""
    repo = released(make_repo)
    before = "def scale(shape: Circle, factor: float)"
    edit(repo, CORE, before, before[:-1] + ", seen: object = [])")
    repo.commit(message="feat: seen", tag="v1.1.0")
    edit(repo, CORE, "seen: object = []", "seen: object = ()")
    set_version(repo, "1.1.1")
    repo.commit(message="fix: immutable default")
    assert [c.target for c in assessment(repo).changes] == []
    edit(repo, CORE, "seen: object = ()", "seen: object = (1,)")
    assert [c.kind.value for c in assessment(repo).changes] == ["parameter-default-changed"]


def test_an_override_dropped_in_favour_of_an_unchanged_modules_base_is_no_removal(
    make_repo: Callable[..., GitRepo],
) -> None:
    """mkdocs 1.6.1 dropped ``IpAddress.post_validation``, which ``BaseConfigOption`` in the
    unchanged ``mkdocs/config/base.py`` still serves: the gate read only the changed module,
    could not see the base, and called the method removed (a false error)."""
    base = (
        "class BaseConfigOption:\n    def post_validation(self) -> None:\n        pass\n\n\n"
        "class Unrelated:\n    pass\n"
    )
    init = "from demo.config.base import BaseConfigOption\n"
    options = (
        "from demo.config import base\nfrom demo.config.base import BaseConfigOption as _B\n\n\n"
        "class Optional(base.BaseConfigOption):\n    pass\n\n\n"
        "class IpAddress(Optional):\n{body}\n\n"
        "class Port(_B):\n    pass\n"
    )
    override = "    def post_validation(self) -> None:\n        pass\n"
    before = {
        "src/demo/__init__.py": "",
        "src/demo/config/__init__.py": init,
        "src/demo/config/base.py": base,
        "src/demo/config/config_options.py": options.format(body=override),
    }
    before["src/demo/extra.py"] = "class Mixin:\n    pass\n\n\ndef helper() -> None:\n    pass\n"
    dropped = options.format(body="    pass\n").replace("Port(_B)", "Port(_B, Mixin)")
    dropped = "from demo.extra import Mixin\n" + dropped
    after = {**before, "src/demo/config/config_options.py": dropped}
    # extra.py, unchanged, read for the new base on both sides: not a new module
    assert changes_of(release_pair(make_repo, before, after)) == []

    # Still a removal when no base serves the name.
    gone = base.replace("post_validation", "validate")
    removed = release_pair(
        make_repo,
        {**before, "src/demo/config/base.py": gone},
        {**after, "src/demo/config/base.py": gone},
    )
    assert changes_of(removed) == [
        "object-removed demo.config.config_options.IpAddress.post_validation"
    ]


def test_a_change_is_named_where_callers_import_the_object_from(
    make_repo: Callable[..., GitRepo],
) -> None:
    """anyio 4.15's changes were named ``anyio._core._tasks.fail_after(reason)`` and
    ``anyio.abc._resources.AsyncResource.__aenter__``: private paths no caller uses for
    objects offered as ``anyio.fail_after`` and ``anyio.abc.AsyncResource``. httpcore re-exports
    a private package's re-export (``httpcore._async.AsyncConnectionPool``)."""
    before = {
        "src/demo/__init__.py": "from demo._core._tasks import fail_after as fail_after\n",
        "src/demo/_core/__init__.py": "",
        "src/demo/_core/_tasks.py": "def fail_after(delay: float) -> None:\n    pass\n",
        "src/demo/abc/__init__.py": "from demo.abc._impl import AsyncResource\n",
        "src/demo/abc/_impl/__init__.py": "from demo.abc._resources import AsyncResource\n",
        "src/demo/abc/_resources.py": (
            "class AsyncResource:\n    def close(self, now: bool) -> None:\n        pass\n"
        ),
    }
    after = {
        **before,
        "src/demo/_core/_tasks.py": (
            "def fail_after(delay: float, reason: str | None = None) -> None:\n    pass\n"
        ),
        "src/demo/abc/_resources.py": "class AsyncResource:\n    def close(self) -> None:\n        pass\n",
    }
    assert sorted(changes_of(release_pair(make_repo, before, after))) == [
        "parameter-added-optional demo.fail_after(reason)",
        "parameter-removed demo.abc.AsyncResource.close(now)",
    ]
