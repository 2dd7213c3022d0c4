"""``releasegate check api`` on a generated package of ~50 modules against its last tag.

Target: median wall <= 1 s for a typical commit since the release (one module changed:
the gate reads only the modules changed since the tag, plus ``__init__`` files). Also
measured and printed, not gated: every module changed (both full trees parsed). The anchor
measured in the same run is ``releasegate check semver`` on the same repository (start-up
plus the cheapest gate). Prints the median and its ratio to the target last; exits
non-zero on a miss.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MODULES = 50
RUNS = 7
TARGET_SECONDS = 1.0
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def module_source(index: int) -> str:
    """A module of a typical size: functions, classes with methods, constants."""
    parts = [
        f'"""Module {index}."""\n\nfrom __future__ import annotations\n\nLIMIT_{index} = {index}\n'
    ]
    for f in range(8):
        parts.append(
            f"\ndef func_{f}(a: int, b: str = 'x', *, flag: bool = False) -> list[int]:\n"
            f"    return [a] * {f}\n"
        )
    for c in range(3):
        parts.append(f"\nclass Thing{c}(Exception):\n    size: int = {c}\n")
        for m in range(5):
            parts.append(
                f"\n    def method_{m}(self, value: int | None = None) -> int:\n"
                f"        return {m}\n"
            )
    return "".join(parts)


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True
    )


def make_repo(root: Path) -> None:
    package = root / "src" / "bigpkg"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "bigpkg"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
        'dependencies = ["packaging"]\n',
        encoding="utf-8",
    )
    names = [f"mod{i}" for i in range(MODULES - 1)]
    (package / "__init__.py").write_text(
        "".join(f"from bigpkg.{n} import func_0 as {n}_func\n" for n in names), encoding="utf-8"
    )
    for index, name in enumerate(names):
        (package / f"{name}.py").write_text(module_source(index), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "feat: initial")
    git(root, "tag", "-a", "v1.0.0", "-m", "v1.0.0")
    # Work since the release: one added function, one changed default; version bumped to match.
    first = package / "mod0.py"
    text = first.read_text(encoding="utf-8").replace("b: str = 'x'", "b: str = 'y'", 1)
    first.write_text(text + "\n\ndef added() -> None:\n    pass\n", encoding="utf-8")
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace("1.0.0", "2.0.0"), encoding="utf-8"
    )
    git(root, "commit", "-q", "-am", "feat!: change defaults")


def change_every_module(root: Path) -> None:
    for module in sorted((root / "src" / "bigpkg").glob("mod*.py")):
        text = module.read_text(encoding="utf-8")
        module.write_text(text + "\n\ndef extra() -> None:\n    pass\n", encoding="utf-8")


def median_wall(root: Path, *args: str, expect: int) -> float:
    walls = []
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "releasegate", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        walls.append(time.perf_counter() - started)
        if done.returncode != expect:
            sys.exit(
                f"releasegate {' '.join(args)} exited {done.returncode}:\n"
                f"{done.stdout}{done.stderr}"
            )
    return statistics.median(walls)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_repo(root)
        anchor = median_wall(root, "check", "semver", expect=0)
        target = median_wall(root, "check", "api", expect=0)
        change_every_module(root)
        worst = median_wall(root, "check", "api", expect=0)
    print(f"modules: {MODULES}, runs: {RUNS}")
    print(f"anchor  releasegate check semver: median {anchor:.3f} s")
    print(
        f"target  releasegate check api:    median {target:.3f} s "
        f"(target <= {TARGET_SECONDS:.1f} s, {target / anchor:.1f}x the anchor)"
    )
    print(f"info    every module changed:     median {worst:.3f} s (not gated)")
    print(f"ratio to target: {target / TARGET_SECONDS:.2f}")
    return 0 if target <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
