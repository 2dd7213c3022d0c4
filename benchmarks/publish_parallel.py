"""Benchmark: parallel publish and mirror verification (DESIGN.md performance targets).

1. Four local pypiservers, each behind a proxy adding ~50 ms per request; dists of
   a few MB. Wall of ``releasegate publish`` to all four against ``twine upload``
   to each in turn, and against ``releasegate publish`` to the slowest registry
   alone. Targets: >= 3x faster than twine in turn; <= 1.5x the slowest alone.
   releasegate does more than twine: it reads each index before uploading (the plan)
   and verifies the bytes after (the upload answers of pypiserver and devpi are empty,
   so they prove no bytes): each file is downloaded and hashed as soon as its upload
   lands, from where pypiserver serves it, and counts only when the page read after
   the last upload links that very URL with no other hash; otherwise the page's link
   is downloaded. The round trips of each side are counted at the proxies and printed.
   The proxies set TCP_NODELAY, as real servers do: without it a small answer (a page,
   an upload's reply) waited for a delayed ACK and took ~90 ms, not ~50.
2. ``releasegate verify-mirrors`` over 3 pre-filled registries (2 pypiservers and
   a directory index) x 500 files. Target: <= 2 s.

Each measurement is the best of a few interleaved repetitions (as ``timeit``
does: the machine is shared, and load only ever adds time); medians are printed
too. Registries are emptied between runs so every run uploads the same bytes.
Ratios are printed last; the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

from releasegate._internal.publish.registries.directory import render_page  # noqa: E402
from tests.publish_support import (  # noqa: E402
    USER,
    FaultPlan,
    Server,
    build_project,
    fault_proxy,
    start_pypiserver,
    via,
    wait_http,
)

LATENCY = 0.05
REPEATS = 5
MIRROR_FILES = 500
BIN = Path(sys.executable).parent


def _env(base: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    env.pop("GITHUB_ACTIONS", None)
    # Like for like: twine runs from site-packages with the bytecode pip compiled at
    # install, and so does an installed releasegate. Run from src/ under
    # PYTHONDONTWRITEBYTECODE, releasegate would compile its modules on every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(base / "pycache")
    return env


def _empty(servers: list[Server]) -> None:
    for server in servers:
        assert server.packages is not None
        for path in server.packages.iterdir():
            path.unlink()


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(argv[:4])}...\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def _config(project: Path, urls: dict[str, tuple[str, str]], env: dict[str, str]) -> None:
    parts = ["[publish]\nconcurrency = 8\n"]
    for name, (upload, index) in urls.items():
        parts.append(
            f'[[registries]]\nname = "{name}"\nkind = "pypi"\nurl = "{upload}"\n'
            f'index-url = "{index}"\nusername-env = "BENCH_USER"\npassword-env = "BENCH_PASS"\n'
        )
    (project / "releasegate.toml").write_text("\n".join(parts), encoding="utf-8")
    env.update({"BENCH_USER": USER, "BENCH_PASS": "bench-pw"})


def bench_publish(base: Path) -> tuple[float, float, float]:
    """(releasegate all, twine in turn, releasegate slowest alone), best of REPEATS, seconds."""
    servers = [start_pypiserver(base / f"pypi{i}", f"pypi{i}", "bench-pw") for i in range(4)]
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)
        for server in servers:
            wait_http(server.index_url, server.process)
        urls = {}
        plans: list[FaultPlan] = []
        for server in servers:
            proxy, plan = stack.enter_context(
                fault_proxy(server.upload_url.rstrip("/"), FaultPlan(latency=LATENCY))
            )
            plans.append(plan)
            urls[server.name] = (via(proxy, server.upload_url), via(proxy, server.index_url))
        project = base / "project"
        dist = build_project(project, "rgbench", "1.0.0", data_size=3_000_000)
        sizes = ", ".join(
            f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(dist.iterdir())
        )
        latency = f"+{LATENCY * 1000:.0f} ms per request"
        print(f"dists: {sizes}; {len(servers)} pypiservers behind {latency}")
        env = _env(base)
        _config(project, urls, env)
        files = [str(p) for p in sorted(dist.iterdir())]
        releasegate = [sys.executable, "-m", "releasegate", "publish"]
        together: list[float] = []
        in_turn: list[float] = []
        per_registry: dict[str, list[float]] = {name: [] for name in urls}
        trips: dict[str, list[str]] = {}
        for _ in range(REPEATS):
            _empty(servers)
            _count(plans)
            total = 0.0
            for upload, _index in urls.values():
                took = _timed(
                    [
                        str(BIN / "twine"),
                        "upload",
                        "--disable-progress-bar",
                        "--non-interactive",
                        "--repository-url",
                        upload,
                        "-u",
                        USER,
                        "-p",
                        "bench-pw",
                        *files,
                    ],
                    project,
                    env,
                )
                total += took
            in_turn.append(total)
            trips["twine"] = _count(plans)
            _empty(servers)
            shutil.rmtree(project / ".releasegate", ignore_errors=True)
            together.append(_timed(releasegate, project, env))
            trips["releasegate"] = _count(plans)
            _empty(servers)
            for name in urls:
                shutil.rmtree(project / ".releasegate", ignore_errors=True)
                per_registry[name].append(_timed([*releasegate, "--registry", name], project, env))
        for who, requests in trips.items():
            kinds = ", ".join(
                f"{n / len(plans):g} {r}" for r, n in sorted(Counter(requests).items())
            )
            print(f"round trips per registry, {who}: {len(requests) / len(plans):g} ({kinds})")
        print(
            f"medians: releasegate all {statistics.median(together):.2f} s, twine in turn "
            f"{statistics.median(in_turn):.2f} s, slowest alone "
            f"{max(statistics.median(t) for t in per_registry.values()):.2f} s"
        )
        slowest = max(min(times) for times in per_registry.values())
        return min(together), min(in_turn), slowest


def _count(plans: list[FaultPlan]) -> list[str]:
    """The requests the proxies saw since the last call (per registry, so divided by four),
    with file names cut to their kind: "GET /packages/*.whl"."""
    seen = []
    for plan in plans:
        with plan.lock:
            seen += plan.requests
            plan.requests.clear()
    return [re.sub(r"/packages/[^/]*?(\.whl|\.tar\.gz)$", r"/packages/*\1", r) for r in seen]


def _fill(directory: Path, names: list[str]) -> dict[str, str]:
    """Tiny dist-named files; returns filename -> sha256."""
    directory.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for name in names:
        data = hashlib.sha256(name.encode()).digest() * 8
        (directory / name).write_bytes(data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    return hashes


def bench_verify(base: Path) -> float:
    names = [
        f"rgmirror-0.{i // 2}.0{'-py3-none-any.whl' if i % 2 else '.tar.gz'}"
        for i in range(MIRROR_FILES)
    ]
    servers = [start_pypiserver(base / f"mirror{i}", f"mirror{i}", "bench-pw") for i in range(2)]
    try:
        for server in servers:
            assert server.packages is not None
            _fill(server.packages, names)
            wait_http(server.index_url, server.process)
        project = base / "mirror-project"
        simple = project / "index" / "simple"
        hashes = _fill(simple / "rgmirror", names)
        links = {name: f"{name}#sha256={sha}" for name, sha in hashes.items()}
        (simple / "rgmirror" / "index.html").write_text(render_page("Links for rgmirror", links))
        (simple / "index.html").write_text(render_page("Simple index", {"rgmirror": "rgmirror/"}))
        registries = "".join(
            f'[[registries]]\nname = "{s.name}"\nkind = "pypi"\nurl = "{s.upload_url}"\n'
            for s in servers
        )
        registries += '[[registries]]\nname = "dir"\nkind = "directory"\nurl = "index"\n'
        (project / "pyproject.toml").write_text(
            '[project]\nname = "rgmirror"\nversion = "0.0.0"\n\n'
            + registries.replace("[[registries]]", "[[tool.releasegate.registries]]"),
            encoding="utf-8",
        )
        env = _env(base)
        argv = [sys.executable, "-m", "releasegate", "verify-mirrors", "--version", "all"]
        check = subprocess.run(
            argv, cwd=project, env=env, capture_output=True, text=True, check=False
        )
        expected = f"3 registries, version all, {MIRROR_FILES} files: 0 problem(s)"
        if check.returncode != 0 or expected not in check.stdout:
            sys.exit(
                f"verify-mirrors did not compare what it should:\n{check.stdout}\n{check.stderr}"
            )
        return min(_timed(argv, project, env) for _ in range(REPEATS))
    finally:
        for server in servers:
            server.stop()


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        base = Path(temp)
        together, in_turn, slowest = bench_publish(base)
        verify = bench_verify(base)
    speedup = in_turn / together
    overhead = together / slowest
    print(f"releasegate publish, 4 registries at once: {together:.2f} s")
    print(f"twine upload to each in turn:              {in_turn:.2f} s")
    print(f"releasegate publish, slowest one alone:    {slowest:.2f} s")
    print(
        f"verify-mirrors, 3 registries x {MIRROR_FILES} files:   {verify:.2f} s (target <= 2.00 s)"
    )
    ok = speedup >= 3.0 and overhead <= 1.5 and verify <= 2.0
    print(f"ratio twine-in-turn / releasegate: {speedup:.2f}x (target >= 3.00x)")
    print(f"ratio releasegate-all / slowest-alone: {overhead:.2f}x (target <= 1.50x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
