"""The verdict as data in the JSON report, the backend's output folded, and the version rule
between tags (issue 16)."""

from __future__ import annotations

import io
import json
import re
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.reproducible import stated_version
from releasegate._internal.cli.output import write_output
from releasegate._internal.findings import Finding, GateResult, Report, Severity
from releasegate._internal.project import Project
from releasegate._internal.report import OutputFormat, render
from tests.conftest import run_cli
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

_SHA = "a" * 64


def _report(data: dict[str, object]) -> Report:
    finding = Finding("reproducible", "reproducible", "wheel x.whl: identical", Severity.NOTE)
    return Report.of(
        [GateResult("reproducible", (finding,), 1.0, data=data), GateResult("semver", ())]
    )


def _rendered(report: Report, fmt: OutputFormat) -> str:
    out = io.StringIO()
    render(report, fmt, out)
    return out.getvalue()


def test_gate_data_is_a_field_of_the_json_report_only() -> None:
    data: dict[str, object] = {"artifacts": [{"name": "x.whl", "sha256": _SHA}]}
    document = json.loads(_rendered(_report(data), OutputFormat.JSON))
    assert document["checks"][0]["data"] == data
    assert document["checks"][1]["data"] == {}
    # The other formats do not change with it.
    for fmt in (OutputFormat.SARIF, OutputFormat.MARKDOWN, OutputFormat.TEXT):
        assert _rendered(_report(data), fmt) == _rendered(_report({}), fmt)
    # Positional construction of a GateResult is unchanged; data is not part of its hash.
    assert hash(GateResult("semver", (), 0.0, None, Severity.ERROR)) == hash(
        GateResult("semver", (), 0.0, None, Severity.ERROR, data={"k": [1]})
    )


def test_backend_output_only_on_request_or_folded_under_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    quiet, verbose = io.StringIO(), io.StringIO()
    write_output(quiet, "backend output", "running build\n::error::x", verbose=False)
    write_output(verbose, "backend output", "running build\n::error::x", verbose=True)
    assert quiet.getvalue() == ""
    assert verbose.getvalue() == "backend output\n  | running build\n  | ::error::x\n"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    folded = io.StringIO()
    write_output(folded, "backend output", "running build\n::error::x", verbose=False)
    # Indented: a line of the backend's cannot become a workflow command.
    assert folded.getvalue() == (
        "::group::backend output\n  | running build\n  | ::error::x\n::endgroup::\n"
    )


_VCS = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "demo-vcs"
dynamic = ["version"]

[tool.hatch.version]
source = "vcs"
"""


def test_a_vcs_version_between_release_tags_is_not_a_mismatch(
    make_repo: Callable[..., GitRepo],
) -> None:
    # attrs at 26.1.0-70-gc1dc5dcb builds 26.1.1.dev70 while CHANGELOG.md states 26.1.0: the
    # gate reported version-mismatch (and `build` refused to ship) on every untagged commit.
    repo = make_repo(
        {"pyproject.toml": _VCS, "CHANGELOG.md": "# Changelog\n\n## 1.2.3\n\n- first\n"},
        tag="v1.2.3",
    )
    assert stated_version(Project(repo.root)) == "1.2.3"
    repo.commit({"src/demo_vcs/__init__.py": '"""demo"""\n'}, "after the release")
    assert stated_version(Project(repo.root)) is None


_NOISY_SETUP = """\
from setuptools import setup

for number in range(100):
    print(f"noise line {number}")
raise SystemExit("the real reason: boom")
"""


@pytest.mark.slow
def test_a_failed_build_keeps_its_last_lines_and_verbose_shows_all(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = project_files("setuptools")
    files["setup.py"] = _NOISY_SETUP
    repo = make_repo(files)
    failed = run_cli("build", "--no-isolation", cwd=repo.root)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "the real reason: boom" in failed.stderr
    assert "noise line 99" in failed.stderr
    assert "noise line 50" not in failed.stderr + failed.stdout
    verbose = run_cli("build", "--no-isolation", "--verbose", cwd=repo.root)
    assert verbose.returncode == 1
    assert "  | noise line 50" in verbose.stderr
    # The full output comes first; the error (with its tail) stays the last thing said.
    assert verbose.stderr.index("noise line 50") < verbose.stderr.index("releasegate: error")


@pytest.mark.slow
def test_setuptools_verdict_is_data_and_its_output_is_folded(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(
        project_files(
            "setuptools", extra_toml="\n[tool.releasegate.reproducible]\nisolation = false\n"
        )
    )
    quiet = run_cli("check", "reproducible", "--format", "json", cwd=repo.root)
    assert quiet.returncode in (0, 1), quiet.stderr
    check = json.loads(quiet.stdout)["checks"][0]
    data = check["data"]
    # Every artifact's sha256 in each build, as fields, agreeing with the verdict's text.
    kinds = [a["kind"] for a in data["artifacts"]]
    assert kinds == ["sdist", "wheel", "wheel-from-sdist"]
    messages = " ".join(f["message"] for f in check["findings"])
    for artifact in data["artifacts"]:
        first, second = (b["sha256"] for b in artifact["builds"])
        assert re.fullmatch("[0-9a-f]{64}", first)
        assert artifact["identical"] == (first == second)
        assert first in messages
        assert second in messages
    assert data["reproducible"] == check["passed"]
    # setuptools talks a lot; none of it reaches the terminal unasked.
    output = "\n".join(entry["output"] for entry in data["backend_output"])
    assert "running egg_info" in output
    assert len(output.splitlines()) > 50
    assert "running egg_info" not in quiet.stderr
    assert "running egg_info" not in messages
    # Under GitHub Actions it is folded into a group per build, before the verdict.
    actions = run_cli(
        "check", "reproducible", "--format", "text", cwd=repo.root, env={"GITHUB_ACTIONS": "true"}
    )
    assert "::group::releasegate reproducible: backend output of build 1\n" in actions.stderr
    assert "::group::releasegate reproducible: backend output of build 2\n" in actions.stderr
    assert "  | running egg_info" in actions.stderr
    assert actions.stderr.count("::group::") == actions.stderr.count("::endgroup::") >= 2
    assert "running egg_info" not in actions.stdout
