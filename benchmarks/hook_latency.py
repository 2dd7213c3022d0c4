"""Median wall time of releasegate's hooks against `validate-pyproject pyproject.toml`.

Targets (DESIGN.md): each hook ≤ 0.15 s median and faster than validate-pyproject alone on the
same repository, measured in the same run. Usage: python benchmarks/hook_latency.py [REPO]
(default: this repository). Prints one line per hook and the worst ratio last; exits 1 on a miss.
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 15
TARGET_SECONDS = 0.15
HOOKS: list[list[str]] = [
    ["check", "semver"],
]


# Measure what users run: an installed package whose bytecode is cached.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def median_wall(argv: list[str], cwd: Path) -> float:
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=ENV)  # warm caches
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=ENV)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    repo = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1]
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "src", quiet=1)
    bindir = Path(sys.executable).parent
    releasegate = (
        str(bindir / "releasegate") if (bindir / "releasegate").exists() else "releasegate"
    )
    anchor_tool = shutil.which("validate-pyproject", path=str(bindir)) or "validate-pyproject"
    anchor = median_wall([anchor_tool, "pyproject.toml"], repo)
    print(f"validate-pyproject pyproject.toml: median {anchor * 1000:.0f} ms")
    worst = 0.0
    missed = False
    for args in HOOKS:
        wall = median_wall([releasegate, *args], repo)
        ratio = wall / anchor
        worst = max(worst, ratio)
        ok = wall <= TARGET_SECONDS and wall < anchor
        missed |= not ok
        print(
            f"releasegate {' '.join(args)}: median {wall * 1000:.0f} ms "
            f"(target {TARGET_SECONDS * 1000:.0f} ms), ratio to validate-pyproject {ratio:.2f} "
            f"{'ok' if ok else 'MISSED'}"
        )
    print(f"worst ratio releasegate/validate-pyproject: {worst:.2f}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
