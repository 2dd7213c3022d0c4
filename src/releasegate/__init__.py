"""releasegate: release-safety gates for Python packages.

The library surface is what this module exports (``__all__``), and only that: running the
gates, publishing, the findings model, the configuration and the errors raised on purpose
(``ReleasegateError``, and its ``ConfigError`` for an invalid configuration). Everything under
``releasegate._internal`` may change in any release; releasegate's own API gate holds
this surface to SemVer.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.config import Config
from releasegate._internal.errors import ConfigError, ReleasegateError
from releasegate._internal.findings import Finding, GateResult, Report, Severity

if TYPE_CHECKING:
    from collections.abc import Sequence

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Finding",
    "GateResult",
    "ReleasegateError",
    "Report",
    "Severity",
    "__version__",
    "load_config",
    "publish",
    "run_checks",
]


def load_config(root: str | Path = ".", config_file: str | Path | None = None) -> Config:
    """The validated configuration of the project at ``root``, defaults filled in.

    Raises ``ConfigError`` (its ``problems`` list every problem, with file and line) when invalid.
    """
    from releasegate._internal.project import Project

    return Project(Path(root), Path(config_file) if config_file else None).config


def run_checks(
    root: str | Path = ".",
    checks: Sequence[str] = (),
    *,
    config_file: str | Path | None = None,
    files: Sequence[str] | None = None,
    release: bool = False,
    allow_backend: bool = False,
    resolve: bool = False,
    offline: bool = False,
    vulns_database: str | Path | None = None,
) -> Report:
    """Run the named gates (default: the configured set) on the project at ``root``.

    ``files`` limits the gates to changed files, as the hooks do; ``release`` says a
    release is being made from this commit. ``Report.failed`` is the verdict, with the
    project's ``fail-on`` already applied. The project's build backend (its own code) runs
    only for a gate named in ``checks`` that builds, or with ``release`` or ``allow_backend``.
    As the CLI's options of the same names: ``resolve`` makes the lockfile gate resolve each
    lock afresh and compare; ``offline`` keeps the license and vulns gates off the network;
    ``vulns_database`` (a directory or zip of OSV records) replaces the configured database.
    Raises ``ConfigError`` for an invalid configuration and another ``ReleasegateError`` for
    an unknown gate name or an environment the gates cannot work in.
    """
    from releasegate._internal.checks import BUILD_GATES
    from releasegate._internal.checks.base import CheckContext, CheckOptions
    from releasegate._internal.project import Project
    from releasegate._internal.runner import run_checks as run

    trusted = release or allow_backend or bool(BUILD_GATES & set(checks))
    config = Path(config_file) if config_file else None
    project = Project(Path(root), config, run_backend=trusted)
    options = CheckOptions(
        files=tuple(files) if files is not None else None,
        release=release,
        resolve=resolve,
        offline=offline,
        vulns_database=str(Path(vulns_database).resolve()) if vulns_database else None,
    )
    return run(checks, CheckContext(project, options))


def publish(
    root: str | Path = ".",
    *,
    dist_dir: str | None = None,
    registries: Sequence[str] | None = None,
    dry_run: bool = False,
    resume: bool = False,
    config_file: str | Path | None = None,
) -> Report:
    """Upload the dists to every configured registry at once, as ``releasegate publish`` does.

    ``dist_dir`` defaults to the configured one (``dist/``); ``registries`` limits the run to
    those names; ``dry_run`` only plans; ``resume`` trusts the ledger for files an earlier run
    verified. Prints nothing: the returned Report is the one the CLI renders, one result per
    registry, and ``Report.failed`` is the verdict with the project's ``fail-on`` applied.
    Raises a ``ReleasegateError`` when publishing cannot start (no dists, no registries).
    """
    from releasegate._internal.project import Project
    from releasegate._internal.publish.progress import SilentEvents
    from releasegate._internal.publish.results import to_report
    from releasegate._internal.publish.run import PublishOptions
    from releasegate._internal.publish.run import publish as run

    # Publishing builds nothing of the checkout's but trusts it: it is the release job.
    project = Project(Path(root), Path(config_file) if config_file else None, run_backend=True)
    names = list(registries) if registries is not None else None
    options = PublishOptions(dist_dir, names, dry_run, resume)
    return to_report(run(project, options, SilentEvents()), project)
