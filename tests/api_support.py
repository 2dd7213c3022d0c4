"""A small package with a tagged release, and helpers to change it and run the API gate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.api.assess import Assessment, assess
from releasegate._internal.api.settings import ApiSettings
from releasegate._internal.checks import api
from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.project import Project
from releasegate._internal.releases import SemverSettings

if TYPE_CHECKING:
    from collections.abc import Callable

    from releasegate._internal.findings import Finding
    from tests.conftest import GitRepo

PYPROJECT = """\
[project]
name = "shapes"
version = "{version}"
requires-python = ">=3.9"
dependencies = ["attrs>=22", "packaging"]

[project.optional-dependencies]
fast = ["orjson"]

[project.scripts]
shapes = "shapes.cli:main"
{tool}"""

INIT = '''\
"""Shapes."""
from shapes.core import Circle, area, scale
from shapes.errors import ShapeError

__version__ = "1.0.0"
__all__ = ["Circle", "ShapeError", "area", "describe", "scale"]


def describe(shape: Circle, *, verbose: bool = False) -> str:
    return "circle"


def internal_tool() -> None:
    """Not in __all__: not public."""
'''

CORE = """\
VERSION = "1.0.0"
__version__ = VERSION


class Shape:
    def name(self) -> str:
        return "shape"


class Circle(Shape):
    def __init__(self, radius: float) -> None:
        self.radius = radius


def area(shape: Circle, precision: int = 2) -> float:
    return 3.14 * shape.radius**2


def scale(shape: Circle, factor: float) -> Circle | None:
    return Circle(shape.radius * factor)


def _helper() -> None:
    pass
"""

ERRORS = """\
class _BaseError(Exception):
    args: tuple[object, ...]

    def explain(self) -> str:
        return "explained"


class ShapeError(_BaseError):
    pass
"""

CLI = "def main() -> None:\n    pass\n"


def package_files(version: str = "1.0.0", tool: str = "") -> dict[str, str]:
    return {
        "pyproject.toml": PYPROJECT.format(version=version, tool=tool),
        "src/shapes/__init__.py": INIT,
        "src/shapes/core.py": CORE,
        "src/shapes/errors.py": ERRORS,
        "src/shapes/cli.py": CLI,
    }


def released(make_repo: Callable[..., GitRepo], version: str = "1.0.0", tool: str = "") -> GitRepo:
    """A repository whose first commit is the release ``v{version}``."""
    return make_repo(package_files(version, tool), tag=f"v{version}")


def edit(repo: GitRepo, path: str, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) by ``new`` in ``path``."""
    target = repo.root / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_version(repo: GitRepo, version: str) -> None:
    target = repo.root / "pyproject.toml"
    text = target.read_text(encoding="utf-8")
    lines = [
        f'version = "{version}"' if line.startswith("version = ") else line
        for line in text.splitlines()
    ]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def gate(repo: GitRepo, *, release: bool = False) -> list[Finding]:
    context = CheckContext(Project(repo.root), CheckOptions(release=release))
    return list(api.run(context))


def assessment(repo: GitRepo) -> Assessment:
    project = Project(repo.root)
    settings = project.config.settings(ApiSettings)
    return assess(project, settings, project.config.settings(SemverSettings))


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity.value == "error"]


DEMO = '[project]\nname = "{name}"\nversion = "{version}"\n{tool}'


def release_pair(
    make_repo: Callable[..., GitRepo],
    before: dict[str, str],
    after: dict[str, str],
    version: str = "1.0.1",
    *,
    name: str = "demo",
    tool: str = "",
) -> GitRepo:
    """``before`` released as v1.0.0, then ``after`` (files gone from it deleted) as ``version``."""
    pyproject = {"pyproject.toml": DEMO.format(name=name, version="1.0.0", tool=tool)}
    repo = make_repo({**pyproject, **before}, tag="v1.0.0")
    for gone in before.keys() - after.keys():
        (repo.root / gone).unlink()
    pyproject = {"pyproject.toml": DEMO.format(name=name, version=version, tool=tool)}
    repo.commit({**pyproject, **after}, "release")
    return repo


def changes_of(repo: GitRepo) -> list[str]:
    """``kind target`` of every change the assessment counts."""
    return [f"{c.kind.value} {c.target}" for c in assessment(repo).changes]
