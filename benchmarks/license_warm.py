"""License gate with a warm metadata cache: a 200-package uv.lock, checked by the real CLI.

Target (DESIGN.md, "license gate"): ``releasegate check license`` on a 200-package lock
with a warm metadata cache in <= 1 s of wall time, Python start-up included. The cache
is filled as a cold run would fill it; the index URL points at a closed port, so a
cache miss cannot hide behind the network (it would be an undecidable finding, and the
benchmark fails on any finding). Prints the median wall and its ratio to the target
last; exits 1 on a miss.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from releasegate._internal.metadata import cache, depmeta

PACKAGES = 200
DIRECT = 20
TARGET_SECONDS = 1.0
INDEX = "http://127.0.0.1:9/simple/"
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "ISC")


def _digest(index: int) -> str:
    return hashlib.sha256(f"wheel-{index}".encode()).hexdigest()


def _package(index: int) -> str:
    children = [f"pkg-{c:03d}" for c in (index * 3 + 1, index * 3 + 2) if c < PACKAGES]
    deps = "".join(f'    {{ name = "{c}" }},\n' for c in children)
    return (
        f'[[package]]\nname = "pkg-{index:03d}"\nversion = "1.{index}.0"\n'
        f'source = {{ registry = "{INDEX}" }}\n'
        + (f"dependencies = [\n{deps}]\n" if deps else "")
        + f'wheels = [\n    {{ url = "{INDEX}../files/pkg_{index:03d}-1.{index}.0-py3-none-any.whl", '
        f'hash = "sha256:{_digest(index)}", size = 1000 }},\n]\n\n'
    )


def write_project(root: Path) -> None:
    direct = [f"pkg-{i:03d}" for i in range(DIRECT)]
    (root / "pyproject.toml").write_text(
        '[project]\nname = "big"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
        f"dependencies = {direct!r}\n\n"
        f'[tool.releasegate.license]\nreuse = "never"\nsdist-coverage = false\nindex-url = "{INDEX}"\n'
        '\n[build-system]\nrequires = ["hatchling==1.27.0"]\nbuild-backend = "hatchling.build"\n'
    )
    deps = "".join(f'    {{ name = "{n}" }},\n' for n in direct)
    project = (
        f'[[package]]\nname = "big"\nversion = "1.0.0"\nsource = {{ editable = "." }}\n'
        f"dependencies = [\n{deps}]\n\n"
    )
    body = "".join(_package(i) for i in range(PACKAGES))
    (root / "uv.lock").write_text(
        f'version = 1\nrevision = 3\nrequires-python = ">=3.10"\n\n{project}{body}'
    )


def warm_cache() -> None:
    """What a cold run leaves behind: each locked version's license fields, under its hashes."""
    for index in range(PACKAGES):
        wanted = depmeta.Wanted(f"pkg-{index:03d}", f"1.{index}.0", (_digest(index),))
        fields = depmeta.LicenseFields(
            LICENSES[index % len(LICENSES)], None, (), "the index's metadata file"
        )
        key = depmeta.cache_key(wanted, INDEX)
        cache.put(depmeta.NAMESPACE, key, fields.to_json())


def run_once(root: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(
        [sys.executable, "-m", "releasegate", "check", "license", "--format", "json"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        sys.exit(f"the gate did not pass on the warm cache:\n{completed.stdout}{completed.stderr}")
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        root.mkdir()
        write_project(root)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        os.environ["RELEASEGATE_CACHE_DIR"] = str(Path(folder) / "cache")
        warm_cache()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        walls = [run_once(root, env) for _ in range(5)]
    median = statistics.median(walls)
    print(f"license gate, {PACKAGES}-package uv.lock, warm cache: median {median:.3f} s (CLI wall)")
    print(f"ratio to the {TARGET_SECONDS:.1f} s target: {median / TARGET_SECONDS:.2f}")
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
