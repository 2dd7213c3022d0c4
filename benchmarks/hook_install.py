"""What a pre-commit hook environment costs: packages installed and the cold first run.

Targets (DESIGN.md, issue 32): the base install (what `pip install releasegate` pulls in, and
so what every hook environment pays) is at most 30 packages, and `pre-commit try-repo` of the
semver hook with an empty pre-commit cache (environment built, then the hook run) takes at
most 15 s. The targets are absolute, so the printed ratio is against them.

    python benchmarks/hook_install.py [--checkout DIR]

Uses the network (PyPI) the way pre-commit does; prints the ratio last, exits 1 on a miss.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

MAX_PACKAGES = 30
MAX_SECONDS = 15.0
HERE = Path(__file__).resolve().parent


def base_packages(checkout: Path, work: Path) -> list[str]:
    """The distributions `pip install <checkout>` adds to a fresh environment."""
    target = work / "base-venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = str(target / "bin" / "python")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    before = _installed(python, env)
    subprocess.run([python, "-m", "pip", "install", "-q", str(checkout)], check=True, env=env)
    return sorted(_installed(python, env) - before)


def _installed(python: str, env: dict[str, str]) -> set[str]:
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format", "freeze"],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    ).stdout.split()
    return {line.split("==")[0] for line in listed}


def cold_try_repo(checkout: Path, work: Path) -> float:
    """Seconds for `pre-commit try-repo` with an empty cache: environment install + first run."""
    repo = work / "project"
    repo.mkdir()
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0.0"\n', encoding="utf-8"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(work / "pre-commit-home")}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=repo, check=True, env=env)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(checkout), "releasegate-semver"],
        cwd=repo,
        env=env,
        check=False,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, default=HERE.parent)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rg-hook-install-") as tmp:
        work = Path(tmp)
        packages = base_packages(args.checkout, work)
        seconds = cold_try_repo(args.checkout, work)
    print(
        f"base install: {len(packages)} packages (target <= {MAX_PACKAGES}): {' '.join(packages)}"
    )
    print(
        f"pre-commit try-repo, cold install + first run: {seconds:.1f} s (target <= {MAX_SECONDS:.0f} s)"
    )
    ratio = max(len(packages) / MAX_PACKAGES, seconds / MAX_SECONDS)
    print(f"worst ratio to target: {ratio:.2f}")
    return 0 if ratio <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
