"""Benchmark: `releasegate check reproducible` against one and two `python -m build` runs.

Target (DESIGN.md): the check takes <= 1.0x the wall time of one `python -m build` of the
same project, and is >= 1.8x faster than running `python -m build` twice. All three are
measured in this run, on the same project (default: releasegate's own repository),
interleaved round by round so that a change in machine load hits all three alike; the
ratios of each round are taken and their medians compared. Exits 1 when a target is missed.

    python benchmarks/repro_build.py [PROJECT] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_VS_ONE = 1.0
MIN_VS_TWO = 1.8


def _run(argv: list[str], cwd: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("GITHUB_ACTIONS", None)
    started = time.perf_counter()
    completed = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):  # 1: the check found the project not reproducible
        output = completed.stdout + completed.stderr
        sys.exit(f"{' '.join(argv)} failed ({completed.returncode}):\n{output}")
    return elapsed


def one_build(project: Path, outdir: Path) -> float:
    return _run([sys.executable, "-m", "build", "--outdir", str(outdir), str(project)], project)


def check(project: Path) -> float:
    return _run(
        [sys.executable, "-m", "releasegate", "check", "reproducible", "--format", "json"], project
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", type=Path, default=ROOT)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    project = args.project.resolve()
    ones, twos, checks = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        one_build(project, Path(tmp) / "warm")  # fill pip's cache; not measured
        for round_ in range(args.rounds):
            ones.append(one_build(project, Path(tmp) / f"one-{round_}"))
            twos.append(
                one_build(project, Path(tmp) / f"two-{round_}a")
                + one_build(project, Path(tmp) / f"two-{round_}b")
            )
            checks.append(check(project))
    print(f"project: {project}")
    for label, times in (
        ("python -m build once", ones),
        ("python -m build twice", twos),
        ("releasegate check reproducible", checks),
    ):
        each = ", ".join(f"{t:.2f}" for t in times)
        print(f"{label}: median {statistics.median(times):.2f}s ({each})")
    vs_one = statistics.median(c / o for c, o in zip(checks, ones, strict=True))
    vs_two = statistics.median(t / c for t, c in zip(twos, checks, strict=True))
    ok = vs_one <= MAX_VS_ONE and vs_two >= MIN_VS_TWO
    print(
        f"check / one build = {vs_one:.2f} (target <= {MAX_VS_ONE}); "
        f"two builds / check = {vs_two:.2f} (target >= {MIN_VS_TWO}): {'PASS' if ok else 'MISS'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
