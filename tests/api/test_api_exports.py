"""What a package offers: names it re-exports, serves lazily, binds by accident (issue 28)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.api_support import changes_of, errors, gate, release_pair

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

# anyio 4.6.0's abc/__init__.py: loop variables annotated for the type checker.
LOOP = """\
from typing import Any

from ._streams import ByteStream as ByteStream

key: str
value: Any
for key, value in list(locals().items()):
    if getattr(value, "__module__", "").startswith("demo."):
        value.__module__ = __name__
"""
LOOP_GONE = """\
from ._streams import ByteStream as ByteStream

for __value in list(locals().values()):
    if getattr(__value, "__module__", "").startswith("demo."):
        __value.__module__ = __name__
"""
STREAMS = "class ByteStream:\n    pass\n"


def test_names_bound_by_a_module_level_loop_are_not_api(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {"demo/__init__.py": LOOP, "demo/_streams.py": STREAMS}
    after = {"demo/__init__.py": LOOP_GONE, "demo/_streams.py": STREAMS}
    repo = release_pair(make_repo, before, after)
    assert changes_of(repo) == []


def test_a_loop_variable_listed_in_all_is_api(make_repo: Callable[..., GitRepo]) -> None:
    before = {"demo.py": "__all__ = ['level']\nlevel: int\nfor level in range(3):\n    pass\n"}
    after = {"demo.py": "__all__ = []\n"}
    repo = release_pair(make_repo, before, after)
    assert "object-removed demo.level" in changes_of(repo)


# markupsafe 2.0.1's __init__ imports soft_unicode from a private module; 2.1.0 removed it.
MARKUPSAFE_INIT = """\
try:
    from ._speedups import escape as escape
    from ._speedups import soft_unicode
except ImportError:
    from ._native import escape as escape
    from ._native import soft_unicode  # noqa: F401
"""
NATIVE = "def escape(s: str) -> str:\n    return s\n\n\ndef soft_unicode(s: object) -> str:\n    return str(s)\n"


def test_a_name_imported_from_a_private_module_into_init_is_exported(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {"demo/__init__.py": MARKUPSAFE_INIT, "demo/_native.py": NATIVE}
    after = {
        "demo/__init__.py": "from ._native import escape as escape\n",
        "demo/_native.py": "def escape(s: str) -> str:\n    return s\n",
    }
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert "object-removed demo.soft_unicode" in changes_of(repo)
    assert [f.rule for f in errors(gate(repo, release=True))] == ["object-removed"]


def test_imports_from_outside_the_distribution_are_not_exports(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {"demo/__init__.py": "from typing import Any\nfrom os import path\n"}
    after = {"demo/__init__.py": "X = 1\n"}
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert changes_of(repo) == ["object-added demo.X"]


# anyio 4.14.2 served a deprecated alias from __getattr__; its HEAD serves it from a lazy table.
GETATTR = """\
import warnings

from ._errors import BrokenWorkerInterpreter as BrokenWorkerInterpreter


def __getattr__(attr: str) -> type[BrokenWorkerInterpreter]:
    if attr == "BrokenWorkerIntepreter":
        warnings.warn("The alias is deprecated", DeprecationWarning, stacklevel=2)
        return BrokenWorkerInterpreter
    raise AttributeError(attr)
"""
LAZY = """\
from typing import TYPE_CHECKING

from ._lazy import install_lazy_importer, set_deprecated_aliases

if TYPE_CHECKING or not install_lazy_importer():
    from ._errors import BrokenWorkerInterpreter as BrokenWorkerInterpreter

    set_deprecated_aliases({"BrokenWorkerIntepreter": "demo.BrokenWorkerInterpreter"})
