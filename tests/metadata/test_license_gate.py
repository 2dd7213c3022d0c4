"""The license gate on real repositories: REUSE (whole project and hook mode), licenses
of the files a real sdist ships, and dependency licenses in test_license_deps.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.metadata_support import HEADER, findings, project_files, verdict

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

NO_BUILD = "[tool.releasegate.license]\nsdist-coverage = false\n"


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_reuse_compliant_project_passes(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    code, found = findings(repo.root, "license", "--allow-backend")
    assert (code, found) == (0, [])


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_file_without_header_is_reported_with_file_and_line(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = project_files("hatchling")
    files["src/demo/bare.py"] = "x = 1\n"
    repo = make_repo(files)
    code, found = findings(repo.root, "license", "--allow-backend")
    assert code == 1
    assert verdict(found) == [
        ("license/reuse-no-copyright", "src/demo/bare.py", 1),
        ("license/reuse-no-license", "src/demo/bare.py", 1),
    ]


def test_hook_mode_checks_only_the_given_files(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["src/demo/bare.py"] = "x = 1\n"
    files["src/demo/good.py"] = HEADER + "y = 2\n"
    repo = make_repo(files)
    code, found = findings(repo.root, "license", "--files", "src/demo/good.py")
    assert (code, found) == (0, [])
    code, found = findings(repo.root, "license", "--files", "src/demo/good.py", "src/demo/bare.py")
    assert code == 1
    assert {f["path"] for f in found} == {"src/demo/bare.py"}


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_license_used_but_missing_from_licenses_dir(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["src/demo/extra.py"] = (
        "# SPDX-FileCopyrightText: 2026 X\n# SPDX-License-Identifier: Apache-2.0\n"
    )
    repo = make_repo(files)
    _, found = findings(repo.root, "license", "--allow-backend")
    assert ("license/reuse-missing-license", "src/demo/extra.py", 0) in verdict(found)


def test_no_reuse_setup_is_one_warning_not_silence(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    for name in ("LICENSES/MIT.txt", "REUSE.toml"):
        del files[name]
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        "sdist-coverage = true\n", "sdist-coverage = false\n"
    )
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in found] == [
        ("license/reuse-not-set-up", "warning"),
        ("license/sdist-coverage-off", "note"),  # what was not checked, never silent
    ]


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_gpl_file_shipped_in_mit_sdist(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["LICENSES/GPL-3.0-only.txt"] = "GNU GENERAL PUBLIC LICENSE\nVersion 3\n"
    files["src/demo/copied.py"] = (
        "# SPDX-FileCopyrightText: 2020 Someone\n# SPDX-License-Identifier: GPL-3.0-only\n"
    )
    repo = make_repo(files)
    code, found = findings(repo.root, "license", "--allow-backend")
    assert code == 1
    assert verdict(found) == [("license/file-license-not-covered", "src/demo/copied.py", 2)]
    assert "GPL-3.0-only" in str(found[0]["message"])
    assert "'MIT'" in str(found[0]["message"])


def test_hook_entry_with_no_files_is_clean(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    completed = run_cli("check", "license", "--files", cwd=repo.root)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_a_file_of_ranges_is_said_not_failed(make_repo: Callable[..., GitRepo]) -> None:
    """yarl's requirements/test.txt holds ranges, not pins: no version to read a license from,
    by design (the lockfile gate judges the pins). A note, not an error (issue 26)."""
    from releasegate._internal.checks.base import CheckContext, CheckOptions
    from releasegate._internal.project import Project
    from releasegate._internal.runner import run_checks

    repo = make_repo(
        {
            "pyproject.toml": '[tool.releasegate.license]\nreuse = "never"\n',
            "requirements/ci.txt": "hypothesis>=6\npydantic\n",
        }
    )
    report = run_checks(["license"], CheckContext(Project(repo.root), CheckOptions()))
    found = [f for f in report.findings() if f.rule == "dependency-license-undecidable"]
    assert [f.severity.value for f in found] == ["note"], [f.message for f in found]
    assert "no exact version locked" in found[0].message
