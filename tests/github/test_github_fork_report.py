"""Fork pull requests: ``releasegate report --from`` posts another run's report (issue 17).

The pull request's run (read-only token) writes its JSON report; a ``workflow_run`` job posts
it. That report may have been rewritten by the pull request's code, so these tests hand the
real CLI hostile reports and check that nothing reaches the GitHub stand-in, and that the
commit and the pull request come from the event and the API, never from the file.
"""

from __future__ import annotations

import copy
import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from releasegate._internal.github.comment import MARKER
from releasegate._internal.github.untrusted import MAX_BYTES, UntrustedReportError, load_report
from tests.conftest import GitRepo, run_cli
from tests.github_support import GitHubStandIn, all_comments

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

TOKEN = "ghs_standin0123456789abcdefSECRET"
HEAD = "0123456789abcdef0123456789abcdef01234567"
FORK = "mallory/demo"
PYPROJECT = '[project]\nname = "demo"\nversion = "1.2.0"\n[tool.releasegate]\nchecks = ["semver"]\n'


@pytest.fixture(scope="module")
def real_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON report of a real failing ``releasegate check`` (a stale ``__version__``)."""
    repo = GitRepo(tmp_path_factory.mktemp("checked"))
    repo.git("init", "-q", "-b", "main")
    repo.commit({"pyproject.toml": PYPROJECT, "src/demo/__init__.py": '__version__ = "1.1.0"\n'})
    completed = run_cli("check", "--json-report", "report.json", cwd=repo.root)
    assert completed.returncode == 1, completed.stderr
    data = json.loads((repo.root / "report.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


def workflow_run_env(github: GitHubStandIn, tmp_path: Path) -> dict[str, str]:
    """A ``workflow_run`` job of the base repository, as GitHub describes a fork's run to it."""
    event = {
        "action": "completed",
        "workflow_run": {
            "id": 555,
            "event": "pull_request",
            "head_sha": HEAD,
            "head_branch": "main",  # a fork's branch may share a name with ours
            "head_repository": {"full_name": FORK},
            "html_url": "https://github.example/acme/demo/actions/runs/555",
            "pull_requests": [],  # always empty for a pull request from a fork
        },
    }
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event), encoding="utf-8")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "workflow_run",
        "GITHUB_EVENT_PATH": str(path),
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_SHA": "d" * 40,  # the default branch: never the commit to report on
        "GITHUB_REF": "refs/heads/main",
        "GITHUB_API_URL": github.url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "556",
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_STEP_SUMMARY": "",
    }


