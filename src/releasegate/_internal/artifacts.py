"""The sdist and wheel of the project, built once per run and shared by every gate.

The build itself is the shared builder's (``releasegate._internal.builder.pep517``): one build
environment for both distributions, ``SOURCE_DATE_EPOCH`` from the last commit. A
failed build is remembered too, so each gate reports it without building again.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from releasegate._internal.builder.pep517 import BuildFailed

if TYPE_CHECKING:
    from collections.abc import Mapping

    from releasegate._internal.project import Project

__all__ = ["BuildFailed", "BuildNotTrusted", "ManifestSettings", "ensure_trusted", "shared_dists"]


class BuildNotTrusted(BuildFailed):
    """The run does not trust the commit to run its build backend: nothing was built."""


def ensure_trusted(project: Project) -> None:
    """Every gate that builds the project asks here first: a build runs the checkout's code
    (its backend, its ``setup.py``, its build hooks). The checkout's configuration cannot
    grant that (``checks = ["manifest"]``, ``sdist-coverage = true``): the job can, by naming
    the gate on the command line, ``--release`` or ``--allow-backend``."""
    if not project.run_backend:
        raise BuildNotTrusted(
            "not built: building runs the checkout's own code (its build backend), and this "
            "run was not asked to trust it",
            hint="name the gate on the command line (releasegate check manifest), or pass "
            "--allow-backend (--release implies it) where the commit is trusted",
        )


@dataclass(frozen=True)
class ManifestSettings:
    """``[tool.releasegate.manifest]``: how the shared dists are built, what the gate checks.

    Defaults live only in ``schema/sections/manifest.json``.
    """

    SECTION: ClassVar[str] = "manifest"
    build_isolation: bool
    ignore: tuple[str, ...]
    completeness: bool

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> ManifestSettings:
        return cls(
            bool(section["build-isolation"]),
            tuple(section["ignore"]),
            bool(section["completeness"]),
        )


_BUILT: WeakKeyDictionary[Project, tuple[Path, Path] | BuildFailed] = WeakKeyDictionary()


def shared_dists(project: Project) -> tuple[Path, Path]:
    """``(sdist, wheel)`` of ``project``, built on first call; raises BuildFailed (also cached)."""
    ensure_trusted(project)
    if project not in _BUILT:
        try:
            _BUILT[project] = _build(project)
        except BuildFailed as exc:
            _BUILT[project] = exc
    result = _BUILT[project]
    if isinstance(result, BuildFailed):
        raise result
    return result


def _isolated(project: Project) -> bool:
    return project.config.settings(ManifestSettings).build_isolation


def _output_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="releasegate-dists-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def _build(project: Project) -> tuple[Path, Path]:
    from releasegate._internal.builder.pep517 import build_dists

    return build_dists(project.root, _output_dir(), isolated=_isolated(project)).paths()
