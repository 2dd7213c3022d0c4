"""The one PyGithub client factory, and GitHub's refusals turned into readable errors.

The token comes from the environment only (``GITHUB_TOKEN``, which action.yml fills from
its ``github-token`` input); it is never part of a message, since PyGithub's exceptions
carry request data and ours are printed to the job log.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from releasegate._internal import http
from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from github import Github
    from github.Repository import Repository
    from releasegate._internal.github.env import ActionsEnv

TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
RETRIES = 5
"""Transient failures (5xx, rate limits) retried by PyGithub, as publish retries by default."""


class GitHubAccessError(FatalError):
    """GitHub refused or failed a request that feedback needed."""


def token_from_env(environ: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if environ is None else environ
    return next((env[name] for name in TOKEN_VARIABLES if env.get(name)), None)


def client(
    base_url: str,
    token: str | None,
    *,
    timeout: float = http.TIMEOUT_SECONDS,
    transport_retries: bool = True,
    lazy: bool = False,
) -> Github:
    """Every PyGithub client releasegate makes: one timeout, User-Agent and retry policy.

    Retries happen in one layer: PyGithub's own (``RETRIES``, rate limits honoured)
    unless the caller retries each step itself, as the publish executor does; stacked,
    the two would multiply every wait.
    """
    from github import Auth, Consts, Github
    from github.GithubRetry import GithubRetry

    # PyGithub spaces writes a second apart for github.com's secondary rate limits;
    # other servers (Enterprise, stand-ins) get no artificial pause.
    polite = urlsplit(base_url).hostname == "api.github.com"
    return Github(
        base_url=base_url.rstrip("/"),
        auth=Auth.Token(token) if token else None,  # None: a public repository's reads
        timeout=max(1, int(timeout)),
        user_agent=http.user_agent(),
        retry=GithubRetry(total=RETRIES) if transport_retries else None,
        seconds_between_requests=Consts.DEFAULT_SECONDS_BETWEEN_REQUESTS if polite else 0.0,
        seconds_between_writes=Consts.DEFAULT_SECONDS_BETWEEN_WRITES if polite else 0.0,
        lazy=lazy,
    )


def repository(env: ActionsEnv, token: str) -> Repository:
    """The repository of this run, without a request (objects are lazy until used)."""
    if not env.repository:
        raise GitHubAccessError(
            "GITHUB_REPOSITORY is not set", hint="run this inside GitHub Actions"
        )
    return client(env.api_url, token, lazy=True).get_repo(env.repository)


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