"""
ERRORS = "class BrokenWorkerInterpreter(Exception):\n    pass\n"
LAZY_MODULE = (
    "def install_lazy_importer() -> bool:\n    return False\n\n\n"
    "def set_deprecated_aliases(aliases: dict[str, str]) -> None:\n    pass\n"
)


def test_a_name_served_by_a_lazy_table_instead_of_getattr_is_not_removed(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {"demo/__init__.py": GETATTR, "demo/_errors.py": ERRORS}
    after = {"demo/__init__.py": LAZY, "demo/_errors.py": ERRORS, "demo/_lazy.py": LAZY_MODULE}
    repo = release_pair(make_repo, before, after)
    assert [c for c in changes_of(repo) if "Intepreter" in c] == []
    assert errors(gate(repo, release=True)) == []


def test_a_name_getattr_no_longer_serves_is_a_deprecated_removal(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {"demo/__init__.py": GETATTR, "demo/_errors.py": ERRORS}
    after = {
        "demo/__init__.py": "from ._errors import BrokenWorkerInterpreter as BrokenWorkerInterpreter\n",
        "demo/_errors.py": ERRORS,
    }
    repo = release_pair(make_repo, before, after, "1.1.0")
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["deprecated-removed"], [f.message for f in found]
    assert "demo.BrokenWorkerIntepreter" in found[0].message


def test_a_namespace_package_portion_is_found_and_compared(
    make_repo: Callable[..., GitRepo],
) -> None:
    """pdm-backend lives in src/pdm/backend (no src/pdm/__init__.py)."""
    before = {
        "src/pdm/backend/__init__.py": "from pdm.backend.hooks import Context as Context\n",
        "src/pdm/backend/hooks.py": "class Context:\n    def ensure(self, path: str) -> None: ...\n",
    }
    after = {
        "src/pdm/backend/__init__.py": "from pdm.backend.hooks import Context as Context\n",
        "src/pdm/backend/hooks.py": "class Context:\n    pass\n",
    }
    repo = release_pair(make_repo, before, after, "1.0.1", name="pdm-backend")
    assert "object-removed pdm.backend.hooks.Context.ensure" in changes_of(repo)
    assert [f.rule for f in gate(repo, release=True)] == ["object-removed"]


# msgspec: __init__.py imports from the compiled _core; __init__.pyi describes the API.
STUB_INIT = "from ._core import convert, Struct\n"
STUB_BEFORE = "class Struct: ...\n\n\ndef convert(obj: object, type: type) -> object: ...\n"
STUB_AFTER = (
    "class Struct: ...\n\n\ndef convert(obj: object, type: type, *, strict: bool = True)"
    " -> object: ...\n"
)


def test_an_extension_module_is_compared_through_its_stubs(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {"demo/__init__.py": STUB_INIT, "demo/__init__.pyi": STUB_BEFORE, "demo/_core.c": ""}
    after = {"demo/__init__.py": STUB_INIT, "demo/__init__.pyi": STUB_AFTER, "demo/_core.c": ""}
    repo = release_pair(make_repo, before, after)
    found = gate(repo, release=True)
    # An addition in a patch is a warning by harm (issue 26's registry), still reported.
    assert [(f.rule, f.severity.value) for f in found] == [
        ("parameter-added-optional", "warning")
    ], [f.message for f in found]
    assert "demo.convert(strict)" in found[0].message


def test_a_compiled_module_without_stubs_is_said_not_compared(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = {
        "demo/__init__.py": "from ._speedups import escape as escape\n",
        "demo/_speedups.c": "/* C */\n",
        "demo/_typed.c": "/* C */\n",
        "demo/_typed.pyi": "def f() -> None: ...\n",
    }
    after = {**files, "demo/__init__.py": files["demo/__init__.py"] + "X = 1\n"}
    repo = release_pair(make_repo, files, after, "1.1.0")
    found = [f for f in gate(repo, release=True) if f.rule == "not-compared"]
    assert [(f.severity.value, f.path) for f in found] == [("note", "demo/_speedups.c")]
    assert "demo._speedups is a compiled extension without .pyi stubs" in found[0].message


def test_strings_getattr_uses_for_other_things_are_not_served_names(
    make_repo: Callable[..., GitRepo],
) -> None:
    """werkzeug 3.0's ``__getattr__`` reads ``importlib.metadata.version("werkzeug")`` to serve
    ``__version__``: "werkzeug" is no name it serves, so 3.1 did not remove it."""
    before = {
        "demo/__init__.py": "import importlib.metadata\nimport warnings\n\n\n"
        "def __getattr__(name: str) -> str:\n    if name == '__version__':\n"
        "        warnings.warn('deprecated', DeprecationWarning)\n"
        "        return importlib.metadata.version('werkzeug')\n"
        "    raise AttributeError(name)\n"
    }
    after = {"demo/__init__.py": "X = 1\n"}
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert changes_of(repo) == ["object-added demo.X"]


def test_a_name_importable_before_and_now_in_all_is_no_addition(
    make_repo: Callable[..., GitRepo],
) -> None:
    """sniffio 1.3.1, "Bugfixes: Added missing thread_local to sniffio.__all__"."""
    impl = "thread_local = object()\n\n\ndef current() -> str:\n    return ''\n"
    before = {
        "demo/__init__.py": "__all__ = ['current']\nfrom ._impl import current, thread_local\n",
        "demo/_impl.py": impl,
    }
    after = {
        "demo/__init__.py": "__all__ = ['current', 'thread_local']\n"
        "from ._impl import current, thread_local\n",
        "demo/_impl.py": impl,
    }
    repo = release_pair(make_repo, before, after)
    assert changes_of(repo) == []


def test_what_exists_for_type_checkers_only_is_not_api(make_repo: Callable[..., GitRepo]) -> None:
    """blinker 1.8.2 dropped ``PAsyncWrapper`` (a Protocol under ``if t.TYPE_CHECKING:``) and
    1.8.0 dropped ``cast = t.cast``: neither was importable API."""
    before = {
        "demo.py": "import typing as t\n\nif t.TYPE_CHECKING:\n"
        "    class PAsyncWrapper(t.Protocol): ...\n\n    Wrapper = t.Callable[[], None]\n\n"
        "cast = t.cast\n\n\ndef keep() -> None: ...\n"
    }
    after = {"demo.py": "def keep() -> None: ...\n"}
    repo = release_pair(make_repo, before, after)
    assert changes_of(repo) == []


def test_a_runtime_branch_beside_type_checking_is_api(make_repo: Callable[..., GitRepo]) -> None:
    before = {"demo.py": "import typing as t\n\nif t.TYPE_CHECKING or True:\n    X = 1\n"}
    repo = release_pair(make_repo, before, {"demo.py": "Y = 2\n"}, "1.1.0")
    assert "object-removed demo.X" in changes_of(repo)


def test_a_name_the_package_init_sets_on_a_module_is_still_served(
    make_repo: Callable[..., GitRepo],
) -> None:
    """networkx 3.4.1 stopped defining ``config`` in networkx/utils/configs.py and set it from
    networkx/__init__.py instead (``utils.config = utils.configs.config = config``): both
    paths still work after ``import networkx``, and the gate called them removed."""
    configs = '__all__ = ["Config", "config"]\n\n\nclass Config: ...\n\n\nconfig = Config()\n'
    before = {
        "demo/__init__.py": "from demo import utils\n",
        "demo/utils/__init__.py": "from demo.utils.configs import *\n",
        "demo/utils/configs.py": configs,
    }
    after = {
        **before,
        "demo/__init__.py": (
            "from demo import utils\nfrom demo.utils.configs import Config\n\n"
            "config = Config()\nutils.config = utils.configs.config = config\n"
        ),
        "demo/utils/configs.py": '__all__ = ["Config"]\n\n\nclass Config: ...\n',
    }
    repo = release_pair(make_repo, before, after)
    assert [c for c in changes_of(repo) if "removed" in c] == []

    after["demo/__init__.py"] = "from demo import utils\n"
    repo = release_pair(make_repo, before, after)
    assert "object-removed demo.utils.configs.config" in changes_of(repo)


def test_all_built_from_names_of_objects_is_read_not_a_crash(
    make_repo: Callable[..., GitRepo],
) -> None:
    """cerberus 1.3.5 spells ``__all__ = [DocumentError.__name__, ..., "schema_registry"]``: the
    gate crashed (exit 3, an unhashable griffe expression), on every release of cerberus."""
    before = (
        "class DocumentError(Exception): ...\n\n\nschema_registry: dict[str, int] = {}\n"
        "PYTHON_VERSION = 3\n\n__all__ = [DocumentError.__name__, 'schema_registry']\n"
    )
    after = (
        "class DocumentError(Exception): ...\n\n\nschema_registry: dict[str, int] = {}\n\n"
        "__all__ = [DocumentError.__name__, 'schema_registry']\n"
    )
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    assert gate(repo, release=True) is not None  # read, whatever it finds


def test_a_module_constant_named_apart_from_what_it_holds_is_api(
    make_repo: Callable[..., GitRepo],
) -> None:
    """deepdiff 6.6.0 removed ``helper.np_float_`` (``np_float_ = np.float_`` under a ``try``
    import of numpy): another name for an outside object, chosen by the package, is its API;
    only ``cast = t.cast`` (the same name, an import by other means) is not."""
    before = (
        "try:\n    import numpy as np\nexcept ImportError:\n    np_float_ = float\n"
        "else:\n    np_float_ = np.float_\n\nimport typing as t\n\ncast = t.cast\n"
    )
    after = "import typing as t\n\ncast = t.cast\n"
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after}, "1.1.0")
    assert "object-removed demo.np_float_" in changes_of(repo)
    assert not any("demo.cast" in change for change in changes_of(repo))


def test_a_deleted_module_served_by_the_package_getattr_is_removed(
    make_repo: Callable[..., GitRepo],
) -> None:
    """python-json-logger 3.1.0 deleted ``jsonlogger.py`` and served the name from the package's
    ``__getattr__``: ``from pythonjsonlogger.jsonlogger import JsonFormatter`` then failed."""
    before = {
        "demo/__init__.py": "",
        "demo/jsonlogger.py": "class JsonFormatter: ...\n",
        "demo/json.py": "class JsonFormatter: ...\n",
    }
    after = {
        "demo/__init__.py": (
            "import importlib\nimport warnings\n\n\ndef __getattr__(name: str) -> object:\n"
            '    if name == "jsonlogger":\n'
            '        warnings.warn("use demo.json", DeprecationWarning, stacklevel=2)\n'
            '        return importlib.import_module("demo.json")\n'
            "    raise AttributeError(name)\n"
        ),
        "demo/json.py": "class JsonFormatter: ...\n",
    }
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert "object-removed demo.jsonlogger" in changes_of(repo)
