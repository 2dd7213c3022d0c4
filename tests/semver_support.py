"""Small project files for the SemVer tests."""

from __future__ import annotations


def pyproject(version: str = "1.2.0", name: str = "demo", extra: str = "") -> str:
    return f'[project]\nname = "{name}"\nversion = "{version}"\n{extra}'


def package(version: str = "1.2.0", name: str = "demo") -> dict[str, str]:
    return {f"src/{name}/__init__.py": f'"""Demo."""\n\n__version__ = "{version}"\n'}


def changelog(version: str = "1.2.0") -> str:
    return (
        f"# Changelog\n\n## [Unreleased]\n\n## [{version}] - 2026-01-01\n\n- things\n\n## [0.1.0]\n"
    )


def project(version: str = "1.2.0", **overrides: str) -> dict[str, str]:
    return {
        "pyproject.toml": pyproject(overrides.get("pyproject", version)),
        "CHANGELOG.md": changelog(overrides.get("changelog", version)),
        **package(overrides.get("package", version)),
    }
