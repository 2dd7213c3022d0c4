"""Changes in ``[project]`` that users feel: Python support, dependencies, extras, entry points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from releasegate._internal.api.changes import Change, ChangeKind

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

    from releasegate._internal.tomldoc import TomlDocument

PYPROJECT = "pyproject.toml"
# Interpreter versions probed to compare two requires-python ranges as sets.
_PYTHONS = tuple(
    f"{major}.{minor}.{patch}" for major in (2, 3, 4) for minor in range(41) for patch in (0, 99)
)


def compare(
    old: Mapping[str, Any], new: Mapping[str, Any], doc: TomlDocument | None
) -> list[Change]:
    """Changes from the release's ``[project]`` table to the working tree's."""

    def line(*key: str) -> int | None:
        return doc.line("project", *key) if doc is not None else None

    changes = list(_python(old, new, line("requires-python")))
    changes.extend(
        _dependencies(
            _requirements(old.get("dependencies")),
            _requirements(new.get("dependencies")),
            "",
            line("dependencies"),
        )
    )
    changes.extend(_extras(old, new, line("optional-dependencies")))
    changes.extend(_entry_points(old, new, line))
    return changes


def _allowed_pythons(spec: object) -> frozenset[str] | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    if spec is None:
        return frozenset(_PYTHONS)
    try:
        specifiers = SpecifierSet(str(spec))
    except InvalidSpecifier:
        return None  # the metadata gate reports an invalid specifier
    return frozenset(v for v in _PYTHONS if specifiers.contains(v, prereleases=True))


def _python(old: Mapping[str, Any], new: Mapping[str, Any], line: int | None) -> Iterator[Change]:
    before, after = (
        _allowed_pythons(old.get("requires-python")),
        _allowed_pythons(new.get("requires-python")),
    )
    if before is None or after is None or before == after:
        return
    was, now = old.get("requires-python") or "(any)", new.get("requires-python") or "(any)"
    detail = f"requires-python {was} -> {now}"
    kind = (
        ChangeKind.REQUIRES_PYTHON_RAISED if before - after else ChangeKind.REQUIRES_PYTHON_LOWERED
    )
    yield Change(kind, "requires-python", detail, PYPROJECT, line)


def _requirements(value: object) -> dict[str, str]:
    """Canonical name -> requirement text; unparsable entries are the metadata gate's business."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    found: dict[str, str] = {}
    for item in value if isinstance(value, list) else []:
        try:
            requirement = Requirement(str(item))
        except InvalidRequirement:
            continue
        found.setdefault(canonicalize_name(requirement.name), str(requirement))
    return found


def _dependencies(
    old: dict[str, str], new: dict[str, str], extra: str, line: int | None
) -> Iterator[Change]:
    where = f" (extra {extra})" if extra else ""
    for name in sorted(old.keys() - new.keys()):
        yield Change(
            ChangeKind.DEPENDENCY_REMOVED,
            f"dependency {name}",
            f"dependency {old[name]}{where} removed",
            PYPROJECT,
            line,
        )
    for name in sorted(new.keys() - old.keys()):
        yield Change(
            ChangeKind.DEPENDENCY_ADDED,
            f"dependency {name}",
            f"dependency {new[name]}{where} added",
            PYPROJECT,
            line,
        )
    for name in sorted(old.keys() & new.keys()):
        if old[name] != new[name]:
            yield Change(
                ChangeKind.DEPENDENCY_CHANGED,
                f"dependency {name}",
                f"dependency {old[name]} -> {new[name]}{where}",
                PYPROJECT,
                line,
            )


def _table(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _extras(old: Mapping[str, Any], new: Mapping[str, Any], line: int | None) -> Iterator[Change]:
    from packaging.utils import canonicalize_name

    before = {canonicalize_name(k): v for k, v in _table(old.get("optional-dependencies")).items()}
    after = {canonicalize_name(k): v for k, v in _table(new.get("optional-dependencies")).items()}
    for name in sorted(before.keys() - after.keys()):
        if _dev_only(name):
            continue  # tests, docs and lint tools were never for users (PEP 735 groups now)
        yield Change(
            ChangeKind.EXTRA_REMOVED, f"extra {name}", f"extra [{name}] removed", PYPROJECT, line
        )
    for name in sorted(after.keys() - before.keys()):
        yield Change(
            ChangeKind.EXTRA_ADDED, f"extra {name}", f"extra [{name}] added", PYPROJECT, line
        )
    for name in sorted(before.keys() & after.keys()):
        if _dev_only(name):
            continue
        yield from _dependencies(
            _requirements(before[name]), _requirements(after[name]), name, line
        )


_DEV_EXTRAS = ("dev", "test", "docs", "doc", "lint", "typing", "mypy", "benchmark", "cov")


def _dev_only(extra: str) -> bool:
    """An extra for the project's own development (``tests-no-zope``, ``docs``, ``lint``).

    What such an extra holds, or whether it moves to a PEP 735 dependency group, changes
    nothing for users of the package (issue 13: attrs 23.2.0, and most projects since 2024).
    """
    return extra.startswith(_DEV_EXTRAS)


def _entry_points_of(table: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    groups = {
        "console_scripts": _table(table.get("scripts")),
        "gui_scripts": _table(table.get("gui-scripts")),
    }
    groups.update({g: _table(v) for g, v in _table(table.get("entry-points")).items()})
    return {
        (group, name): str(value)
        for group, entries in groups.items()
        for name, value in entries.items()
    }


def _entry_points(
    old: Mapping[str, Any], new: Mapping[str, Any], line: Callable[..., int | None]
) -> Iterator[Change]:
    before, after = _entry_points_of(old), _entry_points_of(new)
    keys = {"console_scripts": "scripts", "gui_scripts": "gui-scripts"}
    for group, name in sorted(before.keys() | after.keys()):
        target, at = f"entry point {group}:{name}", line(keys.get(group, "entry-points"))
        if (group, name) not in after:
            yield Change(
                ChangeKind.ENTRY_POINT_REMOVED,
                target,
                f"entry point {name} ({group}) removed",
                PYPROJECT,
                at,
            )
        elif (group, name) not in before:
            yield Change(
                ChangeKind.ENTRY_POINT_ADDED,
                target,
                f"entry point {name} ({group}) added",
                PYPROJECT,
                at,
            )
        elif before[group, name] != after[group, name]:
            detail = f"entry point {name} -> {after[group, name]} (was {before[group, name]})"
            yield Change(ChangeKind.ENTRY_POINT_CHANGED, target, detail, PYPROJECT, at)
