"""``releasegate promote`` of a 50 MB wheel against rebuilding it.

A hatchling project with 50 MB of package data (half incompressible, half text) is built as
``1.4.0rc2``; then timed: promoting its wheel to ``1.4.0`` (the CLI in a subprocess: start-up,
reading and checking the wheel, writing it, reading the result back for the payload proof)
and, as the anchor, rebuilding the wheel as ``1.4.0`` with ``python -m build --wheel
--no-isolation`` (the cheapest rebuild there is: no build environment to install). Target:
promotion takes at most half the rebuild's time (median of RUNS). Prints both medians and
the ratio last; exits non-zero on a miss.
"""

from __future__ import annotations

import base64
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SIZE = 50 * 1024 * 1024
FILES = 25
RUNS = 3
TARGET_RATIO = 0.5
PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "big-demo"
version = "{version}"
requires-python = ">=3.8"

[tool.hatch.build.targets.wheel]
packages = ["src/big_demo"]
"""


def make_project(root: Path) -> None:
    package = root / "src" / "big_demo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text('"""Big."""\n', encoding="utf-8")
    rng = random.Random(0)
    per_file = SIZE // FILES
    for index in range(FILES):
        raw = rng.randbytes(per_file if index % 2 else per_file * 3 // 4)
        data = raw if index % 2 else base64.encodebytes(raw)[:per_file]
        (package / f"data{index}.bin").write_bytes(data)


def build(root: Path, version: str, outdir: Path) -> float:
    (root / "pyproject.toml").write_text(PYPROJECT.format(version=version), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(outdir),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def promote(root: Path, wheel: Path, outdir: Path) -> float:
    shutil.rmtree(outdir, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "releasegate",
            "promote",
            "--to",
            "1.4.0",
            "--outdir",
            str(outdir),
            str(wheel),
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> int:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "project"
        make_project(root)
        build(root, "1.4.0rc2", root / "rc")
        wheel = next((root / "rc").glob("*.whl"))
        print(f"wheel: {wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB")
        promotions = [promote(root, wheel, root / "promoted") for _ in range(RUNS)]
        rebuilds = [build(root, "1.4.0", root / f"rebuilt{run}") for run in range(RUNS)]
    promoted, rebuilt = statistics.median(promotions), statistics.median(rebuilds)
    ratio = promoted / rebuilt
    print(f"promote median: {promoted:.2f} s ({', '.join(f'{t:.2f}' for t in promotions)})")
    print(f"rebuild median: {rebuilt:.2f} s ({', '.join(f'{t:.2f}' for t in rebuilds)})")
    print(f"ratio promote/rebuild: {ratio:.2f} (target <= {TARGET_RATIO})")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
