"""What ``releasegate check`` sends to GitHub after a run: files, outputs, statuses, comment.

Each part fails on its own: a token without permission gives a clear error for that
part while the report is still written and the exit code still reflects the findings.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError, ReleasegateError
from releasegate._internal.github.env import ActionsEnv

if TYPE_CHECKING:
    from collections.abc import Callable

    from github.Repository import Repository
    from releasegate._internal.findings import Report


@dataclass(frozen=True)
class FeedbackOptions:
    statuses: str | None = None
    """``status`` (commit statuses), ``check-run``, or None for neither."""
    comment: bool = False
    sarif_file: str | None = None
    json_report: str | None = None
    github_output: bool = False

    @property
    def wanted(self) -> bool:
        return bool(
            self.statuses
            or self.comment
            or self.sarif_file
            or self.json_report
            or self.github_output
        )


@dataclass(frozen=True)
class Delivery:
    """What happened: one line per part that worked, one error per part that did not."""

    done: tuple[str, ...]
    errors: tuple[ReleasegateError, ...]


def deliver(
    report: Report, root: Path, config: Path | None, options: FeedbackOptions, exit_code: int
) -> Delivery:
    done: list[str] = []
    errors: list[ReleasegateError] = []
    for part in _parts(report, root, config, options, exit_code):
        try:
            done.extend(part())
        except ReleasegateError as exc:
            errors.append(exc)
    return Delivery(tuple(done), tuple(errors))


def _parts(
    report: Report, root: Path, config: Path | None, options: FeedbackOptions, exit_code: int
) -> list[Callable[[], list[str]]]:
    parts: list[Callable[[], list[str]]] = []
    if options.sarif_file:
        parts.append(lambda: _write_report(report, "sarif", options.sarif_file or ""))
    if options.json_report:
        parts.append(lambda: _write_report(report, "json", options.json_report or ""))
    if options.github_output:
        parts.append(lambda: _outputs(root, config, exit_code, options.json_report))
    if options.statuses:
        parts.append(lambda: _statuses(report, options.statuses or "status"))
    if options.comment:
        parts.append(lambda: _comment(report))
    return parts


def _write_report(report: Report, fmt: str, target: str) -> list[str]:
    """Render whole, then rename: a reader never sees half a file."""
    from releasegate._internal.report import OutputFormat, render

    buffer = io.StringIO()
    render(report, OutputFormat(fmt), buffer)
    path = Path(target)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_text(buffer.getvalue(), encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        raise FatalError(f"cannot write the {fmt} report to {target}: {exc.strerror}") from None
    return [f"{fmt} report written to {target}"]


def _outputs(root: Path, config: Path | None, exit_code: int, report_path: str | None) -> list[str]:
    from releasegate._internal.github.outputs import run_outputs, write_outputs

    values = run_outputs(root, config, exit_code, report_path)
    if not write_outputs(values):
        return ["GITHUB_OUTPUT is not set: step outputs skipped"]
    return [f"step outputs written: {', '.join(values)}"]


def _token_and_env() -> tuple[str, ActionsEnv]:
    from releasegate._internal.github.api import GitHubAccessError, token_from_env

    token = token_from_env()
    if not token:
        raise GitHubAccessError(
            "no GitHub token in the environment",
            hint="set GITHUB_TOKEN (the action passes its `github-token` input)",
        )
    return token, ActionsEnv.from_environ()


def _statuses(report: Report, kind: str) -> list[str]:
    from releasegate._internal.github.api import GitHubAccessError, repository
    from releasegate._internal.github.statuses import post_check_runs, post_statuses

    token, env = _token_and_env()
    if not env.sha:
        raise GitHubAccessError("no commit to report on: GITHUB_SHA is not set")
    post = post_check_runs if kind == "check-run" else post_statuses
    written = post(repository(env, token), env.sha, report, env.run_url)
    noun = "check run" if kind == "check-run" else "commit status"
    return [f"{noun} {name} on {env.sha[:12]}" for name in written]


def _comment(report: Report) -> list[str]:
    from releasegate._internal.github.api import repository
    from releasegate._internal.github.comment import body_of, upsert_comment

    token, env = _token_and_env()
    repo = repository(env, token)
    numbers = _pull_requests(repo, env)
    if not numbers:
        return ["not a pull request run: no comment"]
    body = body_of(report, env.run_url)
    return [f"pull request #{n} comment {upsert_comment(repo, n, body)}" for n in numbers]


def _pull_requests(repo: Repository, env: ActionsEnv) -> list[int]:
    if env.checked_run is None:
        return [] if env.pull_request is None else [env.pull_request]
    from releasegate._internal.github.pulls import pull_requests_of

    return pull_requests_of(repo, env.checked_run)
