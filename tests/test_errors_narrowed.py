"""Library code catches what its libraries raise on purpose; a bug goes up, never swallowed."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from releasegate._internal.api.members import griffe_errors, lookup
from releasegate._internal.metadata import distcheck
from releasegate._internal.vulns.packages import installable


def _raising(exc: Exception) -> Any:
    def call(*_args: object, **_kwargs: object) -> Any:
        raise exc

    return call


def test_griffe_lookups_answer_none_for_what_griffe_cannot_resolve() -> None:
    from griffe import AliasResolutionError, CyclicAliasError, GriffeError

    assert issubclass(AliasResolutionError, griffe_errors())
    assert issubclass(CyclicAliasError, GriffeError)
    for exc in (KeyError("missing"), ValueError("Empty strings are not supported")):
        root = SimpleNamespace(modules_collection=SimpleNamespace(get_member=_raising(exc)))
        assert lookup(root, "pkg.missing") is None  # type: ignore[arg-type]


def test_a_bug_under_a_griffe_lookup_is_not_taken_for_a_missing_member() -> None:
    root = SimpleNamespace(
        modules_collection=SimpleNamespace(get_member=_raising(RuntimeError("a bug")))
    )
    with pytest.raises(RuntimeError):
        lookup(root, "pkg.name")  # type: ignore[arg-type]


def test_a_marker_packaging_cannot_evaluate_is_kept_and_a_bug_goes_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from packaging.markers import Marker

    installable.cache_clear()
    assert installable('os_name ~= "posix"', None)  # UndefinedComparison: kept
    monkeypatch.setattr(Marker, "evaluate", _raising(RuntimeError("a bug")))
    installable.cache_clear()
    with pytest.raises(RuntimeError):
        installable('sys_platform == "win32"', None)
    installable.cache_clear()


def test_invalid_core_metadata_is_problems_and_a_bug_goes_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from packaging.metadata import Metadata

    problems = distcheck._strict("Metadata-Version: 2.1\nName: demo\n", "demo.whl")
    assert problems
    assert all(p.rule == "metadata-invalid" for p in problems)
    monkeypatch.setattr(Metadata, "from_email", _raising(RuntimeError("a bug")))
    with pytest.raises(RuntimeError):
        distcheck._strict("Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n", "demo.whl")
