"""griffe objects as the comparison sees them: resolved, public or not, ignored or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeAlias

    from griffe import Alias, Object

    Member: TypeAlias = Object | Alias
    Locate: TypeAlias = Callable[[Member], tuple[str | None, int | None]]


def target_of(member: Member) -> Object | None:
    """The object an alias points to, or None when it leaves the package or cannot resolve."""
    if not member.is_alias:
        return member  # type: ignore[return-value]
    from griffe import AliasResolutionError, CyclicAliasError

    try:
        return member.final_target  # type: ignore[union-attr]
    except (AliasResolutionError, CyclicAliasError):
        return None


def griffe_errors() -> tuple[type[Exception], ...]:
    """What griffe raises for what it cannot resolve, caught wherever the comparison asks it.

    Its own errors (an alias that leaves the package or goes round, a builtin module's file),
    ``KeyError`` (a member it lacks), ``ValueError`` (an empty path, an object outside any
    module, bases with no C3 order). Anything else is a bug and goes up.
    """
    from griffe import GriffeError

    return (GriffeError, KeyError, ValueError)


def lookup(root: Member, path: str) -> Member | None:
    """The object at ``path`` in ``root``'s collection (its package or one loaded beside)."""
    try:
        return root.modules_collection.get_member(path)  # type: ignore[no-any-return]
    except griffe_errors():  # a path it lacks
        return None


# Public by griffe's rules, but no caller depends on them: the finaliser runs at the garbage
# collector's whim, and code must not rely on it being there or not (issue 13).
NOT_API = frozenset(
    # A finaliser, and Python 2's protocol methods, which Python 3 never calls (pyasn1 0.6.1
    # dropped 35: 14 ``__unicode__``, 14 ``__nonzero__``...).
    {"__del__", "__unicode__", "__nonzero__", "__long__", "__div__", "__rdiv__", "__idiv__"}
    | {"__cmp__", "__coerce__", "__getslice__", "__setslice__", "__delslice__", "__oct__"}
    | {"__hex__"}
)


# A module's PEP 562 hooks serve names (each compared on its own), they are not names to import.
MODULE_HOOKS = frozenset({"__getattr__", "__dir__"})

# A test suite shipped inside the package (mkdocs.tests): its test cases are no one's API, and
# renaming a test in a patch release (mkdocs 1.6.1) broke nothing.
TEST_PACKAGES = frozenset({"tests", "test"})


def is_type_variable(member: Member) -> bool:
    """``T = TypeVar("T")``: a name for annotations, not something callers use (werkzeug
    3.1 dropped ``D`` and ``T`` when its stubs moved inline; flask 3.0.1 added ``F``)."""
    target = target_of(member)
    value = getattr(target, "value", None) if target is not None else None
    called = str(getattr(value, "function", "")).rsplit(".", 1)[-1]
    return called in ("TypeVar", "ParamSpec", "TypeVarTuple")


def is_public(member: Member) -> bool:
    if member.name in NOT_API:
        return False
    if member.name in MODULE_HOOKS and member.parent is not None and member.parent.is_module:
        return False
    if in_test_package(member) or is_hook_implementation(member):
        return False
    if not getattr(member, "runtime", True):
        return False  # under ``if TYPE_CHECKING:``: no caller can import it (blinker 1.8.2)
    try:
        public = bool(member.is_public)
    except griffe_errors():  # an alias griffe cannot classify is not part of the API
        return False
    return public and not is_type_variable(member) and not _external_reference(member)


def is_hook_implementation(member: Member) -> bool:
    """A pluggy hook implementation: ``@pytest.hookimpl``, or ``@impl`` where ``impl =
    pluggy.HookimplMarker(...)``. The plugin manager calls it by name and passes only the
    arguments it declares; no caller imports it, so dropping or re-signing one breaks no one
    (pytest-asyncio 1.1.0 dropped two of ``pytest_asyncio.plugin``'s in a minor release).
    A hook *specification* is another matter: implementations depend on it."""
    target = target_of(member)
    if target is None or not target.is_function:
        return False
    for decorator in getattr(target, "decorators", ()):
        name = str(decorator.value).split("(", 1)[0]
        if name.rsplit(".", 1)[-1] == "hookimpl" or _hookimpl_marker(target, name):
            return True
    return False


def _hookimpl_marker(function: Object, name: str) -> bool:
    """``name``, seen from ``function``'s module, is a ``HookimplMarker`` instance."""
    module = function.module
    marker = module.members.get(name) if "." not in name else None
    found = target_of(marker) if marker is not None else None
    value = getattr(found, "value", None) if found is not None else None
    called = str(getattr(value, "function", "")).rsplit(".", 1)[-1]
    return called == "HookimplMarker"


def in_test_package(member: Member) -> bool:
    """Inside a ``tests`` (or ``test``) package of the distribution, at any depth."""
    node: Member | None = member
    while node is not None and node.parent is not None:
        if node.name in TEST_PACKAGES and getattr(node, "is_module", False):
            return True
        node = node.parent
    return False


def _external_reference(member: Member) -> bool:
    """``cast = t.cast``: another name for something from outside the distribution, an
    import by other means (blinker 1.7's ``blinker.base.cast``), unless ``__all__`` says so."""
    if member.is_alias or not member.is_attribute:
        return False
    parent = member.parent
    if parent is None or not parent.is_module or parent.exports is not None:
        return False
    from griffe import ExprAttribute, ExprName

    value = getattr(member, "value", None)
    if not isinstance(value, (ExprName, ExprAttribute)):
        return False
    path = str(getattr(value, "canonical_path", ""))
    top = member.path.split(".", 1)[0]
    # Only under the name it has there: ``np_float_ = np.float_`` is a name the package chose
    # and offers (deepdiff 6.6.0 removed it in a minor release).
    same_name = path.rsplit(".", 1)[-1] == member.name
    return bool(path) and not path.startswith(f"{top}.") and "." in path and same_name


def borrowed(member: Member) -> bool:
    """A name a ``*`` import copied in that points outside the distribution.

    ``from attr.exceptions import *`` copies attr.exceptions' own imports (``ClassVar``,
    ``annotations``) too: neither module offers them, so gaining or losing one is no change
    (attrs 23.2.0).
    """
    return bool(getattr(member, "wildcard_imported", False)) and target_of(member) is None


@dataclass
class Comparison:
    """One comparison: both locators and the names never compared."""

    old_locate: Locate
    new_locate: Locate
    ignore: frozenset[str]
    seen: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    old_root: Member | None = None
    """The release's package being compared (set by ``surface.compare``)."""

    def ignored(self, member: Member) -> bool:
        """Version constants and the like: attributes (or unresolved aliases) with ignored names."""
        if member.name not in self.ignore:
            return False
        target = target_of(member)
        return target is None or target.is_attribute
