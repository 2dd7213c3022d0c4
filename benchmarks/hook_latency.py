"""Median wall time of releasegate's fast hooks, run as users run them: the command.

Targets (DESIGN.md): the semver, lockfile and metadata hooks each take <= 0.10 s median
wall and <= 0.5x `validate-pyproject pyproject.toml` on the same repository (this one, or
the path given), measured in the same run. `releasegate check api` <= 1 s on a generated
package of ~50 modules (see api_latency.py; skipped with --no-api).

Every command is a process started the way pre-commit starts it: the `releasegate`
console script (the checkout's `src` first on PYTHONPATH), with bytecode compiled, as an
installed package has it. The commands are interleaved round by round, so a change in
the machine's load hits all of them alike; `python -c pass` and `releasegate --version`
are measured in the same rounds as the floor. Prints one line per command, the worst
ratio to the targets last, and exits 1 on a miss.

    python benchmarks/hook_latency.py [REPO] [--runs N] [--no-api]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_latency  # sibling scripts, importable once their folder is on the path
import command

TARGET_SECONDS = 0.10
TARGET_VS_ANCHOR = 0.5
HOOKS = ("semver", "lockfile", "metadata")
# The metadata gate caches verdicts on unchanged text; its hook mostly runs because
# pyproject.toml changed, so it is measured with an empty cache as well.
COLD = "metadata (empty cache)"
FLOOR = "python -c pass"
ANCHOR = "validate-pyproject pyproject.toml"


def commands(repo: Path) -> dict[str, tuple[list[str], bool]]:
    """Label -> (argv, empty cache). The floors first, then the anchor, then the hooks."""
    releasegate = command.releasegate()
    bindir = str(Path(sys.executable).parent)
    anchor = shutil.which("validate-pyproject", path=bindir) or "validate-pyproject"
    table: dict[str, tuple[list[str], bool]] = {
        FLOOR: ([sys.executable, "-c", "pass"], False),
        "releasegate --version": ([*releasegate, "--version"], False),
        ANCHOR: ([anchor, str(repo / "pyproject.toml")], False),
    }
    for hook in HOOKS:
        table[f"releasegate check {hook}"] = ([*releasegate, "check", hook], False)
    table[f"releasegate check {COLD}"] = ([*releasegate, "check", "metadata"], True)
    return table


def run_once(argv: list[str], repo: Path, *, cold: bool) -> command.Run:
    with tempfile.TemporaryDirectory() as cache:
        env = command.environment(RELEASEGATE_CACHE_DIR=cache) if cold else command.environment()
        # 1: findings in the repository, still a whole run of the hook.
        return command.run(argv, repo, env, expect=(0, 1))


def measure(repo: Path, runs: int) -> dict[str, list[command.Run]]:
    """Every command, interleaved round by round after one warm-up round."""
    table = commands(repo)
    samples: dict[str, list[command.Run]] = {label: [] for label in table}
    for round_ in range(runs + 1):
        for label, (argv, cold) in table.items():
            result = run_once(argv, repo, cold=cold)
            if round_:  # the first round fills the OS's caches
                samples[label].append(result)
    return samples


def api_hook() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        api_latency.make_repo(root)
        argv = [*command.releasegate(), "check", "api"]
        walls = [run_once(argv, root, cold=False).wall for _ in range(api_latency.RUNS)]
    wall = statistics.median(walls)
    ok = wall <= api_latency.TARGET_SECONDS
    print(
        f"releasegate check api ({api_latency.MODULES} modules, one changed since the tag): "
        f"median {wall * 1000:.0f} ms (target {api_latency.TARGET_SECONDS * 1000:.0f} ms) "
        f"{'ok' if ok else 'MISSED'}"
    )
    return ok


def judge(samples: dict[str, list[command.Run]]) -> tuple[float, bool]:
    """Print every command; returns the worst ratio to the targets and whether all were met."""
    walls = {label: statistics.median(r.wall for r in runs) for label, runs in samples.items()}
    cpus = {label: statistics.median(r.cpu for r in runs) for label, runs in samples.items()}
    anchor = walls[ANCHOR]
    worst, met = 0.0, True
    for label, wall in walls.items():
        line = (
            f"{label:<42} wall median {wall * 1000:4.0f} ms "
            f"(+{(wall - walls[FLOOR]) * 1000:3.0f} over python), cpu median {cpus[label] * 1000:4.0f} ms"
        )
        if label.startswith("releasegate check"):
            ratio = max(wall / TARGET_SECONDS, (wall / anchor) / TARGET_VS_ANCHOR)
            ok = ratio <= 1.0
            worst, met = max(worst, ratio), met and ok
            line += f", {wall / anchor:.2f}x validate-pyproject {'ok' if ok else 'MISSED'}"
        print(line)
    return worst, met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", nargs="?", type=Path, default=command.ROOT)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--no-api", action="store_true", help="skip the api hook")
    args = parser.parse_args()
    command.compile_bytecode()
    repo = args.repo.resolve()
    samples = measure(repo, args.runs)
    print(f"repository: {repo}; {args.runs} interleaved rounds")
    worst, met = judge(samples)
    if not args.no_api:
        met = api_hook() and met
    print(
        f"targets: <= {TARGET_SECONDS * 1000:.0f} ms and <= {TARGET_VS_ANCHOR}x validate-pyproject"
    )
    print(f"worst ratio to target (<= 1.00 passes): {worst:.2f}")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
