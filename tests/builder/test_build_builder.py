"""The shared builder: real builds through pypa/build, SOURCE_DATE_EPOCH, SHA256SUMS, failures."""

from __future__ import annotations

import datetime
import hashlib
import zipfile
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.builder.pep517 import (
    BuildFailed,
    build_dists,
    build_selected,
    commit_time,
    write_sha256sums,
)
from releasegate._internal.errors import FatalError
from tests.conftest import run_cli
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


def _zip_times(wheel: zipfile.ZipFile) -> set[tuple[int, ...]]:
    return {info.date_time for info in wheel.infolist()}


def test_builds_both_with_source_date_epoch_from_the_last_commit(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project_files("flit"))
    epoch = commit_time(repo.root)
    assert epoch is not None
    dists = build_dists(repo.root, repo.root / "dist", isolated=False)
    assert dists.sdist.name == "demo_flit-1.0.0.tar.gz"
    assert dists.wheel.name.startswith("demo_flit-1.0.0-")
    assert dists.wheel.suffix == ".whl"
    # DOS times have a two-second resolution.
    even = epoch - epoch % 2
    stamp = datetime.datetime.fromtimestamp(even, datetime.timezone.utc).timetuple()[:6]
    with zipfile.ZipFile(dists.wheel) as wheel:
        # flit-core stamps every member with SOURCE_DATE_EPOCH (in UTC).
        assert _zip_times(wheel) == {tuple(stamp)}


def test_explicit_source_date_epoch_wins(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("flit"))
    dists = build_dists(
        repo.root, repo.root / "dist", isolated=False, source_date_epoch=1_600_000_000
    )
    with zipfile.ZipFile(dists.wheel) as wheel:
        assert _zip_times(wheel) == {(2020, 9, 13, 12, 26, 40)}


def test_sha256sums_are_checkable(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    outdir = repo.root / "dist"
    built = build_selected(repo.root, outdir, ("wheel",), isolated=False)
    (outdir / "notes.txt").write_text("not a dist")
    sums = write_sha256sums(outdir).read_text()
    (wheel,) = built
    assert sums == f"{hashlib.sha256(wheel.read_bytes()).hexdigest()}  {wheel.name}\n"


def test_backend_failure_is_build_failed_with_its_output(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files(
        "hatchling", extra_toml='\n[tool.hatch.build.targets.wheel]\npackages = ["nowhere"]\n'
    )
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        'name = "demo_hatchling"', 'name = "demo-hatchling"\nlicense = 12'
    )
    repo = make_repo(files)
    with pytest.raises(BuildFailed) as raised:
        build_dists(repo.root, repo.root / "dist", isolated=False)
    assert "  | " in raised.value.message  # the backend's own words
    assert "license" in raised.value.message.lower()


def test_missing_backend_without_isolation(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        '["hatchling"]', '["hatchling==0.0.1"]'
    )
    repo = make_repo(files)
    with pytest.raises(FatalError, match=r"hatchling==0\.0\.1"):
        build_dists(repo.root, repo.root / "dist", isolated=False)


def test_isolated_build_through_the_cli(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    result = run_cli("build", "--format", "json", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert '"sha256"' in result.stdout
    sums = (repo.root / "dist" / "SHA256SUMS").read_text().splitlines()
    assert sorted(line.split("  ")[1] for line in sums) == [
        "demo_hatchling-1.0.0-py2.py3-none-any.whl",
        "demo_hatchling-1.0.0.tar.gz",
    ]


def test_cli_usage_errors(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    assert run_cli("build", "--verify", "--sdist", cwd=repo.root).returncode == 2
    assert run_cli("build", "--keep", "k", cwd=repo.root).returncode == 2
