"""What looks like API to a static reader but is not: each is no change (issue 13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api_support import assessment

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n'


def _changes(make_repo: Callable[..., GitRepo], before: str, after: str) -> list[str]:
    """The changes from ``demo.py`` released as v1.0.0 with ``before`` to ``after``."""
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="1.0.0"), "demo.py": before})
    repo.git("tag", "-a", "v1.0.0", "-m", "v1.0.0")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="1.0.1"), "demo.py": after}, "fix")
    return [f"{c.kind.value} {c.target}" for c in assessment(repo).changes]


NOT_API = {
    "script-guard": (
        "def keep() -> None: ...\n\n\n"
        'if __name__ == "__main__":\n    import sys\n\n'
        "    def run(argv: list[str]) -> None: ...\n\n    ARGS = sys.argv\n    run(ARGS)\n",
        "def keep() -> None: ...\n",
    ),
    "script-guard-reversed": (
        "def keep() -> None: ...\n",
        "def keep() -> None: ...\n\n\n"
        "if '__main__' == __name__:\n    def main() -> None: ...\n\n    main()\n",
    ),
    "underscore-parameter-removed": (
        "def f(x: int, _depth: int = 0) -> None: ...\n",
        "def f(x: int) -> None: ...\n",
    ),
    "underscore-parameter-default-and-added": (
        "def f(x: int, *, _cache: bool = True) -> None: ...\n",
        "def f(x: int, *, _cache: bool = False, _trace: bool = False) -> None: ...\n",
    ),
    "private-dataclass-field": (
        "from dataclasses import dataclass, field\n\n\n@dataclass\nclass Point:\n"
        "    x: int\n    _seen: set[int] = field(default_factory=set)\n",
        "from dataclasses import dataclass\n\n\n@dataclass\nclass Point:\n    x: int\n",
    ),
    "finaliser": (
        "class Handle:\n    def close(self) -> None: ...\n\n    def __del__(self) -> None: ...\n",
        "class Handle:\n    def close(self) -> None: ...\n",
    ),
    "served-by-module-getattr": (
        "class Command: ...\n\n\nBaseCommand = Command\n",
        "import warnings\n\n\nclass Command: ...\n\n\n"
        "def __getattr__(name: str) -> object:\n"
        '    if name == "BaseCommand":\n'
        '        warnings.warn("use Command", DeprecationWarning, stacklevel=2)\n'
        "        return Command\n"
        "    raise AttributeError(name)\n",
    ),
    # astroid 2.12.0: the manager stopped sharing state through ``self.__dict__ = brain``;
    # every instance still has a __dict__ (a false "removed" error on a minor release).
    "implicit-attribute-no-longer-assigned": (
        "class Manager:\n    brain: dict[str, object] = {}\n\n"
        "    def __init__(self) -> None:\n        self.__dict__ = Manager.brain\n",
        "class Manager:\n    brain: dict[str, object] = {}\n\n"
        "    def __init__(self) -> None:\n        pass\n",
    ),
    # pyasn1 0.6.1: 35 of 39 errors were Python 2's dunders (__unicode__, __nonzero__,
    # __long__, __div__), which Python 3 never calls.
    "python2-dunders-removed": (
        "class Integer:\n    def __int__(self) -> int: ...\n\n"
        "    def __nonzero__(self) -> bool: ...\n\n    def __unicode__(self) -> str: ...\n\n"
        "    def __div__(self, other: int) -> int: ...\n",
        "class Integer:\n    def __int__(self) -> int: ...\n",
    ),
    # pytest-asyncio 1.1.0 dropped two hook implementations of pytest_asyncio.plugin (a false
    # "removed" error on a minor release); 0.23.5 dropped one's request parameter.
    "pytest-hook-implementation-removed": (
        "import pytest\n\n\ndef keep() -> None: ...\n\n\n"
        "@pytest.hookimpl(tryfirst=True)\ndef pytest_generate_tests(metafunc: object) -> None: ...\n",
        "import pytest\n\n\ndef keep() -> None: ...\n",
    ),
    "pytest-hook-implementation-re-signed": (
        "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\n"
        "def pytest_fixture_setup(fixturedef: object, request: object) -> object: ...\n",
        "import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\n"
        "def pytest_fixture_setup(fixturedef: object) -> object: ...\n",
    ),
    "pluggy-marker-hook-implementation-removed": (
        'import pluggy\n\nimpl = pluggy.HookimplMarker("demo")\n\n\n'
        "@impl\ndef demo_configure(config: object) -> None: ...\n",
        'import pluggy\n\nimpl = pluggy.HookimplMarker("demo")\n',
    ),
}


@pytest.mark.parametrize("case", sorted(NOT_API))
def test_not_api(make_repo: Callable[..., GitRepo], case: str) -> None:
    before, after = NOT_API[case]
    assert _changes(make_repo, before, after) == []


def test_a_name_module_getattr_does_not_serve_is_removed(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = "class Command: ...\n\n\nBaseCommand = Command\nMultiCommand = Command\n"
    after = (
        "class Command: ...\n\n\ndef __getattr__(name: str) -> object:\n"
        '    if name == "BaseCommand":\n        return Command\n    raise AttributeError(name)\n'
    )
    assert _changes(make_repo, before, after) == ["object-removed demo.MultiCommand"]


def test_an_underscore_parameter_that_becomes_required_still_breaks(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = "def f(x: int, _depth: int = 0) -> None: ...\n"
    after = "def f(x: int, _depth: int) -> None: ...\n"
    assert _changes(make_repo, before, after) == ["parameter-now-required demo.f(_depth)"]


def test_a_test_suite_inside_the_package_is_not_api(make_repo: Callable[..., GitRepo]) -> None:
    """mkdocs 1.6.1 renamed test cases in mkdocs/tests/: four false 'removed' errors."""
    case = "class IpAddressTest:\n    def test_unsupported_address(self) -> None: ...\n"
    renamed = "class IpAddressTest:\n    def test_rejects_address(self) -> None: ...\n"
    files = {
        "pyproject.toml": PYPROJECT.format(version="1.0.0"),
        "demo/__init__.py": "def keep() -> None: ...\n",
        "demo/tests/__init__.py": "",
        "demo/tests/config_tests.py": case,
    }
    repo = make_repo(files)
    repo.git("tag", "-a", "v1.0.0", "-m", "v1.0.0")
    repo.commit(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.1"),
            "demo/tests/config_tests.py": renamed,
        },
        "test: rename",
    )
    changes = [f"{c.kind.value} {c.target}" for c in assessment(repo).changes]
    assert not [c for c in changes if ".tests." in c], changes


def test_a_hook_specification_is_api(make_repo: Callable[..., GitRepo]) -> None:
    """Plugins implement a hook specification: removing one breaks them. So does removing an
    undecorated ``pytest_*`` function, which may be either (pytest-html's hooks are)."""
    before = (
        'import pluggy\n\nspec = pluggy.HookspecMarker("demo")\n\n\n'
        "@spec\ndef demo_configure(config: object) -> None: ...\n\n\n"
        "def pytest_html_report_title(report: object) -> None: ...\n"
    )
    after = 'import pluggy\n\nspec = pluggy.HookspecMarker("demo")\n'
    assert _changes(make_repo, before, after) == [
        "object-removed demo.demo_configure",
        "object-removed demo.pytest_html_report_title",
    ]


def test_a_test_helper_re_signed_inside_the_package_is_not_api(
    make_repo: Callable[..., GitRepo],
) -> None:
    """networkx 3.4 changed the parameters of helpers and test cases in its in-package test
    suites (tests/test_maxflow.py's compare_flows_and_cuts lost solnFlows, a test method gained
    a fixture argument): five 'parameter' findings about no one's API, errors under SemVer."""
    helper = (
        "def compare(G, flows, value) -> None: ...\n\n\nclass TestX:\n    def test_a(self): ...\n"
    )
    resigned = (
        "def compare(G, value) -> None: ...\n\n\nclass TestX:\n    def test_a(self, f): ...\n"
    )
    files = {
        "pyproject.toml": PYPROJECT.format(version="1.0.0"),
        "demo/__init__.py": "def keep() -> None: ...\n",
        "demo/flow/__init__.py": "",
        "demo/flow/tests/__init__.py": "",
        "demo/flow/tests/test_flow.py": helper,
    }
    repo = make_repo(files, tag="v1.0.0")
    repo.commit(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.1"),
            "demo/flow/tests/test_flow.py": resigned,
        },
        "test: re-sign",
    )
    changes = [f"{c.kind.value} {c.target}" for c in assessment(repo).changes]
    assert not [c for c in changes if ".tests." in c], changes
