"""The license gate on real repositories: REUSE (whole project and hook mode), licenses
of the files a real sdist ships, and dependency licenses from installed metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.metadata_support import HEADER, findings, line_of, project_files, verdict

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

NO_BUILD = "[tool.releasegate.license]\nsdist-coverage = false\n"


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_reuse_compliant_project_passes(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    code, found = findings(repo.root, "license")
    assert (code, found) == (0, [])


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_file_without_header_is_reported_with_file_and_line(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = project_files("hatchling")
    files["src/demo/bare.py"] = "x = 1\n"
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
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
    _, found = findings(repo.root, "license")
    assert ("license/reuse-missing-license", "src/demo/extra.py", 0) in verdict(found)


def test_no_reuse_setup_is_one_warning_not_silence(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    for name in ("LICENSES/MIT.txt", "REUSE.toml"):
        del files[name]
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        "[tool.releasegate.license]\n", "[tool.releasegate.license]\nsdist-coverage = false\n"
    )
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in found] == [("license/reuse-not-set-up", "warning")]


@pytest.mark.slow  # builds the sdist (sdist-coverage)
def test_gpl_file_shipped_in_mit_sdist(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["LICENSES/GPL-3.0-only.txt"] = "GNU GENERAL PUBLIC LICENSE\nVersion 3\n"
    files["src/demo/copied.py"] = (
        "# SPDX-FileCopyrightText: 2020 Someone\n# SPDX-License-Identifier: GPL-3.0-only\n"
    )
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
    assert code == 1
    assert verdict(found) == [("license/file-license-not-covered", "src/demo/copied.py", 2)]
    assert "GPL-3.0-only" in str(found[0]["message"])
    assert "'MIT'" in str(found[0]["message"])


def write_dist(site: Path, name: str, headers: str) -> None:
    """An installed distribution, as pip leaves it: a .dist-info directory with METADATA."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.4\nName: {name}\nVersion: 1.0\n{headers}", encoding="utf-8"
    )


def test_dependency_license_policy(make_repo: Callable[..., GitRepo], tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_dist(site, "permissive", "License-Expression: MIT\n")
    write_dist(site, "copyleft", "License-Expression: GPL-3.0-only\n")
    write_dist(
        site, "classified", "Classifier: License :: OSI Approved :: Apache Software License\n"
    )
    write_dist(site, "mystery", "License: see the website\n")
    write_dist(site, "legacy-named", "License: MIT License\n")
    files = project_files("hatchling")
    files["pyproject.toml"] = (
        str(files["pyproject.toml"])
        .replace(
            "dependencies = []",
            'dependencies = ["permissive>=1", "copyleft", "mystery", '
            "\"old; python_version < '3'\"]",
        )
        .replace(
            "dependencies = false\n",
            f'dependencies = true\nsdist-coverage = false\ndenied = ["GPL-3.0-only"]\n'
            f'site-packages = ["{site}"]\n',
        )
    )
    files["requirements.txt"] = (
        HEADER + "classified==1.0\nlegacy-named==1.0 \\\n    --hash=sha256:00\nabsent==2.0\n"
    )
    deps_line = line_of(str(files["pyproject.toml"]), "dependencies = [")
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
    assert code == 1
    assert sorted((f["rule"], f["path"], f["line"]) for f in found) == [
        ("license/dependency-license-denied", "pyproject.toml", deps_line),
        ("license/dependency-license-unknown", "pyproject.toml", deps_line),
        ("license/dependency-license-unknown", "requirements.txt", 6),
    ]
    messages = " ".join(str(f["message"]) for f in found)
    assert "copyleft" in messages
    assert "mystery" in messages
    assert "absent" in messages


def test_hook_entry_with_no_files_is_clean(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("hatchling"))
    completed = run_cli("check", "license", "--files", cwd=repo.root)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_reviewed_license_fills_the_gap_and_stays_under_policy(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    write_dist(site, "mystery", "License: see the website\n")
    write_dist(
        site, "vague", "Classifier: License :: OSI Approved :: GNU General Public License (GPL)\n"
    )
    files = project_files("hatchling")
    files["pyproject.toml"] = (
        str(files["pyproject.toml"])
        .replace("dependencies = []", 'dependencies = ["mystery", "vague"]')
        .replace(
            "dependencies = false\n",
            'dependencies = true\nsdist-coverage = false\ndenied = ["GPL-3.0-only"]\n'
            f'site-packages = ["{site}"]\n'
            'reviewed = { mystery = "bsd-3-clause", Vague = "GPL-3.0-only" }\n',
        )
    )
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
    assert code == 1
    # mystery is now known (and allowed); vague is known too, and the policy denies it.
    assert [(f["rule"], "vague" in str(f["message"])) for f in found] == [
        ("license/dependency-license-denied", True)
    ]
    assert "reviewed by hand" in str(found[0]["message"])
