"""uv workspaces laid out as real ones are (issue 30): pydantic-ai's lock-step members with
versions and inter-member requirements from uv-dynamic-versioning under one shared ``v`` tag,
and a member whose requirements only the workspace's ``uv.lock`` states (the MCP SDK)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.workspace_support import uv, workspace, workspace_template

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

__all__ = ["workspace", "workspace_template"]  # fixtures, used by name

DYNAMIC_MEMBER = """\
[build-system]
requires = ["hatchling", "uv-dynamic-versioning>=0.7.0"]
build-backend = "hatchling.build"

[tool.hatch.version]
source = "uv-dynamic-versioning"

[tool.uv-dynamic-versioning]
vcs = "git"
style = "pep440"
bump = true

[project]
name = "{name}"
dynamic = ["version", "dependencies", "optional-dependencies"]
requires-python = ">=3.10"

[tool.hatch.metadata.hooks.uv-dynamic-versioning]
dependencies = [{dependencies}]

[tool.hatch.metadata.hooks.uv-dynamic-versioning.optional-dependencies]
{extras}
"""

ROOT_WORKSPACE = """
[tool.uv.sources]
agent = { workspace = true }
agent-slim = { workspace = true }
agent-evals = { workspace = true }
agent-graph = { workspace = true }

[tool.uv.workspace]
members = ["agent_slim", "agent_evals", "agent_graph", "agent_cli"]
"""


def _member(name: str, dependencies: str = "", extras: str = "") -> str:
    return DYNAMIC_MEMBER.format(name=name, dependencies=dependencies, extras=extras)


def lock_step_workspace(make_repo: Callable[..., GitRepo]) -> GitRepo:
    """pydantic-ai's shape: the root is a package too; slim's ``evals`` extra needs evals,
    which needs slim (a cycle only through an extra); every member released as ``v2.3.0``."""
    return make_repo(
        {
            "pyproject.toml": _member(
                "agent",
                '"agent-slim[evals]=={{ version }}"',
                'examples = ["agent-cli=={{ version }}"]',
            )
            + ROOT_WORKSPACE,
            "agent_slim/pyproject.toml": _member(
                "agent-slim",
                '"agent-graph=={{ version }}", "httpx>=0.27"',
                'evals = ["agent-evals=={{ version }}"]',
            ),
            "agent_evals/pyproject.toml": _member(
                "agent-evals", '"agent-slim=={{ version }}", "rich>=13"'
            ),
            "agent_graph/pyproject.toml": _member("agent-graph", '"pydantic>=2"'),
            "agent_cli/pyproject.toml": _member("agent-cli", '"agent-slim >= {{ version }}"'),
        },
        tag="v2.3.0",
    )


def plan(repo: GitRepo) -> list[dict[str, Any]]:
    done = run_cli("plan", "--format", "json", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    planned: list[dict[str, Any]] = json.loads(done.stdout)
    return planned


def test_dynamic_requirements_order_the_release(make_repo: Callable[..., GitRepo]) -> None:
    planned = plan(lock_step_workspace(make_repo))
    waves = [(p["package"], p["wave"]) for p in planned]
    assert waves == [
        ("agent-graph", 0),
        ("agent-slim", 1),
        ("agent-evals", 2),
        ("agent-cli", 2),
        ("agent", 3),
    ]
    needs = {p["package"]: p["needs"] for p in planned}
    assert needs["agent-slim"] == ["agent-graph"]  # its extra's cycle back to evals is not
    assert needs["agent"] == ["agent-cli", "agent-slim"]  # its extra's requirement counts


def test_shared_tag_gives_every_member_its_version(make_repo: Callable[..., GitRepo]) -> None:
    planned = plan(lock_step_workspace(make_repo))
    assert {p["package"]: p["version"] for p in planned} == dict.fromkeys(
        ("agent-graph", "agent-slim", "agent-evals", "agent-cli", "agent"), "2.3.0"
    )
    assert {p["last-tag"] for p in planned} == {"v2.3.0"}


def test_shared_tag_passes_the_semver_gate_at_the_tag(make_repo: Callable[..., GitRepo]) -> None:
    repo = lock_step_workspace(make_repo)
    done = run_cli("check", "--release", "--format", "json", "semver", cwd=repo.root)
    report = json.loads(done.stdout)
    errors = [
        (c["check"], f["rule"]) for c in report["checks"] for f in c["findings"]
        if f["severity"] == "error"
    ]  # fmt: skip
    assert errors == [], done.stdout
    assert done.returncode == 0


def test_member_tags_keep_members_apart(make_repo: Callable[..., GitRepo]) -> None:
    repo = lock_step_workspace(make_repo)
    repo.git("tag", "-a", "agent-graph-v2.4.0", "-m", "graph alone")
    planned = {p["package"]: p for p in plan(repo)}
    assert planned["agent-graph"]["version"] == "2.4.0"
    assert planned["agent-slim"]["version"] is None  # its own tags: none on HEAD


@pytest.mark.slow
def test_requirements_only_the_lock_states_order_the_release(workspace: GitRepo) -> None:
    """cli's requirements become dynamic (no hook releasegate reads): uv's own lock of the
    workspace still says cli needs api and util."""
    uv(workspace.root, "lock")
    pyproject = workspace.root / "packages" / "cli" / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    start = text.index("dependencies = [")
    end = text.index("]", start) + 1
    text = text[:start] + 'dynamic = ["dependencies"]' + text[end:]
    pyproject.write_text(text, encoding="utf-8")
    planned = plan(workspace)
    assert [(p["package"], p["wave"]) for p in planned] == [
        ("core", 0), ("util", 0), ("api", 1), ("cli", 2),
    ]  # fmt: skip
    (workspace.root / "uv.lock").unlink()
    done = run_cli("plan", "--format", "json", cwd=workspace.root)
    assert "the dependencies of cli are dynamic and in no uv.lock" in done.stderr
    report = json.loads(run_cli("check", "--format", "json", "semver", cwd=workspace.root).stdout)
    rules = [
        f["rule"] for c in report["checks"] if c["check"] == "cli/semver" for f in c["findings"]
    ]
    assert "semver/workspace-order-unknown" in rules


def sdk_like_workspace(make_repo: Callable[..., GitRepo]) -> GitRepo:
    """The MCP SDK's shape: the root package and its types member, example servers with a
    fixed 0.1.0 and a build backend, a snippets member without one, and a private member."""
    example = (
        '[project]\nname = "{0}"\nversion = "0.1.0"\ndependencies = ["sdk"]\n'
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    )
    root = _member("sdk", '"sdk-types=={{ version }}"') + (
        '\n[tool.uv.workspace]\nmembers = ["src/sdk-types", "examples/servers/*",'
        ' "examples/snippets", "tools/internal"]\n'
    )
    return make_repo(
        {
            "pyproject.toml": root,
            "src/sdk-types/pyproject.toml": _member("sdk-types"),
            "examples/servers/echo/pyproject.toml": example.format("sdk-echo-server"),
            "examples/snippets/pyproject.toml": '[project]\nname = "sdk-snippets"\nversion = "0.1.0"\n',
            "tools/internal/pyproject.toml": example.format("sdk-internal").replace(
                'version = "0.1.0"\n',
                'version = "0.1.0"\nclassifiers = ["Private :: Do Not Upload"]\n',
            ),
        },
        tag="v2.0.0",
    )


def test_members_never_released_are_left_out_of_the_plan(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = sdk_like_workspace(make_repo)
    done = run_cli("plan", "--format", "json", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert [(p["package"], p["wave"]) for p in json.loads(done.stdout)] == [
        ("sdk-types", 0), ("sdk", 1),
    ]  # fmt: skip
    assert "sdk-echo-server is not in the plan: an example" in done.stderr
    assert "sdk-snippets is not in the plan: it builds no distribution" in done.stderr
    assert "sdk-internal is not in the plan: its classifiers say Private" in done.stderr


def test_members_never_released_get_no_release_rules(make_repo: Callable[..., GitRepo]) -> None:
    repo = sdk_like_workspace(make_repo)
    done = run_cli("check", "--release", "--format", "json", "semver", "metadata", "lockfile",
                   cwd=repo.root)  # fmt: skip
    report = json.loads(done.stdout)
    labels = [c["check"] for c in report["checks"]]
    for member in ("sdk-echo-server", "sdk-snippets", "sdk-internal"):
        assert f"{member}/workspace" in labels
        assert f"{member}/semver" not in labels
        assert f"{member}/metadata" not in labels
        assert f"{member}/lockfile" in labels
    assert "sdk-types/semver" in labels
