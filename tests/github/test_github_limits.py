"""GitHub's size limits and a monorepo's paths, end to end: the real CLI, the stand-in enforcing
GitHub's documented limits (422 over 65,536 comment / 65,535 check-run summary characters)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.findings import Finding, GateResult, Report
from releasegate._internal.github.comment import MARKER, body_of
from releasegate._internal.report import markdown
from tests.conftest import REPO_ROOT, run_cli
from tests.github.test_github_feedback import actions_env
from tests.github_support import COMMENT_LIMIT, SUMMARY_LIMIT, GitHubStandIn, all_comments

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo

PYPROJECT = """\
[project]
name = "demo"
version = "1.2.0"
license = "MIT"

[tool.releasegate]
checks = ["license"]
"""
FILES = 160  # two findings each, ~270 characters a row: well over 65,536 characters


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


def monorepo(make_repo: Callable[..., GitRepo]) -> tuple[GitRepo, list[str]]:
    """A project in ``packages/demo/`` whose unannotated files give ~320 license findings."""
    names = [f"src/demo/module_with_a_rather_long_name_{i:03}.py" for i in range(FILES)]
    files: dict[str, str | bytes] = {f"packages/demo/{n}": "x = 1\n" for n in names}
    files["packages/demo/pyproject.toml"] = PYPROJECT
    files["packages/demo/LICENSES/MIT.txt"] = (REPO_ROOT / "LICENSES" / "MIT.txt").read_text()
    return make_repo(files), names


@pytest.mark.slow  # over 1 s: the license gate reads 160 files
def test_many_findings_in_a_subfolder_fit_githubs_limits_and_paths(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo, names = monorepo(make_repo)
    env = actions_env(github, tmp_path)
    sarif = tmp_path / "out.sarif"

    completed = run_cli(
        "check",
        "license",
        "--files",
        *names,
        "--report-statuses",
        "--status-kind",
        "check-run",
        "--comment",
        "--sarif-file",
        str(sarif),
        cwd=repo.root / "packages" / "demo",
        env=env,
    )

    log = completed.stdout + completed.stderr
    assert completed.returncode == 1, log
    assert "HTTP 422" not in log
    assert [r.path for r in github.requests("POST")] == [
        "/repos/acme/demo/check-runs",
        "/repos/acme/demo/issues/7/comments",
    ]
    (comment,) = all_comments(github)
    assert MARKER in comment["body"]
    assert len(comment["body"]) <= COMMENT_LIMIT
    assert "more finding(s) not shown here" in comment["body"]
    check_run = github.requests("POST")[0].body
    assert len(check_run["output"]["summary"]) <= SUMMARY_LIMIT
    # Every location is from the repository root, where GitHub looks for the file.
    annotation = check_run["output"]["annotations"][0]
    assert annotation["path"].startswith("packages/demo/src/demo/module_with")
    assert f"::error file=packages/demo/{names[0]},line=1," in completed.stdout
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {f"packages/demo/{n}" for n in names}


def finding(index: int, size: int = 300) -> Finding:
    return Finding("semver", "rule", f"{index}: " + "x" * size, path=f"f{index}.py", line=1)


def test_comment_body_stays_under_the_limit_and_says_where_the_rest_is() -> None:
    report = Report.of([GateResult("semver", tuple(finding(i) for i in range(400)))])

    body = body_of(report, "https://github.example/acme/demo/actions/runs/9")

    assert len(body) <= COMMENT_LIMIT
    assert body.endswith("[Workflow run](https://github.example/acme/demo/actions/runs/9)\n")
    assert "| semver | ❌ failed | 400 | 0 |" in body
    assert "more finding(s) not shown here: see the [workflow run]" in body


def test_one_huge_finding_does_not_hide_the_others() -> None:
    report = Report.of([GateResult("semver", (finding(0, 200_000), finding(1)))])

    text = markdown.render(report, COMMENT_LIMIT)

    assert "| `semver/rule` | 1: " in text
    assert len(text) < 5000


def test_without_a_limit_everything_is_rendered() -> None:
    report = Report.of([GateResult("semver", tuple(finding(i) for i in range(400)))])
    assert "not shown" not in markdown.render(report)


def test_annotations_and_sarif_name_files_from_the_repository_root(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo(
        {
            "tools/demo/pyproject.toml": '[project]\nname = "demo"\nversion = "1.2.0"\n',
            "tools/demo/src/demo/__init__.py": '__version__ = "1.1.0"\n',
        }
    )
    sarif = tmp_path / "out.sarif"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": ""}

    completed = run_cli(
        "-C", "tools/demo", "check", "semver", "--sarif-file", str(sarif), cwd=repo.root, env=env
    )

    assert completed.returncode == 1, completed.stderr
    assert "::error file=tools/demo/src/demo/__init__.py,line=1," in completed.stdout
    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "tools/demo/src/demo/__init__.py"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.root.resolve().as_uri() + "/"


def test_a_configuration_error_posts_failing_statuses_and_an_annotation(
    make_repo: Callable[..., GitRepo], github: GitHubStandIn, tmp_path: Path
) -> None:
    repo = make_repo(
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1.2.0"\n[tool.releasegate]\nbogus = 1\n'
        }
    )

    completed = run_cli(
        "check", "semver", "--report-statuses", cwd=repo.root, env=actions_env(github, tmp_path)
    )

    assert completed.returncode == 2, completed.stderr
    assert "::error " in completed.stdout
    assert "title=releasegate configuration::" in completed.stdout
    assert "bogus" in completed.stdout
    (status,) = github.requests("POST")
    assert status.body["context"] == "releasegate/semver"
    assert status.body["state"] == "failure"
