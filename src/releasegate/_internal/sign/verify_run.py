"""What ``releasegate verify`` does with a project: pick files, policy and trust root; report."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from releasegate._internal.errors import UsageError
from releasegate._internal.findings import Severity
from releasegate._internal.paths import inside
from releasegate._internal.runner import report_of, result_of
from releasegate._internal.sign.outputs import is_signing_output
from releasegate._internal.sign.policy import IdentityPolicy
from releasegate._internal.sign.settings import SignSettings, VerifySettings
from releasegate._internal.sign.trust import Instance, offline_verifier
from releasegate._internal.sign.verifying import CHECK, Subject, Verification, verify_subject

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project


def _subjects(project: Project, files: Sequence[str], bundle: Path | None) -> list[Subject]:
    if bundle is not None and len(files) != 1:
        raise UsageError("--bundle needs exactly one FILE")
    if files:
        paths = [project.root / f for f in files]
    else:
        configured = project.config.settings(SignSettings).dist_dir
        dist = inside(project.root, configured, "[tool.releasegate.sign] dist-dir")
        paths = (
            sorted(p for p in dist.iterdir() if p.is_file() and not is_signing_output(p.name))
            if dist.is_dir()
            else []
        )
    if not paths:
        raise UsageError("nothing to verify: name the files, or build into dist/ first")
    # --bundle resolves like FILE: against the project root (-C), not the current directory.
    resolved = project.root / bundle if bundle is not None else None
    return [Subject(p, project.relative(p), resolved) for p in paths]


def verify_project(
    project: Project,
    files: Sequence[str],
    bundle: Path | None,
    flags: Mapping[str, str | None],
    staging: bool | None,
) -> Report:
    settings = project.config.settings(VerifySettings)
    policy = IdentityPolicy.from_sources(settings.policy, flags)
    instance = Instance.of(settings.staging if staging is None else staging)
    subjects = _subjects(project, files, bundle)
    started = time.monotonic()
    check = Verification(offline_verifier(instance), policy, instance)
    findings = [f for subject in subjects for f in verify_subject(check, subject)]
    failed = {f.path for f in findings if f.severity is Severity.ERROR}
    passed = len(subjects) - len(failed)
    summary = f"{passed} of {len(subjects)} verified offline (Sigstore {instance.value})"
    seconds = time.monotonic() - started
    return report_of(
        [result_of(CHECK, findings, project, seconds=seconds, summary=summary)], project
    )
