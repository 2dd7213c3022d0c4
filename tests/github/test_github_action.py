"""The action's inputs turned into a command, its step outputs, and the runner's environment."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.errors import UsageError
from releasegate._internal.github import bootstrap
from releasegate._internal.github.action import ActionInputs, argv_for
from releasegate._internal.github.env import ActionsEnv
from releasegate._internal.github.outputs import format_outputs, result_of
from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

REPORT = "/tmp/report.json"


def parse_outputs(text: str) -> dict[str, str]:
    """Read GITHUB_OUTPUT as the runner does: ``name<<DELIM`` blocks, ``name=value`` lines."""
    values: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            values[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def inputs(**values: str) -> ActionInputs:
    return ActionInputs.from_environ({f"RELEASEGATE_{k.upper()}": v for k, v in values.items()})


def test_check_inputs_become_check_options() -> None:
    chosen = inputs(
        checks="semver, lockfile\nmetadata",
        config="rg.toml",
        report_statuses="check-run",
        comment="true",
        sarif_file="out.sarif",
    )

    assert argv_for(chosen, Path(REPORT)) == [
        "check",
        "--config",
        "rg.toml",
        "semver",
        "lockfile",
        "metadata",
        "--json-report",
        REPORT,
        "--report-statuses",
        "--status-kind",
        "check-run",
        "--comment",
        "--sarif-file",
        "out.sarif",
    ]


def test_publish_inputs() -> None:
    chosen = inputs(command="publish", registries="pypi testpypi", dry_run="TRUE")

    assert argv_for(chosen, Path(REPORT)) == [
        "publish",
        "--json-report",
        REPORT,
        "--registry",
        "pypi",
        "--registry",
        "testpypi",
        "--dry-run",
    ]


def test_package_input_selects_workspace_members() -> None:
    assert argv_for(inputs(checks="semver", package="api, cli"), Path(REPORT)) == [
        "check", "semver", "--json-report", REPORT, "--package", "api", "--package", "cli",
    ]  # fmt: skip
    assert argv_for(inputs(command="publish", package="core"), Path(REPORT)) == [
        "publish", "--json-report", REPORT, "--package", "core",
    ]  # fmt: skip
    # A workspace's dossier job: one member's page, from the reports of earlier jobs.
    dossier = inputs(command="dossier", package="core", report_file="reports/publish.json")
    assert argv_for(dossier, Path(REPORT)) == [
        "dossier", "--report", "reports/publish.json", "--package", "core",
    ]  # fmt: skip


def test_plan_writes_the_matrix_beside_the_report() -> None:
    planned = argv_for(inputs(command="plan", changed="true"), Path(REPORT))
    plan_file = str(Path(REPORT).with_name("releasegate-plan.json"))
    assert planned == ["plan", "--format", "github-matrix", "--output", plan_file, "--changed"]


def test_promote_inputs() -> None:
    from_staging = inputs(
        command="promote", to="final", registries="staging", **{"from": "v1.4.0-rc.2"}
    )
    assert argv_for(from_staging, Path(REPORT)) == [
        "promote",
        "--to",
        "final",
        "--from",
        "v1.4.0-rc.2",
        "--registry",
        "staging",
    ]
    assert argv_for(inputs(command="promote", to="1.4.0"), Path(REPORT)) == [
        "promote",
        "--to",
        "1.4.0",
    ]


def test_build_verify_input_builds_twice_and_compares() -> None:
    """release.yml builds, verifies and ships one set of bytes through this input (issue 17)."""
    verified = ["build", "--json-report", REPORT, "--verify"]
    assert argv_for(inputs(command="build", verify="true"), Path(REPORT)) == verified
    assert argv_for(inputs(command="build", verify="false"), Path(REPORT)) == verified[:-1]


def test_dossier_gathers_the_reports_the_other_commands_keep() -> None:
    """build, publish and verify-mirrors keep their JSON report at report-path (the log keeps
    its annotations); `command: dossier` reads those given in report-file."""
    mirrors = argv_for(inputs(command="verify-mirrors"), Path(REPORT))
    assert mirrors == ["verify-mirrors", "--json-report", REPORT]
    given = "reports/gate.json\n reports/build.json  /tmp/report.json"
    assert argv_for(inputs(command="dossier", report_file=given), Path(REPORT)) == [
        "dossier", "--report", "reports/gate.json", "--report", "reports/build.json",
        "--report", REPORT,
    ]  # fmt: skip
    assert argv_for(inputs(command="dossier"), Path(REPORT)) == ["dossier"]
    with pytest.raises(UsageError, match="report-file"):
        inputs(command="publish", report_file="r.json")


def test_defaults_run_every_enabled_check() -> None:
    assert argv_for(
        inputs(report_statuses="false", comment="false", dry_run="false"), Path(REPORT)
    ) == ["check", "--json-report", REPORT]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"command": "deploy"}, "unknown command 'deploy'"),
        ({"comment": "yes"}, "input `comment`: expected true or false"),
        ({"report_statuses": "sometimes"}, "input `report-statuses`"),
        (
            {"command": "build", "comment": "true", "sarif_file": "x"},
            "comment, sarif-file apply only to `command: check`",
        ),
        ({"command": "build", "package": "api"}, "input `package` applies only to"),
        ({"command": "sign", "changed": "true"}, "input `changed` applies only to"),
        ({"command": "dossier", "changed": "true"}, "input `changed` applies only to"),
        ({"command": "promote"}, "input `to` goes with `command: promote`"),
        ({"command": "publish", "to": "1.4.0"}, "input `to` goes with `command: promote`"),
        (
            {"command": "build", "from": "1.4.0rc2"},
            "input `from` applies only to `command: promote`",
        ),
        ({"command": "promote", "to": "final", "registries": "a b"}, "downloads from one registry"),
        (
            {"command": "publish", "verify": "true"},
            "input `verify` applies only to `command: build`",
        ),
        ({"command": "build", "verify": "yes"}, "input `verify`: expected true or false"),
    ],
)
def test_bad_inputs_are_usage_errors(values: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)):
        inputs(**values)


def test_action_command_writes_outputs_for_a_clean_check(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "2.0.0-rc.1"\n'})
    output = tmp_path / "github_output"
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "RELEASEGATE_CHECKS": "semver",
    }

    completed = run_cli("action", cwd=repo.root, env=env)

    assert completed.returncode == 0, completed.stderr
    values = parse_outputs(output.read_text(encoding="utf-8"))
    assert values == {
        "version": "2.0.0-rc.1",
        "result": "success",
        "hashes": "",
        "report-path": str(tmp_path / "releasegate-report.json"),
    }
    assert (
        json.loads((tmp_path / "releasegate-report.json").read_text(encoding="utf-8"))["passed"]
        is True
    )
    assert "| semver | ✅ passed |" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_action_command_promotes_the_pre_release_in_dist(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    from tests.promote.test_promote import _tiny_wheel

    repo = make_repo({"pyproject.toml": '[project]\nname = "tiny"\nversion = "1.0.0rc1"\n'})
    _tiny_wheel(repo.root / "dist")
    output = tmp_path / "github_output"
    env = {
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "RELEASEGATE_COMMAND": "promote",
        "RELEASEGATE_TO": "final",
    }

    completed = run_cli("action", cwd=repo.root, env=env)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    values = parse_outputs(output.read_text(encoding="utf-8"))
    assert values["result"] == "success"
    assert "  tiny-1.0.0-py3-none-any.whl" in values["hashes"]


def test_action_command_reports_error_for_a_refused_command(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n'})
    output = tmp_path / "github_output"
    env = {
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "RELEASEGATE_CHECKS": "no-such-gate",
    }

    completed = run_cli("action", cwd=repo.root, env=env)

    assert completed.returncode == 2
    assert "unknown check(s): no-such-gate" in completed.stderr
    values = parse_outputs(output.read_text(encoding="utf-8"))
    assert (values["result"], values["version"], values["report-path"]) == ("error", "1.0.0", "")


@pytest.mark.slow  # about 2 s: the CLI runs several times
def test_check_github_output_option(make_repo: Callable[..., GitRepo], tmp_path: Path) -> None:
    repo = make_repo(
        {
            "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
            "src/demo/__init__.py": '__version__ = "0.9.0"\n',
        }
    )
    output = tmp_path / "out"

    completed = run_cli(
        "check",
        "--github-output",
        "--json-report",
        "r.json",
        cwd=repo.root,
        env={"GITHUB_OUTPUT": str(output)},
    )

    assert completed.returncode == 1
    values = parse_outputs(output.read_text(encoding="utf-8"))
    assert (values["result"], values["report-path"]) == ("failure", "r.json")
    assert json.loads((repo.root / "r.json").read_text(encoding="utf-8"))["passed"] is False


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z-]{0,10}", fullmatch=True),
        st.text(st.characters(exclude_characters="\r"), max_size=60),
        max_size=4,
    )
)
def test_outputs_survive_any_value(values: dict[str, str]) -> None:
    assert parse_outputs(format_outputs(values)) == values


def test_result_of_exit_codes() -> None:
    assert [result_of(code) for code in (0, 1, 2, 3, 130)] == [
        "success",
        "failure",
        "error",
        "error",
        "error",
    ]


def test_pull_request_from_event_and_ref(tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"pull_request": {"number": 12, "head": {"sha": "abc"}}}), encoding="utf-8"
    )

    from_event = ActionsEnv.from_environ({"GITHUB_EVENT_PATH": str(event), "GITHUB_SHA": "merge"})
    from_ref = ActionsEnv.from_environ({"GITHUB_REF": "refs/pull/34/merge", "GITHUB_SHA": "merge"})

    assert (from_event.pull_request, from_event.sha) == (12, "abc")
    assert (from_ref.pull_request, from_ref.sha) == (34, "merge")


@settings(max_examples=100, deadline=None)
@given(
    st.binary(max_size=200)
    | st.builds(
        lambda v: json.dumps(v).encode(),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=10),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["pull_request", "number", "head", "sha"]), inner, max_size=3
                )
            ),
            max_leaves=10,
        ),
    )
)
def test_any_event_payload_is_read_without_crashing(
    tmp_path_factory: pytest.TempPathFactory, payload: bytes
) -> None:
    event = tmp_path_factory.mktemp("event") / "event.json"
    event.write_bytes(payload)

    env = ActionsEnv.from_environ({"GITHUB_EVENT_PATH": str(event)})

    assert env.pull_request is None or env.pull_request > 0
    assert env.sha is None or isinstance(env.sha, str)


def test_bootstrap_refuses_an_unknown_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert bootstrap.main(["action", "venv", "everything"]) == 2
    assert "usage: bootstrap.py" in capsys.readouterr().err


def test_working_directory_holds_the_project_and_relative_paths(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo(
        {
            "pkg/pyproject.toml": '[project]\nname = "demo"\nversion = "3.0.0"\n',
            "pkg/releasegate.toml": 'checks = ["semver"]\n',
        }
    )
    output = tmp_path / "github_output"
    env = {
        "GITHUB_OUTPUT": str(output),
        "RUNNER_TEMP": str(tmp_path),
        "RELEASEGATE_WORKING_DIRECTORY": "pkg",
        "RELEASEGATE_SARIF_FILE": "out/releasegate.sarif",
    }

    completed = run_cli("action", cwd=repo.root, env=env)

    assert completed.returncode == 0, completed.stderr
    assert parse_outputs(output.read_text(encoding="utf-8"))["version"] == "3.0.0"
    sarif = json.loads((repo.root / "pkg/out/releasegate.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []


def test_bad_input_still_sets_result_error(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = make_repo({"pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n'})
    output = tmp_path / "github_output"

    completed = run_cli(
        "action", cwd=repo.root, env={"GITHUB_OUTPUT": str(output), "RELEASEGATE_DRY_RUN": "maybe"}
    )

    assert completed.returncode == 2
    assert "input `dry-run`: expected true or false, got 'maybe'" in completed.stderr
    assert parse_outputs(output.read_text(encoding="utf-8"))["result"] == "error"
