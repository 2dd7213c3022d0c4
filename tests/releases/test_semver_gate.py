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


def test_setup_cfg_project_with_setuptools_scm_uses_the_tag(
    make_repo: Callable[..., GitRepo],
) -> None:
    """tenacity 9.1.4: no [project] (metadata in setup.cfg), [tool.setuptools_scm]: the tag on
    HEAD is the version (was semver/no-version, blocking the real release)."""
    files = {
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools", "setuptools_scm[toml]>=3.4"]\n'
            'build-backend = "setuptools.build_meta"\n\n[tool.setuptools_scm]\n'
        ),
        "setup.cfg": "[metadata]\nname = demo\n",
        "demo/__init__.py": "",
    }
    repo = make_repo(files, tag="9.1.4")
    assert check(repo, "--release") == (0, [])
    result = run_cli("version", "--form", "tag", cwd=repo.root)
    assert result.stdout.strip() == "9.1.4", result.stderr


def test_project_without_git_still_checks_files(tmp_path: Any) -> None:
    (tmp_path / "pyproject.toml").write_text(pyproject("1.0.0-SNAPSHOT"))
    result = run_cli("check", "semver", cwd=tmp_path)
    assert result.returncode == 1
    assert "pyproject.toml:3: error:" in result.stdout
    assert "mutable" in result.stdout or "no PEP 440" in result.stdout


@pytest.mark.slow
def test_dynamic_version_only_the_backend_knows(make_repo: Callable[..., GitRepo]) -> None:
    # The version is computed at build time, so no file states it literally: a trusted run
    # asks setuptools for the metadata, and the changelog must agree with what it says.
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
    code, findings = check(repo, "--allow-backend")
    assert code == 1
    assert [f["rule"] for f in findings] == ["semver/version-mismatch"]
    assert "'2.5.0'" in findings[0]["message"]
    # A pull request's run does not run the checkout's backend, and says what it left unknown.
    code, findings = check(repo)
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in findings] == [("semver/no-version", "warning")]
    assert "the build backend was not asked" in findings[0]["message"]


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


# Issue 13: right on real projects with no [tool.releasegate] at all.


def test_bare_tags_are_detected_and_a_stray_old_v_tag_is_not_the_baseline(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(project("5.0.0"), tag="v5.0.0")  # an old tag in the other style
    repo.commit(project("1.0.0"), tag="1.0.0")
    repo.commit(project("1.1.0"), tag="1.1.0")
    repo.commit(project("1.0.5"))
    code, findings = check(repo)
    assert (code, rules(findings)) == (1, ["semver/version-backwards"])
    assert "release tag 1.1.0" in findings[0]["message"]
    result = run_cli("version", "--form", "tag", cwd=repo.root)
    assert result.stdout.strip() == "1.0.5"


def test_tags_that_match_no_style_are_reported(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.0.0"), tag="release-2.0.0")
    code, findings = check(repo)
    assert (code, rules(findings)) == (0, ["semver/no-release-tags"])
    assert findings[0]["severity"] == "warning"
    assert "release-2.0.0" in findings[0]["message"]


def test_maintenance_release_after_a_higher_line_passes(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("3.6.5"), tag="3.6.5")
    repo.git("checkout", "-q", "-b", "3.6.x")
    repo.git("checkout", "-q", "main")
    repo.commit(project("4.0.0"), tag="4.0.0")
    repo.git("checkout", "-q", "3.6.x")
    repo.commit(project("3.6.6"), tag="3.6.6")
    assert check(repo, "--release") == (0, [])
    repo.commit(project("3.6.4"))  # but below its own line's releases is still backwards
    assert rules(check(repo)[1]) == ["semver/version-backwards"]


def test_a_pre_release_of_a_higher_line_does_not_set_the_floor(
    make_repo: Callable[..., GitRepo],
) -> None:
    # httpx tagged 1.0.0.beta0 on master in 2021, then released 0.19 ... 0.28 from it.
    repo = make_repo(project("0.18.0"), tag="0.18.0")
    repo.commit(project("1.0.0b0", changelog="1.0.0b0"), tag="1.0.0.beta0")
    repo.commit(project("0.19.0"), tag="0.19.0")
    assert check(repo, "--release") == (0, [])


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "CHANGELOG.md",
            "# Changelog\n\n## 1.5.0 (unreleased)\n\n### Python 3.14 support\n\n## 1.4.0\n",
        ),
        ("CHANGELOG.md", "# Changelog\n\n## [1.5.0] - Unreleased\n\n## [1.4.0] - 2026-01-01\n"),
        (
            "CHANGES.md",
            "## Version 1.5.0\n\nUnreleased\n\n- x\n\n## Version 1.4.0\n\nReleased 2026-01-01\n",
        ),
        (
            "CHANGES.rst",
            "Version 1.5.0\n-------------\n\nUnreleased\n\nVersion 1.4.0\n-------------\n",
        ),
        (
            "CHANGELOG.rst",
            "Changelog\n---------\n\n*unreleased*\n~~~~~~~~~~~~\n\n1.4.0 - 2026-01-01\n~~~~~~~~~~~~~~~~~~\n",
        ),
        (
            "HISTORY.md",
            "Release History\n===============\n\ndev\n---\n\n- x\n\n1.4.0 (2026-01-01)\n------------------\n",
        ),
    ],
)
def test_changelog_styles_are_found_and_read_right_for_a_dev_version(
    make_repo: Callable[..., GitRepo], name: str, text: str
) -> None:
    files = {"pyproject.toml": pyproject("1.5.0.dev0"), name: text}
    repo = make_repo(files)
    assert check(repo) == (0, [])
    repo.commit({"pyproject.toml": pyproject("1.6.0")})  # a final version the changelog misses
    code, findings = check(repo)
    assert (code, rules(findings)) == (1, ["semver/version-mismatch"])
    assert findings[0]["path"] == name


