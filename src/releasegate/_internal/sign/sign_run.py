"""What ``releasegate sign`` does: find the identity and the network, sign, then write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError
from releasegate._internal.sign.settings import SignSettings
from releasegate._internal.sign.signing import (
    default_files,
    load_targets,
    sign_targets,
    write_outputs,
)
from releasegate._internal.sign.token import MissingIdentity, resolve
from releasegate._internal.sign.trust import Instance, online_trust_config

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from sigstore.models import ClientTrustConfig

    from releasegate._internal.governance.decision import Decision
    from releasegate._internal.project import Project
    from releasegate._internal.sign.token import Identity


@dataclass(frozen=True)
class SignRequest:
    files: Sequence[Path]
    token_source: str | None
    staging: bool | None


@dataclass(frozen=True)
class SignOutcome:
    identity: Identity
    instance: Instance
    written: list[Path]
    governance: Decision | None = None


def _preflight(
    identity: Callable[[], Identity], instance: Instance, on_identity: Callable[[Identity], None]
) -> tuple[Identity, ClientTrustConfig]:
    """Look for both the identity and the network, and name every one that is missing."""
    problems: list[FatalError] = []
    found = trust = None
    try:
        found = identity()
        on_identity(found)
    except MissingIdentity as exc:
        problems.append(exc)
    try:
        trust = online_trust_config(instance)
    except FatalError as exc:
        problems.append(exc)
    if found is None or trust is None:
        raise FatalError(
            "cannot sign, nothing was written:\n" + "\n".join(f"  {p.message}" for p in problems),
            hint="; ".join(p.hint for p in problems if p.hint) or None,
        )
    return found, trust


def sign_project(
    project: Project, request: SignRequest, on_identity: Callable[[Identity], None]
) -> SignOutcome:
    settings = project.config.settings(SignSettings)
    staging = settings.staging if request.staging is None else request.staging
    instance = Instance.of(staging)
    files = list(request.files) or default_files(project.root, settings.dist_dir)
    targets = load_targets(files, settings.attestations)
    governance = _governed(project, files)
    identity, trust = _preflight(
        lambda: resolve(request.token_source, settings.identity_token_env), instance, on_identity
    )
    signed = sign_targets(targets, identity, trust)
    return SignOutcome(identity, instance, write_outputs(signed), governance)


def _governed(project: Project, files: Sequence[Path]) -> Decision | None:
    """The policy's decision before any identity is asked for or anything signed."""
    import os

    from releasegate._internal.governance.decision import decide
    from releasegate._internal.publish import audit
    from releasegate._internal.publish.settings import PublishSettings

    decision = decide(project, "sign", dry_run=False, env=os.environ)
    if decision is None:
        return None
    # sign keeps no audit record of its own: the governed decision goes to publish's log.
    log = project.root / project.config.settings(PublishSettings).audit_log
    entry = {
        "tool": "releasegate sign",
        "phase": "governed" if decision.allowed else "refused",
        "who": audit.who(os.environ),
        "commit": project.git.head,
        "when": audit.iso(time.time()),
        "files": [project.relative(path) for path in files],
        "governance": decision.record(),
    }
    audit.append(log, entry)
    if not decision.allowed:
        raise decision.refusal()
    return decision
