"""Verified claims matched against the allowed publishers, as PyPI matches trusted publishers.

GitHub's token names the repository and its numeric id (``repository``, ``repository_id``),
the workflow file that runs the job (``job_workflow_ref``: for a reusable workflow, the
called file, which PyPI cannot match and this can), the ref and the environment.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.governance.policy import Publisher

SHOWN_CLAIMS = (
    "repository",
    "repository_id",
    "job_workflow_ref",
    "ref",
    "environment",
    "sha",
    "event_name",
    "actor",
)
"""The claims quoted in verdicts and kept in the audit record (none of them is secret)."""


def shown(claims: Mapping[str, Any]) -> dict[str, Any]:
    return {name: claims.get(name) for name in SHOWN_CLAIMS if name in claims}


def _workflow_path(publisher: Publisher) -> str:
    """``owner/repo/.github/workflows/x.yml``: a bare path is a file of the publisher's repo."""
    if publisher.workflow.startswith(".github/"):
        return f"{publisher.repository}/{publisher.workflow}"
    return publisher.workflow


def mismatches(publisher: Publisher, claims: Mapping[str, Any]) -> list[str]:
    """Each claim that differs from ``publisher``; empty when the publisher matches."""
    found = []
    repository = str(claims.get("repository", ""))
    if repository.lower() != publisher.repository.lower():
        found.append(f"repository {repository!r} is not {publisher.repository!r}")
    if str(claims.get("repository_id", "")) != str(publisher.repository_id):
        found.append(
            f"repository_id {claims.get('repository_id')!r} is not {publisher.repository_id}"
        )
    workflow = str(claims.get("job_workflow_ref", "")).partition("@")[0]
    if workflow.lower() != _workflow_path(publisher).lower():
        found.append(f"workflow {workflow!r} is not {_workflow_path(publisher)!r}")
    ref = str(claims.get("ref", ""))
    if not fnmatchcase(ref, publisher.ref):
        found.append(f"ref {ref!r} does not match {publisher.ref!r}")
    environment = str(claims.get("environment") or "")
    if publisher.environment and environment != publisher.environment:
        found.append(f"environment {environment or 'none'!r} is not {publisher.environment!r}")
    return found


def match(
    publishers: Sequence[Publisher], claims: Mapping[str, Any]
) -> tuple[Publisher | None, list[str]]:
    """The first publisher the claims match, or None with why each one did not."""
    reasons = []
    for publisher in publishers:
        differ = mismatches(publisher, claims)
        if not differ:
            return publisher, []
        reasons.append(f"{publisher.repository} {publisher.workflow}: {'; '.join(differ)}")
    return None, reasons
