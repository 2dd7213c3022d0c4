"""One commit status, or one check run, per gate: ``releasegate/<gate>``.

A name per gate (not one for the whole run) lets a repository admin make each gate
a required status check of its own.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import Report, Severity
from releasegate._internal.github.api import call
from releasegate._internal.report import markdown
from releasegate._internal.report.locations import repository_prefix

if TYPE_CHECKING:
    from github.Repository import Repository
    from releasegate._internal.findings import Finding, GateResult

PREFIX = "releasegate/"
DESCRIPTION_LIMIT = 140  # GitHub refuses longer status descriptions
ANNOTATION_LIMIT = 50  # per check-run request, by GitHub's API
SUMMARY_LIMIT = 65_535  # characters of a check run's output.summary; longer is refused (422)
MESSAGE_LIMIT = 60_000  # an annotation message may hold 64 KB
TITLE_LIMIT = 255  # characters of an annotation or output title
_LEVELS = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def context_name(gate: str) -> str:
    return PREFIX + gate


def describe(result: GateResult) -> str:
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    verdict = "failed" if result.failed else "passed"
    text = f"{verdict}: {errors} error(s), {warnings} warning(s)"
    if result.summary:
        text += f"; {result.summary}"
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def post_statuses(repo: Repository, sha: str, report: Report, target_url: str | None) -> list[str]:
    """Create a commit status per gate; returns the contexts written."""
    commit = repo.get_commit(sha)
    extra: dict[str, Any] = {"target_url": target_url} if target_url else {}
    written = []
    for result in report.results:
        state = "failure" if result.failed else "success"
        create = partial(
            commit.create_status,
            state,
            description=describe(result),
            context=context_name(result.check),
            **extra,
        )
        call("create a commit status", "statuses: write", create)
        written.append(context_name(result.check))
    return written


def post_check_runs(
    repo: Repository, sha: str, report: Report, details_url: str | None
) -> list[str]:
    """Create a completed check run per gate, with its findings as annotations."""
    extra: dict[str, Any] = {"details_url": details_url} if details_url else {}
    written = []
    for result in report.results:
        create = partial(
            repo.create_check_run,
            context_name(result.check),
            sha,
            status="completed",
            conclusion="failure" if result.failed else "success",
            output=_output(result, repository_prefix(report.root)),
            **extra,
        )
        call("create a check run", "checks: write", create)
        written.append(context_name(result.check))
    return written


def _output(result: GateResult, prefix: str) -> dict[str, Any]:
    annotations = [_annotation(f, prefix) for f in result.findings if f.path]
    note = ""
    if len(annotations) > ANNOTATION_LIMIT:
        note = f"\nOnly the first {ANNOTATION_LIMIT} of {len(annotations)} annotations are shown.\n"
    summary = markdown.render(Report.of([result]), SUMMARY_LIMIT - len(note)) + note
    return {
        "title": describe(result),
        "summary": summary,
        "annotations": annotations[:ANNOTATION_LIMIT],
    }


def _annotation(finding: Finding, prefix: str) -> dict[str, Any]:
    line = finding.line or 1
    message = finding.message + (f"\nHint: {finding.hint}" if finding.hint else "")
    return {
        # Check-run annotations name files from the repository root, not the project folder.
        "path": prefix + (finding.path or ""),
        "start_line": line,
        "end_line": line,
        "annotation_level": _LEVELS[finding.severity],
        "message": message[:MESSAGE_LIMIT],
        "title": finding.rule_id[:TITLE_LIMIT],
    }
