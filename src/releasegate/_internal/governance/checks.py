"""What GitHub says of the released commit: its required checks, its reviewed pull request.

Read through the one PyGithub client (``github/api.py``) from the policy's ``api-url`` for the
repository the verified token names, never from ``GITHUB_REPOSITORY``. A check is green when
its latest commit status is ``success`` or its latest check run of that name concluded
``success``; missing counts as not green.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.github.api import call, client

if TYPE_CHECKING:
    from collections.abc import Sequence

    from github.Commit import Commit

STATUS_PAGE = 100
"""GitHub's combined status lists at most 100 contexts per page."""


def commit_of(api_url: str, token: str | None, repository: str, sha: str) -> Commit:
    """The commit, lazily: no request until a list is read."""
    github = client(api_url, token, lazy=True)
    return github.get_repo(repository).get_commit(sha)


def _statuses(commit: Commit) -> dict[str, str]:
    """Each context's latest state (the combined status holds only the latest per context)."""
    states: dict[str, str] = {}
    page = 1
    while True:
        # PyGithub's combined status reads one page; later pages are asked for by number.
        headers, data = commit._requester.requestJsonAndCheck(
            "GET", f"{commit.url}/status", parameters={"per_page": STATUS_PAGE, "page": page}
        )
        del headers
        entries = data.get("statuses") or []
        for entry in entries:
            states.setdefault(str(entry.get("context")), str(entry.get("state")))
        total = int(data.get("total_count") or 0)
        if len(entries) < STATUS_PAGE or page * STATUS_PAGE >= total:
            return states
        page += 1


def _check_run(commit: Commit, name: str) -> str | None:
    """The conclusion of the latest check run called ``name`` (``filter=latest``), if any."""
    runs = list(commit.get_check_runs(check_name=name, filter="latest"))
    if not runs:
        return None
    latest = max(runs, key=lambda run: run.id)
    return str(latest.conclusion or latest.status)


def _read_check_run(commit: Commit, name: str) -> str | None:
    found: str | None = call(
        "read the commit's check runs", "checks: read", lambda: _check_run(commit, name)
    )
    return found


def required_checks(commit: Commit, names: Sequence[str]) -> tuple[bool, str]:
    """(every named check is green on the commit, each one's state)."""
    statuses = call("read the commit's statuses", "statuses: read", lambda: _statuses(commit))
    states = []
    green = True
    for name in names:
        state = statuses.get(name)
        if state is None:
            state = _read_check_run(commit, name)
        shown = state or "missing"
        green = green and shown == "success"
        states.append(f"{name}: {shown}")
    return green, ", ".join(states)


def reviewed(commit: Commit, branches: Sequence[str]) -> tuple[bool, str]:
    """(the commit came from a pull request merged into a protected branch with an approval)."""
    from fnmatch import fnmatchcase

    branch = " or ".join(branches)

    def find() -> tuple[bool, str]:
        merged = [
            pull
            for pull in commit.get_pulls()
            if pull.merged_at is not None and any(fnmatchcase(pull.base.ref, b) for b in branches)
        ]
        if not merged:
            return False, f"no pull request merged into {branch} contains the commit"
        for pull in merged:
            approvers = sorted({r.user.login for r in pull.get_reviews() if r.state == "APPROVED"})
            if approvers:
                return True, f"pull request #{pull.number} approved by {', '.join(approvers)}"
        numbers = ", ".join(f"#{p.number}" for p in merged)
        return False, f"pull request {numbers} merged into {branch} without an approving review"

    result: tuple[bool, str] = call("read the commit's pull requests", "pull-requests: read", find)
    return result
