"""Spellings that change nothing for a caller, each from a real release (issue 28)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api_support import changes_of, errors, gate, release_pair

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

# (before, after) of demo.py: neither side's callers can tell them apart.
SAME = {
    # urllib3 2.3.0: HTTPResponse.stream / read_chunked (griffe and the gate called it breaking).
    "generator-defaulted-type-params": (
        "import typing\nclass R:\n"
        "    def stream(self, amt: int = 1) -> typing.Generator[bytes, None, None]: ...\n",
        "import typing\nclass R:\n    def stream(self, amt: int = 1) -> typing.Generator[bytes]: ...\n",
    ),
    "context-manager-defaulted-type-param": (
        "import contextlib\ndef f() -> contextlib.AbstractContextManager[int, bool | None]: ...\n",
        "import contextlib\ndef f() -> contextlib.AbstractContextManager[int]: ...\n",
    ),
    # urllib3 (after 2.7.0): amt=2**16 -> amt=_READ_CHUNK_SIZE, a constant equal to 2**16.
    "default-by-value-module-constant": (
        "def stream(amt: int | None = 2**16) -> None: ...\n",
        "_READ_CHUNK_SIZE = 2**16\n\n\ndef stream(amt: int | None = _READ_CHUNK_SIZE) -> None: ...\n",
    ),
    "default-by-value-expression": (
        "TIMEOUT = 60\n\n\ndef f(t: float = TIMEOUT * 2, flags: tuple = (1, -2)) -> None: ...\n",
        "TIMEOUT = 60\n\n\ndef f(t: float = 120, flags: tuple = (1, 0 - 2)) -> None: ...\n",
    ),
    # werkzeug (after 3.1.8): Request.pragma, @cached_property (a property subclass) -> @property.
    "property-subclass-to-property": (
        "class cached_property(property): ...\n\n\nclass Request:\n"
        "    @cached_property\n    def pragma(self) -> str:\n        return ''\n",
        "class cached_property(property): ...\n\n\nclass Request:\n"
        "    @property\n    def pragma(self) -> str:\n        return ''\n",
    ),
    "var-keyword-renamed": (
        "def f(a: int, *a_: int, **kw: int) -> None: ...\n",
        "def f(a: int, *args: int, **kwargs: int) -> None: ...\n",
    ),
    "self-positional-only": (
        "class C:\n    def m(self, x: int) -> None: ...\n",
        "class C:\n    def m(self, /, x: int) -> None: ...\n",
    ),
    "init-return-none-dropped": (
        "class C:\n    def __init__(self, x: int) -> None: ...\n",
        "class C:\n    def __init__(self, x: int): ...\n",
    ),
    # A deprecation sentinel: the default becomes None and the body still applies the old one.
    "sentinel-default-still-applied": (
        "def redirect(url: str, code: int = 301) -> None: ...\n",
        "def redirect(url: str, code: int | None = None) -> None:\n"
        "    if code is None:\n        code = 301\n",
    ),
    # werkzeug 2.1.0: parse_options_header(multiple) deprecated with a Literal[None] sentinel.
    "deprecated-parameter-sentinel": (
        "def parse(value: str, multiple: bool = False) -> None: ...\n",
        "import warnings\nimport typing as t\n\n\n"
        "def parse(value: str, multiple: 't.Literal[None]' = None) -> None:\n"
        "    if multiple is not None:\n"
        "        warnings.warn(\"The 'multiple' parameter is deprecated.\", DeprecationWarning)\n",
    ),
    # babel 2.12.0: jslexer.Token, a namedtuple call, became a NamedTuple class statement.
    "namedtuple-call-to-class": (
        "from collections import namedtuple\n\nToken = namedtuple('Token', 'type value')\n",
        "from typing import NamedTuple\n\n\nclass Token(NamedTuple):\n"
        "    type: str\n    value: str\n",
    ),
    # graphql-core 3.2.7: IntrospectionQuery, a TypedDict class, became a TypedDict call.
    "typeddict-class-to-call": (
        "from typing import TypedDict\n\n\nclass Query(TypedDict):\n    schema: str\n",
        "from typing import TypedDict\n\nQuery = TypedDict('Query', {'__schema': str})\n",
    ),
}


@pytest.mark.parametrize("case", sorted(SAME))
def test_equivalent_spellings_are_no_change(make_repo: Callable[..., GitRepo], case: str) -> None:
    before, after = SAME[case]
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    compatible = ("object-added", "parameter-type-widened")
    assert [c for c in changes_of(repo) if not c.startswith(compatible)] == []
    assert errors(gate(repo, release=True)) == []


CHANGED = {
    "default-by-value-different": (
        "def stream(amt: int | None = 2**16) -> None: ...\n",
        "_READ_CHUNK_SIZE = 2**15\n\n\ndef stream(amt: int | None = _READ_CHUNK_SIZE) -> None: ...\n",
        "parameter-default-changed demo.stream(amt)",
    ),
    "default-to-none-not-applied": (
        "def redirect(url: str, code: int = 301) -> None: ...\n",
        "def redirect(url: str, code: int | None = None) -> None:\n    return None\n",
        "parameter-default-changed demo.redirect(code)",
    ),
    "generator-send-type-changed": (
        "import typing\ndef f() -> typing.Generator[bytes, None, None]: ...\n",
        "import typing\ndef f() -> typing.Generator[bytes, int, None]: ...\n",
        "return-type-changed demo.f",
    ),
    "method-to-plain-attribute": (
        "class Request:\n    def pragma(self) -> str:\n        return ''\n",
        "class Request:\n    @property\n    def pragma(self) -> str:\n        return ''\n",
        "object-kind-changed demo.Request.pragma",
    ),
    "namedtuple-call-to-unrelated-class": (
        "from collections import namedtuple\n\nToken = namedtuple('Token', 'type value')\n",
        "class Token:\n    type: str\n    value: str\n",
        "object-kind-changed demo.Token",
    ),
    "keyword-parameter-removed-beside-kwargs-rename": (
        "def f(a: int, **kw: int) -> None: ...\n",
        "def f(**kwargs: int) -> None: ...\n",
        "parameter-removed demo.f(a)",
    ),
}


@pytest.mark.parametrize("case", sorted(CHANGED))
def test_real_changes_beside_them_still_count(make_repo: Callable[..., GitRepo], case: str) -> None:
    before, after, expected = CHANGED[case]
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    assert expected in changes_of(repo)


def test_an_object_moved_but_still_importable_is_moved_not_removed_and_added(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {
        "demo/__init__.py": "",
        "demo/client.py": "class Timeout:\n    def __init__(self, seconds: float) -> None: ...\n",
        "demo/config.py": "DEFAULT = 1\n",
    }
    after = {
        "demo/__init__.py": "",
        "demo/client.py": "from demo.config import Timeout\n\n__all__ = ['Timeout']\n",
        "demo/config.py": "DEFAULT = 1\n\n\nclass Timeout:\n"
        "    def __init__(self, seconds: float) -> None: ...\n",
    }
    repo = release_pair(make_repo, before, after)
    assert changes_of(repo) == ["object-moved demo.config.Timeout"]
    assert errors(gate(repo, release=True)) == []


def test_a_moved_object_s_signature_is_still_compared_at_its_old_path(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = {
        "demo/__init__.py": "",
        "demo/client.py": "def get(url: str, timeout: int) -> None: ...\n",
    }
    after = {
        "demo/__init__.py": "",
        "demo/client.py": "from demo._impl import get\n",
        "demo/_impl.py": "def get(url: str) -> None: ...\n",
    }
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert "parameter-removed demo.client.get(timeout)" in changes_of(repo)


def test_parameters_that_moved_because_one_was_removed_are_one_finding(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = release_pair(
        make_repo,
        {"demo.py": "def f(a: int, b: int, c: int, d: int) -> None: ...\n"},
        {"demo.py": "def f(b: int, c: int, d: int) -> None: ...\n"},
    )
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["parameter-removed"], [f.message for f in found]
    assert "3 parameter(s) after it moved" in found[0].message


def test_parameters_moved_by_an_inserted_optional_one_are_one_error(
    make_repo: Callable[..., GitRepo],
) -> None:
    """httpcore 1.0.7 inserted ``proxy`` into ``ConnectionPool.__init__``: griffe called each of
    the ten parameters after it moved, twenty errors for two classes."""
    repo = release_pair(
        make_repo,
        {"demo.py": "def f(a: int, b: int = 0, c: int = 0, d: int = 0) -> None: ...\n"},
        {
            "demo.py": "def f(a: int, new: int = 0, b: int = 0, c: int = 0, d: int = 0) -> None: ...\n"
        },
    )
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["parameter-moved"], [f.message for f in found]
    assert "demo.f(b)" in found[0].message
    assert "2 parameter(s) after it moved" in found[0].message


def test_a_parameter_renamed_in_place_is_one_error(make_repo: Callable[..., GitRepo]) -> None:
    """cachecontrol 0.14.2: ``cache_response(self, request, response, ...)`` ->
    ``cache_response(self, request, response_or_ref, ...)`` was two errors."""
    repo = release_pair(
        make_repo,
        {"demo.py": "def f(request: int, response: int, body: int = 0) -> None: ...\n"},
        {"demo.py": "def f(request: int, response_or_ref: int, body: int = 0) -> None: ...\n"},
    )
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["parameter-removed"], [f.message for f in found]
    assert "demo.f(response): parameter was renamed to response_or_ref" in found[0].message


def test_a_parameter_replaced_elsewhere_is_not_called_renamed(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = release_pair(
        make_repo,
        {"demo.py": "def f(a: int, b: int) -> None: ...\n"},
        {"demo.py": "def f(b: int, c: int) -> None: ...\n"},
    )
    found = errors(gate(repo, release=True))
    assert "renamed" not in " ".join(f.message for f in found)
    assert {"parameter-removed", "parameter-added-required"} <= {f.rule for f in found}


def test_a_member_removed_from_a_base_is_one_error_not_one_per_subclass(
    make_repo: Callable[..., GitRepo],
) -> None:
    """astroid 4.1.0: two misspelt methods of ``FunctionModel`` went, and each of its five
    subclasses reported them again: twelve errors for two removals."""
    before = (
        "class Model:\n    def keep(self) -> None: ...\n\n    def attr_typo(self) -> None: ...\n\n\n"
        "class One(Model): ...\n\n\nclass Two(Model): ...\n"
    )
    after = "class Model:\n    def keep(self) -> None: ...\n\n\nclass One(Model): ...\n\n\nclass Two(Model): ...\n"
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["object-removed"], [f.message for f in found]
    assert "demo.Model.attr_typo" in found[0].message
    assert "2 inherited copies in subclasses" in found[0].message


def test_a_private_positional_parameter_renamed_public_is_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """werkzeug 3.1.0: ``Headers.add(self, _key, _value, **kw)`` -> ``add(self, key, value, **kw)``."""
    repo = release_pair(
        make_repo,
        {
            "demo.py": "class Headers:\n    def add(self, _key: str, _value: str, **kw: str) -> None: ...\n"
        },
        {
            "demo.py": "class Headers:\n    def add(self, key: str, value: str, **kw: str) -> None: ...\n"
        },
    )
    assert changes_of(repo) == []
    moved = release_pair(
        make_repo,
        {"demo.py": "def add(_key: str, _value: str) -> None: ...\n"},
        {"demo.py": "def add(value: str, key: str, extra: int) -> None: ...\n"},
    )
    assert changes_of(moved) == ["parameter-added-required demo.add(extra)"]


def test_type_variables_bases_kept_and_wrapped_methods_are_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """werkzeug 3.1.0 moved its stubs inline: TypeVars ``D``/``T`` went, ContentSecurityPolicy's
    bases ``(UpdateDictMixin, dict)`` became ``(CallbackDict,)``, and a method made by a call
    became a ``def``; none of it changes what callers do."""
    before = (
        "import typing as t\n\nD = t.TypeVar('D')\n\n\nclass UpdateDictMixin(dict):\n"
        "    update = t.cast(t.Any, dict.update)\n\n\n"
        "class CallbackDict(UpdateDictMixin, dict): ...\n\n\n"
        "class Policy(UpdateDictMixin, dict): ...\n"
    )
    after = (
        "class UpdateDictMixin(dict):\n    def update(self, *args, **kwargs) -> None: ...\n\n\n"
        "class CallbackDict(UpdateDictMixin, dict): ...\n\n\nclass Policy(CallbackDict): ...\n"
    )
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    assert changes_of(repo) == []


HELD_OUT_SAME = {
    # flask 3.0.1 added ``F = t.TypeVar("F", bound=...)`` in four modules.
    "type-variable-added": ("X = 1\n", "import typing as t\n\nX = 1\nF = t.TypeVar('F')\n"),
    # flask 3.0.1 DispatchingJinjaLoader.get_source: a bare Callable given its parameters.
    "generic-argument-parameterised": (
        "import typing as t\ndef get_source() -> tuple[str, t.Callable | None]: ...\n",
        "import typing as t\ndef get_source() -> tuple[str, t.Callable[[], bool] | None]: ...\n",
    ),
    # tenacity 8.4.0: AsyncRetrying(**kwargs) forwarded to its base, now spelled out.
    "kwargs-spelled-out": (
        "class R:\n    def __init__(self, sleep: int = 1, **kwargs: object) -> None: ...\n",
        "class R:\n    def __init__(self, sleep: int = 1, stop: object = None,"
        " wait: object = None) -> None: ...\n",
    ),
}


@pytest.mark.parametrize("case", sorted(HELD_OUT_SAME))
def test_held_out_false_findings_are_no_change(
    make_repo: Callable[..., GitRepo], case: str
) -> None:
    before, after = HELD_OUT_SAME[case]
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    compatible = ("parameter-added-optional",)
    assert [c for c in changes_of(repo) if not c.startswith(compatible)] == []


def test_a_default_function_replaced_by_its_wrapper_is_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """tenacity 8.3.0: ``AsyncRetrying(sleep=asyncio.sleep)`` -> ``sleep=asyncio_sleep``."""
    before = (
        "from asyncio import sleep\n\n\nclass Retrying:\n    sleep: object\n\n"
        "    def __init__(self, sleep: object = sleep) -> None:\n        self.sleep = sleep\n"
    )
    after = (
        "import asyncio\n\n\ndef asyncio_sleep(duration: float) -> object:\n"
        "    return asyncio.sleep(duration)\n\n\nclass Retrying:\n    sleep: object\n\n"
        "    def __init__(self, sleep: object = asyncio_sleep) -> None:\n"
        "        self.sleep = sleep\n"
    )
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after}, "1.1.0")
    assert changes_of(repo) == ["object-added demo.asyncio_sleep"]
    other = after.replace("return asyncio.sleep(duration)", "return None")
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": other}, "1.1.0")
    assert "parameter-default-changed demo.Retrying.__init__(sleep)" in changes_of(repo)


def test_one_not_passed_sentinel_replaced_by_another_is_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """typing_extensions 4.12.0: ``TypeVar(..., default=_marker)`` -> ``default=NoDefault``
    (``_marker = _Sentinel()``, ``NoDefault = typing.NoDefault`` where Python has it): a
    caller passing nothing still passes nothing; griffe and the gate called it a break."""
    before = (
        "class _Sentinel:\n    pass\n\n\n_marker = _Sentinel()\n\n\n"
        "def type_var(name: str, default: object = _marker) -> None:\n    pass\n"
    )
    after = (
        "import sys\n\nif sys.version_info >= (3, 13):\n    import typing\n\n"
        "    NoDefault = typing.NoDefault\nelse:\n    class NoDefaultType:\n        pass\n\n"
        "    NoDefault = NoDefaultType()\n\n\n"
        "def type_var(name: str, default: object = NoDefault) -> None:\n    pass\n"
    )
    repo = release_pair(
        make_repo, {"src/demo/__init__.py": before}, {"src/demo/__init__.py": after}
    )
    assert [c for c in changes_of(repo) if "type_var" in c] == []

    # A real value in place of the sentinel changes what a caller passing nothing gets.
    valued = after.replace("default: object = NoDefault", "default: object = 5")
    repo = release_pair(
        make_repo, {"src/demo/__init__.py": before}, {"src/demo/__init__.py": valued}
    )
    assert "parameter-default-changed demo.type_var(default)" in changes_of(repo)


def test_a_none_default_the_body_filled_in_becoming_the_default_is_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """tomlkit 0.12.5: ``array(raw: str = None)`` with ``if raw is None: raw = "[]"`` ->
    ``array(raw: str = "[]")``: a caller passing nothing gets the same; the annotation never
    admitted ``None``. griffe and the gate called it a break in a patch release."""
    before = 'def array(raw: str = None) -> list:\n    if raw is None:\n        raw = "[]"\n    return [raw]\n'
    after = 'def array(raw: str = "[]") -> list:\n    return [raw]\n'
    repo = release_pair(
        make_repo, {"src/demo/__init__.py": before}, {"src/demo/__init__.py": after}
    )
    assert changes_of(repo) == []

    # Where None was a documented value, a caller passing it is now broken.
    optional = before.replace("raw: str = None", "raw: str | None = None")
    repo = release_pair(
        make_repo, {"src/demo/__init__.py": optional}, {"src/demo/__init__.py": after}
    )
    assert "parameter-default-changed demo.array(raw)" in changes_of(repo)


def test_a_base_class_moved_with_its_subclass_is_no_base_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """dnspython 2.4.0 moved UnsupportedAlgorithm and its subclass AlgorithmKeyMismatch from
    dns.dnssec to dns.exception, dns.dnssec importing both back: 'base dns.dnssec.
    UnsupportedAlgorithm replaced by dns.exception.UnsupportedAlgorithm' was one class."""
    classes = "class Unsupported(Exception): ...\n\n\nclass Mismatch(Unsupported): ...\n"
    before = {"demo/__init__.py": "", "demo/sec.py": classes}
    after = {
        "demo/__init__.py": "",
        "demo/exc.py": classes,
        "demo/sec.py": "from demo.exc import Mismatch, Unsupported\n\n"
        '__all__ = ["Mismatch", "Unsupported"]\n',
    }
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert [c for c in changes_of(repo) if not c.startswith("object-added")] == []
    assert errors(gate(repo, release=True)) == []

    after["demo/exc.py"] = "class Unsupported(Exception): ...\n\n\nclass Mismatch(Exception): ...\n"
    repo = release_pair(make_repo, before, after, "1.1.0")
    assert any(c.startswith("base-removed demo.") for c in changes_of(repo)), changes_of(repo)


