"""The one pull-request comment with the summary table, edited in place on every run.

The comment is found again by a hidden HTML marker in its body, so a push that
re-runs the checks edits it instead of adding one comment per push.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.github.api import call
from releasegate._internal.report import markdown

if TYPE_CHECKING:
    from github.Issue import Issue
    from github.IssueComment import IssueComment
    from github.Repository import Repository
    from releasegate._internal.findings import Report

MARKER = "<!-- releasegate:summary -->"
BODY_LIMIT = 65_536
"""GitHub answers 422 to a longer comment body (in characters)."""


def body_of(report: Report, run_url: str | None = None) -> str:
    link = f"\n[Workflow run]({run_url})\n" if run_url else ""
    elsewhere = f"the [workflow run]({run_url})'s job summary" if run_url else markdown.ELSEWHERE
    limit = BODY_LIMIT - len(MARKER) - 1 - len(link)
    return f"{MARKER}\n{markdown.render(report, limit, elsewhere)}{link}"


def find_comment(issue: Issue) -> IssueComment | None:
    """The first comment carrying the marker (oldest first, as GitHub lists them)."""
    comments: list[IssueComment] = call(
        "list pull request comments", "pull-requests: read", lambda: list(issue.get_comments())
    )
    for comment in comments:
        if MARKER in (comment.body or ""):
            return comment
    return None


def upsert_comment(repo: Repository, number: int, body: str) -> str:
    """Edit the marked comment, or create it; returns ``updated`` or ``created``."""
    issue = repo.get_issue(number)
    existing = find_comment(issue)
    if existing is not None:
        if existing.body != body:
            call(
                "edit the pull request comment", "pull-requests: write", lambda: existing.edit(body)
            )
        return "updated"
    call("comment on the pull request", "pull-requests: write", lambda: issue.create_comment(body))
    return "created"
