"""Real projects built twice per backend; the verdicts and classes DESIGN.md records.

Measured here (build 1.6.1, hatchling 1.33, setuptools 65.5, flit-core 4.2, pdm-backend
2.5, poetry-core 2.5) with SOURCE_DATE_EPOCH, umask, TZ, order, mtimes, HOME and clock
varied. Builds run without isolation (the backends of /work/venv) for speed.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.builder.reproducibility import VerifyOptions, VerifyResult, verify
from tests.conftest import run_cli
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


def _verify(make_repo: Callable[..., GitRepo], backend: str, **options: object) -> VerifyResult:
    repo = make_repo(project_files(backend), name=backend)
    return verify(repo.root, VerifyOptions(isolated=False, **options))  # type: ignore[arg-type]


def _verdicts(result: VerifyResult) -> dict[str, bool]:
    return {v.kind: v.reproducible for v in result.verdicts}


def _classes(result: VerifyResult, artifact: str) -> set[str]:
    """The difference classes found for one artifact kind (sdist, wheel, wheel-from-sdist)."""
    skip = {"not-reproducible", "reproducible", "conditions", "diffoscope"}
    return {
        f.rule
        for f in result.findings
        if f.rule not in skip and f.message.startswith(f"{artifact} ")
    }


@pytest.mark.parametrize("backend", ["hatchling", "poetry"])
def test_reproducible_backends(make_repo: Callable[..., GitRepo], backend: str) -> None:
    result = _verify(make_repo, backend)
    assert _verdicts(result) == {"sdist": True, "wheel": True, "wheel-from-sdist": True}
    assert result.reproducible
    assert all(v.first == v.second and len(v.first) == 64 for v in result.verdicts)


def test_pdm_sdist_differs_in_the_gzip_header_only(make_repo: Callable[..., GitRepo]) -> None:
    result = _verify(make_repo, "pdm")
    assert _verdicts(result) == {"sdist": False, "wheel": True, "wheel-from-sdist": True}
    assert _classes(result, "sdist") == {"gzip-mtime"}
    assert not result.reproducible


def test_setuptools_leaks_gzip_time_mtimes_and_umask(make_repo: Callable[..., GitRepo]) -> None:
    result = _verify(make_repo, "setuptools")
    assert _verdicts(result)["sdist"] is False
    assert _classes(result, "sdist") == {"gzip-mtime", "tar-mtime", "permissions"}
    # setuptools 65 honours SOURCE_DATE_EPOCH in the wheel's zip times, but copies the modes.
    assert _verdicts(result)["wheel"] is False
    assert _classes(result, "wheel") == {"permissions"}
    permissions = next(
        f for f in result.findings if f.rule == "permissions" and f.message.startswith("sdist")
    )
    assert "0o644 vs 0o664" in permissions.message or "0o755 vs 0o775" in permissions.message


def test_flit_is_reproducible_only_with_source_date_epoch(
    make_repo: Callable[..., GitRepo],
) -> None:
    assert _verify(make_repo, "flit").reproducible
    without = verify(
        make_repo(project_files("flit"), name="flit-unset").root,
        VerifyOptions(isolated=False, set_epoch=False),
    )
    # The sdist keeps the files' times, so the wheel built from it matches the tree's wheel.
    assert _verdicts(without) == {"sdist": False, "wheel": False, "wheel-from-sdist": True}
    assert _classes(without, "sdist") == {"tar-mtime"}
    assert _classes(without, "wheel") == {"zip-timestamp"}
    assert "SOURCE_DATE_EPOCH unset" in "; ".join(without.conditions)


def test_clock_is_shifted_even_without_libfaketime(
    make_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEASEGATE_LIBFAKETIME", "")
    result = _verify(make_repo, "pdm", from_sdist=False)
    gzip = next(f for f in result.findings if f.rule == "gzip-mtime")
    first, second = (int(x) for x in gzip.message.split("(")[1].rstrip(")").split(" vs "))
    assert second - first > 90_000
    assert any("sitecustomize shim" in said for said in result.conditions)


def test_wheel_from_sdist_catches_a_file_the_sdist_leaves_out(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = project_files(
        "hatchling",
        extra_toml='\n[tool.hatch.build.targets.sdist]\nexclude = ["src/demo_hatchling/data"]\n',
    )
    repo = make_repo(files)
    result = verify(repo.root, VerifyOptions(isolated=False, vary=frozenset()))
    assert _verdicts(result) == {"sdist": True, "wheel": True, "wheel-from-sdist": False}
    (only,) = [f for f in result.findings if f.rule == "only-one-side"]
    assert "only in the wheel from the tree: demo_hatchling/data/table.txt" in only.message
    assert "sdist" in (only.hint or "")


def test_cli_verify_json_and_exit_code(
    make_repo: Callable[..., GitRepo], tmp_path_factory: pytest.TempPathFactory
) -> None:
    repo = make_repo(project_files("pdm"))
    keep = tmp_path_factory.mktemp("keep")
    # Only its presence on PATH matters: releasegate points to it, never runs it.
    tools = tmp_path_factory.mktemp("tools")
    (tools / "diffoscope").write_text("#!/bin/sh\nexit 0\n")
    (tools / "diffoscope").chmod(0o755)
    path = f"{tools}{os.pathsep}{os.environ['PATH']}"
    result = run_cli(
        "build",
        "--verify",
        "--no-isolation",
        "--keep",
        str(keep),
        "--format",
        "json",
        cwd=repo.root,
        env={"PATH": path},
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    findings = report["checks"][0]["findings"]
    rules = [f["rule"] for f in findings]
    (diffoscope,) = [f for f in findings if f["rule"] == "reproducible/diffoscope"]
    first, second = (keep / build / "demo_pdm-1.0.0.tar.gz" for build in ("build-1", "build-2"))
    assert diffoscope["hint"] == f"diffoscope {first} {second}"
    assert "reproducible/unpinned-backend" in rules
    assert rules.count("reproducible/not-reproducible") == 1
    assert "reproducible/gzip-mtime" in rules
    # Not reproducible: nothing is shipped, and the report says so.
    assert "reproducible/not-shipped" in rules
    assert not (repo.root / "dist").exists()
    assert (keep / "build-2" / "demo_pdm-1.0.0.tar.gz").is_file()


def test_check_gate_passes_on_a_pinned_reproducible_project(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = project_files(
        "hatchling", extra_toml="\n[tool.releasegate.reproducible]\nisolation = false\n"
    )
    import hatchling.__about__

    version = hatchling.__about__.__version__
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        '["hatchling"]', f'["hatchling=={version}"]'
    )
    repo = make_repo(files)
    result = run_cli("check", "reproducible", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "identical" in result.stdout
    assert "unpinned-backend" not in result.stdout


_VCS_PYPROJECT = """\
[build-system]
requires = ["hatchling", "hatch-vcs"]
build-backend = "hatchling.build"

[project]
name = "demo-vcs"
dynamic = ["version"]

[tool.hatch.version]
source = "vcs"
"""


def test_version_from_git_tags_builds_in_the_copies(make_repo: Callable[..., GitRepo]) -> None:
    # Isolated: hatch-vcs is not installed here, the shared build environment gets it.
    repo = make_repo(
        {
            "pyproject.toml": _VCS_PYPROJECT,
            "src/demo_vcs/__init__.py": '"""demo"""\n',
        },
        tag="v1.2.3",
    )
    result = run_cli("check", "reproducible", "--format", "json", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    messages = [f["message"] for f in json.loads(result.stdout)["checks"][0]["findings"]]
    assert any(m.startswith("sdist demo_vcs-1.2.3.tar.gz: identical") for m in messages)
    assert any("clock shifted" in m for m in messages)