def test_a_method_alias_written_out_as_a_method_is_no_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    """deepdiff 8.3.0: ``__str__ = __repr__`` became ``def __str__(self)``: a method both times
    (griffe and the gate called it an attribute turned function)."""
    before = "class Hash:\n    def __repr__(self) -> str: ...\n\n    __str__ = __repr__\n"
    after = "class Hash:\n    def __repr__(self) -> str: ...\n\n    def __str__(self) -> str: ...\n"
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    assert errors(gate(repo, release=True)) == []


def test_a_keyword_only_parameter_renamed_beside_kwargs_is_removed(
    make_repo: Callable[..., GitRepo],
) -> None:
    """python-json-logger 3.0.1: ``json_serialiser=`` became ``json_serializer=``; the old name
    went into ``**kwargs`` and on to ``logging.Formatter``, which refuses it."""
    before = (
        "class Formatter:\n"
        "    def __init__(self, *args: object, json_serialiser: object = None,"
        " **kwargs: object) -> None:\n"
        "        self.serialise = json_serialiser\n"
    )
    after = (
        "class Formatter:\n"
        "    def __init__(self, *args: object, json_serializer: object = None,"
        " **kwargs: object) -> None:\n"
        "        self.serialise = json_serializer\n"
    )
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["parameter-removed"], [f.message for f in found]
    assert "renamed to json_serializer" in found[0].message


