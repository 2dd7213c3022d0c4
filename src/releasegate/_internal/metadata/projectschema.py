"""``[project]`` and ``[build-system]`` against the schemas validate-pyproject ships.

The JSON files are read from validate-pyproject's installed package without
importing it (its import costs ~100 ms of a hook's start-up), and walked by the one
all-errors validator (``releasegate._internal.schemacheck``), so every problem is reported in one run.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError
from releasegate._internal.metadata.formats import FORMATS
from releasegate._internal.metadata.problem import Problem
from releasegate._internal.schemacheck import SchemaProblem, path_part
from releasegate._internal.schemacheck import validate as schema_problems

if TYPE_CHECKING:
    from collections.abc import Iterable

_HINT = "see https://packaging.python.org/en/latest/specifications/pyproject-toml/"


def dotted(path: tuple[str | int, ...]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{path_part(p)}" for p in path).lstrip(".")


def _problems(errors: Iterable[SchemaProblem], prefix: tuple[str, ...] = ()) -> list[Problem]:
    found = []
    for error in errors:
        path = (*prefix, *error.path)
        found.append(
            Problem("schema", f"{dotted(path) or 'pyproject.toml'}: {error.message}", path, _HINT)
        )
    return found


@cache
def _schema(name: str) -> dict[str, Any]:
    spec = find_spec("validate_pyproject")
    if spec is None or spec.origin is None:
        raise FatalError(
            "validate-pyproject is not installed", hint="pip install validate-pyproject"
        )
    data: dict[str, Any] = json.loads((Path(spec.origin).parent / name).read_text(encoding="utf-8"))
    return data


def project_schema() -> dict[str, Any]:
    return _schema("project_metadata.schema.json")


def pyproject_schema() -> dict[str, Any]:
    return _schema("pyproject_toml.schema.json")


def validate(data: dict[str, Any]) -> list[Problem]:
    """Every schema problem of the document's standard tables (``[tool]`` is not ours to judge)."""
    top = pyproject_schema()
    problems = _problems(schema_problems(data, top, FORMATS))
    project = data.get("project")
    if isinstance(project, dict):
        schema = project_schema()
        problems.extend(_problems(schema_problems(project, schema, FORMATS), ("project",)))
        problems.extend(_static_and_dynamic(project))
    return problems


def _static_and_dynamic(project: dict[str, Any]) -> list[Problem]:
    """PEP 621: a field listed in ``dynamic`` must not also be given statically."""
    dynamic = project.get("dynamic")
    if not isinstance(dynamic, list):
        return []
    return [
        Problem(
            "schema",
            f"project.{name}: given here and also listed in project.dynamic",
            ("project", name),
            "remove it from one of the two places",
        )
        for name in dynamic
        if isinstance(name, str) and name in project
    ]
