"""Latency of the metadata hook: ``releasegate check metadata`` against ``validate-pyproject``.

Both run as subprocesses on the same repository in the same run (default: this
checkout; pass another directory as the first argument). Target: median wall
<= 0.15 s and faster than validate-pyproject alone. Prints the ratio last and exits
non-zero when the target is missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_SECONDS = 0.15
RUNS = 15
BIN = Path(sys.executable).parent


def median_wall(argv: list[str], cwd: Path, env: dict[str, str]) -> float:
    walls = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        walls.append(time.perf_counter() - started)
    return statistics.median(walls)


def main() -> int:
    repo = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    ours_argv = [sys.executable, "-m", "releasegate", "check", "metadata", "--format", "text"]
    anchor_argv = [str(BIN / "validate-pyproject"), "pyproject.toml"]
    subprocess.run(
        ours_argv, cwd=repo, env=env, capture_output=True, check=False
    )  # warm caches once
    ours = median_wall(ours_argv, repo, env)
    anchor = median_wall(anchor_argv, repo, env)
    ratio = ours / anchor
    print(f"releasegate check metadata: median {ours * 1000:.0f} ms over {RUNS} runs")
    print(f"validate-pyproject pyproject.toml: median {anchor * 1000:.0f} ms over {RUNS} runs")
    ok = ours <= TARGET_SECONDS and ours < anchor
    print(
        f"target: <= {TARGET_SECONDS * 1000:.0f} ms and faster than validate-pyproject: "
        f"{'met' if ok else 'MISSED'}"
    )
    print(f"ratio releasegate/validate-pyproject: {ratio:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
