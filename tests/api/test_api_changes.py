"""Each kind of change on a real git history: the bump it requires and the gate's verdict."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.api.bumps import Bump, Impact
from releasegate._internal.api.changes import ADVISORY, ChangeKind
from releasegate._internal.versioning import next_version, parse_semver
from tests.api_support import assessment, edit, errors, gate, released, set_version

if TYPE_CHECKING:
    from collections.abc import Callable

    from releasegate._internal.findings import Finding
    from tests.conftest import GitRepo

INIT, CORE, ERRORS = "src/shapes/__init__.py", "src/shapes/core.py", "src/shapes/errors.py"


@dataclass(frozen=True)
class Case:
    edits: tuple[tuple[str, str, str], ...]
    kind: ChangeKind
    target: str
    bump: Bump


CASES = {
    "removed function": Case(
        (
            (INIT, '"describe", ', ""),
            (
                INIT,
                "def describe(shape: Circle, *, verbose: bool = False) -> str:\n"
                '    return "circle"\n',
                "",
            ),
        ),
        ChangeKind.OBJECT_REMOVED,
        "shapes.describe",
        Bump.MAJOR,
    ),
    "removed parameter": Case(
        ((CORE, "def area(shape: Circle, precision: int = 2)", "def area(shape: Circle)"),),
        ChangeKind.PARAMETER_REMOVED,
        "shapes.core.area(precision)",
        Bump.MAJOR,
    ),
    "renamed parameter": Case(
        ((CORE, "precision: int = 2", "digits: int = 2"),),
        ChangeKind.PARAMETER_REMOVED,
        "shapes.core.area(precision)",
        Bump.MAJOR,
    ),
    "new required parameter": Case(
        ((INIT, "def describe(shape: Circle, *,", "def describe(shape: Circle, style: str, *,"),),
        ChangeKind.PARAMETER_ADDED_REQUIRED,
        "shapes.describe(style)",
        Bump.MAJOR,
    ),
    "changed default": Case(
        ((CORE, "precision: int = 2", "precision: int = 3"),),
        ChangeKind.PARAMETER_DEFAULT_CHANGED,
        "shapes.core.area(precision)",
        Bump.MAJOR,
    ),
    "changed kind": Case(
        ((CORE, "def area(shape: Circle, precision", "def area(shape: Circle, *, precision"),),
        ChangeKind.PARAMETER_KIND_CHANGED,
        "shapes.core.area(precision)",
        Bump.MAJOR,
    ),
    "removed base class": Case(
        ((CORE, "class Circle(Shape):", "class Circle:"),),
        ChangeKind.BASE_REMOVED,
        "shapes.core.Circle",
        Bump.MAJOR,
    ),
    "replaced base class": Case(
        ((CORE, "class Circle(Shape):", "class Circle(Exception):"),),
        ChangeKind.BASE_REMOVED,
        "shapes.core.Circle",
        Bump.MAJOR,
    ),
    "changed parameter annotation": Case(
        ((CORE, "precision: int = 2", "precision: str = 2"),),
        ChangeKind.PARAMETER_TYPE_CHANGED,
        "shapes.core.area(precision)",
        Bump.MAJOR,
    ),
    "changed return annotation": Case(
        ((CORE, "precision: int = 2) -> float:", "precision: int = 2) -> str:"),),
        ChangeKind.RETURN_TYPE_CHANGED,
        "shapes.core.area",
        Bump.MAJOR,
    ),
    "requires-python raised": Case(
        (("pyproject.toml", 'requires-python = ">=3.9"', 'requires-python = ">=3.11"'),),
        ChangeKind.REQUIRES_PYTHON_RAISED,
        "requires-python",
        Bump.MINOR,  # pip keeps older Pythons on older releases (pluggy 1.6, click 8.2)
    ),
    "dependency removed": Case(
        (("pyproject.toml", ', "packaging"', ""),),
        ChangeKind.DEPENDENCY_REMOVED,
        "dependency packaging",
        Bump.PATCH,  # only undeclared imports of it break (click 8.5.0 dropped colorama)
    ),
    "extra removed": Case(
        (("pyproject.toml", 'fast = ["orjson"]', ""),),
        ChangeKind.EXTRA_REMOVED,
        "extra fast",
        Bump.MAJOR,
    ),
    "entry point removed": Case(
        (("pyproject.toml", 'shapes = "shapes.cli:main"', ""),),
        ChangeKind.ENTRY_POINT_REMOVED,
        "entry point console_scripts:shapes",
        Bump.MAJOR,
    ),
    "added object": Case(
        (
            (
                CORE,
                "def _helper",
                "def perimeter(shape: Circle) -> float:\n    return 0.0\n\n\ndef _helper",
            ),
        ),
        ChangeKind.OBJECT_ADDED,
        "shapes.core.perimeter",
        Bump.MINOR,
    ),
    "added optional parameter": Case(
        ((CORE, "precision: int = 2)", "precision: int = 2, unit: str = 'cm')"),),
        ChangeKind.PARAMETER_ADDED_OPTIONAL,
        "shapes.core.area(unit)",
        Bump.MINOR,
    ),
    # A typing fix in a patch release (issue 28): short of a minor bump it is a warning.
    "widened parameter annotation": Case(
        ((CORE, "precision: int = 2", "precision: int | None = 2"),),
        ChangeKind.PARAMETER_TYPE_WIDENED,
        "shapes.core.area(precision)",
        Bump.PATCH,
    ),
    "extra added": Case(
        (("pyproject.toml", 'fast = ["orjson"]', 'fast = ["orjson"]\nplot = ["matplotlib"]'),),
        ChangeKind.EXTRA_ADDED,
        "extra plot",
        Bump.MINOR,
    ),
    "narrowed return annotation": Case(
        ((CORE, "-> Circle | None:", "-> Circle:"),),
        ChangeKind.RETURN_TYPE_NARROWED,
        "shapes.core.scale",
        Bump.PATCH,
    ),
    "dependency added": Case(
        (("pyproject.toml", ', "packaging"', ', "packaging", "rich"'),),
        ChangeKind.DEPENDENCY_ADDED,
        "dependency rich",
        Bump.PATCH,
    ),
}


def _apply(repo: GitRepo, case: Case) -> None:
    for path, old, new in case.edits:
        edit(repo, path, old, new)


@pytest.mark.parametrize("name", list(CASES))
def test_change_requires_its_bump_and_the_gate_enforces_it(
    make_repo: Callable[..., GitRepo], name: str
) -> None:
    case = CASES[name]
    repo = released(make_repo)
    _apply(repo, case)
    set_version(repo, "1.0.0")
    repo.commit(message="chore: change")

    found = assessment(repo)
    matching = [c for c in found.changes if c.kind is case.kind and c.target == case.target]
    assert matching, [(c.kind, c.target) for c in found.changes]
    assert found.need(matching[0].impact) is case.bump
    assert matching[0].path is not None

    # A release of the same version is too small for any change: an error for a break, a
    # warning for an addition or a fix, which hurt no one (issue 26's harm test).
    severity = "error" if matching[0].impact is Impact.BREAKING else "warning"
    too_small = [f for f in gate(repo, release=True) if f.rule == case.kind.value]
    assert [f.severity.value for f in too_small] == [severity] * len(too_small)
    assert too_small
    assert f"needs a {case.bump.label} bump" in too_small[0].message
    assert too_small[0].path == matching[0].path or matching[0].at_release

    # One step below the required bump is reported; the required bump passes.
    base = parse_semver("1.0.0")
    assert base is not None
    if case.bump > Bump.PATCH:
        set_version(repo, str(next_version(base, Bump(case.bump - 1).label)))
        assert [f for f in _reported(gate(repo)) if f.rule == case.kind.value]
    set_version(repo, str(next_version(base, case.bump.label)))
    left = [f for f in _reported(gate(repo)) if f.rule == case.kind.value]
    if case.kind in ADVISORY:
        # A widened annotation is covered by a patch but would want more: a warning stays.
        assert [f.severity.value for f in left] == ["warning"]
    else:
        assert not left


def _reported(findings: list[Finding]) -> list[Finding]:
    """What fails or warns: a change the bump does not cover."""
    return [f for f in findings if f.severity.value in ("error", "warning")]


def test_removed_object_points_at_where_it_was_in_the_release(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo)
    _apply(repo, CASES["removed function"])
    set_version(repo, "1.0.1")
    repo.commit(message="refactor: drop describe")
    finding = next(f for f in gate(repo) if f.rule == "object-removed")
    assert finding.path == INIT
    assert f"{INIT}:9 in v1.0.0" in finding.message


def test_breaking_change_needs_only_minor_while_major_is_zero(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo, "0.3.0")
    _apply(repo, CASES["removed parameter"])
    set_version(repo, "0.3.1")
    repo.commit(message="refactor: drop precision")
    failed = errors(gate(repo))
    assert [f.rule for f in failed] == ["parameter-removed"]
    assert "needs a minor bump" in failed[0].message
    set_version(repo, "0.4.0")
    assert errors(gate(repo)) == []


def test_many_changes_each_listed_with_file_and_line(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    for name in ("changed default", "removed base class", "added object", "extra removed"):
        _apply(repo, CASES[name])
    set_version(repo, "1.0.1")
    repo.commit(message="chore: several")
    found = {f.rule: f for f in _reported(gate(repo))}
    assert set(found) == {
        "parameter-default-changed",
        "base-removed",
        "object-added",
        "extra-removed",
        "object-removed",  # Circle.name, inherited from the removed base: really gone
    }
    assert "shapes.core.Circle.name" in found["object-removed"].message
    assert (found["base-removed"].path, found["base-removed"].line) == (CORE, 10)
    assert found["extra-removed"].path == "pyproject.toml"
    assert found["extra-removed"].line is not None
    assert "2.0.0" in (found["object-added"].hint or "")


def test_pre_release_of_the_next_major_satisfies_a_breaking_change(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo)
    _apply(repo, CASES["removed parameter"])
    set_version(repo, "2.0.0-rc.1")
    repo.commit(message="feat!: drop precision", tag="v2.0.0-rc.1")
    assert errors(gate(repo)) == []
    set_version(repo, "1.1.0-rc.1")
    assert [f.rule for f in errors(gate(repo))] == ["parameter-removed", "commits-bump"]


def test_a_widened_parameter_in_a_patch_release_is_a_warning(
    make_repo: Callable[..., GitRepo],
) -> None:
    """urllib3-style typing fix (``bytes`` -> ``bytes | bytearray``) in a patch release."""
    repo = released(make_repo)
    edit(repo, CORE, "factor: float)", "factor: float | bytes)")
    set_version(repo, "1.0.1")
    repo.commit(message="fix: accept bytes")

    found = [f for f in gate(repo, release=True) if f.rule == "parameter-type-widened"]
    assert [f.severity.value for f in found] == ["warning"], found
    assert "1.0.0 -> 1.0.1 is a patch bump" in found[0].message
    assert errors(gate(repo, release=True)) == []


def test_a_widened_return_in_a_minor_release_is_a_warning(
    make_repo: Callable[..., GitRepo],
) -> None:
    """flask 3.0.1 ``SessionInterface.get_cookie_samesite -> str`` became ``-> str | None``."""
    repo = released(make_repo)
    edit(repo, CORE, "precision: int = 2) -> float:", "precision: int = 2) -> float | None:")
    set_version(repo, "1.0.1")
    repo.commit(message="fix: the annotation admits None")

    found = [f for f in gate(repo, release=True) if f.rule == "return-type-widened"]
    assert [f.severity.value for f in found] == ["warning"], found
    assert "returns more than before" in found[0].message
    assert errors(gate(repo, release=True)) == []
