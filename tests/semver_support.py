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


def complete_project(version: str = "1.2.0", package_version: str | None = None) -> dict[str, str]:
    """A project whose metadata is complete, so every fast gate passes unless told otherwise."""
    pyproject = (
        f'[project]\nname = "demo"\nversion = "{version}"\n'
        'description = "A demo package."\nreadme = "README.md"\nrequires-python = ">=3.10"\n'
        'license = "MIT"\nlicense-files = ["LICENSE"]\nauthors = [{ name = "Demo Author" }]\n'
        '[project.urls]\nHomepage = "https://example.invalid/demo"\n'
    )
    return {
        "pyproject.toml": pyproject,
        "README.md": "# demo\n\nA demo package.\n",
        "LICENSE": "MIT License\n\nCopyright (c) 2026 Demo Author\n",
        "CHANGELOG.md": changelog(version),
        **package(package_version or version),
    }
