"""``publish`` at a uv workspace root: members in dependency order on real pypiservers.

The order is read from the registries themselves: pypiserver's simple-dir backend writes each
upload as a file, so a dependency's files must all be older than its dependents' files.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.publish_support import USER, Server, copy_into, start_pypiserver, wait_http
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


def built_workspace(root: Path, servers: list[Server]) -> dict[str, str]:
    """The uv workspace, built by hatchling into the root's dist/ (as ``uv build --all``
    does), configured with ``servers``; returns the credentials' environment."""
    make_workspace(root)
    for name in MEMBERS:
        pyproject = root / "packages" / name / "pyproject.toml"
        text = pyproject.read_text()
        start = text.index("[build-system]")
        end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
        pyproject.write_text(text[:start] + HATCHLING + text[end:])
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(root / "dist"),
             str(pyproject.parent)],
            check=True, capture_output=True,
        )  # fmt: skip
    env: dict[str, str] = {}
    tables = ["\n[tool.releasegate.publish]\nretries = 1\nbackoff = 0.05\n"]
    for server in servers:
        key = server.name.upper()
        tables.append(
            f'[[tool.releasegate.registries]]\nname = "{server.name}"\nkind = "pypi"\n'
            f'url = "{server.upload_url}"\nusername-env = "U_{key}"\npassword-env = "P_{key}"\n'
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
