"""PEP 639 license rules, applied to pyproject.toml before any backend sees it.

Backends disagree on the same input (DESIGN.md): hatchling builds ``MIT`` plus a
``License ::`` classifier that setuptools refuses, ships no license when a
``license-files`` glob matches nothing, ignores ``../LICENSE``; pdm-backend writes
an invalid expression into the metadata unchanged. These rules give one verdict
whatever the backend, because they never ask it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

from releasegate._internal.metadata.problem import Problem

# PEP 639: globs use only alphanumerics, '.', '_', '-', '*', '?', '**', '[]' and '/'.
_GLOB_CHARS = re.compile(r"^[A-Za-z0-9._\-*?\[\]/!]+$")


def canonical(expression: str) -> str | None:
    """The canonical form of an SPDX expression, or None when it is not valid."""
    from packaging.licenses import InvalidLicenseExpression, canonicalize_license_expression

    try:
        return str(canonicalize_license_expression(expression))
    except InvalidLicenseExpression:
        return None


def text_problems(project: dict[str, Any]) -> list[Problem]:
    """The rules that depend only on the text of pyproject.toml (cacheable)."""
    problems = list(_expression(project.get("license")))
    if isinstance(project.get("license"), str):
        problems.extend(_classifiers(project.get("classifiers")))
    return problems


def file_problems(project: dict[str, Any], root: Path) -> list[Problem]:
    """The ``license-files`` rules, which look at the files in the project."""
    files = project.get("license-files")
    if not isinstance(files, list):
        return []
    problems: list[Problem] = []
    for index, pattern in enumerate(files):
        if isinstance(pattern, str):
            problems.extend(_glob(pattern, index, root))
    return problems


def _expression(license_value: Any) -> Iterator[Problem]:
    if isinstance(license_value, dict):
        yield _legacy_table(license_value)
        return
    if not isinstance(license_value, str):
        return
    fixed = canonical(license_value)
    if fixed is None:
        yield Problem(
            "license-invalid",
            f"license {quoted(license_value)} is not a valid SPDX license expression",
            ("project", "license"),
            'use SPDX identifiers joined by AND / OR / WITH, e.g. "MIT" or '
            '"Apache-2.0 OR MIT"; see https://spdx.org/licenses/',
        )
    elif fixed != license_value:
        yield Problem(
            "license-not-canonical",
            f"license {quoted(license_value)} is not in canonical form",
            ("project", "license"),
            f'write license = "{fixed}"',
        )


def _legacy_table(table: dict[str, Any]) -> Problem:
    text, file = table.get("text"), table.get("file")
    guess = canonical(text.strip()) if isinstance(text, str) and len(text) < 200 else None
    expression = f'"{guess}"' if guess else '"<SPDX expression>"'
    if isinstance(file, str):
        fix = f'license = {expression} and license-files = ["{file}"]'
    else:
        fix = f"license = {expression}"
    return Problem(
        "license-legacy-table",
        "license is the legacy table form, deprecated by PEP 639 (still accepted by every"
        " backend and by PyPI)",
        ("project", "license"),
        f"replace it with {fix}",
    )


def _classifiers(classifiers: Any) -> Iterator[Problem]:
    if not isinstance(classifiers, list):
        return
    for index, classifier in enumerate(classifiers):
        if isinstance(classifier, str) and classifier.startswith("License ::"):
            yield Problem(
                "license-classifier",
                f"classifier {quoted(classifier)} beside a license expression: PEP 639 deprecates"
                " License :: classifiers once `license` is an expression, and build tools MAY"
                " refuse both (setuptools >= 77 does; hatchling builds it)",
                ("project", "classifiers", index),
                "remove the License :: classifier; the expression says it",
            )


def _glob(pattern: str, index: int, root: Path) -> Iterator[Problem]:
    key = ("project", "license-files", index)
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:", pattern) or ".." in pattern.split("/"):
        yield Problem(
            "license-files-path",
            f"license-files entry {quoted(pattern)} points outside the project",
            key,
            "license files must be inside the project directory: no absolute paths, no '..'",
        )
        return
    if "\\" in pattern or not _GLOB_CHARS.match(pattern):
        yield Problem(
            "license-files-glob",
            f"license-files entry {quoted(pattern)} uses characters PEP 639 does not allow",
            key,
            "use only letters, digits, '.', '_', '-', '*', '?', '**', '[]' and '/'",
        )
        return
    if not _matches(root, pattern):
        yield Problem(
            "license-files-unmatched",
            f"license-files entry {quoted(pattern)} matches no file",
            key,
            "PEP 639 makes a glob that matches nothing an error: fix the pattern or add the file",
        )


def _matches(root: Path, pattern: str) -> bool:
    try:
        return any(path.is_file() for path in root.glob(pattern))
    except (ValueError, OSError):
        return False
