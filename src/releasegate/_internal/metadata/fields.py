"""Rules on single ``[project]`` fields: classifiers, requires-python, urls, required fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

from releasegate._internal.metadata.problem import Problem

_URL_LABEL_MAX = 32  # core metadata: a Project-URL label is at most 32 characters


def classifiers(values: Any) -> Iterator[Problem]:
    if not isinstance(values, list):
        return
    from trove_classifiers import classifiers as known
    from trove_classifiers import deprecated_classifiers as deprecated

    for index, value in enumerate(values):
        if not isinstance(value, str) or value.startswith("Private ::"):
            continue
        if value in deprecated:
            replacements = deprecated[value]
            hint = (
                f"use {' / '.join(repr(r) for r in replacements)}" if replacements else "remove it"
            )
            yield Problem(
                "classifier-deprecated",
                f"classifier {quoted(value)} is deprecated",
                ("project", "classifiers", index),
                hint,
            )
        elif value not in known:
            import difflib

            close = difflib.get_close_matches(value, known, n=1, cutoff=0.8)
            hint = (
                f"did you mean {quoted(close[0])}?"
                if close
                else "see https://pypi.org/classifiers/"
            )
            yield Problem(
                "classifier-unknown",
                f"classifier {quoted(value)} does not exist",
                ("project", "classifiers", index),
                hint,
            )


def requires_python(value: Any) -> Iterator[Problem]:
    if not isinstance(value, str):
        return
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        SpecifierSet(value)
    except InvalidSpecifier:
        yield Problem(
            "requires-python-invalid",
            f"requires-python {quoted(value)} is not a valid version specifier",
            ("project", "requires-python"),
            'write it like ">=3.10" or ">=3.9,<4"',
        )


def url_problem(url: str) -> str | None:
    """What is wrong with ``url`` as a project URL, or None."""
    if url != url.strip() or any(c.isspace() for c in url):
        return "contains whitespace"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        return str(exc)
    if parts.scheme not in ("http", "https"):
        return "is not an http(s) URL" if parts.scheme else "has no scheme (https://...)"
    if not parts.hostname or ("." not in parts.hostname and parts.hostname != "localhost"):
        return "has no valid host"
    return None


def urls(values: Any) -> Iterator[Problem]:
    if not isinstance(values, dict):
        return
    for label, url in values.items():
        if len(label) > _URL_LABEL_MAX:
            yield Problem(
                "url-label",
                f"project.urls label {quoted(label)} is longer than 32 characters",
                ("project", "urls", label),
                "PyPI refuses longer labels: shorten it",
            )
        if isinstance(url, str):
            problem = url_problem(url)
            if problem is not None:
                yield Problem(
                    "url-invalid",
                    f"project.urls {quoted(label)}: {quoted(url)} {problem}",
                    ("project", "urls", label),
                    "write a full URL such as https://example.org/project",
                )


def _present(project: dict[str, Any], name: str) -> bool:
    dynamic = project.get("dynamic")
    listed = dynamic if isinstance(dynamic, list) else []
    dynamic_names = {d for d in listed if isinstance(d, str)}
    names = ("authors", "maintainers") if name == "authors-or-maintainers" else (name,)
    return any(project.get(n) not in (None, "", [], {}) or n in dynamic_names for n in names)


def required(project: dict[str, Any], names: Iterable[str]) -> Iterator[Problem]:
    for name in names:
        if not _present(project, name):
            shown = "authors or maintainers" if name == "authors-or-maintainers" else name
            yield Problem(
                "missing-field",
                f"[project] has no {shown}",
                ("project",),
                f"add {shown} (required by [tool.releasegate.metadata] required)",
            )


PAGE_FIELDS = frozenset({"readme", "license", "urls", "authors-or-maintainers"})
"""What a project page on an index shows: asked of what is uploaded, not of a workspace root."""


def required_here(data: dict[str, Any], names: Iterable[str]) -> list[str]:
    """The required fields that apply to this pyproject.toml.

    The root of a uv workspace without ``[build-system]`` is never built into a distribution
    nor uploaded (setuptools-scm's ``vcs-versioning.workspace``, version ``0.1+private``, which
    PyPI would refuse anyway): it has no project page, so it is not held to the page's fields.
    """
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    workspace_root = isinstance(uv, dict) and isinstance(uv.get("workspace"), dict)
    if workspace_root and "build-system" not in data:
        return [name for name in names if name not in PAGE_FIELDS]
    return list(names)
