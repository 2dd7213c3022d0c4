"""A PyGithub client from the job's token, and GitHub's refusals turned into readable errors.

The token comes from the environment only (``GITHUB_TOKEN``, which action.yml fills from
its ``github-token`` input); it is never part of a message, since PyGithub's exceptions
carry request data and ours are printed to the job log.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from github import Github
    from github.Repository import Repository
    from releasegate._internal.github.env import ActionsEnv

TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
TIMEOUT_SECONDS = 20


class GitHubAccessError(FatalError):
    """GitHub refused or failed a request that feedback needed."""


def token_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    return next((env[name] for name in TOKEN_VARIABLES if env.get(name)), None)


def repository(env: ActionsEnv, token: str) -> Repository:
    """The repository of this run, without a request (objects are lazy until used)."""
    from github import Auth, Github

    if not env.repository:
        raise GitHubAccessError(
            "GITHUB_REPOSITORY is not set", hint="run this inside GitHub Actions"
        )
    client: Github = Github(
        auth=Auth.Token(token), base_url=env.api_url, timeout=TIMEOUT_SECONDS, lazy=True
    )
    return client.get_repo(env.repository)


def call(what: str, permission: str, request: Callable[[], Any]) -> Any:
    """Run one API request; a refusal becomes a GitHubAccessError saying what to grant."""
    from github import GithubException

    try:
        return request()
    except GithubException as exc:
        raise _refusal(what, permission, exc.status, _message(exc.data)) from None
    except OSError as exc:
        raise GitHubAccessError(
            f"cannot {what}: {type(exc).__name__}",
            hint="check GITHUB_API_URL and the runner's network",
        ) from None


def _message(data: Any) -> str:
    message = data.get("message") if isinstance(data, dict) else None
    return str(message)[:200] if message else "no message"


def _refusal(what: str, permission: str, status: int, message: str) -> GitHubAccessError:
    if status in (403, 404):
        # GitHub answers 404 instead of 403 when the token may not even see the resource.
        return GitHubAccessError(
            f"cannot {what}: GitHub answered HTTP {status} ({message}); "
            "the token lacks the permission",
            hint=f"grant the job `permissions: {permission}` (a pull request from a fork only "
            "ever gets a read-only token); the check results above are unaffected",
        )
    if status == 401:
        return GitHubAccessError(
            f"cannot {what}: GitHub answered HTTP 401 ({message})",
            hint="the token is invalid or expired; pass `github-token`",
        )
    return GitHubAccessError(f"cannot {what}: GitHub answered HTTP {status} ({message})")
