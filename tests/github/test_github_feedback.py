"""Commit statuses, check runs and the PR comment, through PyGithub, against a loopback GitHub."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.github.comment import MARKER
from tests.conftest import run_cli
from tests.github_support import GitHubStandIn, all_comments

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo

TOKEN = "ghs_standin0123456789abcdefSECRET"
HEAD = "0123456789abcdef0123456789abcdef01234567"
# The GitHub side is under test, not the gates: the semver gate alone keeps runs fast.
PYPROJECT = '[project]\nname = "demo"\nversion = "1.2.0"\n[tool.releasegate]\nchecks = ["semver"]\n'


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


def project(make_repo: Callable[..., GitRepo], package_version: str = "1.2.0") -> GitRepo:
    return make_repo(
        {
            "pyproject.toml": PYPROJECT,
            "src/demo/__init__.py": f'__version__ = "{package_version}"\n',
        }
    )


def actions_env(github: GitHubStandIn, tmp_path: Path, pull: int | None = 7) -> dict[str, str]:
    event = tmp_path / "event.json"
    payload = (
        {"pull_request": {"number": pull, "head": {"sha": HEAD}}}
        if pull
        else {"ref": "refs/heads/main"}
    )
    event.write_text(json.dumps(payload), encoding="utf-8")
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_SHA": "f" * 40,
        "GITHUB_API_URL": github.url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "99",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_STEP_SUMMARY": "",
        "GITHUB_REF": "refs/pull/7/merge" if pull else "refs/heads/main",
    }


def test_one_status_per_gate_on_the_pull_request_head(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo)

    completed = run_cli(
        "check", "--report-statuses", cwd=repo.root, env=actions_env(github, tmp_path)
    )

    assert completed.returncode == 0, completed.stderr
    (request,) = github.requests("POST")
    # The head of the pull request, not the merge commit in GITHUB_SHA.
    assert request.path == f"/repos/acme/demo/statuses/{HEAD}"
    assert request.body == {
        "state": "success",
        "context": "releasegate/semver",
        "description": "passed: 0 error(s), 0 warning(s)",
        "target_url": "https://github.example/acme/demo/actions/runs/99",
    }
    assert request.headers["authorization"] == f"token {TOKEN}"
    assert TOKEN not in completed.stdout + completed.stderr


def test_check_run_carries_the_findings_as_annotations(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo, package_version="1.1.0")

    completed = run_cli(
        "check",
        "--report-statuses",
        "--status-kind",
        "check-run",
        cwd=repo.root,
        env=actions_env(github, tmp_path),
    )

    assert completed.returncode == 1, completed.stderr
    (request,) = github.requests("POST")
    assert request.path == "/repos/acme/demo/check-runs"
    assert request.body["name"] == "releasegate/semver"
    assert request.body["head_sha"] == HEAD
    assert (request.body["status"], request.body["conclusion"]) == ("completed", "failure")
    (annotation,) = request.body["output"]["annotations"]
    assert annotation["path"] == "src/demo/__init__.py"
    assert (annotation["start_line"], annotation["annotation_level"]) == (1, "failure")
    assert annotation["title"] == "semver/version-mismatch"
    assert "| semver | ❌ failed |" in request.body["output"]["summary"]


@pytest.mark.slow  # over 1 s: several CLI runs
def test_comment_created_once_then_updated_in_place(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo)
    env = actions_env(github, tmp_path)
    for text in ("first!", "LGTM", "please fix the version"):
        github.seed_comment(7, text)  # the marker comment will land on a later page

    first = run_cli("check", "--comment", cwd=repo.root, env=env)
    repo.commit({"src/demo/__init__.py": '__version__ = "1.1.0"\n'})
    second = run_cli("check", "--comment", cwd=repo.root, env=env)

    assert (first.returncode, second.returncode) == (0, 1), first.stderr + second.stderr
    writes = [(r.method, r.path) for r in github.received if r.method != "GET"]
    created = [c for c in all_comments(github) if MARKER in c["body"]]
    assert len(created) == 1
    assert writes == [
        ("POST", "/repos/acme/demo/issues/7/comments"),
        ("PATCH", f"/repos/acme/demo/issues/comments/{created[0]['id']}"),
    ]
    # The second run followed the Link header to page 2 to find its comment.
    assert any(r.query.get("page") == ["2"] for r in github.requests("GET"))
    assert "| semver | ❌ failed |" in created[0]["body"]
    assert "pull request #7 comment updated" in second.stderr


def test_unchanged_comment_is_not_rewritten(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo)
    env = actions_env(github, tmp_path)

    run_cli("check", "--comment", cwd=repo.root, env=env)
    run_cli("check", "--comment", cwd=repo.root, env=env)

    assert [r.method for r in github.received if r.method != "GET"] == ["POST"]


@pytest.mark.slow  # over 1 s
def test_forbidden_token_is_a_clear_error_and_the_findings_still_decide(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    github.forbidden = {"POST", "PATCH"}
    clean, broken = project(make_repo), project(make_repo, package_version="1.1.0")
    env = actions_env(github, tmp_path)

    passed = run_cli("check", "--report-statuses", "--comment", cwd=clean.root, env=env)
    failed = run_cli("check", "--report-statuses", "--comment", cwd=broken.root, env=env)

    assert (passed.returncode, failed.returncode) == (0, 1)
    for completed in (passed, failed):
        assert "cannot create a commit status: GitHub answered HTTP 403" in completed.stderr
        assert "permissions: statuses: write" in completed.stderr
        assert "cannot comment on the pull request: GitHub answered HTTP 403" in completed.stderr
        assert "::error title=releasegate GitHub feedback::" in completed.stdout
        assert TOKEN not in completed.stdout + completed.stderr
    # The check itself is still reported in the job: annotations and the verdict.
    assert (
        "::error file=src/demo/__init__.py,line=1,title=semver/version-mismatch::" in failed.stdout
    )
    assert "releasegate: failed (semver)" in failed.stdout
    assert [(r.method, r.path) for r in github.requests("POST")][:1] == [
        ("POST", f"/repos/acme/demo/statuses/{HEAD}")
    ]


def test_no_pull_request_means_no_comment(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo)

    completed = run_cli(
        "check", "--comment", cwd=repo.root, env=actions_env(github, tmp_path, pull=None)
    )

    assert completed.returncode == 0
    assert "not a pull request run: no comment" in completed.stderr
    assert github.received == []


def test_missing_token_is_reported_without_failing_a_clean_run(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo)
    env = {**actions_env(github, tmp_path), "GITHUB_TOKEN": ""}

    completed = run_cli("check", "--report-statuses", cwd=repo.root, env=env)

    assert completed.returncode == 0
    assert "no GitHub token in the environment" in completed.stderr
    assert github.received == []


def test_status_description_fits_githubs_limit() -> None:
    from releasegate._internal.findings import GateResult
    from releasegate._internal.github.statuses import DESCRIPTION_LIMIT, describe

    text = describe(GateResult("semver", (), summary="x" * 500))

    assert len(text) == DESCRIPTION_LIMIT
    assert text.startswith("passed: 0 error(s), 0 warning(s); xxx")


def test_unknown_repository_is_explained_like_a_refusal(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = project(make_repo)
    env = {**actions_env(github, tmp_path), "GITHUB_REPOSITORY": "acme/other"}

    completed = run_cli("check", "--report-statuses", cwd=repo.root, env=env)

    assert completed.returncode == 0
    assert "GitHub answered HTTP 404 (Not Found)" in completed.stderr
    assert [r.path for r in github.received] == [f"/repos/acme/other/statuses/{HEAD}"]


def test_minted_tokens_are_masked_only_by_the_actions_events() -> None:
    import io

    from releasegate._internal.publish.progress import GithubEvents, PlainEvents

    plain, actions = io.StringIO(), io.StringIO()
    PlainEvents(plain).secret_minted("pypi-secret")
    GithubEvents(actions).secret_minted("pypi%secret")

    assert plain.getvalue() == ""
    assert actions.getvalue() == "::add-mask::pypi%25secret\n"


def test_report_statuses_does_not_swallow_a_gate_name(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = make_repo({"pyproject.toml": PYPROJECT})
    completed = run_cli(
        "check", "--report-statuses", "semver", cwd=repo.root, env=actions_env(github, tmp_path)
    )
    assert completed.returncode == 0, completed.stderr
    assert [r.body["context"] for r in github.requests("POST")] == ["releasegate/semver"]
