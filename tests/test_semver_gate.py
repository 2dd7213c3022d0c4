from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.semver_support import project, pyproject

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo


def check(repo: GitRepo, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("check", "semver", "--format", "json", *extra, cwd=repo.root)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return result.returncode, report["checks"][0]["findings"]


def rules(findings: list[dict[str, Any]]) -> list[str]:
    return [f["rule"] for f in findings]


def test_consistent_version_passes(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.2.0"))
    code, findings = check(repo)
    assert (code, findings) == (0, [])


def test_every_disagreeing_place_is_a_finding_with_file_and_line(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project("1.2.0", package="1.1.0", changelog="1.3.0"))
    code, findings = check(repo)
    assert code == 1
    located = {(f["path"], f["line"]) for f in findings if f["rule"] == "semver/version-mismatch"}
    assert located == {("src/demo/__init__.py", 3), ("CHANGELOG.md", 5)}
    assert all("pyproject.toml:3" in f["message"] for f in findings)


def test_pep440_and_semver_spellings_of_one_version_agree(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project("1.2.0rc1", package="1.2.0-rc.1", changelog="1.2.0-rc.1"))
    assert check(repo) == (0, [])


@pytest.mark.parametrize(
    ("version", "rule", "hint"),
    [
        ("1.2.0-preview.1", "semver/prerelease-label", "allowed labels"),
        ("1.2.0+Build.5", "semver/invalid-version", "lower-case"),
        ("1.2.0-rc1", "semver/prerelease-label", "-rc.1"),
        ("1.2.0-latest", "semver/prerelease-label", "rc.1"),
    ],
)
def test_non_semver_versions_fail_with_hint(
    make_repo: Callable[..., GitRepo], version: str, rule: str, hint: str | None
) -> None:
    repo = make_repo({"pyproject.toml": pyproject(version)})
    code, findings = check(repo)
    assert code == 1
    assert rule in rules(findings)
    finding = next(f for f in findings if f["rule"] == rule)
    assert (finding["path"], finding["line"]) == ("pyproject.toml", 3)
    if hint:
        assert hint in finding["hint"]


def test_two_part_version_in_a_semver_history_fails_with_a_hint_that_keeps_the_pre_release(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo({"pyproject.toml": pyproject("1.1.0")}, tag="v1.1.0")
    repo.commit({"pyproject.toml": pyproject("1.2rc1")})
    code, findings = check(repo)
    assert (code, rules(findings)) == (1, ["semver/invalid-version"])
    assert findings[0]["hint"] == "write it as 1.2.0rc1"


def test_version_below_the_highest_tag_fails(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.2.0"), tag="v1.2.0")
    repo.commit(project("1.1.9"))
    code, findings = check(repo)
    assert code == 1
    assert rules(findings) == ["semver/version-backwards"]
    assert "v1.2.0" in findings[0]["message"]


def test_unchanged_version_between_releases_is_allowed_unless_configured(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project("1.2.0"), tag="v1.2.0")
    repo.commit({"README.md": "more\n"})
    assert check(repo) == (0, [])
    config = "\n[tool.releasegate.semver]\nrequire-bump = true\n"
    repo.commit({"pyproject.toml": pyproject("1.2.0", extra=config)})
    code, findings = check(repo)
    assert (code, rules(findings)) == (1, ["semver/version-unchanged"])


def test_release_of_an_existing_version_from_another_commit_fails(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project("1.2.0"), tag="v1.2.0")
    repo.commit({"README.md": "fix\n"})
    code, findings = check(repo, "--release")
    assert (code, rules(findings)) == (1, ["semver/version-reused"])


def test_tag_on_head_must_agree_with_the_version(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.2.0"), tag="v1.2.0")
    repo.commit(project("1.3.0"), tag="v1.3.0")
    assert check(repo, "--release") == (0, [])
    repo.commit(project("1.3.1"), tag="v1.4.0")
    code, findings = check(repo)
    assert code == 1
    assert "semver/tag-mismatch" in rules(findings)


def test_semver_tags_are_matched_to_pep440_versions(make_repo: Callable[..., GitRepo]) -> None:
    # The classic break: the project tags v0.4.0-alpha.1, PyPI calls it 0.4.0a1.
    repo = make_repo(project("0.4.0a1"), tag="v0.4.0-alpha.1")
    assert check(repo, "--release") == (0, [])


def test_custom_tag_format_and_version_files(make_repo: Callable[..., GitRepo]) -> None:
    config = (
        '\n[tool.releasegate.semver]\ntag-format = "release-{version}"\n'
        '[[tool.releasegate.semver.version-files]]\npath = "docs/conf.py"\n'
        'pattern = \'release = "(?P<version>[^"]+)"\'\n'
    )
    files = {**project("2.0.0"), "pyproject.toml": pyproject("2.0.0", extra=config)}
    files["docs/conf.py"] = 'project = "demo"\nrelease = "1.9.0"\n'
    repo = make_repo(files, tag="release-2.1.0")
    code, findings = check(repo)
    assert code == 1
    assert sorted(rules(findings)) == [
        "semver/tag-mismatch",
        "semver/version-backwards",
        "semver/version-mismatch",
    ]
    mismatch = next(f for f in findings if f["rule"] == "semver/version-mismatch")
    assert (mismatch["path"], mismatch["line"]) == ("docs/conf.py", 2)


def test_dynamic_version_from_hatch_path(make_repo: Callable[..., GitRepo]) -> None:
    files = {
        "pyproject.toml": (
            '[project]\nname = "demo"\ndynamic = ["version"]\n'
            '[tool.hatch.version]\npath = "src/demo/__about__.py"\n'
        ),
        "src/demo/__init__.py": "",
        "src/demo/__about__.py": '__version__ = "3.0.0-rc.1"\n',
        "CHANGELOG.md": "## 3.0.0-rc.2\n",
    }
    repo = make_repo(files)
    code, findings = check(repo)
    assert code == 1
    assert [(f["rule"], f["path"]) for f in findings] == [
        ("semver/version-mismatch", "CHANGELOG.md")
    ]


def test_dynamic_version_from_setuptools_attr(make_repo: Callable[..., GitRepo]) -> None:
    files = {
        "pyproject.toml": (
            '[project]\nname = "demo-pkg"\ndynamic = ["version"]\n'
            '[tool.setuptools.dynamic]\nversion = {attr = "demo_pkg.__version__"}\n'
        ),
        "demo_pkg/__init__.py": "__version__ = '01.0.0'\n",
    }
    repo = make_repo(files)
    code, findings = check(repo)
    assert (code, rules(findings)) == (1, ["semver/invalid-version"])
    assert findings[0]["path"] == "demo_pkg/__init__.py"


def test_vcs_versioned_project_uses_the_tag(make_repo: Callable[..., GitRepo]) -> None:
    files = {
        "pyproject.toml": (
            '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
        ),
        "src/demo/__init__.py": "",
    }
    repo = make_repo(files, tag="v1.0.0")
    repo.commit({"x.txt": "x"})
    assert check(repo) == (0, [])
    result = run_cli("version", "--form", "tag", cwd=repo.root)
    assert result.returncode == 1
    assert "no version found" in result.stderr


def test_project_without_git_still_checks_files(tmp_path: Any) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject("1.0.0-SNAPSHOT"))
    result = run_cli("check", "semver", cwd=tmp_path)
    assert result.returncode == 1
    assert "pyproject.toml:3: error:" in result.stdout
    assert "mutable" in result.stdout or "no PEP 440" in result.stdout


@pytest.mark.slow
def test_dynamic_version_only_the_backend_knows(make_repo: Callable[..., GitRepo]) -> None:
    # The version is computed at build time, so no file states it literally: the gate asks
    # setuptools for the metadata, and the changelog must agree with what it says.
    files = {
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
            '[project]\nname = "computed"\ndynamic = ["version"]\n'
            '[tool.setuptools.dynamic]\nversion = {attr = "computed.VERSION"}\n'
        ),
        "computed/__init__.py": 'PARTS = (2, 5, 0)\nVERSION = ".".join(map(str, PARTS))\n',
        "CHANGELOG.md": "## 2.4.0\n",
    }
    repo = make_repo(files)
    code, findings = check(repo)
    assert code == 1
    assert [f["rule"] for f in findings] == ["semver/version-mismatch"]
    assert "'2.5.0'" in findings[0]["message"]


def test_tag_form_policy(make_repo: Callable[..., GitRepo]) -> None:
    config = '\n[tool.releasegate.semver]\ntag-form = "semver"\n'
    files = {**project("2.0.0rc1"), "pyproject.toml": pyproject("2.0.0rc1", extra=config)}
    repo = make_repo(files, tag="v2.0.0rc1")
    code, findings = check(repo)
    assert (code, rules(findings)) == (1, ["semver/tag-form"])
    assert findings[0]["hint"] == "name it v2.0.0-rc.1"


def test_release_detected_from_a_github_tag_build(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.0.0"), tag="v1.0.0")
    repo.commit({"README.md": "x"})
    result = run_cli(
        "check", "semver", "--format", "json", cwd=repo.root, env={"GITHUB_REF": "refs/tags/v1.0.0"}
    )
    assert result.returncode == 1
    assert "semver/version-reused" in result.stdout


def test_an_invalid_version_does_not_hide_a_disagreement(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.2.0-rc1", package="1.1.0", changelog="1.2.0rc1"))
    code, findings = check(repo)
    assert code == 1
    assert sorted((f["rule"], f["path"]) for f in findings) == [
        ("semver/prerelease-label", "pyproject.toml"),
        ("semver/version-mismatch", "src/demo/__init__.py"),
    ]


def test_version_file_problem_keeps_a_path_with_a_colon_and_space(
    make_repo: Callable[..., GitRepo],
) -> None:
    # The problem is data (issue 12): it once was a "path: message" string split at ": ".
    config = (
        '\n[[tool.releasegate.semver.version-files]]\npath = "notes: old/version.txt"\n'
        "pattern = 'v(?P<version>\\S+)'\n"
    )
    files = {**project("2.0.0"), "pyproject.toml": pyproject("2.0.0", extra=config)}
    repo = make_repo(files)
    _, findings = check(repo)
    (problem,) = [f for f in findings if f["rule"] == "semver/version-file"]
    assert problem["path"] == "notes: old/version.txt"
    assert problem["message"] == "listed in version-files but cannot be read"
    assert problem["hint"] == "fix [tool.releasegate.semver] version-files"
