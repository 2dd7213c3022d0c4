"""action.yml and workflows-examples/: zizmor, GitHub's schemas, pinning, permissions, the docs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO_ROOT

ACTION = REPO_ROOT / "action.yml"
EXAMPLES = sorted((REPO_ROOT / "workflows-examples").glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        return list(document["runs"]["steps"])
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_the_examples_exist() -> None:
    assert [p.name for p in EXAMPLES] == [
        "mirror-verify.yml",
        "pr-checks.yml",
        "pr-report.yml",
        "promote.yml",
        "release.yml",
        "reproducible-matrix.yml",
        "workspace-release.yml",
        "workspace.yml",
    ]


def test_zizmor_reports_nothing() -> None:
    completed = subprocess.run(
        [
            tool("zizmor"),
            "--offline",
            "--persona=pedantic",
            "--no-progress",
            str(ACTION),
            *map(str, EXAMPLES),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "No findings to report" in completed.stdout


@pytest.mark.slow  # over 1 s each: check-jsonschema in a subprocess
@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-actions", [ACTION]),
        ("vendor.github-workflows", EXAMPLES),
    ],
)
def test_files_match_githubs_schemas(schema: str, files: list[Path]) -> None:
    completed = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("path", [ACTION, *EXAMPLES], ids=lambda p: p.name)
def test_actions_pinned_by_full_sha_and_no_expression_in_scripts(path: Path) -> None:
    for step in steps_of(load(path)):
        if "uses" in step:
            assert PINNED.match(step["uses"]), step["uses"]
        # Expressions reach scripts only through env: (no script injection).
        assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_least_privilege_permissions(path: Path) -> None:
    document = load(path)
    assert document["permissions"] == {}, "the workflow grants nothing by default"
    for name, job in document["jobs"].items():
        assert "permissions" in job, f"job {name} states its permissions"
        assert "write-all" not in str(job["permissions"])


def test_action_runs_one_command_with_inputs_from_env() -> None:
    steps = steps_of(load(ACTION))
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[-1].strip() == '"$RELEASEGATE_PYTHON" -m releasegate action'
    env = steps[-1]["env"]
    assert env["GITHUB_TOKEN"] == "${{ inputs.github-token }}"
    assert env["RELEASEGATE_COMMAND"] == "${{ inputs.command }}"


def test_setup_python_only_when_a_version_is_asked_for() -> None:
    (setup,) = [
        s for s in steps_of(load(ACTION)) if s.get("uses", "").startswith("actions/setup-python@")
    ]
    assert setup["if"] == "inputs.python-version != ''"


def test_docs_explain_every_input_and_output() -> None:
    """The reference page is generated from action.yml (tests/docs/test_docs.py); the Action page
    explains each input beyond its one-line description."""
    action = load(ACTION)
    page = (REPO_ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    missing = [
        f"`{name}`" for name in [*action["inputs"], *action["outputs"]] if f"`{name}`" not in page
    ]
    assert missing == []


def test_pr_example_reports_to_merge_queues_and_docs_grant_check_runs() -> None:
    document = yaml.safe_load((REPO_ROOT / "workflows-examples" / "pr-checks.yml").read_text())
    # PyYAML reads the key `on` as True (YAML 1.1).
    assert "merge_group" in document[True]
    page = (REPO_ROOT / "docs" / "action.md").read_text(encoding="utf-8")
    assert "`checks: write`" in page


def test_fork_pull_requests_are_reported_by_a_workflow_run_job_that_runs_no_pr_code() -> None:
    """pr-checks.yml runs with a read-only token; pr-report.yml posts (issue 17)."""
    checks = yaml.safe_load((REPO_ROOT / "workflows-examples" / "pr-checks.yml").read_text())
    (check_job,) = checks["jobs"].values()
    assert not [
        p for p, v in check_job["permissions"].items() if v == "write" and p != "security-events"
    ]
    uploads = [
        s for s in check_job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert [u["with"]["name"] for u in uploads] == ["releasegate-report"]

    text = (REPO_ROOT / "workflows-examples" / "pr-report.yml").read_text(encoding="utf-8")
    report = yaml.safe_load(text)
    assert report[True]["workflow_run"]["workflows"] == [checks["name"]]
    (job,) = report["jobs"].values()
    uses = [s.get("uses", "") for s in job["steps"]]
    # Nothing of the pull request is checked out or run with the write token.
    assert not [u for u in uses if u.startswith("actions/checkout@")]
    assert not [s for s in job["steps"] if "run" in s]
    (download,) = [
        s for s in job["steps"] if s.get("uses", "").startswith("actions/download-artifact@")
    ]
    assert download["with"]["path"].startswith("${{ runner.temp }}")
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    (releasegate,) = [s for s in job["steps"] if s.get("uses", "").startswith("releasegate/")]
    assert releasegate["with"]["command"] == "report"
    # The one suppression in every file linted: zizmor's blanket warning on workflow_run.
    ignores = [
        (path.name, line.split("# zizmor:")[1].strip())
        for path in [ACTION, *EXAMPLES]
        for line in path.read_text(encoding="utf-8").splitlines()
        if "# zizmor:" in line
    ]
    assert ignores == [("pr-report.yml", "ignore[dangerous-triggers]")]


def test_every_example_runs_under_act() -> None:
    """A step that only breaks when it runs (release.yml called a Python the action never
    installed, issue 17) is caught only if every example is run: test_examples_act runs each."""
    source = (REPO_ROOT / "tests" / "action" / "test_examples_act.py").read_text(encoding="utf-8")
    run = set(re.findall(r'act_run\(\s*"([\w.-]+\.yml)"', source))
    assert sorted(run) == [path.name for path in EXAMPLES]
