"""``publish`` at a uv workspace root: members in dependency order on real pypiservers.

The order is read from the registries themselves: pypiserver's simple-dir backend writes each
upload as a file, so a dependency's files must all be older than its dependents' files.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from tests.conftest import GIT_ENV, GitRepo, run_cli
from tests.publish_support import (
    USER,
    Server,
    copy_into,
    fault_proxy,
    start_pypiserver,
    via,
    wait_http,
)
from tests.workspace_support import MEMBERS, make_workspace

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow  # real builds and registries

HATCHLING = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'


@pytest.fixture
def registries(tmp_path: Path) -> Iterator[list[Server]]:
    servers: list[Server] = []
    try:
        servers = [start_pypiserver(tmp_path / f"r{i}", f"r{i}", f"pw-{i}-Kx") for i in range(2)]
        for server in servers:
            wait_http(server.index_url, server.process)
        yield servers
    finally:
        for server in servers:
            server.stop()


def built_workspace(
    root: Path, servers: list[Server], proxy: str | None = None, private: tuple[str, ...] = ()
) -> dict[str, str]:
    """The uv workspace, built by hatchling into the root's dist/ (as ``uv build --all``
    does), configured with ``servers`` (uploads through ``proxy`` when given, one at a time
    per member; the ``private`` members classified Do Not Upload); returns the credentials'
    environment."""
    make_workspace(root)
    for name in MEMBERS:
        pyproject = root / "packages" / name / "pyproject.toml"
        text = pyproject.read_text()
        if name in private:
            text = text.replace(
                "[project]\n", '[project]\nclassifiers = ["Private :: Do Not Upload"]\n'
            )
        start = text.index("[build-system]")
        end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
        pyproject.write_text(text[:start] + HATCHLING + text[end:])
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(root / "dist"),
             str(pyproject.parent)],
            check=True, capture_output=True,
        )  # fmt: skip
    env: dict[str, str] = {}
    one_at_a_time = "concurrency = 1\n" if proxy else ""
    tables = [f"\n[tool.releasegate.publish]\nretries = 1\nbackoff = 0.05\n{one_at_a_time}"]
    for server in servers:
        key = server.name.upper()
        url = via(proxy, server.upload_url) if proxy else server.upload_url
        tables.append(
            f'[[tool.releasegate.registries]]\nname = "{server.name}"\nkind = "pypi"\n'
            f'url = "{url}"\nusername-env = "U_{key}"\npassword-env = "P_{key}"\n'
        )
        env |= {f"U_{key}": USER, f"P_{key}": server.password}
    with (root / "pyproject.toml").open("a") as out:
        out.write("\n".join(tables))
    return env


def uploaded(server: Server) -> dict[str, tuple[float, float]]:
    """Per project, the first and last upload time of its files on ``server``."""
    assert server.packages is not None
    times: dict[str, list[float]] = {}
    for path in server.packages.iterdir():
        times.setdefault(path.name.split("-")[0], []).append(path.stat().st_mtime)
    return {name: (min(t), max(t)) for name, t in times.items()}


def test_members_are_published_in_dependency_order(
    registries: list[Server], tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    env = built_workspace(root, registries)
    done = run_cli("publish", cwd=root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    for server in registries:
        times = uploaded(server)
        assert sorted(times) == sorted(MEMBERS)
        # api needs core; cli needs api and util: each starts after its needs ended.
        assert times["core"][1] <= times["api"][0]
        assert times["api"][1] <= times["cli"][0]
        assert times["util"][1] <= times["cli"][0]
    assert "api/r0" in done.stdout  # progress names the member


def test_a_member_that_is_never_released_is_not_published(
    registries: list[Server], tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    env = built_workspace(root, registries, private=("cli",))
    assert list((root / "dist").glob("cli-*.whl"))  # built, as `uv build --all` would
    done = run_cli("publish", "--format", "json", cwd=root, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    for server in registries:
        assert sorted(uploaded(server)) == ["api", "core", "util"]
    assert "not published: its classifiers say Private :: Do Not Upload" in done.stdout


def test_a_failed_dependency_holds_back_its_dependents_only(
    registries: list[Server], tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    env = built_workspace(root, registries)
    wheel = next((root / "dist").glob("core-*.whl"))
    impostor = tmp_path / wheel.name
    shutil.copyfile(next((root / "dist").glob("util-*.whl")), impostor)
    copy_into(registries[1], impostor)  # same name, other bytes: a conflict, never overwritten
    done = run_cli("publish", "--format", "json", cwd=root, env=env)
    assert done.returncode == 1
    names = {p.name.split("-")[0] for p in registries[0].packages.iterdir()}  # type: ignore[union-attr]
    # A conflict anywhere stops that member's release everywhere before a byte moves
    # (on-conflict = "stop-release"); api and cli, which need core, never start.
    assert names == {"util"}
    assert '"check": "api/publish"' in done.stdout
    assert "not started: core, which it requires, did not complete" in done.stdout


def test_the_job_summary_draws_the_waves_and_the_timeline(
    registries: list[Server], tmp_path: Path
) -> None:
    """Under Actions: members grouped by wave (core and util, then api, then cli), the one whose
    dependency failed marked not released, and a bar per member and registry."""
    root = tmp_path / "ws"
    env = built_workspace(root, registries)
    impostor = tmp_path / next((root / "dist").glob("api-*.whl")).name
    shutil.copyfile(next((root / "dist").glob("util-*.whl")), impostor)
    copy_into(registries[1], impostor)  # api conflicts: api and cli are not released
    summary = tmp_path / "summary.md"
    actions = {**env, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    done = run_cli("publish", "--format", "github", cwd=root, env=actions)
    assert done.returncode == 1, done.stdout + done.stderr
    text = summary.read_text(encoding="utf-8")
    waves = text[text.index("```mermaid\nflowchart LR") :]
    waves = waves[: waves.index("```\n", 10)]
    first, second, third = (waves.index(f'["wave {n}"]') for n in (1, 2, 3))
    assert first < waves.index('"core ✓"') < second
    assert first < waves.index('"util ✓"') < second
    assert second < waves.index('"api ✗ not released"') < third
    assert third < waves.index('"cli ✗ not released"')
    for member in ("core", "util", "api"):
        assert f"    section {member}/publish r0" in text


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_the_workspace_publish_and_each_started_member_is_audited(
    registries: list[Server], tmp_path: Path, sig: signal.Signals
) -> None:
    """As for one project: no upload starts after the signal (in a member started, nor in a
    later wave's member), the uploads in flight end, and each started member's run is
    audited as interrupted; exit 130."""
    root = tmp_path / "ws"
    server = registries[0]
    with fault_proxy(server.upload_url.rstrip("/")) as (proxy, plan):
        plan.latency = 1.5
        env = built_workspace(root, [server], proxy)
        clean = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        process = subprocess.Popen(
            [sys.executable, "-m", "releasegate", "publish"],
            cwd=root,
            env={**clean, **GIT_ENV, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ends = time.monotonic() + 60
        while "POST" not in plan.seen:
            assert time.monotonic() < ends, "no upload started"
            time.sleep(0.05)
        process.send_signal(sig)
        stdout, stderr = process.communicate(timeout=60)
        posts = plan.seen.count("POST")
    assert process.returncode == 130, stdout + stderr
    assert "interrupted" in stderr
    assert 1 <= posts <= 2  # core and util (wave 0): the one in flight each, no more
    assert server.packages is not None
    names = {p.name.split("-")[0] for p in server.packages.iterdir()}
    assert names <= {"core", "util"}  # api and cli (later waves) never started
    assert "not started: the run was interrupted" in stdout
    for member in ("core", "util"):
        log = root / "packages" / member / ".releasegate" / "publish-audit.jsonl"
        final = json.loads(log.read_text().splitlines()[-1])
        assert (final["phase"], final["interrupted"]) == ("finished", True), final


def test_package_and_changed_limit_the_workspace_publish(
    registries: list[Server], tmp_path: Path
) -> None:
    root = tmp_path / "ws"
    env = built_workspace(root, registries[:1])

    def published(*args: str) -> set[str]:
        done = run_cli("publish", *args, cwd=root, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert registries[0].packages is not None
        return {p.name.split("-")[0] for p in registries[0].packages.iterdir()}

    assert published("--package", "util", "--package", "API") == {"util", "api"}
    repo = GitRepo(root)
    repo.commit(message="hatchling")  # the build backend, released as 0.1.0 by every member
    for name in MEMBERS:
        repo.git("tag", "-f", "-a", f"{name}-v0.1.0", "-m", name)
    repo.commit({"packages/util/src/util/extra.py": "X = 1\n"}, "util: extra")
    # util changed, and cli depends on it: core (and api, unchanged) are not published.
    assert published("--changed") == {"util", "api", "cli"}


def test_package_is_refused_outside_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "solo"\nversion = "1.0.0"\n')
    done = run_cli("publish", "--dry-run", "--package", "solo", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "no workspace" in done.stderr
