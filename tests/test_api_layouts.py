"""Every layout compares the release's code with the working tree's, wherever it is run from.

griffe tries a module name as a path relative to the working directory first: run from the
root of a flat-layout project (as pre-commit and the Action run it), the release side read
the working tree's package and the gate compared the package with itself (issue 13).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n'
BEFORE = "def keep() -> None: ...\n\n\ndef gone() -> None: ...\n"
AFTER = "def keep() -> None: ...\n"
# Where the removed function lives in each layout.
LAYOUTS = {
    "flat": "demo/__init__.py",
    "src": "src/demo/__init__.py",
    "module": "demo.py",
    "src-module": "src/demo.py",
    "namespace": "demo/shapes.py",
}


@pytest.mark.parametrize("where", ["root", "-C"])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_removal_is_found_in_every_layout_from_anywhere(
    make_repo: Callable[..., GitRepo], layout: str, where: str
) -> None:
    module = LAYOUTS[layout]
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="1.0.0"), module: BEFORE})
    repo.git("tag", "-a", "v1.0.0", "-m", "v1.0.0")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="1.0.1"), module: AFTER}, "fix")

    if where == "root":
        result = run_cli("check", "api", cwd=repo.root)
    else:
        result = run_cli("-C", str(repo.root), "check", "api", cwd=repo.root.parent)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "gone: public object was removed" in result.stdout
    assert "[api/object-removed]" in result.stdout
