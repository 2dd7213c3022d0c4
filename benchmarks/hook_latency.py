"""Median wall time of releasegate's fast hooks, run as users run them: the command.

Targets (DESIGN.md): the semver, lockfile and metadata hooks each take <= 0.10 s median
wall and <= 0.5x `validate-pyproject pyproject.toml` on the same repository (this one, or
the path given), measured in the same run. `releasegate check api` <= 1 s on a generated
package of ~50 modules (see api_latency.py; skipped with --no-api).

The metadata gate caches its verdicts by the text they judge. Its hook runs when one of its
files changed, so it is judged warm and just after an edit of pyproject.toml (in a copy of
the repository, whose pyproject.toml gets one more comment line before each run). With an
empty cache, the first run after installing releasegate or upgrading readme-renderer, it
also renders the readme as PyPI does (pygments compiles its lexers): printed, not judged.

Every command is a process started the way pre-commit starts it (see command.py). The
commands are interleaved round by round, so a change in the machine's load hits all of them
alike; `python -c pass` and `releasegate --version` are measured in the same rounds as the
floor. Prints one line per command, the worst ratio to the targets last, and exits 1 on a
miss.

    python benchmarks/hook_latency.py [REPO] [--runs N] [--no-api]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api_latency  # sibling scripts, importable once their folder is on the path
import command

TARGET_SECONDS = 0.10
TARGET_VS_ANCHOR = 0.5
HOOKS = ("semver", "lockfile", "metadata")
FLOOR = "python -c pass"
ANCHOR = "validate-pyproject pyproject.toml"
EDITED = "releasegate check metadata (pyproject.toml edited)"
COLD = "releasegate check metadata (empty cache)"
NOT_JUDGED = (COLD,)


def copy_of(repo: Path, dest: Path) -> Path:
    """The repository's tracked files (or all of it outside git) in ``dest``, without history."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=repo, capture_output=True, check=False
    ).stdout.decode()
    names = [name for name in listed.split("\0") if name]
    if not names:
        shutil.copytree(repo, dest, ignore=shutil.ignore_patterns(".git"))
        return dest
    for name in names:
        if (repo / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo / name, dest / name)
    return dest


@dataclass
class Measured:
    argv: list[str]
    cwd: Path
    cache: str | None = None
    """RELEASEGATE_CACHE_DIR for this command; None: the user's, "": a fresh one each run."""
    edit: Path | None = None
    """A pyproject.toml to change (one more comment line) before each run."""


def commands(repo: Path, scratch: Path) -> dict[str, Measured]:
    """The floors first, then the anchor, then the hooks."""
    releasegate = command.releasegate()
    bindir = str(Path(sys.executable).parent)
    anchor = shutil.which("validate-pyproject", path=bindir) or "validate-pyproject"
    copy = copy_of(repo, scratch / "copy")
    table = {
        FLOOR: Measured([sys.executable, "-c", "pass"], repo),
        "releasegate --version": Measured([*releasegate, "--version"], repo),
        ANCHOR: Measured([anchor, str(repo / "pyproject.toml")], repo),
    }
    for hook in HOOKS:
        table[f"releasegate check {hook}"] = Measured([*releasegate, "check", hook], repo)
    metadata = [*releasegate, "check", "metadata"]
    edited_cache = str(scratch / "cache")
    table[EDITED] = Measured(metadata, copy, edited_cache, copy / "pyproject.toml")
    table[COLD] = Measured(metadata, repo, "")
    return table


def run_once(measured: Measured, round_: int) -> command.Run:
    if measured.edit is not None:
        with measured.edit.open("a", encoding="utf-8") as handle:
            handle.write(f"# edit {round_}\n")
    with tempfile.TemporaryDirectory() as fresh:
        cache = {} if measured.cache is None else {"RELEASEGATE_CACHE_DIR": measured.cache or fresh}
        # 1: findings in the repository, still a whole run of the hook.
        return command.run(measured.argv, measured.cwd, command.environment(**cache))


def measure(repo: Path, runs: int) -> dict[str, list[command.Run]]:
    """Every command, interleaved round by round after one warm-up round."""
    with tempfile.TemporaryDirectory() as scratch:
        table = commands(repo, Path(scratch))
        samples: dict[str, list[command.Run]] = {label: [] for label in table}
        for round_ in range(runs + 1):
            for label, measured in table.items():
                result = run_once(measured, round_)
                if round_:  # the first round fills the OS's caches (and the edited one's)
                    samples[label].append(result)
    return samples


def api_hook() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        api_latency.make_repo(root)
        argv = [*command.releasegate(), "check", "api"]
        env = command.environment()
        walls = [command.run(argv, root, env).wall for _ in range(api_latency.RUNS)]
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
            f"{label:<50} wall median {wall * 1000:4.0f} ms "
            f"(+{(wall - walls[FLOOR]) * 1000:3.0f} over python), cpu median {cpus[label] * 1000:4.0f} ms"
        )
        if label.startswith("releasegate check") and label not in NOT_JUDGED:
            ratio = max(wall / TARGET_SECONDS, (wall / anchor) / TARGET_VS_ANCHOR)
            ok = ratio <= 1.0
            worst, met = max(worst, ratio), met and ok
            line += f", {wall / anchor:.2f}x validate-pyproject {'ok' if ok else 'MISSED'}"
        elif label in NOT_JUDGED:
            line += f", {wall / anchor:.2f}x validate-pyproject (not judged)"
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
