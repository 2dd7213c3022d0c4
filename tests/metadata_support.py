"""Small real projects for the metadata, license and manifest tests, one per build backend."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from tests.conftest import run_cli

if TYPE_CHECKING:
    from pathlib import Path

BUILD_SYSTEMS = {
    "hatchling": ('["hatchling"]', "hatchling.build"),
    "setuptools": ('["setuptools>=77"]', "setuptools.build_meta"),
    "flit-core": ('["flit_core>=3.12"]', "flit_core.buildapi"),
    "pdm-backend": ('["pdm-backend"]', "pdm.backend"),
    "poetry-core": ('["poetry-core>=2"]', "poetry.core.masonry.api"),
}
BACKENDS = tuple(BUILD_SYSTEMS)

HEADER = "# SPDX-FileCopyrightText: 2026 Demo Author\n# SPDX-License-Identifier: MIT\n"
MIT_TEXT = "MIT License\n\nCopyright (c) 2026 Demo Author\n\nPermission is hereby granted...\n"

PROJECT = """\
[project]
name = "demo"
version = "1.0.0"
description = "A demo project"
readme = "README.md"
requires-python = ">=3.10"
{license}
authors = [{{ name = "Demo Author", email = "demo@example.org" }}]
classifiers = [
    "Programming Language :: Python :: 3",
{classifiers}]
dependencies = []

[project.urls]
Homepage = "https://example.org/demo"

[tool.releasegate.manifest]
build-isolation = false
{manifest}
[tool.releasegate.license]
dependencies = false
sdist-coverage = true
"""
# LICENSES/ and REUSE.toml are for REUSE in the checkout; most backends leave them out of the sdist.
MANIFEST_IGNORE = 'ignore = ["REUSE.toml", "LICENSES/*"]\n'

# [build-system] goes last so every key above is on the same line whatever the backend.
BUILD_SYSTEM = """
[build-system]
requires = {requires}
build-backend = "{backend}"
"""


def pyproject(
    backend: str,
    license_lines: str = 'license = "MIT"\nlicense-files = ["LICENSE"]',
    classifiers: str = "",
) -> str:
    requires, entry = BUILD_SYSTEMS[backend]
    text = PROJECT.format(license=license_lines, classifiers=classifiers, manifest=MANIFEST_IGNORE)
    return text + BUILD_SYSTEM.format(requires=requires, backend=entry)


def project_files(backend: str, **kwargs: str) -> dict[str, str | bytes]:
    """A complete, REUSE-compliant project with the given backend."""
    return {
        "pyproject.toml": pyproject(backend, **kwargs),
        "README.md": "# demo\n\nA demo project.\n",
        "LICENSE": MIT_TEXT,
        "LICENSES/MIT.txt": MIT_TEXT,
        "REUSE.toml": "version = 1\n\n[[annotations]]\n"
        'path = ["LICENSE", "README.md", "pyproject.toml", ".gitignore"]\n'
        'SPDX-FileCopyrightText = "2026 Demo Author"\nSPDX-License-Identifier = "MIT"\n',
        "src/demo/__init__.py": HEADER + '"""A demo project."""\n\n__version__ = "1.0.0"\n',
        ".gitignore": "dist/\nbuild/\n*.egg-info/\n__pycache__/\n",
    }


def findings(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    """Run ``releasegate check ARGS --format json`` and return the exit code and its findings."""
    cache = {"RELEASEGATE_CACHE_DIR": str(root.parent / "releasegate-cache")}
    completed = run_cli("check", *args, "--format", "json", cwd=root, env=cache)
    assert completed.returncode in (0, 1), completed.stderr
    report = json.loads(completed.stdout)
    found = [f for result in report["checks"] for f in result["findings"]]
    return completed.returncode, found


def verdict(found: list[dict[str, object]]) -> list[tuple[str, str, int]]:
    """What a finding says, minus wording: rule, file and line, sorted."""
    return sorted((str(f["rule"]), str(f["path"]), int(str(f["line"] or 0))) for f in found)


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line of ``text`` containing ``fragment``."""
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in text")
