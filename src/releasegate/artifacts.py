"""The sdist and wheel of the project, built once per run and shared by every gate.

A minimal builder on ``build`` (imported lazily); the reproducible builder in
``releasegate.build`` replaces ``_build`` at merge. A failed build is remembered too,
so gates report it once each without building again.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from releasegate.errors import ReleasegateError

if TYPE_CHECKING:
    from build import ProjectBuilder

    from releasegate.project import Project

_OUTPUT_TAIL = 1500


class BuildFailed(ReleasegateError):
    """The project's build backend could not build it; a finding for the gates, not a crash."""


_BUILT: WeakKeyDictionary[Project, tuple[Path, Path] | BuildFailed] = WeakKeyDictionary()


def shared_dists(project: Project) -> tuple[Path, Path]:
    """``(sdist, wheel)`` of ``project``, built on first call; raises BuildFailed (also cached)."""
    if project not in _BUILT:
        try:
            _BUILT[project] = _build(project, _output_dir(), _isolated(project))
        except BuildFailed as exc:
            _BUILT[project] = exc
    result = _BUILT[project]
    if isinstance(result, BuildFailed):
        raise result
    return result


def _isolated(project: Project) -> bool:
    return bool(project.config.section("manifest").get("build-isolation", True))


def _output_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="releasegate-dists-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _build(project: Project, outdir: Path, isolated: bool) -> tuple[Path, Path]:
    from build import BuildBackendException, BuildException

    try:
        if isolated:
            return _build_isolated(project.root, outdir)
        return _build_with(_local_builder(project.root), outdir)
    except BuildBackendException as exc:
        raise BuildFailed(
            f"the build backend failed: {_tail(exc)}",
            hint="run `python -m build` to see the whole output",
        ) from None
    except (BuildException, OSError) as exc:
        raise BuildFailed(f"cannot build the project: {exc}") from None


def _local_builder(root: Path) -> ProjectBuilder:
    """A builder using the backend installed beside releasegate (no isolation: fast, for tests)."""
    from build import ProjectBuilder
    from pyproject_hooks import quiet_subprocess_runner

    return ProjectBuilder(root, python_executable=sys.executable, runner=quiet_subprocess_runner)


def _build_with(builder: ProjectBuilder, outdir: Path) -> tuple[Path, Path]:
    sdist = builder.build("sdist", outdir)
    wheel = builder.build("wheel", outdir)
    return Path(sdist), Path(wheel)


def _build_isolated(root: Path, outdir: Path) -> tuple[Path, Path]:
    from build import ProjectBuilder
    from build.env import DefaultIsolatedEnv
    from pyproject_hooks import quiet_subprocess_runner

    with DefaultIsolatedEnv() as env:
        builder = ProjectBuilder.from_isolated_env(env, root, runner=quiet_subprocess_runner)
        env.install(builder.build_system_requires)
        env.install(
            builder.get_requires_for_build("sdist") | builder.get_requires_for_build("wheel")
        )
        return _build_with(builder, outdir)


def _tail(exc: Exception) -> str:
    """The end of the backend's output, where the reason usually is."""
    cause = getattr(exc, "exception", None)
    output = getattr(cause, "output", None) or getattr(cause, "stderr", None)
    text = (
        output.decode("utf-8", "replace")
        if isinstance(output, bytes)
        else str(output or cause or exc)
    )
    text = text.strip()
    return text[-_OUTPUT_TAIL:] if len(text) > _OUTPUT_TAIL else text
