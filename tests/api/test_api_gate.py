"""The API gate end to end: no tags, unreleased work, allowlist, commits, --next auto, the CLI."""

from __future__ import annotations

import json
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks import GATES
from tests.api_support import edit, errors, gate, package_files, released, set_version
from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

INIT, CORE = "src/shapes/__init__.py", "src/shapes/core.py"
REMOVE_PRECISION = (CORE, "def area(shape: Circle, precision: int = 2)", "def area(shape: Circle)")


def _allow(path: str, expires: str) -> str:
    return textwrap.dedent(f"""
        [tool.releasegate.api]
        allow = [
            {{ path = "{path}", reason = "deprecated since 0.9", expires = "{expires}" }},
        ]
        """)


def test_no_release_tags_means_no_finding_and_no_griffe(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(package_files())
    assert GATES["api"].default
    code = (
        "import sys; from pathlib import Path; from releasegate._internal.checks import api;"
        "from releasegate._internal.checks.base import CheckContext; from releasegate._internal.project import Project;"
        "print(list(api.run(CheckContext(Project(Path('.'))))), 'griffe' in sys.modules)"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo.root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["[]", "False"]
    result = run_cli("check", "api", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unreleased_changes_are_a_note_until_the_version_moves(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo)
    edit(repo, *REMOVE_PRECISION)
    repo.commit(message="refactor: drop precision")
    findings = gate(repo)
    assert [(f.rule, f.severity.value) for f in findings] == [("unreleased-changes", "note")]
    assert "need a major bump; the next release: 2.0.0" in findings[0].message
    assert errors(gate(repo, release=True))  # making a release from here fails


def test_allowlisted_break_passes_and_expired_entry_is_a_finding(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo, tool=_allow("shapes.core.area", "2999-01-01"))
    edit(repo, *REMOVE_PRECISION)
    set_version(repo, "1.0.1")
    repo.commit(message="refactor: drop precision")
    assert errors(gate(repo)) == []

    edit(repo, "pyproject.toml", "2999-01-01", "2020-01-01")
    found = {f.rule: f for f in errors(gate(repo))}
    assert set(found) == {"allow-expired", "parameter-removed"}
    expired = found["allow-expired"]
    assert (expired.path, expired.line) == ("pyproject.toml", 15)
    assert "shapes.core.area" in expired.message
    assert "2020-01-01" in expired.message

    edit(repo, "pyproject.toml", "2020-01-01", "2020-02-31")  # matches the pattern, not a date
    assert "invalid date" in next(
        f.message for f in errors(gate(repo)) if f.rule == "allow-expired"
    )


def test_commits_imply_a_bump_too(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    set_version(repo, "1.0.1")
    repo.commit({"README.md": "docs\n"}, message="fix: typo")
    assert errors(gate(repo)) == []
    sha = repo.commit({"README.md": "more\n"}, message="feat(cli): add a flag")
    # A feature in a patch release hurts no one: a warning (issue 26); a break is an error.
    assert errors(gate(repo)) == []
    [warned] = [f for f in gate(repo) if f.rule == "commits-bump"]
    assert warned.severity.value == "warning"
    assert sha[:12] in warned.message
    assert "minor" in warned.message
    repo.commit(message="refactor: rework\n\nBREAKING CHANGE: the flag is gone")
    assert "needs a major bump" in errors(gate(repo))[0].message
    set_version(repo, "2.0.0")
    assert errors(gate(repo)) == []


def test_version_next_auto_proposes_the_smallest_passing_version(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = released(make_repo)
    repo.commit({"README.md": "docs\n"}, message="docs: readme")
    assert (
        run_cli("version", "--next", "auto", "--form", "semver", cwd=repo.root).stdout.strip()
        == "1.0.1"
    )
    edit(repo, CORE, "def _helper", "def perimeter() -> float:\n    return 0.0\n\n\ndef _helper")
    assert (
        run_cli("version", "--next", "auto", "--form", "semver", cwd=repo.root).stdout.strip()
        == "1.1.0"
    )
    edit(repo, *REMOVE_PRECISION)
    proposed = run_cli(
        "version", "--next", "auto", "--form", "semver", cwd=repo.root
    ).stdout.strip()
    assert proposed == "2.0.0"
    set_version(repo, proposed)
    assert errors(gate(repo)) == []


def test_cli_reports_file_line_and_exit_code(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    edit(repo, CORE, "precision: int = 2", "precision: int = 3")
    set_version(repo, "1.0.1")
    repo.commit(message="fix: precision")
    result = run_cli("check", "api", "--format", "json", cwd=repo.root)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["checks"][0]["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [
        ("api/parameter-default-changed", CORE, 15),
    ]
    assert "default 2 -> 3" in findings[0]["message"]


def test_unreadable_or_missing_package_is_a_warning(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    (repo.root / CORE).write_text("def area(:\n", encoding="utf-8")
    set_version(repo, "1.0.1")
    found = gate(repo)
    assert [(f.rule, f.severity.value) for f in found] == [("unreadable", "warning")]
    assert "Syntax error" in found[0].message

    repo.git("mv", "src/shapes", "src/elsewhere")
    assert [f.rule for f in gate(repo)] == ["package-not-found"]
    edit(
        repo,
        "pyproject.toml",
        "[project.scripts]",
        '[tool.releasegate.api]\npackage = "src/elsewhere"\n\n[project.scripts]',
    )
    (repo.root / "src/elsewhere/core.py").write_text("", encoding="utf-8")
    assert "object-removed" in {f.rule for f in gate(repo)}


def test_config_is_validated(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(
        make_repo,
        tool='\n[tool.releasegate.api]\nallow = [{ path = "x", reason = "y" }]\n',
    )
    result = run_cli("check", "api", cwd=repo.root)
    assert result.returncode == 2
    assert "expires" in result.stderr


def test_tag_build_compares_with_the_previous_release(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    edit(repo, *REMOVE_PRECISION)
    set_version(repo, "1.1.0")
    repo.commit(message="feat: drop precision", tag="v1.1.0")
    tag_build = {"GITHUB_REF": "refs/tags/v1.1.0"}
    result = run_cli("check", "api", cwd=repo.root, env=tag_build)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "needs a major bump, but 1.0.0 -> 1.1.0 is a minor bump" in result.stdout
    # A tagged HEAD checked out as it is gets the tag build's verdict (issue 13), untracked
    # files beside it (caches, build output) or not ...
    assert "needs a major bump" in run_cli("check", "api", cwd=repo.root).stdout
    (repo.root / "scratch.txt").write_text("not part of the release\n")
    assert "needs a major bump" in run_cli("check", "api", cwd=repo.root).stdout
    (repo.root / "scratch.txt").unlink()
    # ... and with work on top of it, HEAD's own tag is the base for that work.
    edit(repo, INIT, '"""Shapes."""', '"""Shapes!"""')
    assert gate(repo) == []
    repo.git("checkout", "--", INIT)

    repo.git("tag", "-d", "v1.1.0")
    set_version(repo, "2.0.0")
    repo.commit(message="feat!: drop precision", tag="v2.0.0")
    result = run_cli("check", "api", cwd=repo.root, env={"GITHUB_REF": "refs/tags/v2.0.0"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_vcs_versioned_project_gets_a_proposal_and_a_tag_build_check(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = package_files()
    files["pyproject.toml"] = (
        files["pyproject.toml"].replace('version = "1.0.0"', 'dynamic = ["version"]')
        + "\n[tool.setuptools_scm]\n"
    )
    # A VCS-versioned package states no version of its own.
    files[INIT] = files[INIT].replace('__version__ = "1.0.0"\n', "")
    repo = make_repo(files, tag="v1.0.0")
    edit(repo, CORE, "def _helper", "def perimeter() -> float:\n    return 0.0\n\n\ndef _helper")
    repo.commit(message="feat: perimeter")
    proposed = run_cli("version", "--next", "auto", "--form", "tag", cwd=repo.root)
    assert proposed.stdout.strip() == "v1.1.0", proposed.stderr
    assert [f.rule for f in gate(repo)] == ["unreleased-changes"]

    repo.git("tag", "-a", "v1.0.1", "-m", "v1.0.1")
    # A new function in a patch release: reported, as a warning (it breaks no one).
    failed = [f for f in gate(repo, release=True) if f.severity.value == "warning"]
    assert [f.rule for f in failed] == ["object-added", "commits-bump"]
    assert "1.0.0 -> 1.0.1 is a patch bump" in failed[0].message


def test_code_griffe_cannot_diff_is_a_warning_not_a_crash(
    make_repo: Callable[..., GitRepo],
) -> None:
    cyclic = (
        "from cyc import x\nfrom cyc import y as y\n\n\n"
        "class A(B):\n    pass\n\n\nclass B(A):\n    pass\n"
    )
    repo = make_repo(
        {
            "pyproject.toml": '[project]\nname = "cyc"\nversion = "1.0.0"\n',
            "cyc/__init__.py": 'from cyc.a import x\nfrom cyc.a import y\n\n__all__ = ["x", "y"]\n',
            "cyc/a.py": cyclic,
        },
        tag="v1.0.0",
    )
    (repo.root / "cyc/a.py").write_text(
        cyclic + "\n\ndef z() -> None:\n    pass\n", encoding="utf-8"
    )
    set_version(repo, "1.0.1")
    result = run_cli("check", "api", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "api/unreadable" in result.stdout
    assert "CyclicAliasError" in result.stdout


def test_a_two_part_version_is_not_held_to_semver_bump_sizes(
    make_repo: Callable[..., GitRepo],
) -> None:
    """packaging's shape (tags ``21.3``, ``22.0``): the changes are shown, no bump is required."""
    repo = make_repo(package_files("1.0"), tag="1.0")
    edit(repo, *REMOVE_PRECISION)
    repo.commit(message="refactor: drop precision")

    pending = gate(repo)
    assert [(f.rule, f.severity.value) for f in pending] == [("scheme", "note")]
    assert "1 API change(s) since 1.0 (1 breaking)" in pending[0].message

    set_version(repo, "1.1")
    repo.commit(message="release 1.1", tag="1.1")
    found = {(f.rule, f.severity.value) for f in gate(repo)}
    assert found == {("scheme", "note"), ("parameter-removed", "warning")}

    result = run_cli("check", "api", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shapes.core.area(precision): parameter was removed" in result.stdout
    proposed = run_cli("version", "--next", "auto", cwd=repo.root)
    assert proposed.returncode == 2, proposed.stdout + proposed.stderr
    assert "PEP 440 versions, not SemVer" in proposed.stderr


def test_two_part_minors_beside_three_part_patches_are_held_to_semver(
    make_repo: Callable[..., GitRepo],
) -> None:
    """networkx's shape (3.4, 3.4.1, 3.4.2, 3.5): SemVer with the trailing .0 dropped. Its
    3.5, 3.6 removed API in a minor; read as PEP 440 they passed (issue 28, fourth set)."""
    repo = make_repo(package_files("1.0"), tag="1.0")
    set_version(repo, "1.0.1")
    repo.commit({"FIX.md": "fix\n"}, message="fix: a patch", tag="1.0.1")
    edit(repo, *REMOVE_PRECISION)
    set_version(repo, "1.1")
    repo.commit(message="release 1.1", tag="1.1")

    assert [f.rule for f in errors(gate(repo))] == ["parameter-removed"]
    result = run_cli("check", "api", cwd=repo.root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1.0.1 -> 1.1 is a minor bump" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("version", "failed"), [("1.0.1", ["requires-python-raised"]), ("1.1.0", [])]
)
def test_dropping_a_python_needs_a_minor_release_and_a_dependency_a_patch(
    make_repo: Callable[..., GitRepo], version: str, failed: list[str]
) -> None:
    """pluggy 1.6.0 dropped Python 3.8, click 8.5.0 dropped colorama: both minor releases."""
    repo = released(make_repo)
    text = (repo.root / "pyproject.toml").read_text(encoding="utf-8")
    old = 'requires-python = ">=3.9"\ndependencies = ["attrs>=22", "packaging"]'
    assert old in text, text
    new = 'requires-python = ">=3.10"\ndependencies = ["packaging"]'
    (repo.root / "pyproject.toml").write_text(text.replace(old, new), encoding="utf-8")
    set_version(repo, version)
    repo.commit(message="chore: drop Python 3.9 and attrs", tag=f"v{version}")

    # Dropping a Python in a patch release is reported, as a warning: pip keeps that Python on
    # the last release that supports it, nothing breaks (issue 26).
    reported = [f for f in gate(repo) if f.severity.value == "warning" and f.rule != "scheme"]
    assert errors(gate(repo)) == []
    assert [f.rule for f in reported] == failed
