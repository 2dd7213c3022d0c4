"""The metadata gate: ``[project]`` valid, complete and PEP 639-clean, before any build."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import Finding
from releasegate._internal.metadata import fields, readme, rules
from releasegate._internal.metadata.lines import key_line
from releasegate._internal.metadata.problem import Problem
from releasegate._internal.metadata.settings import MetadataSettings
from releasegate._internal.problems import to_finding as problem_finding

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.tomldoc import TomlDocument

NAME = "metadata"
PYPROJECT = "pyproject.toml"
_RENDER_HINT = "PyPI would show the raw text: fix the markup"


def to_finding(doc: TomlDocument, problem: Problem, check: str = NAME) -> Finding:
    return problem_finding(check, problem, path=PYPROJECT, line=key_line(doc, problem.key))


def run(context: CheckContext) -> Iterator[Finding]:
    doc = context.project.pyproject
    if doc is None:
        yield Finding(
            NAME,
            "no-pyproject",
            "the project has no pyproject.toml",
            hint="declare the metadata in a [project] table (PEP 621)",
        )
        return
    settings = context.settings(MetadataSettings)
    for problem in rules.cached_text_problems(doc.text, doc.data):
        yield to_finding(doc, problem)
    project = doc.get("project")
    if not isinstance(project, dict):
        yield Finding(
            NAME,
            "no-project-table",
            "pyproject.toml has no [project] table",
            path=PYPROJECT,
            line=None,
            hint="declare the metadata in a [project] table (PEP 621)",
        )
        return
    required = fields.required_here(doc.data, settings.required)
    for problem in rules.file_problems(project, context.project.root, required):
        yield to_finding(doc, problem)
    yield from _readme(context, doc, project.get("readme"), settings)


def _readme(
    context: CheckContext, doc: TomlDocument, value: Any, settings: MetadataSettings
) -> Iterator[Finding]:
    found = readme.locate(value, context.project.root)
    if found is None:
        return
    if isinstance(found, Problem):
        yield to_finding(doc, found)
        return
    if not settings.render_readme:
        return
    for problem in readme.render_problems(found.text, found.content_type):
        if found.path is not None and problem.line is not None:
            yield Finding(
                NAME,
                "readme-render",
                f"readme {problem.message}",
                path=found.path,
                line=problem.line,
                hint=_RENDER_HINT,
            )
        else:
            yield Finding(
                NAME,
                "readme-render",
                f"readme {problem.message}",
                path=PYPROJECT,
                line=doc.line("project", "readme"),
                hint=_RENDER_HINT,
            )
