"""Every layout compares the release's code with the working tree's, wherever it is run from.

griffe tries a module name as a path relative to the working directory first: run from the
root of a flat-layout project (as pre-commit and the Action run it), the release side read
the working tree's package and the gate compared the package with itself (issue 13).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api_support import assessment
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


REEXPORTING = {
    "pyproject.toml": PYPROJECT.format(version="1.0.0"),
    # attrs' shape: the package users import re-exports the distribution's other package.
    "src/demo/__init__.py": 'from demo_core import scale\n\n__all__ = ["scale"]\n',
    "src/demo_core/__init__.py": (
        "from demo_core._impl import scale\n\n\ndef legacy() -> None: ...\n\n\n"
        '__all__ = ["legacy", "scale"]\n'
    ),
    "src/demo_core/_impl.py": "def scale(x: float, factor: float = 2.0) -> float: ...\n",
    "src/tests/__init__.py": "",
}


def test_a_package_re_exporting_another_is_compared_with_it(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(REEXPORTING, tag="v1.0.0")
    repo.commit(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.1"),
            "src/demo_core/__init__.py": (
                'from demo_core._impl import scale\n\n__all__ = ["scale"]\n'
            ),
            "src/demo_core/_impl.py": "def scale(x: float) -> float: ...\n",
        },
        "fix",
    )

    result = run_cli("check", "api", cwd=repo.root)

    assert result.returncode == 1, result.stdout + result.stderr
    # Seen through the re-export: the parameter is gone from demo.scale.
    assert "scale(factor): parameter was removed" in result.stdout
    # demo_core is API too: its own name legacy is gone.
    assert "demo_core.legacy: public object was removed" in result.stdout
    assert "cannot read" not in result.stdout


def test_names_copied_by_a_star_import_from_outside_are_no_addition(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = {
        "pyproject.toml": PYPROJECT.format(version="1.0.0"),
        "src/demo/__init__.py": "",
        "src/demo/exceptions.py": "from demo_core.exceptions import *\n",
        "src/demo_core/__init__.py": "",
        "src/demo_core/exceptions.py": "class Frozen(AttributeError):\n    msg = 'x'\n",
    }
    repo = make_repo(files, tag="v1.0.0")
    repo.commit(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.1"),
            "src/demo/exceptions.py": "from demo_core.exceptions import *  # noqa: F403\n",
            # attrs 23.2.0: the star import now also copies ClassVar and annotations.
            "src/demo_core/exceptions.py": (
                "from __future__ import annotations\n\nfrom typing import ClassVar\n\n\n"
                "class Frozen(AttributeError):\n    msg: ClassVar[str] = 'x'\n"
            ),
        },
        "fix",
    )

    result = run_cli("check", "api", "--release", cwd=repo.root)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "new public" not in result.stdout


SETUP_PY = "from setuptools import setup\n\nsetup(name='demo-dist', version='{version}')\n"
POETRY_ONLY = (
    '[tool.poetry]\nname = "Demo-Lib"\nversion = "{version}"\ndescription = "d"\n'
    'authors = ["A <a@example.org>"]\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
)


@pytest.mark.parametrize(
    ("layout", "files"),
    [
        # Poetry 1 (rich): the import name comes from [tool.poetry] name.
        ("poetry", {"pyproject.toml": POETRY_ONLY, "demo_lib/__init__.py": BEFORE}),
        # setup.py only, its distribution name unlike the package: the one package found.
        ("setup.py", {"setup.py": SETUP_PY, "src/demo/__init__.py": BEFORE, "tests/t.py": ""}),
    ],
)
def test_the_package_is_found_without_project_table(
    make_repo: Callable[..., GitRepo], layout: str, files: dict[str, str]
) -> None:
    def versioned(version: str) -> dict[str, str]:
        return {k: v.format(version=version) if k != "tests/t.py" else v for k, v in files.items()}

    repo = make_repo(versioned("1.0.0"), tag="v1.0.0")
    module = next(k for k in files if k.endswith("__init__.py"))
    repo.commit({**versioned("1.0.1"), module: AFTER}, "fix")

    found = [(c.kind.value, c.target) for c in assessment(repo).changes]

    assert ("object-removed", f"{module.split('/')[-2]}.gone") in found, layout


APART = '[project]\nname = "{name}"\nversion = "{version}"\n'


@pytest.mark.parametrize(
    ("name", "package"),
    [
        ("PyJWT", "jwt"),  # flat layout, tests/ beside it
        ("dnspython", "dns"),
        ("graphql-core", "src/graphql"),  # src layout
        ("python-dateutil", "dateutil"),  # not python/dateutil, a namespace reading
    ],
)
def test_a_distribution_named_apart_from_its_package_is_compared(
    make_repo: Callable[..., GitRepo], name: str, package: str
) -> None:
    """PyJWT's package is jwt, dnspython's dns, graphql-core's graphql: the gate looked for
    src/pyjwt, pyjwt, ..., warned api/package-not-found and passed every release, the ones
    that removed API too (the fourth held-out set of issue 28: pyjwt 2.10.0 and 2.12.0,
    dnspython 2.7.0, graphql-core 3.2.3 and 3.2.7)."""
    files = {"pyproject.toml": APART, f"{package}/__init__.py": BEFORE, "tests/__init__.py": ""}

    def versioned(version: str) -> dict[str, str]:
        return {k: v.format(name=name, version=version) for k, v in files.items()}

    repo = make_repo(versioned("1.0.0"), tag="v1.0.0")
    repo.commit({**versioned("1.1.0"), f"{package}/__init__.py": AFTER}, "release 1.1.0")

    result = run_cli("check", "api", cwd=repo.root)

    assert result.returncode == 1, result.stdout + result.stderr
    short = package.rsplit("/", maxsplit=1)[-1]
    assert f"{short}.gone: public object was removed" in result.stdout
    assert "package-not-found" not in result.stdout


def test_a_release_tag_states_the_version_the_sources_cannot_read(
    make_repo: Callable[..., GitRepo],
) -> None:
    """click 8.1: ``version = attr: click.__version__``; the gate took it for "no bump yet"."""
    setup_cfg = "[metadata]\nname = demo\nversion = attr: demo.__version__\n"
    repo = make_repo(
        {"setup.cfg": setup_cfg, "setup.py": "", "src/demo/__init__.py": BEFORE},
        tag="v1.0.0",
    )
    repo.commit({"src/demo/__init__.py": AFTER}, "release 1.1.0", tag="v1.1.0")

    result = run_cli("check", "api", cwd=repo.root)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "demo.gone: public object was removed" in result.stdout
    assert "1.0.0 -> 1.1.0 is a minor bump" in result.stdout


# attrs 26.1's shape: attrs re-exports attr, whose stub overloads a name attr imports from an
# unchanged private module. griffe merges stubs while loading and follows those aliases then.
STUBBED = {
    "pyproject.toml": PYPROJECT.format(version="1.0.0"),
    "src/demo/__init__.py": 'from demo_core import field, gone\n\n__all__ = ["field", "gone"]\n',
    "src/demo/__init__.pyi": (
        "from typing import overload\n\n"
        "@overload\ndef field(x: int) -> int: ...\n@overload\ndef field(x: str) -> str: ...\n"
        "def gone() -> None: ...\n"
    ),
    "src/demo_core/__init__.py": (
        "from demo_core._next import field\nfrom demo_core.tools import gone\n\n"
        '__all__ = ["field", "gone"]\n'
    ),
    "src/demo_core/__init__.pyi": (
        "from typing import overload\n\n"
        "@overload\ndef field(x: int) -> int: ...\n@overload\ndef field(x: str) -> str: ...\n"
        "def gone() -> None: ...\n"
    ),
    "src/demo_core/_next.py": "def field(x):\n    return x\n",
    "src/demo_core/tools.py": "def gone() -> None: ...\n",
}


def test_stubs_overloading_a_re_export_of_an_unchanged_module_are_read(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(STUBBED, tag="1.0.0")
    repo.commit(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.1"),
            "src/demo_core/tools.py": "def gone(strict: bool) -> None: ...\n",
        },
        "fix",
    )

    result = run_cli("check", "api", cwd=repo.root)

    assert "cannot read" not in result.stdout, result.stdout
    assert result.returncode == 1, result.stdout + result.stderr
    assert "demo_core.tools.gone(strict): parameter was added as required" in result.stdout
