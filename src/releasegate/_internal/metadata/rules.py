"""Every metadata rule over one pyproject.toml, with the text-only ones cached by content.

The rules that read only the TOML (schema, SPDX expression, classifiers,
requires-python, URLs) are a pure function of its text and of the code and data
that judge it, so their verdict is cached under a key of both: an unchanged
pyproject.toml costs a hash instead of importing packaging's parsers. Rules that
look at other files (license-files globs, the readme) run every time.
"""

from __future__ import annotations

import json
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate import __version__
from releasegate._internal.metadata import cache
from releasegate._internal.metadata.problem import Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

_HERE = Path(__file__).parent
_JUDGES = ("validate_pyproject", "trove_classifiers", "packaging")


def text_problems(data: dict[str, Any]) -> list[Problem]:
    """Problems that depend only on the parsed pyproject.toml."""
    # Imported here: a cache hit, the common case in a hook, needs none of them.
    from releasegate._internal.metadata import fields, pep639, projectschema

    problems = projectschema.validate(data)
    project = data.get("project")
    if isinstance(project, dict):
        problems.extend(pep639.text_problems(project))
        problems.extend(fields.classifiers(project.get("classifiers")))
        problems.extend(fields.requires_python(project.get("requires-python")))
        problems.extend(fields.urls(project.get("urls")))
    return problems


def cached_text_problems(text: str, data: dict[str, Any]) -> list[Problem]:
    name = cache.key("pyproject", _code_stamp(), text)
    hit = cache.get("pyproject", name)
    if isinstance(hit, list):
        return [
            Problem.from_json(item) for item in hit if isinstance(item, list) and len(item) == 4
        ]
    problems = text_problems(data)
    cache.put("pyproject", name, [p.to_json() for p in problems])
    return problems


def _code_stamp() -> str:
    """Changes whenever the code or data that judges the text may have changed."""
    parts = [__version__]
    parts.extend(_stamp(path) for path in sorted(_HERE.glob("*.py")))
    for module in _JUDGES:
        spec = find_spec(module)
        parts.append(
            _stamp(Path(spec.origin)) if spec is not None and spec.origin else f"{module}:absent"
        )
    return json.dumps(parts)


def _stamp(path: Path) -> str:
    try:
        return f"{path}:{path.stat().st_mtime_ns}"
    except OSError:
        return f"{path}:?"


def file_problems(project: dict[str, Any], root: Path, required: Iterable[str]) -> list[Problem]:
    """Problems that look beyond the text: license files on disk and required fields by policy."""
    from releasegate._internal.metadata import fields, pep639

    problems = pep639.file_problems(project, root)
    problems.extend(fields.required(project, required))
    return problems