def test_a_date_headed_changelog_is_skipped_with_a_note(make_repo: Callable[..., GitRepo]) -> None:
    changelog = "# Changes\n\n## 2026-03-01\n\n- version 9.9 support\n\n## 2026-01-01\n"
    repo = make_repo({"pyproject.toml": pyproject("1.2.0"), "CHANGELOG.md": changelog})
    code, findings = check(repo)
    assert (code, rules(findings)) == (0, ["semver/changelog-skipped"])
    assert findings[0]["severity"] == "note"


def test_releasing_while_the_changelog_says_unreleased_warns(
    make_repo: Callable[..., GitRepo],
) -> None:
    changelog = "## Version 1.5.0\n\nUnreleased\n"
    repo = make_repo({"pyproject.toml": pyproject("1.5.0"), "CHANGES.md": changelog}, tag="1.5.0")
    code, findings = check(repo)
    assert (code, rules(findings)) == (0, ["semver/changelog-unreleased"])


def test_two_part_calendar_versions_are_checked_under_pep440(
    make_repo: Callable[..., GitRepo],
) -> None:
    # packaging: 26.0, 26.1 ... and 26.2.dev0 on main.
    files = {"pyproject.toml": pyproject("26.0"), "CHANGELOG.rst": "26.0 - 2026-01-01\n~~~~\n"}
    repo = make_repo(files, tag="26.0")
    repo.commit({"pyproject.toml": pyproject("26.1.dev0")})
    code, findings = check(repo)
    assert (code, rules(findings)) == (0, ["semver/scheme"])
    assert "skipped the SemVer-only rules" in findings[0]["message"]
    repo.commit({"pyproject.toml": pyproject("25.9")})
    assert "semver/version-backwards" in rules(check(repo)[1])
    repo.commit({"pyproject.toml": pyproject("26.1RC1")})
    _, findings = check(repo)
    invalid = next(f for f in findings if f["rule"] == "semver/invalid-version")
    assert invalid["hint"] == "write 26.1rc1"  # never drops the pre-release part


