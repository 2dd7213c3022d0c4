"""Benchmark: `releasegate rebuild` of a real release against one `python -m build --wheel`.

Target (DESIGN.md, issue 31): rebuilding a pure-Python PyPI release that recorded no build
conditions, the condition search included, takes <= 2x the wall time of one isolated
`python -m build --wheel` of its sdist. Both install the backend from the index into a fresh
isolated environment, as a rebuilder would. The release's files are downloaded once (pip,
cached); the two commands are interleaved round by round and the median of the per-round
ratios is judged. packaging 25.0 by default: a release whose conditions must all be inferred
(SOURCE_DATE_EPOCH unset, a time zone with daylight saving time).

    python benchmarks/rebuild_ratio.py [NAME==VERSION] [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import command  # sibling script, importable once its folder is on the path

TARGET = 2.0


def download(spec: str, into: Path) -> tuple[Path, Path]:
    """The release's sdist and its pure wheel, through pip."""
    common = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(into)]
    subprocess.run([*common, "--no-binary", ":all:", spec], check=True)
    subprocess.run(
        [*common, "--only-binary", ":all:", "--implementation", "py", "--abi", "none",
         "--platform", "any", spec],
        check=True,
    )  # fmt: skip
    return next(into.glob("*.tar.gz")), next(into.glob("*.whl"))


def timed(argv: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, check=False,
                          env=command.environment())  # fmt: skip
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("release", nargs="?", default="packaging==25.0")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    command.compile_bytecode()
    ratios = []
    with tempfile.TemporaryDirectory(prefix="rg-rebuild-bench-") as tmp:
        work = Path(tmp)
        sdist, wheel = download(args.release, work / "dl")
        with tarfile.open(sdist) as archive:
            archive.extractall(work / "src", filter="data")
        tree = next((work / "src").iterdir())
        for number in range(args.rounds):
            out = work / f"out{number}"
            build = timed([sys.executable, "-m", "build", "--wheel", "--outdir", str(out),
                           str(tree)], work)  # fmt: skip
            rebuild = timed([*command.releasegate(), "rebuild", str(sdist), str(wheel)], work)
            ratios.append(rebuild / build)
            print(f"round {number + 1}: python -m build --wheel {build:.2f} s, "
                  f"releasegate rebuild {rebuild:.2f} s, ratio {rebuild / build:.2f}")  # fmt: skip
    ratio = statistics.median(ratios)
    print(f"rebuild / one build (median): {ratio:.2f} (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
