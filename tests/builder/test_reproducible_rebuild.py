"""``releasegate rebuild``: a third party rebuilds the published wheel from the published sdist."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

# httpx 0.28.1: hatchling 1.26.3 and hatch-fancy-pypi-readme, no BUILDINFO.json (PyPI has none).
_RELEASE = "httpx==0.28.1"
_CACHE = Path(os.environ.get("RELEASEGATE_TEST_CACHE", Path.home() / ".cache/releasegate-tests"))


def _download(kind: str) -> Path:
    folder = _CACHE / "pypi" / kind
    flag = "--no-binary" if kind == "sdist" else "--only-binary"
    pattern = "*.tar.gz" if kind == "sdist" else "*.whl"
    found = sorted(folder.glob(pattern))
    if not found:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "-q",
                "--no-deps",
                flag,
                ":all:",
                _RELEASE,
                "-d",
                str(folder),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        found = sorted(folder.glob(pattern))
        if done.returncode != 0 or not found:
            pytest.skip(f"PyPI is not reachable: {done.stderr.strip()[-200:]}")
    return found[0]


def _rules(stdout: str) -> list[str]:
    return [f["rule"] for f in json.loads(stdout)["checks"][0]["findings"]]


@pytest.mark.online
def test_rebuilds_a_real_hatchling_release_from_its_own_sdist(tmp_path: Path) -> None:
    sdist, wheel = _download("sdist"), _download("wheel")
    result = run_cli("rebuild", str(sdist), str(wheel), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    findings = json.loads(result.stdout)["checks"][0]["findings"]
    (verdict,) = [f for f in findings if f["rule"] == "reproducible/reproduced"]
    assert "identical" in verdict["message"]
    (said,) = [f["message"] for f in findings if f["rule"] == "reproducible/conditions"]
    assert "hatchling==1.26.3 from the wheel's Generator line" in said
    assert "SOURCE_DATE_EPOCH=1580601600" in said

    tampered = tmp_path / wheel.name
    _tamper(wheel, tampered, "httpx/__version__.py", b'__version__ = "0.28.1"\nEVIL = 1\n')
    refused = run_cli("rebuild", str(sdist), str(tampered), "--format", "json", cwd=tmp_path)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    rules = _rules(refused.stdout)
    assert "reproducible/not-reproduced" in rules
    assert "reproducible/content" in rules
    assert "httpx/__version__.py" in refused.stdout


def _tamper(wheel: Path, target: Path, name: str, content: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(out, "w") as copy:
        for info in source.infolist():
            copy.writestr(info, content if info.filename == name else source.read(info))
    target.write_bytes(out.getvalue())


def test_rebuilds_what_build_shipped_from_its_buildinfo(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project_files("flit"))
    built = run_cli("build", "--no-isolation", cwd=repo.root)
    assert built.returncode == 0, built.stderr
    dist = repo.root / "dist"
    sdist, wheel = next(dist.glob("*.tar.gz")), next(dist.glob("*.whl"))
    # flit-core is reproducible only with the recorded SOURCE_DATE_EPOCH (the commit time).
    result = run_cli(
        "rebuild", str(sdist), str(wheel), "--no-isolation", "--format", "json", cwd=repo.root
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reproducible/reproduced" in _rules(result.stdout)
    assert "BUILDINFO.json" in result.stdout
    wrong = run_cli(
        "rebuild",
        str(sdist),
        str(wheel),
        "--no-isolation",
        "--source-date-epoch",
        "1600000000",
        "--format",
        "json",
        cwd=repo.root,
    )
    assert wrong.returncode == 1
    assert "reproducible/zip-timestamp" in _rules(wrong.stdout)
