"""What the benchmarks share: run `releasegate` the way users run it, and time the process.

The process is the console script of this interpreter's environment with the checkout's
`src` first on PYTHONPATH (so the code measured is the code beside this file), its bytecode
compiled as an installed package has it, outside GitHub Actions. Each run reports its wall
time and the CPU time of the process and its children (git): on a shared machine the CPU
time moves much less with the load than the wall time, so both are printed.
"""

from __future__ import annotations

import compileall
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def environment(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONDONTWRITEBYTECODE", "CI") and not key.startswith("GITHUB_")
    }
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(extra)
    return env


def compile_bytecode() -> None:
    """Write the checkout's bytecode, as pip does on install (else every run compiles)."""
    compileall.compile_dir(ROOT / "src", quiet=1)


def releasegate() -> list[str]:
    script = Path(sys.executable).parent / "releasegate"
    return [str(script)] if script.exists() else [sys.executable, "-m", "releasegate"]


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    """User + system seconds of the process and the children it waited for."""
    returncode: int
    stdout: str
    stderr: str


def run(
    argv: list[str], cwd: Path, env: dict[str, str], *, expect: tuple[int, ...] = (0, 1)
) -> Run:
    """Run ``argv`` to completion; exit with its output when its exit code is not expected."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(
            wall,
            usage.ru_utime + usage.ru_stime,
            process.returncode,
            out.read().decode(errors="replace"),
            err.read().decode(errors="replace"),
        )
    if result.returncode not in expect:
        sys.exit(
            f"{' '.join(argv)} exited {result.returncode}:\n{result.stdout[-3000:]}"
            f"{result.stderr[-3000:]}"
        )
    return result