def test_a_loose_dev_version_between_releases_is_a_note_and_an_error_when_released(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo({"pyproject.toml": pyproject("8.4.0")}, tag="8.4.0")
    repo.commit({"pyproject.toml": pyproject("8.5.0.dev")})  # click and flask on main
    code, findings = check(repo)
    assert (code, rules(findings)) == (0, ["semver/dev-version"])
    code, findings = check(repo, "--release")
    assert (code, rules(findings)) == (1, ["semver/invalid-version"])


def test_a_vcs_versioned_release_without_a_tag_says_what_was_looked_for(
    make_repo: Callable[..., GitRepo],
) -> None:
    files = {
        "pyproject.toml": (
            '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
        ),
        "src/demo/__init__.py": "",
        "CHANGELOG.md": "## 1.0.0\n",
    }
    repo = make_repo(files, tag="1.0.0")
    assert check(repo, "--release") == (0, [])  # the tag on HEAD is the version
    repo.commit({"x.txt": "x"})
    assert check(repo) == (0, [])  # between releases: no version, nothing to say
    code, findings = check(repo, "--release")
    assert (code, rules(findings)) == (1, ["semver/no-version"])
    assert "a release tag ({version}) on HEAD" in findings[0]["message"]
    assert "[project].version" not in findings[0]["hint"]
    assert "tag the release commit (e.g. 1.2.3)" in findings[0]["hint"]
    result = run_cli("version", cwd=repo.root)
    assert "set [project].version" not in result.stderr


def test_no_version_under_release_is_an_error_naming_the_places(tmp_path: Any) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    result = run_cli("check", "semver", "--release", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    (finding,) = json.loads(result.stdout)["checks"][0]["findings"]
    assert finding["rule"] == "semver/no-version"
    assert "[project].version" in finding["message"]
    assert finding["hint"] == "set [project].version in pyproject.toml"


def test_a_tagged_head_is_gated_the_same_locally_and_in_ci(
    make_repo: Callable[..., GitRepo],
) -> None:
    def both(repo: GitRepo, tag: str) -> tuple[list[str], list[str]]:
        _, local = check(repo)
        ci = run_cli(
            "check",
            "semver",
            "--format",
            "json",
            cwd=repo.root,
            env={"GITHUB_REF": f"refs/tags/{tag}"},
        )
        assert ci.returncode in (0, 1), ci.stderr
        return rules(local), [f["rule"] for f in json.loads(ci.stdout)["checks"][0]["findings"]]

    repo = make_repo({"pyproject.toml": '[project]\nname = "demo"\n'}, tag="1.0.0")
    local, ci = both(repo, "1.0.0")  # a release with no version anywhere: an error in both
    assert local == ci == ["semver/no-version"]
    assert check(repo)[0] == 1
    repo = make_repo(project("1.0.0"), tag="1.0.0")
    repo.commit(project("1.0.0"), tag="1.0.1")
    local, ci = both(repo, "1.0.1")
    assert local == ci
    assert "semver/tag-mismatch" in local


# Issue 26: a changelog is compared with the version only where a disagreement is real.


def test_a_changelog_heading_for_the_release_in_progress_agrees_between_releases(
    make_repo: Callable[..., GitRepo],
) -> None:
    # The maintainer writes "## 3.2.0" while main carries 3.2.0.dev0 (seen on real projects).
    changelog = "# Changes\n\n## 3.2.0\n\n- new things\n\n## 3.1.0 (2026-01-01)\n"
    repo = make_repo({"pyproject.toml": pyproject("3.1.0"), "CHANGES.md": changelog}, tag="3.1.0")
    repo.commit({"pyproject.toml": pyproject("3.2.0.dev0")})
    assert check(repo) == (0, [])


def test_an_unreleased_entry_above_the_released_version_agrees_between_releases(
    make_repo: Callable[..., GitRepo],
) -> None:
    changelog = "# Changelog\n\n## [1.5.0] - Unreleased\n\n- x\n\n## [1.4.0] - 2026-01-01\n"
    repo = make_repo({"pyproject.toml": pyproject("1.4.0"), "CHANGELOG.md": changelog}, tag="1.4.0")
    repo.commit({"src/demo/x.py": "X = 1\n"})
    assert check(repo) == (0, [])
    # Releasing 1.4.0 again with notes for 1.5.0 on top is still a disagreement.
    code, findings = check(repo, "--release")
    assert code == 1
    assert "semver/version-mismatch" in rules(findings)


def test_a_changelog_older_than_the_last_release_is_one_stale_warning(
    make_repo: Callable[..., GitRepo],
) -> None:
    changelog = "# Changelog\n\n## 1.2.0 (2025-01-01)\n\n- old\n"
    repo = make_repo({"pyproject.toml": pyproject("1.3.0"), "CHANGELOG.md": changelog}, tag="1.3.0")
    repo.commit({"pyproject.toml": pyproject("1.4.0")})
    for extra in ((), ("--release",)):
        code, findings = check(repo, *extra)
        assert (code, rules(findings)) == (0, ["semver/changelog-stale"])
        assert findings[0]["severity"] == "warning"
        assert "1.3.0" in findings[0]["message"]


HATCH_VCS = """\
[project]
name = "hatch"
dynamic = ["version"]
[tool.hatch.version]
source = "vcs"
"""


@pytest.mark.parametrize(
    "plugin",
    [
        # hatch's own pyproject.toml (hatch-v1.18.0 beside hatchling-v1.32.0)
        '[tool.hatch.version.raw-options]\ngit_describe_command = ["git", "describe", "--tags",'
        ' "--long", "--match", "hatch-v*"]\n',
        '[tool.hatch.version]\ntag-pattern = "^hatch-v(?P<version>.+)$"\n',
        '[tool.setuptools_scm]\ntag_regex = "^hatch\\\\-v(?P<version>[0-9.]+)$"\n',
    ],
)
def test_the_vcs_plugins_tag_prefix_is_the_projects_tag_form(
    make_repo: Callable[..., GitRepo], plugin: str
) -> None:
    """A monorepo's prefixed tags, named by the plugin's configuration (issue 26)."""
    text = (
        HATCH_VCS + plugin
        if "tool.hatch.version]" not in plugin
        else HATCH_VCS.replace(
            '[tool.hatch.version]\nsource = "vcs"\n', plugin + 'source = "vcs"\n'
        )
    )
    repo = make_repo({"pyproject.toml": text, "src/hatch/__init__.py": ""}, tag="hatch-v1.17.0")
    repo.commit({"x.txt": "x"}, tag="hatchling-v1.32.0")
    repo.commit({"y.txt": "y"}, tag="hatch-v1.18.0")
    assert check(repo, "--release") == (0, [])
    result = run_cli("version", "--form", "tag", cwd=repo.root)
    assert (result.returncode, result.stdout.strip()) == (0, "hatch-v1.18.0"), result.stderr


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("^hatch-v(?P<version>.+)$", "hatch-v{version}"),
        (r"^release/(?P<version>[0-9.]+)-final$", "release/{version}-final"),
        ("^foo-v(.*)$", "foo-v{version}"),
        # setuptools-scm's default and an optional "v": no certain prefix, so detection decides.
        (r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$", None),
        ("^v?(?P<version>.*)$", None),
        ("^(?P<version>.*)$", None),
        ("^x(?P<version>(unclosed", None),
    ],
)
def test_only_a_literal_tag_prefix_is_read_from_a_plugin_pattern(
    pattern: str, expected: str | None
) -> None:
    from pathlib import Path

    from releasegate._internal.tomldoc import TomlDocument
    from releasegate._internal.vcstags import configured_tag_format

    doc = TomlDocument(
        Path("pyproject.toml"), "", {"tool": {"setuptools_scm": {"tag_regex": pattern}}}
    )

    assert configured_tag_format(doc) == expected


@pytest.mark.parametrize("members", ['"tests/fixtures/*"', '"tests/fixtures/*", "", "/abs"'])
def test_uv_workspace_members_that_do_not_exist_leave_a_single_project(
    make_repo: Callable[..., GitRepo], members: str
) -> None:
    """``members = ["tests/fixtures/*"]`` matching no folder yet: not a workspace of one, whose
    member would look for ``demo-v1.0.0`` tags and label its gates ``demo/...`` (issue 26)."""
    scaffold = f"\n[tool.uv.workspace]\nmembers = [{members}]\n"
    build = '\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    files = {**project("1.0.0"), "pyproject.toml": pyproject("1.0.0", extra=scaffold + build)}
    repo = make_repo(files, tag="v1.0.0")
    result = run_cli("check", "semver", "--release", "--format", "json", cwd=repo.root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [c["check"] for c in json.loads(result.stdout)["checks"]] == ["semver"]
