"""What the GitHub Actions runner tells a step through its environment."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_API_URL = "https://api.github.com"
DEFAULT_SERVER_URL = "https://github.com"
_PULL_REF = re.compile(r"^refs/pull/(\d+)/(?:merge|head)$")


@dataclass(frozen=True)
class ActionsEnv:
    """The parts of a workflow run that statuses and comments need."""

    repository: str | None
    """``owner/name``."""
    sha: str | None
    """The commit to report on: a pull request's head, not the merge commit GitHub tests."""
    pull_request: int | None
    api_url: str = DEFAULT_API_URL
    run_url: str | None = None
    checked_run: WorkflowRun | None = None
    """Under ``workflow_run``: the run whose report is posted (the pull request's own)."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ActionsEnv:
        env = os.environ if environ is None else environ
        event = _event_payload(env.get("GITHUB_EVENT_PATH"))
        checked = WorkflowRun.of(event) if env.get("GITHUB_EVENT_NAME") == "workflow_run" else None
        if checked is not None:
            # GITHUB_SHA is the default branch here: the commit is the checked run's head.
            return cls(
                repository=env.get("GITHUB_REPOSITORY") or None,
                sha=checked.head_sha,
                pull_request=None,
                api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
                run_url=checked.html_url or _run_url(env),
                checked_run=checked,
            )
        return cls(
            repository=env.get("GITHUB_REPOSITORY") or None,
            sha=_head_sha(event) or env.get("GITHUB_SHA") or None,
            pull_request=_pull_number(event, env.get("GITHUB_REF", "")),
            api_url=(env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/"),
            run_url=_run_url(env),
        )


_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class WorkflowRun:
    """``github.event.workflow_run``: written by GitHub, not by the run it describes."""

    head_sha: str
    head_repository: str | None
    """``owner/name`` of the head: the fork for a pull request from a fork."""
    head_branch: str | None
    html_url: str | None

    @classmethod
    def of(cls, event: Mapping[str, Any]) -> WorkflowRun | None:
        run = event.get("workflow_run")
        if not isinstance(run, dict) or not _SHA.match(str(run.get("head_sha", ""))):
            return None
        head = run.get("head_repository")
        name = head.get("full_name") if isinstance(head, dict) else None
        return cls(
            head_sha=run["head_sha"],
            head_repository=name if isinstance(name, str) and name else None,
            head_branch=_text(run.get("head_branch")),
            html_url=_text(run.get("html_url")),
        )

    @property
    def head_label(self) -> str | None:
        """``owner:branch``, how the pulls API names a head."""
        if not self.head_repository or not self.head_branch:
            return None
        return f"{self.head_repository.split('/')[0]}:{self.head_branch}"


@dataclass(frozen=True)
class PullBase:
    """What a pull request (or a merge queue's group) is to be merged into."""

    sha: str | None
    """The base branch's commit the event names; None when the payload names none."""
    branch: str | None
    """The base branch's name, ``main``."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> PullBase | None:
        """The base of a ``pull_request`` or ``merge_group`` run; None for any other event."""
        env = os.environ if environ is None else environ
        kind = env.get("GITHUB_EVENT_NAME")
        event = _event_payload(env.get("GITHUB_EVENT_PATH"))
        if kind == "pull_request":
            base = _pull_request(event).get("base")
            base = base if isinstance(base, dict) else {}
            branch = _text(base.get("ref")) or _text(env.get("GITHUB_BASE_REF"))
            return cls(_sha(base.get("sha")), branch)
        if kind == "merge_group":
            group = event.get("merge_group")
            group = group if isinstance(group, dict) else {}
            ref = _text(group.get("base_ref"))
            return cls(
                _sha(group.get("base_sha")), ref.removeprefix("refs/heads/") if ref else None
            )
        return None


def _sha(value: object) -> str | None:
    return value if isinstance(value, str) and _SHA.match(value) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _event_payload(path: str | None) -> dict[str, Any]:
    """The webhook payload of the triggering event; empty when absent or unreadable."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _pull_request(event: Mapping[str, Any]) -> Mapping[str, Any]:
    pull = event.get("pull_request")
    return pull if isinstance(pull, dict) else {}


def _head_sha(event: Mapping[str, Any]) -> str | None:
    head = _pull_request(event).get("head")
    sha = head.get("sha") if isinstance(head, dict) else None
    return sha if isinstance(sha, str) and sha else None


def _pull_number(event: Mapping[str, Any], ref: str) -> int | None:
    number = _pull_request(event).get("number")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return number
    match = _PULL_REF.match(ref)
    return int(match.group(1)) if match else None


def _run_url(env: Mapping[str, str]) -> str | None:
    repository, run_id = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
    if not repository or not run_id:
        return None
    server = (env.get("GITHUB_SERVER_URL") or DEFAULT_SERVER_URL).rstrip("/")
    return f"{server}/{repository}/actions/runs/{run_id}"
