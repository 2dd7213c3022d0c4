"""One verdict: the exit code, every renderer, GitHub feedback and every command agree on `fail-on`."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import GIT_ENV, run_cli
from tests.github.test_github_feedback import actions_env
from tests.github_support import GitHubStandIn, all_comments
from tests.repro_support import wheel_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator

# No version anywhere: the semver gate's only finding is the `semver/no-version` warning.
WARNING_ONLY = '[project]\nname = "demo"\n[tool.releasegate]\nchecks = ["semver"]\n'
FAIL_ON_WARNING = 'fail-on = "warning"\n'


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


def warning_project(root: Path, fail_on_warning: bool = True) -> Path:
    config = WARNING_ONLY + (FAIL_ON_WARNING if fail_on_warning else "")
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    return root


@pytest.mark.parametrize("fail_on_warning", [True, False])
def test_every_renderer_gives_the_exit_codes_verdict(tmp_path: Path, fail_on_warning: bool) -> None:
    root = warning_project(tmp_path, fail_on_warning)
    code, word = (1, "failed") if fail_on_warning else (0, "passed")

    text = run_cli("check", "--format", "text", cwd=root)
    as_json = run_cli("check", "--format", "json", cwd=root)
    markdown = run_cli("check", "--format", "markdown", cwd=root)
    summary = tmp_path / "summary.md"
    github = run_cli(
        "check", "--format", "github", cwd=root, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    sarif = run_cli("check", "--format", "sarif", cwd=root)

    assert {r.returncode for r in (text, as_json, markdown, github, sarif)} == {code}
    # The closing line names the gate that failed; a pass says how many ran (issue 26).
    what = "failed (semver)" if fail_on_warning else "passed (1 check)"
    assert f"releasegate: {what}: 0 error(s), 1 warning(s)" in text.stdout
    report = json.loads(as_json.stdout)
    assert report["passed"] is not fail_on_warning
    assert [c["passed"] for c in report["checks"]] == [not fail_on_warning]
    assert f"**{word.capitalize()}**" in markdown.stdout
    assert f"| semver | {'❌' if fail_on_warning else '✅'} {word} | 0 | 1 |" in markdown.stdout
    assert f"releasegate: {what}" in github.stdout
    assert f"**{word.capitalize()}**" in summary.read_text(encoding="utf-8")
    (result,) = json.loads(sarif.stdout)["runs"][0]["results"]
    assert result["level"] == "warning"  # SARIF carries levels, not a verdict


def test_statuses_check_runs_comment_and_outputs_follow_fail_on(
    github: GitHubStandIn, tmp_path: Path
) -> None:
    (tmp_path / "project").mkdir()
    root = warning_project(tmp_path / "project")
    outputs = tmp_path / "outputs"
    env = {**actions_env(github, tmp_path), "GITHUB_OUTPUT": str(outputs)}

    statuses = run_cli(
        "check", "--report-statuses", "--comment", "--github-output", cwd=root, env=env
    )
    runs = run_cli("check", "--report-statuses", "--status-kind", "check-run", cwd=root, env=env)

    assert statuses.returncode == runs.returncode == 1, statuses.stderr + runs.stderr
    status, comment, check_run = (r.body for r in github.requests("POST"))
    assert status["state"] == "failure"
    assert status["description"] == "failed: 0 error(s), 1 warning(s)"
    assert check_run["conclusion"] == "failure"
    assert "**Failed**" in comment["body"]
    assert "**Failed**" in next(all_comments(github))["body"]
    assert "result<<" in outputs.read_text(encoding="utf-8")
    assert "\nfailure\n" in outputs.read_text(encoding="utf-8")


def write(root: Path, text: str, name: str = "pyproject.toml") -> None:
    (root / name).write_text(text, encoding="utf-8")


def severity(rule: str, level: str) -> str:
    return f'[tool.releasegate.severity]\n"{rule}" = "{level}"\n'


def test_commit_msg_honours_severity_and_fail_on(tmp_path: Path) -> None:
    message = tmp_path / "msg"
    message.write_text("no type here\n", encoding="utf-8")
    project = '[project]\nname = "x"\n[tool.releasegate]\n'
    rule = "commit-msg/conventional-commit"

    write(tmp_path, project + severity(rule, "warning"))
    demoted = run_cli("commit-msg", str(message), cwd=tmp_path)
    write(tmp_path, project + FAIL_ON_WARNING + severity(rule, "warning"))
    failing = run_cli("commit-msg", str(message), cwd=tmp_path)

    assert demoted.returncode == 0, demoted.stdout
    assert "warning: " in demoted.stdout
    assert failing.returncode == 1, failing.stdout
    assert "releasegate: failed (commit-msg)" in failing.stdout


def test_sbom_honours_severity_and_fail_on(tmp_path: Path) -> None:
    write(tmp_path, "requests\n", "requirements.txt")
    project = '[project]\nname = "x"\nversion = "1.0.0"\n[tool.releasegate]\n' + FAIL_ON_WARNING

    write(tmp_path, project)
    failing = run_cli("sbom", "--format", "json", cwd=tmp_path)
    write(tmp_path, project + severity("sbom/unpinned", "off"))
    silenced = run_cli("sbom", "--format", "json", cwd=tmp_path)

    assert failing.returncode == 1, failing.stderr
    assert json.loads(failing.stdout)["passed"] is False
    assert silenced.returncode == 0, silenced.stdout
    assert json.loads(silenced.stdout)["checks"][0]["findings"] == []


def test_verify_honours_severity_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "demo-1.0.0.tar.gz").write_bytes(b"not signed")
    project = '[project]\nname = "demo"\nversion = "1.0.0"\n[tool.releasegate]\n'

    write(tmp_path, project + severity("verify/unsigned", "warning"))
    demoted = run_cli("verify", "--repository", "acme/demo", cwd=tmp_path)
    write(tmp_path, project + FAIL_ON_WARNING + severity("verify/unsigned", "warning"))
    failing = run_cli("verify", "--repository", "acme/demo", cwd=tmp_path)

    assert demoted.returncode == 0, demoted.stdout + demoted.stderr
    assert "warning: no bundle beside it" in demoted.stdout
    assert failing.returncode == 1, failing.stdout
    assert "releasegate: failed (verify): 0 error(s), 1 warning(s)" in failing.stdout


def directory_project(root: Path, extra: str = "") -> None:
    write(
        root,
        '[project]\nname = "demo"\nversion = "1.0.0"\n'
        '[[tool.releasegate.registries]]\nname = "mirror"\nkind = "directory"\nurl = "mirror"\n'
        "[tool.releasegate]\n" + extra,
    )


def dist(root: Path, content: bytes = b"wheel bytes") -> None:
    (root / "dist").mkdir(exist_ok=True)
    (root / "dist" / "demo-1.0.0-py3-none-any.whl").write_bytes(wheel_bytes(content))


def test_verify_mirrors_honours_severity_and_fail_on(tmp_path: Path) -> None:
    dist(tmp_path)  # the mirror serves nothing: the wheel is missing there
    directory_project(tmp_path, severity("verify-mirrors/missing", "warning"))
    demoted = run_cli("verify-mirrors", cwd=tmp_path)
    directory_project(tmp_path, FAIL_ON_WARNING + severity("verify-mirrors/missing", "warning"))
    failing = run_cli("verify-mirrors", "--format", "json", cwd=tmp_path)

    assert demoted.returncode == 0, demoted.stdout + demoted.stderr
    assert "warning: " in demoted.stdout
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert json.loads(failing.stdout)["passed"] is False


def test_verify_mirrors_runs_without_the_cli(tmp_path: Path) -> None:
    from releasegate._internal.project import Project
    from releasegate._internal.publish.progress import SilentEvents
    from releasegate._internal.publish.verify_mirrors import MirrorOptions, verify_mirrors

    dist(tmp_path)  # the mirror serves nothing: the wheel is missing there
    directory_project(tmp_path)
    report = verify_mirrors(Project(tmp_path), MirrorOptions(), SilentEvents(), env={})

    assert report.failed
    (result,) = report.results
    assert result.check == "verify-mirrors"
    assert [f.rule for f in result.findings] == ["missing"]
    assert result.summary == "1 registries, version 1.0.0, 1 files: 1 problem(s)"


def test_publish_honours_severity_and_fail_on(tmp_path: Path) -> None:
    dist(tmp_path)
    directory_project(tmp_path)
    assert run_cli("publish", cwd=tmp_path).returncode == 0
    dist(tmp_path, b"other wheel bytes")  # same name, different file: a conflict

    directory_project(tmp_path, severity("publish/conflict", "warning"))
    demoted = run_cli("publish", "--dry-run", cwd=tmp_path)
    directory_project(tmp_path, FAIL_ON_WARNING + severity("publish/conflict", "warning"))
    failing = run_cli("publish", "--dry-run", "--format", "json", cwd=tmp_path)

    assert demoted.returncode == 0, demoted.stdout + demoted.stderr
    demoted_lines = [line for line in demoted.stdout.splitlines() if ": warning: mirror: " in line]
    assert len(demoted_lines) == 1, demoted.stdout
    assert "serves a different demo-1.0.0-py3-none-any.whl" in demoted_lines[0]
    assert demoted_lines[0].endswith("[publish/conflict]")
    assert "passed (1 check): 0 error(s), 1 warning(s)" in demoted.stdout
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert json.loads(failing.stdout)["passed"] is False


def test_build_verify_honours_severity_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "src" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "demo" / "__init__.py").write_text('"""Demo."""\n', encoding="utf-8")
    project = (
        '[build-system]\nrequires = ["flit_core"]\nbuild-backend = "flit_core.buildapi"\n'
        '[project]\nname = "demo"\nversion = "1.0.0"\ndescription = "d"\n'
        "[tool.releasegate]\n" + FAIL_ON_WARNING
    )
    git = ["git", "-C", str(tmp_path)]
    env = {**os.environ, **GIT_ENV}
    write(tmp_path, project)
    subprocess.run([*git, "init", "-q"], check=True, env=env)
    subprocess.run([*git, "add", "-A"], check=True, env=env)
    subprocess.run([*git, "commit", "-qm", "demo"], check=True, env=env)

    failing = run_cli("build", "--verify", "--no-isolation", cwd=tmp_path)
    write(tmp_path, project + severity("reproducible/unpinned-backend", "off"))
    silenced = run_cli("build", "--verify", "--no-isolation", cwd=tmp_path)

    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "releasegate: failed (reproducible): 0 error(s), 1 warning(s)" in failing.stdout
    assert silenced.returncode == 0, silenced.stdout + silenced.stderr
    assert "unpinned-backend" not in silenced.stdout


@pytest.mark.parametrize(
    "args", [("config-schema",), ("check", "--format", "json")], ids=["config-schema", "check"]
)
def test_a_closed_stdout_ends_quietly_with_141(tmp_path: Path, args: tuple[str, ...]) -> None:
    warning_project(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte, like `| head -c0`
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "releasegate", *args],
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
        )
    finally:
        os.close(write_end)

    assert completed.returncode == 141
    assert completed.stderr == ""


def test_a_pipe_into_head_keeps_the_clis_status(tmp_path: Path) -> None:
    """The shell view: `releasegate config-schema | head -c1` under pipefail."""
    command = f'set -o pipefail; "{sys.executable}" -m releasegate config-schema | head -c1'
    completed = subprocess.run(
        ["bash", "-c", command], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert completed.stdout == "{"
    assert "bug" not in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.returncode in (0, 141)  # 0 when the schema fit in the pipe before head left


def _printing(tree: ast.AST) -> list[int]:
    """Lines that call print() or touch sys.stdout / sys.stderr (code in strings does not count)."""
    return [
        node.lineno
        for node in ast.walk(tree)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "print"
        )
        or (
            isinstance(node, ast.Attribute)
            and node.attr in ("stdout", "stderr")
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        )
    ]


def test_the_print_finder_sees_calls_and_streams_but_not_strings() -> None:
    source = 'import sys\nprint(1)\nsys.stderr.write("x")\ncode = "print(2); sys.stdout"\n'
    assert _printing(ast.parse(source)) == [2, 3]


def test_library_code_does_not_print() -> None:
    """Output comes only from cli/ and the renderers in report/ (bootstrap.py runs standalone)."""
    package = Path(__file__).parents[2] / "src" / "releasegate" / "_internal"
    allowed = {package / "cli", package / "report"}
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        if not allowed.intersection(path.parents) and path.name != "bootstrap.py"
        for number in _printing(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert offenders == []


def test_public_publish_uploads_silently_and_returns_the_report(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import releasegate

    dist(tmp_path)
    directory_project(tmp_path)

    report = releasegate.publish(tmp_path)

    assert not report.failed
    assert [r.check for r in report.results] == ["publish mirror"]
    served = tmp_path / "mirror" / "simple" / "demo"
    assert (served / "demo-1.0.0-py3-none-any.whl").read_bytes() == wheel_bytes(b"wheel bytes")
    assert capfd.readouterr() == ("", "")
    again = releasegate.publish(tmp_path, dry_run=True, registries=["mirror"])
    assert not again.failed
    assert again.results[0].summary == "plan: 0 upload, 1 skip, 0 conflict"
