"""Vulnerability gate at scale: 5,000 and 10,000 locked entries against a full-size advisory set.

The full PyPI advisory set is not at hand here, so a synthetic one of the same size and shape
is generated: 17,000 OSV records (OSV's PyPI export held about that many in 2025, PYSEC + GHSA
+ MAL) over 6,000 packages, each with aliases, one or two ECOSYSTEM ranges, an explicit list of
30 versions and a CVSS vector, zipped as the export is. Target: 10,000 entries in <= 1 s with a
warm index (the gate in-process: read the lockfile, load the cached index, match, report), and
linear growth (per-entry cost at 10k within 1.5x of the cost at 5k). Exit 1 on a miss.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from releasegate._internal import lockfiles
from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from releasegate._internal.vulns import matching

RECORDS = 17_000
PACKAGES = 6_000
SIZES = (5_000, 10_000)
TARGET_10K = 1.0
LINEAR_RATIO = 1.5


def _record(number: int) -> dict[str, object]:
    package = f"pkg-{number % PACKAGES:05d}"
    fixed = f"1.{number % 40}.0"
    versions = [f"1.{minor}.{micro}" for minor in range(number % 40) for micro in range(3)][:30]
    return {
        "id": f"PYSEC-2024-{number}",
        "modified": "2099-01-01T00:00:00Z",
        "aliases": [f"CVE-2024-{number}", f"GHSA-{number:04x}-xxxx-yyyy"],
        "details": f"Synthetic advisory {number} shaped like a PyPA record.",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
        "affected": [
            {
                "package": {"name": package, "ecosystem": "PyPI", "purl": f"pkg:pypi/{package}"},
                "ranges": [
                    {
                        "type": "GIT",
                        "repo": "https://example.invalid",
                        "events": [{"introduced": "0"}],
                    },
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]},
                ],
                "versions": versions,
            }
        ],
    }


def write_database(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for number in range(RECORDS):
            out.writestr(f"PYSEC-2024-{number}.json", json.dumps(_record(number)))


def write_project(root: Path, size: int) -> None:
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        '[project]\nname = "big"\nversion = "1.0.0"\nrequires-python = ">=3.10"\n'
    )
    lines = [f"pkg-{i:05d}==1.{i % 50}.1\n" for i in range(size)]
    (root / "requirements.txt").write_text("".join(lines))


def gate_seconds(root: Path, database: Path, repeats: int = 3) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(repeats):
        lockfiles.clear_cache()
        matching.version_of.cache_clear()
        options = CheckOptions(vulns_database=str(database))
        started = time.perf_counter()
        report = run_checks(["vulns"], CheckContext(Project(root), options))
        best = min(best, time.perf_counter() - started)
        found = sum(len(r.findings) for r in report.results)
    return best, found


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="releasegate-vulns-bench-") as folder:
        base = Path(folder)
        os.environ["RELEASEGATE_CACHE_DIR"] = str(base / "cache")
        database = base / "osv-pypi.zip"
        write_database(database)
        for size in SIZES:
            write_project(base / f"p{size}", size)
        started = time.perf_counter()
        gate_seconds(base / f"p{SIZES[0]}", database, repeats=1)
        print(f"cold: index of {RECORDS} records built in {time.perf_counter() - started:.2f} s")
        timings = {}
        for size in SIZES:
            seconds, found = gate_seconds(base / f"p{size}", database)
            timings[size] = seconds
            print(f"{size:>6} entries: {seconds:.3f} s warm ({found} findings)")
    per_entry = {size: timings[size] / size for size in SIZES}
    ratio = per_entry[SIZES[-1]] / per_entry[SIZES[0]]
    ok = timings[10_000] <= TARGET_10K and ratio <= LINEAR_RATIO
    print(
        f"10k warm {timings[10_000]:.3f} s (target <= {TARGET_10K} s); per-entry growth {ratio:.2f}x"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
