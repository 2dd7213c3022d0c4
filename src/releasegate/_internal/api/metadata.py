"""Changes in ``[project]`` that users feel: Python support, dependencies, extras, entry points."""

from __future__ import annotations

import re
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


# Where each [project] key is written, for finding lines: in [project], or in Poetry 1's tables.
PROJECT_KEYS: dict[str, tuple[str, ...]] = {
    "requires-python": ("project", "requires-python"),
    "dependencies": ("project", "dependencies"),
    "optional-dependencies": ("project", "optional-dependencies"),
    "scripts": ("project", "scripts"),
    "gui-scripts": ("project", "gui-scripts"),
    "entry-points": ("project", "entry-points"),
}
POETRY_KEYS: dict[str, tuple[str, ...]] = {
    "requires-python": ("tool", "poetry", "dependencies", "python"),
    "dependencies": ("tool", "poetry", "dependencies"),
    "optional-dependencies": ("tool", "poetry", "extras"),
    "scripts": ("tool", "poetry", "scripts"),
    "gui-scripts": ("tool", "poetry", "scripts"),
    "entry-points": ("tool", "poetry", "plugins"),
}


def compare(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    doc: TomlDocument | None,
    keys: Mapping[str, tuple[str, ...]] = PROJECT_KEYS,
) -> list[Change]:
    """Changes from the release's ``[project]`` table to the working tree's.

    ``keys`` says where the working tree writes each key (``POETRY_KEYS`` for a Poetry 1
    project, whose tables ``from_poetry`` turns into a ``[project]`` table first).
    """

    def line(key: str) -> int | None:
        return doc.line(*keys[key]) if doc is not None else None

    if not old:
        # The release declared its metadata elsewhere (setup.py, setup.cfg): moving it into
        # [project] is no change (sniffio 1.3.1's python_requires became requires-python).
        return []
    changes = list(_python(old, new, line("requires-python")))
    old_deps = _requirements(old.get("dependencies"))
    new_deps = _requirements(new.get("dependencies"))
    changes.extend(
        _dependencies(
            old_deps,
            new_deps,
            "",
            line("dependencies"),
            _pythons(new.get("requires-python")),
        )
    )
    changes.extend(_extras(old, new, line("optional-dependencies")))
    changes.extend(_entry_points(old, new, line))
    return changes


def metadata_of(data: Mapping[str, Any]) -> tuple[dict[str, Any], Mapping[str, tuple[str, ...]]]:
    """The ``[project]`` table of a pyproject.toml, or the one its Poetry 1 tables stand for."""
    project = data.get("project")
    if isinstance(project, dict):
        return project, PROJECT_KEYS
    poetry = _table(_table(data.get("tool")).get("poetry"))
    return (from_poetry(poetry), POETRY_KEYS) if poetry else ({}, PROJECT_KEYS)


def from_poetry(poetry: Mapping[str, Any]) -> dict[str, Any]:
    """``[tool.poetry]`` as the ``[project]`` keys this comparison reads (rich, Poetry 1).

    ``python`` is the Python floor; optional dependencies exist only through
    ``[tool.poetry.extras]``; scripts and plugins are the entry points. A constraint
    the translation does not understand is left out on both sides alike.
    """
    from releasegate._internal.lockfiles.poetryspec import (
        PoetrySpecError,
        constraint,
        poetry_requirement,
    )

    table: dict[str, Any] = {}
    required: list[str] = []
    optional: dict[str, str] = {}
    for name, spec in _table(poetry.get("dependencies")).items():
        try:
            if name == "python":
                if isinstance(spec, str):
                    table["requires-python"] = constraint(spec) or None
                continue
            text, is_optional = poetry_requirement(name, spec)
        except PoetrySpecError:
            continue
        if is_optional:
            optional[name.lower()] = text
        else:
            required.append(text)
    table["dependencies"] = required
    table["optional-dependencies"] = {
        extra: [optional.get(str(n).lower(), str(n)) for n in names]
        for extra, names in _table(poetry.get("extras")).items()
        if isinstance(names, list)
    }
    table["scripts"] = {
        name: value if isinstance(value, str) else str(_table(value).get("reference", value))
        for name, value in _table(poetry.get("scripts")).items()
    }
    table["entry-points"] = _table(poetry.get("plugins"))
    return table


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


def _pythons(spec: object) -> frozenset[str] | None:
    """The probed interpreter versions ``spec`` allows; None when it cannot be read."""
    return _allowed_pythons(spec)


_PYTHON_VARIABLES = frozenset({"python_version", "python_full_version"})


def _never_applies(requirement: str, pythons: frozenset[str]) -> bool:
    """A requirement whose marker is false on every Python the new requires-python allows.

    ``importlib-metadata; python_version < "3.8"`` dropped together with requires-python
    raised to >=3.8 removes nothing any installation received (issue 13). Only markers on
    the Python version alone are judged; anything else may still apply somewhere.
    """
    from packaging.markers import InvalidMarker
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        marker = Requirement(requirement).marker
    except InvalidRequirement:
        return False
    if marker is None or not pythons:
        return False
    variables = set(re.findall(r"\b(?:[a-z]+_)+[a-z]+\b|\bextra\b", str(marker)))
    if not variables <= _PYTHON_VARIABLES:
        return False
    try:
        return not any(
            marker.evaluate(
                {"python_version": ".".join(full.split(".")[:2]), "python_full_version": full}
            )
            for full in pythons
        )
    except InvalidMarker:
        return False


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
    old: dict[str, str],
    new: dict[str, str],
    extra: str,
    line: int | None,
    pythons: frozenset[str] | None = None,
) -> Iterator[Change]:
    where = f" (extra {extra})" if extra else ""
    for name in sorted(old.keys() - new.keys()):
        if pythons is not None and _never_applies(old[name], pythons):
            continue
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
        if _dev_only(name):
            continue  # platformdirs 4.2.1 added [type] (mypy, for its own CI) in a patch
        yield Change(
            ChangeKind.EXTRA_ADDED, f"extra {name}", f"extra [{name}] added", PYPROJECT, line
        )
    for name in sorted(before.keys() & after.keys()):
        if _dev_only(name):
            continue
        yield from _dependencies(
            _requirements(before[name]),
            _requirements(after[name]),
            name,
            line,
            _pythons(new.get("requires-python")),
        )


_DEV_EXTRAS = ("dev", "test", "docs", "doc", "lint", "typing", "mypy", "benchmark", "cov")
_DEV_NAMES = frozenset(("type", "types", "qa", "style", "check"))


def _dev_only(extra: str) -> bool:
    """An extra for the project's own development (``tests-no-zope``, ``docs``, ``lint``).

    What such an extra holds, or whether it moves to a PEP 735 dependency group, changes
    nothing for users of the package (issue 13: attrs 23.2.0, and most projects since 2024).
    """
    return extra.startswith(_DEV_EXTRAS) or extra in _DEV_NAMES


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