def test_a_renamed_keyword_the_body_still_reads_is_a_deprecation_not_a_removal(
    make_repo: Callable[..., GitRepo],
) -> None:
    before = "def f(*, json_serialiser: object = None, **kwargs: object) -> None: ...\n"
    after = (
        "def f(*, json_serializer: object = None, **kwargs: object) -> None:\n"
        '    old = kwargs.pop("json_serialiser", None)\n'
    )
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    assert errors(gate(repo, release=True)) == []


def test_members_inherited_from_a_removed_base_are_that_removal(
    make_repo: Callable[..., GitRepo],
) -> None:
    """deepdiff 8.4.2 removed the Protocol ``BaseProtocol``: its six annotations were also
    reported removed from each class that inherited them (18 more errors)."""
    before = (
        "from typing import Protocol\n\n\nclass BaseProtocol(Protocol):\n    t1: int\n"
        "    t2: int\n\n\nclass Base(BaseProtocol):\n    def keep(self) -> None: ...\n"
    )
    after = "class Base:\n    def keep(self) -> None: ...\n"
    repo = release_pair(make_repo, {"demo.py": before}, {"demo.py": after})
    found = errors(gate(repo, release=True))
    rules = sorted(f.rule for f in found)
    assert rules == ["base-removed", "object-removed"], [f.message for f in found]
    removal = next(f for f in found if f.rule == "object-removed")
    assert "demo.BaseProtocol" in removal.message
    assert "2 inherited copies in subclasses" in removal.message
