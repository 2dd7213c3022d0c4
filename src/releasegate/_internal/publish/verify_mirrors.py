"""``verify-mirrors`` as a run: the reference chosen, every registry read, the files compared.

The CLI parses the command line, calls ``verify_mirrors`` and renders the Report, as it does
for ``check`` and ``publish``; the comparison itself is ``mirrors.py``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project
    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.executor import Events


@dataclass(frozen=True)
class MirrorOptions:
    version: str | None = None
    """The version to compare; None: the dists' version, else [project] version; ``all``:
    every version."""
    dist_dir: str | None = None
    """Local dists used as the reference when present (None: the configured one, ``dist/``)."""
    registries: Sequence[str] | None = None
    """Only these registries (None: every configured one)."""


def _local(project: Project, dist_dir: str) -> tuple[Artifact, ...]:
    from releasegate._internal.errors import FatalError
    from releasegate._internal.publish.artifacts import discover

    try:
        return discover(project.root / dist_dir)
    except FatalError:
        return ()  # no local dists: the registries' majority is the reference


def _version(requested: str | None, local: tuple[Artifact, ...], project: Project) -> str | None:
    if requested == "all":
        return None
    if requested:
        return requested
    versions = sorted({a.version for a in local})
    if len(versions) == 1:
        return versions[0]
    declared = project.metadata.get("version")
    return declared if isinstance(declared, str) else None


def verify_mirrors(
    project: Project,
    options: MirrorOptions,
    events: Events,
    env: Mapping[str, str] | None = None,
) -> Report:
    """What every configured registry serves for the version, compared file by file: one
    result (``verify-mirrors``) with the project's severity overrides and ``fail-on``."""
    from releasegate._internal.errors import UsageError
    from releasegate._internal.publish.mirrors import (
        CHECK,
        compare,
        nothing_compared,
        read_all,
        yank_rows,
    )
    from releasegate._internal.publish.run import make_job
    from releasegate._internal.publish.settings import PublishSettings, registry_specs, select
    from releasegate._internal.runner import report_of, result_of

    started = time.monotonic()
    names = list(options.registries) if options.registries is not None else None
    specs = select(registry_specs(project.config), names)
    dist_dir = options.dist_dir or project.config.settings(PublishSettings).dist_dir
    local = _local(project, dist_dir)
    version = _version(options.version, local, project)
    if not local and not project.name:
        raise UsageError("no project name: no dists in the dist directory and no [project] name")
    job = make_job(
        project,
        artifacts=local,
        version=version or "",
        events=events,
        env=dict(os.environ) if env is None else env,
        read_only=True,
    )
    served = read_all(specs, job, version)
    reference = {a.filename: a.sha256 for a in local if version is None or a.version == version}
    findings = compare(served, reference)
    files = set(reference).union(*(item.files or {} for item in served))
    if not files:  # "passed: 0 files" would be a false success
        findings.append(nothing_compared(version))
    summary = (
        f"{len(specs)} registries, version {version or 'all'}, {len(files)} files: "
        f"{len(findings)} problem(s)"
    )
    # What each registry served, downloaded and hashed: the dossier shows it per file.
    # The yank state of each file yanked somewhere: the CLI shows it as a table.
    data = {
        "version": version,
        "served": {item.registry: item.files for item in served},
        "yanked": [list(row) for row in yank_rows(served)],
    }
    result = result_of(
        CHECK, findings, project, seconds=time.monotonic() - started, summary=summary, data=data
    )
    return report_of([result], project)
