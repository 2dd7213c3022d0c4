"""The Action's ``new-since`` input: a pull request or merge group is judged against its base."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.errors import UsageError
from releasegate._internal.github.action import ActionInputs, argv_for, new_since_args
from releasegate._internal.github.env import PullBase
from tests.baseline.test_new_since import OLD, by_severity, findings, lock, shallow_clone
from tests.conftest import run_cli
from tests.github.test_github_action import parse_outputs

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import GitRepo

__all__ = ["hundred"]  # a fixture, used by name

from tests.baseline.test_new_since import hundred

SHA = "0123456789abcdef0123456789abcdef01234567"
FALLBACK = "--new-since-fallback"


def event_env(tmp_path: Path, kind: str, payload: dict[str, Any], **more: str) -> dict[str, str]:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    return {"GITHUB_EVENT_NAME": kind, "GITHUB_EVENT_PATH": str(path), **more}


def pull_request(sha: str | None = SHA, ref: str = "main") -> dict[str, Any]:
    base = {"ref": ref, **({"sha": sha} if sha else {})}
    return {"pull_request": {"number": 7, "base": base, "head": {"sha": "f" * 40}}}


def test_a_pull_request_is_checked_against_its_base_commit(tmp_path: Path) -> None:
    env = event_env(tmp_path, "pull_request", pull_request())
    assert new_since_args("auto", env) == [f"--new-since={SHA}", "--base-name=main", FALLBACK]


def test_a_merge_group_is_checked_against_its_base(tmp_path: Path) -> None:
    group = {"merge_group": {"base_sha": SHA, "base_ref": "refs/heads/release/2.x"}}
    env = event_env(tmp_path, "merge_group", group)
    assert new_since_args("auto", env) == [
        f"--new-since={SHA}",
        "--base-name=release/2.x",
        FALLBACK,
    ]


def test_a_payload_without_the_base_commit_falls_back_to_the_base_branch(tmp_path: Path) -> None:
    env = event_env(tmp_path, "pull_request", pull_request(sha=None), GITHUB_BASE_REF="main")
    assert new_since_args("auto", env) == ["--new-since=origin/main", "--base-name=main", FALLBACK]


@pytest.mark.parametrize("kind", ["push", "workflow_dispatch", "schedule", "pull_request_target"])
def test_other_events_judge_everything(tmp_path: Path, kind: str) -> None:
    assert new_since_args("auto", event_env(tmp_path, kind, pull_request())) == []


def test_a_tag_build_judges_everything_whatever_the_input(tmp_path: Path) -> None:
    env = event_env(tmp_path, "pull_request", pull_request(), GITHUB_REF="refs/tags/v1.0.0")
    assert new_since_args("auto", env) == []
    assert new_since_args("main", env) == []


def test_off_and_an_explicit_revision(tmp_path: Path) -> None:
    env = event_env(tmp_path, "pull_request", pull_request())
    assert new_since_args("off", env) == []
    assert new_since_args("-rf", env) == ["--new-since=-rf"]  # one argument: refused as a REF


def test_the_input_reaches_the_check_command(tmp_path: Path) -> None:
    env = event_env(tmp_path, "pull_request", pull_request())
    chosen = ActionInputs.from_environ({"RELEASEGATE_NEW_SINCE": "OFF"})
    assert chosen.new_since == "off"
    assert "--new-since" not in " ".join(argv_for(chosen, tmp_path / "r.json", env))
    default = ActionInputs.from_environ({})
    assert argv_for(default, tmp_path / "r.json", env)[-3:] == [
        f"--new-since={SHA}",
        "--base-name=main",
        FALLBACK,
    ]
    build = ActionInputs.from_environ({"RELEASEGATE_COMMAND": "build"})
    assert "--new-since" not in " ".join(argv_for(build, tmp_path / "r.json", env))


def test_new_since_applies_only_to_check() -> None:
    with pytest.raises(UsageError, match=re.escape("input `new-since` applies only to")):
        ActionInputs.from_environ({"RELEASEGATE_COMMAND": "publish", "RELEASEGATE_NEW_SINCE": "v1"})


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["pull_request", "merge_group"]),
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=45),
        lambda inner: st.dictionaries(
            st.sampled_from(
                ["pull_request", "merge_group", "base", "sha", "ref", "base_sha", "base_ref"]
            ),
            inner,
            max_size=3,
        ),
        max_leaves=8,
    ),
)
def test_any_payload_gives_a_base_or_none(
    tmp_path_factory: pytest.TempPathFactory, kind: str, payload: object
) -> None:
    path = tmp_path_factory.mktemp("event") / "event.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    base = PullBase.from_environ({"GITHUB_EVENT_NAME": kind, "GITHUB_EVENT_PATH": str(path)})
    assert base is not None
    assert base.sha is None or re.fullmatch("[0-9a-f]{40}", base.sha)


def test_the_action_on_a_pull_request_in_a_shallow_checkout(
    hundred: GitRepo, tmp_path: Path
) -> None:
    """The done-criterion of issue 26: a pull request adding one problem to 100 old ones."""
    base = hundred.git("rev-parse", "HEAD").strip()
    hundred.commit({"requirements/new.txt": lock("fresh")}, "adds one problem")
    clone = shallow_clone(hundred, tmp_path / "ci")  # actions/checkout's default depth
    output, summary = tmp_path / "github_output", tmp_path / "summary.md"
    env = event_env(
        tmp_path,
        "pull_request",
        pull_request(base),
        GITHUB_ACTIONS="true",
        GITHUB_OUTPUT=str(output),
        GITHUB_STEP_SUMMARY=str(summary),
        RUNNER_TEMP=str(tmp_path),
        GITHUB_REF="refs/pull/7/merge",
    )
    done = run_cli("action", cwd=clone, env=env)
    assert done.returncode == 1, done.stderr
    assert f"--new-since={base} --base-name=main {FALLBACK}" in done.stdout
    report = json.loads((tmp_path / "releasegate-report.json").read_text(encoding="utf-8"))
    assert by_severity(report) == {"error": 1, "note": OLD}
    [error] = [f for f in findings(report) if f["severity"] == "error"]
    assert error["path"] == "requirements/new.txt"
    assert done.stdout.count("::error ") == 1
    assert parse_outputs(output.read_text(encoding="utf-8"))["result"] == "failure"
    assert done.stdout.count("::notice ") == 0  # old findings: in the log, not on the diff
    summary_text = summary.read_text(encoding="utf-8")
    assert f"{OLD} finding(s) already on main \\({base[:12]}\\), not new." in summary_text
    assert summary_text.count("| note |") == 0
