"""Median wall time of releasegate's hooks, against `validate-pyproject pyproject.toml`.

Targets (DESIGN.md): the semver, lockfile and metadata hooks each ≤ 0.15 s median and faster
than validate-pyproject alone on the same repository (this one, or the path given), measured
in the same run; `releasegate check api` ≤ 1 s on a generated package of ~50 modules against
its last tag (see api_latency.py). Prints one line per hook and the worst ratio last; exits 1
on a miss.
"""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_latency  # a sibling script, importable once its folder is on the path

RUNS = 15
TARGET_SECONDS = 0.15
HOOKS: list[list[str]] = [
    ["check", "semver"],
    ["check", "lockfile"],
    ["check", "metadata"],
]
# The metadata gate caches verdicts on unchanged text; its hook mostly runs because
# pyproject.toml changed, so it is measured with an empty cache as well.
COLD = "metadata, empty cache"
# Measure what users run: an installed package whose bytecode is cached.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def median_wall(argv: list[str], cwd: Path, runs: int = RUNS, *, cold: bool = False) -> float:
    subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=ENV)  # warm OS caches
    samples = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            env = {**ENV, "RELEASEGATE_CACHE_DIR": cache} if cold else ENV
            started = time.perf_counter()
            subprocess.run(argv, cwd=cwd, capture_output=True, check=False, env=env)
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def fast_hooks(repo: Path, releasegate: str, anchor: float) -> tuple[float, bool]:
    """Each fast hook against the anchor; returns the worst ratio and whether all met target."""
    worst, met = 0.0, True
    runs = [(" ".join(args), args, False) for args in HOOKS]
    runs.append((COLD, ["check", "metadata"], True))
    for label, args, cold in runs:
        wall = median_wall([releasegate, *args], repo, cold=cold)
        ratio = wall / anchor
        ok = wall <= TARGET_SECONDS and wall < anchor
        worst, met = max(worst, ratio), met and ok
        print(
            f"releasegate {label}: median {wall * 1000:.0f} ms "
            f"(target {TARGET_SECONDS * 1000:.0f} ms), ratio to validate-pyproject {ratio:.2f} "
            f"{'ok' if ok else 'MISSED'}"
        )
    return worst, met


def api_hook(releasegate: str) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        api_latency.make_repo(root)
        wall = median_wall([releasegate, "check", "api"], root, runs=api_latency.RUNS)
    ok = wall <= api_latency.TARGET_SECONDS
    print(
        f"releasegate check api ({api_latency.MODULES} modules, one changed since the tag): "
        f"median {wall * 1000:.0f} ms (target {api_latency.TARGET_SECONDS * 1000:.0f} ms) "
        f"{'ok' if ok else 'MISSED'}"
    )
    return ok


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
    worst, met = fast_hooks(repo, releasegate, anchor)
    met = api_hook(releasegate) and met
    print(f"worst ratio releasegate/validate-pyproject: {worst:.2f}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