def post(report: dict[str, Any] | bytes, github: GitHubStandIn, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "releasegate-report.json"
    if isinstance(report, bytes):
        path.write_bytes(report)
    else:
        path.write_text(json.dumps(report), encoding="utf-8")
    completed = run_cli(
        "report",
        "--from",
        str(path),
        "--report-statuses",
        "--comment",
        cwd=tmp_path,
        env=workflow_run_env(github, tmp_path),
    )
    output = completed.stdout + completed.stderr
    assert TOKEN not in output
    return completed.returncode, output


def test_fork_report_posted_to_the_event_commit_and_the_pull_request_found_by_it(
    real_report: dict[str, Any], github: GitHubStandIn, tmp_path: Path
) -> None:
    github.seed_pull(3, "acme/demo", "main", "e" * 40)  # our own branch of the same name
    github.seed_pull(12, FORK, "main", HEAD)

    code, output = post(real_report, github, tmp_path)

    assert code == 0, output
    (status,) = [r for r in github.requests("POST") if "/statuses/" in r.path]
    assert status.path == f"/repos/acme/demo/statuses/{HEAD}"
    assert status.body["state"] == "failure"
    assert status.body["context"] == "releasegate/semver"
    # The details link is the checked run, not the reporting one.
    assert status.body["target_url"] == "https://github.example/acme/demo/actions/runs/555"
    (lookup,) = [r for r in github.requests("GET") if r.path.endswith("/pulls")]
    assert lookup.query["head"] == ["mallory:main"]
    assert list(github.comments) == [12]
    (comment,) = all_comments(github)
    assert comment["body"].startswith(MARKER)
    assert "semver/version-mismatch" in comment["body"]


def test_a_branch_pushed_again_since_gets_statuses_but_no_stale_comment(
    real_report: dict[str, Any], github: GitHubStandIn, tmp_path: Path
) -> None:
    github.seed_pull(12, FORK, "main", "a" * 40)

    code, output = post(real_report, github, tmp_path)

    assert code == 0, output
    assert [r.path for r in github.requests("POST")] == [f"/repos/acme/demo/statuses/{HEAD}"]
    assert github.comments == {}


@pytest.mark.slow  # over 1 s: PyGithub's client and a refused request
def test_a_read_only_token_fails_the_reporting_run_with_the_permission_to_grant(
    real_report: dict[str, Any], github: GitHubStandIn, tmp_path: Path
) -> None:
    github.forbidden = {"POST"}

    code, output = post(real_report, github, tmp_path)

    assert code == 1
    assert "statuses: write" in output


def _with(report: dict[str, Any], change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    changed = copy.deepcopy(report)
    change(changed)
    return changed


def _finding(report: dict[str, Any]) -> dict[str, Any]:
    finding = report["checks"][0]["findings"][0]
    assert isinstance(finding, dict)
    return finding


HOSTILE: dict[str, Callable[[dict[str, Any]], object]] = {
    "claims a commit": lambda r: r.update(head_sha="f" * 40),
    "claims a pull request": lambda r: r.update(pull_request=1),
    "unknown gate": lambda r: r["checks"][0].update(check="owned"),
    "gate twice": lambda r: r["checks"].append(copy.deepcopy(r["checks"][0])),
    "finding of another gate": lambda r: _finding(r).update(rule="metadata/x"),
    "passes with an error": lambda r: (r.update(passed=True), r["checks"][0].update(passed=True)),
    "counts that lie": lambda r: r["summary"].update(error=0),
    "path outside": lambda r: _finding(r).update(path="../../.github/workflows/x.yml"),
    "absolute path": lambda r: _finding(r).update(path="/etc/passwd"),
    "huge message": lambda r: _finding(r).update(message="x" * 100_000),
    "bidi override": lambda r: _finding(r).update(message="ok \u202e lmth.exe"),
    "control character": lambda r: _finding(r).update(hint="\x1b[2J"),
    "string line": lambda r: _finding(r).update(line="1"),
    "boolean line": lambda r: _finding(r).update(line=True),
    "too many findings": lambda r: r["checks"][0].update(
        findings=[_finding(r)] * 6000, passed=False
    ),
    "not releasegate": lambda r: r["tool"].update(name="other"),
    "long summary": lambda r: r["checks"][0].update(summary="s" * 5000),
}


def test_the_real_report_is_accepted(real_report: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(real_report), encoding="utf-8")

    report = load_report(path)

    assert [f.rule_id for f in report.findings()] == ["semver/version-mismatch"]
    assert report.failed


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_report_is_refused(
    name: str, real_report: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(_with(real_report, HOSTILE[name])), encoding="utf-8")

    with pytest.raises(UntrustedReportError, match="refusing the report"):
        load_report(path)


def test_a_hostile_report_is_refused_before_any_request(
    real_report: dict[str, Any], github: GitHubStandIn, tmp_path: Path
) -> None:
    github.seed_pull(12, FORK, "main", HEAD)

    code, output = post(_with(real_report, HOSTILE["claims a commit"]), github, tmp_path)

    assert code == 1, output
    assert "refusing the report" in output
    assert github.received == []


@pytest.mark.parametrize(
    "raw",
    [
        b"{" * 100_000,
        b'{"tool": {"name": "releasegate", "name": "x"}}',
        b'{"passed": NaN}',
        b"\xff\xfe not utf-8",
        b" " * (MAX_BYTES + 1),
    ],
    ids=["deep nesting", "duplicate key", "NaN", "not utf-8", "oversized"],
)
def test_unreadable_reports_are_refused(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_bytes(raw)

    with pytest.raises(UntrustedReportError, match="refusing the report"):
        load_report(path)


def test_an_oversized_report_is_refused_by_the_cli_before_any_request(
    github: GitHubStandIn, tmp_path: Path
) -> None:
    code, output = post(b" " * (MAX_BYTES + 1), github, tmp_path)

    assert code == 1, output
    assert "refusing the report" in output
    assert "Traceback" not in output
    assert github.received == []


@pytest.mark.slow  # over 1 s: two CLI runs
def test_markup_in_messages_shows_as_text_in_the_comment(
    real_report: dict[str, Any], github: GitHubStandIn, tmp_path: Path
) -> None:
    github.seed_pull(12, FORK, "main", HEAD)
    hostile = (
        f'<img src=x onerror="alert(1)"> {MARKER} [release notes](https://evil.example) '
        "![x](https://evil.example/t.png) @octocat acme/other#1 | injected | cell |"
    )
    report = _with(real_report, lambda r: _finding(r).update(message=hostile, hint="</table>"))

    code, output = post(report, github, tmp_path)

    assert code == 0, output
    (comment,) = all_comments(github)
    body = comment["body"]
    assert body.count(MARKER) == 1  # ours, at the top: no second marker to be found later
    for raw in ("<img", "</table>", "](https://evil", "@octocat", "other#1", "| injected |"):
        assert raw not in body, raw
    assert "&lt;img src=x" in body
    assert "@\u200boctocat" in body
    (row,) = [line for line in body.splitlines() if "version-mismatch" in line]
    assert len(re.findall(r"(?<!\\)\|", row)) == 5  # still four cells


def test_a_report_that_fails_on_warnings_is_accepted(github: GitHubStandIn, tmp_path: Path) -> None:
    """``fail-on = "warning"`` is not in the report: the verdicts imply it, and may only fail."""
    warning = {
        "check": "semver",
        "rule": "semver/example",
        "severity": "warning",
        "message": "a warning",
        "path": None,
        "line": None,
        "hint": None,
    }
    report = {
        "tool": {"name": "releasegate", "version": "1.0.0"},
        "passed": False,
        "summary": {"error": 0, "warning": 1, "note": 0},
        "checks": [
            {
                "check": "semver",
                "passed": False,
                "seconds": 0.1,
                "summary": None,
                "findings": [warning],
            }
        ],
    }

    code, output = post(report, github, tmp_path)

    assert code == 0, output
    (status,) = github.requests("POST")
    assert status.body["state"] == "failure"
