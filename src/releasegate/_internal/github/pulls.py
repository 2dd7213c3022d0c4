"""The pull request a commit is the head of, found through the API.

Under ``workflow_run`` the event's ``pull_requests`` is empty for a pull request from a fork,
and a number read from the checked run's artifact could name any pull request: the open
pull requests of this repository whose head is the checked commit are asked for instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.github.api import call

if TYPE_CHECKING:
    from github.Repository import Repository
    from releasegate._internal.github.env import WorkflowRun


def pull_requests_of(repo: Repository, run: WorkflowRun) -> list[int]:
    """Open pull requests into ``repo`` whose head is exactly ``run.head_sha``, oldest first."""
    if run.head_label is None:
        return []
    pulls = call(
        "list pull requests",
        "pull-requests: read",
        lambda: list(repo.get_pulls(state="open", head=run.head_label or "")),
    )
    # The head filter narrows the list; the exact commit and repository decide, so a branch
    # pushed again since the checked run gets no comment with stale results.
    return sorted(
        pull.number
        for pull in pulls
        if pull.head.sha == run.head_sha
        and pull.head.repo is not None
        and pull.head.repo.full_name == run.head_repository
    )
