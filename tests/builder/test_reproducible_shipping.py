"""What ships is what was verified: clean copies, the same settings, the stated version (issue 16)."""

from __future__ import annotations

import json
import zipfile
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.reproducible import transitive_findings, version_findings
from releasegate._internal.project import Project
from tests.conftest import run_cli
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

_NO_ISOLATION = "\n[tool.releasegate.reproducible]\nisolation = false\n"


def _sums(folder: Path) -> str:
    return (folder / "SHA256SUMS").read_text(encoding="utf-8")


def test_build_ships_the_bytes_the_gate_verified(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(
        project_files("hatchling", extra_toml=_NO_ISOLATION + "source-date-epoch = 1600000000\n")
    )
    # An untracked file in the package: the working tree holds it, a clean clone does not.
    (repo.root / "src/demo_hatchling/untracked.py").write_text("SECRET = 1\n")
    built = run_cli("build", cwd=repo.root)
    assert built.returncode == 0, built.stderr
    verified = run_cli("build", "--verify", "--outdir", "verified", cwd=repo.root)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert _sums(repo.root / "dist") == _sums(repo.root / "verified")
    wheel = next((repo.root / "dist").glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        assert "demo_hatchling/untracked.py" not in archive.namelist()
        # The configured source-date-epoch, not the commit time (2020-09-13 12:26:40 UTC).
        assert {i.date_time[:3] for i in archive.infolist()} == {(2020, 9, 13)}
    info = json.loads((repo.root / "dist" / "BUILDINFO.json").read_text())
    assert info["source_date_epoch"] == 1_600_000_000
    assert info["build_system"]["build-backend"] == "hatchling.build"
    assert info["artifacts"][wheel.name] in _sums(repo.root / "dist")


def test_verify_writes_nothing_when_the_build_is_not_reproducible(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project_files("pdm"))
    result = run_cli("build", "--verify", "--no-isolation", "--format", "json", cwd=repo.root)
    assert result.returncode == 1
    rules = [f["rule"] for f in json.loads(result.stdout)["checks"][0]["findings"]]
    assert "reproducible/not-shipped" in rules
    assert not (repo.root / "dist").exists()


def test_artifacts_of_another_version_are_a_finding(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    project = Project(repo.root)
    (finding,) = version_findings(
        project, ["demo_hatchling-0.0.0.tar.gz", "demo_hatchling-1.0.0-py3-none-any.whl"]
    )
    assert finding.rule == "version-mismatch"
    assert "demo_hatchling-0.0.0.tar.gz carries version 0.0.0" in finding.message
    assert "1.0.0" in finding.message


_VCS_PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "demo-vcs"
dynamic = ["version"]
"""

_HATCH_TOML = """\
[version]
source = "vcs"

[version.raw-options]
fallback_version = "0.0.0"
"""


def test_version_from_vcs_configured_in_hatch_toml(make_repo: Callable[..., GitRepo]) -> None:
    # Isolated: hatch-vcs is not installed here. Without the history the copies build 0.0.0.
    repo = make_repo(
        {
            "pyproject.toml": _VCS_PYPROJECT,
            "hatch.toml": _HATCH_TOML,
            "src/demo_vcs/__init__.py": '"""demo"""\n',
        },
        tag="v1.2.3",
    )
    result = run_cli("build", "--verify", "--format", "json", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in (repo.root / "dist").iterdir()) == [
        "BUILDINFO.json",
        "SHA256SUMS",
        "demo_vcs-1.2.3-py2.py3-none-any.whl",
        "demo_vcs-1.2.3.tar.gz",
    ]
    info = json.loads((repo.root / "dist" / "BUILDINFO.json").read_text())
    assert "hatch-vcs" in info["environment"]
    assert "hatchling" in info["environment"]


def test_unpinned_backend_dependencies_are_reported(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        '["hatchling"]', '["hatchling==1.27.0"]'
    )
    project = Project(make_repo(files).root)
    environment = {"hatchling": "1.27.0", "packaging": "25.0", "pathspec": "0.12.1", "pip": "25"}
    (finding,) = transitive_findings(project, environment)
    assert finding.rule == "unpinned-build-dependencies"
    assert "packaging==25.0, pathspec==0.12.1" in finding.message
    assert "hatchling" not in finding.message
