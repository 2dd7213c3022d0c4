"""A 50-member workspace: `releasegate check semver lockfile metadata` at its root.

Target (DESIGN.md): no more than 1.5x the time of the same command on one member alone,
plus 50 ms per member, measured as the command (a subprocess, median of five runs). Each
member states its version, has complete metadata and a release tag of its own; every fifth
requires the member before it. Exit 1 on a miss.

    python benchmarks/workspace_scale.py [--real-lock PATH]

``--real-lock PATH``: also a real workspace with its real ``uv.lock`` (issue 30), laid out as
microsoft/autogen's ``python/`` folder (nine members, a 1 MB lock of 522 packages; too big to
commit as a fixture, so PATH is that folder of a checkout, tags and all). Every default gate,
dependency licenses read from the index as a user's first run does: ``check`` with an empty
cache (cold) must take <= 60 s, and the next run (warm) <= 10 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MEMBERS = 50
RATIO = 1.5
PER_MEMBER = 0.05
RUNS = 5
COMMAND = ("check", "semver", "lockfile", "metadata", "--format", "json")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}
MEMBER = """\
[project]
name = "{name}"
version = "1.0.0"
description = "member {name}"
authors = [{{name = "Bench"}}]
readme = "README.md"
requires-python = ">=3.10"
license = "MIT"
license-files = ["LICENSE"]
urls = {{Homepage = "https://example.invalid"}}
dependencies = [{dependencies}]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""


def write_member(folder: Path, name: str, dependencies: str = "") -> None:
    (folder / "src" / name.replace("-", "_")).mkdir(parents=True)
    (folder / "src" / name.replace("-", "_") / "__init__.py").write_text("")
    (folder / "pyproject.toml").write_text(MEMBER.format(name=name, dependencies=dependencies))
    (folder / "README.md").write_text(f"# {name}\n")
    (folder / "LICENSE").write_text("MIT License\n")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True,
                   capture_output=True)  # fmt: skip


def commit_and_tag(root: Path, tags: list[str]) -> None:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "init")
    for tag in tags:
        git(root, "tag", tag)


def make_workspace(root: Path) -> None:
    names = [f"member-{i:02d}" for i in range(MEMBERS)]
    globs = ", ".join(f'"packages/{n}"' for n in names)
    (root / "pyproject.toml").write_text(f"[tool.uv.workspace]\nmembers = [{globs}]\n")
    for index, name in enumerate(names):
        needs = f'"{names[index - 1]}>=1"' if index % 5 == 4 else ""
        write_member(root / "packages" / name, name, needs)
    commit_and_tag(root, [f"{n}-v1.0.0" for n in names])


def make_single(root: Path) -> None:
    write_member(root, "member-00")
    commit_and_tag(root, ["v1.0.0"])


def timed(root: Path) -> float:
    env = {**os.environ, **GIT_ENV}
    walls = []
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "releasegate", *COMMAND], cwd=root, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        walls.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            raise SystemExit(f"releasegate failed in {root}: {done.stderr}")
    return statistics.median(walls)


COLD_TARGET = 60.0
WARM_TARGET = 10.0


def real_lock(folder: Path) -> bool:
    """`releasegate check` at a real workspace, cold then warm, in a fresh cache; True on target."""
    if not (folder / "uv.lock").is_file():
        raise SystemExit(f"{folder}: no uv.lock (give the workspace root, e.g. autogen/python)")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, **GIT_ENV, "RELEASEGATE_CACHE_DIR": cache}
        walls = []
        for _ in ("cold", "warm"):
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "releasegate", "check", "--format", "json"],
                                  cwd=folder, env=env, capture_output=True, text=True,
                                  check=False)  # fmt: skip
            walls.append(time.perf_counter() - started)
            if done.returncode not in (0, 1):
                raise SystemExit(f"releasegate failed in {folder}: {done.stderr}")
    cold, warm = walls
    print(f"real lock {folder}: cold {cold:.1f} s (target <= {COLD_TARGET:.0f}), "
          f"warm {warm:.1f} s (target <= {WARM_TARGET:.0f})")  # fmt: skip
    return cold <= COLD_TARGET and warm <= WARM_TARGET


def main() -> int:
    arguments = sys.argv[1:]
    real_ok = True
    if arguments[:1] == ["--real-lock"] and len(arguments) == 2:
        real_ok = real_lock(Path(arguments[1]).resolve())
    elif arguments:
        raise SystemExit("usage: workspace_scale.py [--real-lock PATH]")
    with tempfile.TemporaryDirectory() as tmp:
        workspace, single = Path(tmp, "ws"), Path(tmp, "one")
        workspace.mkdir()
        single.mkdir()
        make_workspace(workspace)
        make_single(single)
        one = timed(single)
        many = timed(workspace)
    budget = RATIO * one + PER_MEMBER * MEMBERS
    print(f"one member: {one:.3f} s; {MEMBERS} members: {many:.3f} s; budget {budget:.3f} s")
    print(f"ratio to budget: {many / budget:.2f} (target <= 1.00)")
    return 0 if many <= budget and real_ok else 1


if __name__ == "__main__":
    sys.exit(main())
