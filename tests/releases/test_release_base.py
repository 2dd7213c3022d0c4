"""The release a verdict compares with: the previous release by version order (issue 28).

Each repository here is the shape of a real case: werkzeug tagged 2.3.3 and 3.0.0 on commits
the next releases do not descend from, urllib3 and click make maintenance releases of an
older line after a major, and a version tagged on a release branch is taken for ``--next auto``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.api_support import edit, released, set_version
from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

CORE = "src/shapes/core.py"
CHANGE_DEFAULT = (CORE, "precision: int = 2", "precision: int = 3")
REMOVE_PRECISION = (CORE, "def area(shape: Circle, precision: int = 2)", "def area(shape: Circle)")
REMOVE_FACTOR = (CORE, "def scale(shape: Circle, factor: float)", "def scale(shape: Circle)")
ADD_PERIMETER = (CORE, "def _helper", "def perimeter() -> float:\n    return 0.0\n\n\ndef _helper")


def _release_off_the_branch(
    repo: GitRepo, version: str, change: tuple[str, str, str], message: str = "release"
) -> None:
    """Tag ``version`` on a side commit, then bring the same change onto main as another commit
    (a branch rebased after tagging): the tag is not an ancestor of what follows."""
    repo.git("checkout", "-q", "-b", f"release-{version}")
    edit(repo, *change)
    set_version(repo, version)
    repo.commit(message=message, tag=f"v{version}")
    repo.git("checkout", "-q", "main")
    repo.commit({"NOTES.md": f"on main before {version}\n"}, message="docs: notes")
    repo.git("cherry-pick", f"release-{version}")


def _api(repo: GitRepo, *args: str) -> tuple[int, dict[str, Any]]:
    done = run_cli("check", "api", "--format", "json", *args, cwd=repo.root)
    assert done.returncode in (0, 1), done.stderr
    [result] = json.loads(done.stdout)["checks"]
    return done.returncode, result


def _proposal(repo: GitRepo) -> str:
    done = run_cli("version", "--next", "auto", "--form", "semver", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _semver(repo: GitRepo, *args: str) -> tuple[int, list[dict[str, Any]]]:
    done = run_cli("check", "semver", "--format", "json", *args, cwd=repo.root)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)["checks"][0]["findings"]


PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n{tool}'


def test_a_release_tagged_off_the_branch_is_the_base_of_the_next(
    make_repo: Callable[..., GitRepo],
) -> None:
    """werkzeug 2.3.4 was compared with 2.3.2 (2.3.3's tag is not an ancestor), so what 2.3.3
    shipped was blamed on 2.3.4."""
    repo = released(make_repo)
    # Its commit, cherry-picked onto main, is 1.0.1's: not a feature of 1.0.2 as well.
    _release_off_the_branch(repo, "1.0.1", CHANGE_DEFAULT, "feat: round to 3 places")
    set_version(repo, "1.0.2")
    repo.commit({"README.md": "docs\n"}, message="fix: typo", tag="v1.0.2")
    code, result = _api(repo, "--release")
    assert (code, result["findings"]) == (0, [])
    assert result["data"]["base"]["tag"] == "v1.0.1"
    assert result["data"]["base"]["ancestor"] is False
    assert result["summary"] == "base release v1.0.1 (not an ancestor of HEAD)"


def test_a_patch_after_a_major_tagged_off_the_branch_is_held_to_it(
    make_repo: Callable[..., GitRepo],
) -> None:
    """werkzeug 3.0.1 and 3.0.2 were compared with 2.3.x and counted as major bumps: a break in
    a patch release went unchecked."""
    repo = released(make_repo, "2.3.7")
    _release_off_the_branch(repo, "3.0.0", REMOVE_PRECISION)
    edit(repo, *REMOVE_FACTOR)
    set_version(repo, "3.0.1")
    repo.commit(message="fix: scale", tag="v3.0.1")
    code, result = _api(repo, "--release")
    assert code == 1
    assert [f["rule"] for f in result["findings"]] == ["api/parameter-removed"]
    message = result["findings"][0]["message"]
    assert "shapes.core.scale(factor)" in message
    assert "3.0.0 -> 3.0.1 is a patch bump (base: tag v3.0.0)" in message


def _at(monkeypatch: pytest.MonkeyPatch, date: str) -> None:
    """Commits and tags made from now on are dated ``date`` (tags are ordered by time too)."""
    monkeypatch.setenv("GIT_COMMITTER_DATE", date)
    monkeypatch.setenv("GIT_AUTHOR_DATE", date)


def test_a_maintenance_release_after_a_major_follows_its_own_line(
    make_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """3.6.6 after 4.0.0 is normal (urllib3 1.26.x after 2.0.0, click 7.1.x): its base is
    3.6.5; and 4.0.0 checked again later is still compared with 3.6.5, not with the 3.6.6
    made after it, whose fixes 4.0.0 never had."""
    _at(monkeypatch, "2026-01-01T00:00:00Z")
    repo = released(make_repo, "3.6.5")
    repo.git("branch", "3.6.x")
    _at(monkeypatch, "2026-02-01T00:00:00Z")
    edit(repo, *REMOVE_PRECISION)
    set_version(repo, "4.0.0")
    repo.commit(message="feat!: drop precision", tag="v4.0.0")
    _at(monkeypatch, "2026-03-01T00:00:00Z")
    repo.git("checkout", "-q", "3.6.x")
    edit(repo, *ADD_PERIMETER)
    set_version(repo, "3.6.6")
    repo.commit(message="fix: perimeter backported", tag="v3.6.6")
    code, result = _api(repo, "--release")
    assert result["data"]["base"]["tag"] == "v3.6.5"
    assert [f["rule"] for f in result["findings"]] == ["api/object-added"]  # a minor in a patch
    repo.git("checkout", "-q", "v4.0.0")
    code, result = _api(repo, "--release")
    assert (code, result["data"]["base"]["tag"]) == (0, "v3.6.5")


def test_a_release_checked_again_later_is_not_below_the_releases_made_after_it(
    make_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """werkzeug 2.3.4 and click 8.1.3 checked at their tags today: "lower than the release tag
    2.3.8" was true of no release run, since 2.3.8 did not exist yet."""
    _at(monkeypatch, "2026-01-01T00:00:00Z")
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="1.0.0", tool="")}, tag="1.0.0")
    _at(monkeypatch, "2026-02-01T00:00:00Z")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="1.0.1", tool="")}, tag="1.0.1")
    _at(monkeypatch, "2026-03-01T00:00:00Z")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="1.0.2", tool="")}, tag="1.0.2")
    repo.git("checkout", "-q", "1.0.1")
    assert _semver(repo, "--release") == (0, [])
    repo.commit({"pyproject.toml": PYPROJECT.format(version="1.0.1", tool="")})
    _, findings = _semver(repo, "--release")  # a new commit claims 1.0.1 after 1.0.2
    assert "semver/version-backwards" in [f["rule"] for f in findings]


def test_a_release_tagged_again_later_keeps_its_place(
    make_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """urllib3 tagged v2.0.5, then 2.0.6 and 2.0.7, and a year later 2.0.5 again in its bare
    style: 2.0.5 is still 2.0.6's base, and 2.0.5 is not below 2.0.7."""
    _at(monkeypatch, "2026-01-01T00:00:00Z")
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="2.0.4", tool="")}, tag="2.0.4")
    _at(monkeypatch, "2026-02-01T00:00:00Z")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="2.0.5", tool="")}, tag="v2.0.5")
    for version, month in (("2.0.6", "03"), ("2.0.7", "04")):
        _at(monkeypatch, f"2026-{month}-01T00:00:00Z")
        repo.commit({"pyproject.toml": PYPROJECT.format(version=version, tool="")}, tag=version)
    _at(monkeypatch, "2026-12-01T00:00:00Z")
    repo.git("tag", "-a", "2.0.5", "-m", "2.0.5", "v2.0.5^{commit}")
    repo.git("checkout", "-q", "2.0.6")
    done = run_cli("check", "semver", "--release", "--format", "json", cwd=repo.root)
    [result] = json.loads(done.stdout)["checks"]
    assert (done.returncode, result["data"]["base"]["tag"]) == (0, "2.0.5")
    repo.git("checkout", "-q", "2.0.5")
    assert _semver(repo, "--release") == (0, [])


def test_a_commit_released_twice_has_the_newest_tags_version(
    make_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    """anyio tagged 4.6.2, then 4.6.2.post1 on the same commit (versions from git): four
    errors called the two tags a mismatch and the first below the second."""
    _at(monkeypatch, "2026-01-01T00:00:00Z")
    vcs = '[project]\nname = "demo"\ndynamic = ["version"]\n[tool.hatch.version]\nsource = "vcs"\n'
    repo = make_repo({"pyproject.toml": vcs}, tag="1.0.0")
    _at(monkeypatch, "2026-02-01T00:00:00Z")
    repo.commit({"src/demo/__init__.py": ""}, message="fix", tag="1.0.1")
    _at(monkeypatch, "2026-02-02T00:00:00Z")
    repo.git("tag", "-a", "1.0.2", "-m", "1.0.2")  # the same commit, released again
    done = run_cli("check", "semver", "--release", "--format", "json", cwd=repo.root)
    [result] = json.loads(done.stdout)["checks"]
    assert (done.returncode, result["findings"]) == (0, [])
    assert result["summary"] == "version 1.0.2, base release 1.0.1"  # its first release


def test_the_base_is_named_in_every_format(make_repo: Callable[..., GitRepo]) -> None:
    repo = released(make_repo)
    edit(repo, *REMOVE_PRECISION)
    set_version(repo, "1.0.1")
    edit(repo, "src/shapes/__init__.py", '__version__ = "1.0.0"', '__version__ = "1.0.1"')
    repo.commit(message="fix: drop precision", tag="v1.0.1")
    args = ("check", "semver", "api", "--release")

    text = run_cli(*args, cwd=repo.root).stdout
    assert "[api] failed: base release v1.0.0\n" in text
    assert "[semver] passed: version 1.0.1, base release v1.0.0\n" in text
    assert "(base: tag v1.0.0)" in text  # the failing finding itself

    checks = json.loads(run_cli(*args, "--format", "json", cwd=repo.root).stdout)["checks"]
    bases = {c["check"]: c["data"]["base"]["tag"] for c in checks}
    assert bases == {"semver": "v1.0.0", "api": "v1.0.0"}

    sarif = json.loads(run_cli(*args, "--format", "sarif", cwd=repo.root).stdout)
    assert {"check": "api", "summary": "base release v1.0.0"} in sarif["runs"][0]["properties"][
        "verdicts"
    ]
    assert "(base: tag v1.0.0)" in sarif["runs"][0]["results"][0]["message"]["text"]

    markdown = run_cli(*args, "--format", "markdown", cwd=repo.root).stdout
    assert "| api | ❌ failed | 1 | 0 | base release v1.0.0 |" in markdown


def test_next_auto_never_proposes_a_version_already_tagged(
    make_repo: Callable[..., GitRepo],
) -> None:
    """1.0.1 and 1.1.0 were released from a branch: main's next patch is 1.0.2, its next
    minor 1.2.0."""
    repo = released(make_repo)
    repo.git("checkout", "-q", "-b", "release")
    set_version(repo, "1.0.1")
    repo.commit({"FIX.md": "fix\n"}, message="fix: on the branch", tag="v1.0.1")
    set_version(repo, "1.1.0")
    repo.commit({"FEATURE.md": "feature\n"}, message="feat: on the branch", tag="v1.1.0")
    repo.git("checkout", "-q", "main")
    repo.commit({"README.md": "docs\n"}, message="fix: typo")
    assert _proposal(repo) == "1.0.2"
    edit(repo, *ADD_PERIMETER)
    assert _proposal(repo) == "1.2.0"
    repo = released(make_repo)
    set_version(repo, "1.0.1")
    repo.commit({"README.md": "docs\n"}, message="fix: typo", tag="v1.0.1")
    assert _proposal(repo) == "1.0.1"  # HEAD's own tag is the release being made, not taken


def test_a_two_part_version_with_no_release_history_is_a_semver_error(
    make_repo: Callable[..., GitRepo],
) -> None:
    """The scheme comes from the releases, not from one version: ``1.2`` before any release
    claims SemVer and is not; the hint says how to declare another scheme."""
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="1.2", tool="")})
    code, findings = _semver(repo)
    assert (code, [f["rule"] for f in findings]) == (1, ["semver/invalid-version"])
    assert findings[0]["hint"].startswith("write it as 1.2.0, or declare the scheme")
    assert '[tool.releasegate.semver] scheme = "pep440"' in findings[0]["hint"]
    declared = PYPROJECT.format(
        version="1.2", tool='[tool.releasegate.semver]\nscheme = "pep440"\n'
    )
    repo.commit({"pyproject.toml": declared})
    code, findings = _semver(repo)
    assert (code, [f["rule"] for f in findings]) == (0, ["semver/scheme"])


def test_two_part_minors_and_three_part_patches_are_semver_with_the_zero_dropped(
    make_repo: Callable[..., GitRepo],
) -> None:
    """networkx (3.4, 3.4.1, 3.5), Python-Markdown, tzlocal: a valid release, not a SemVer
    error, and not exempt from SemVer's bump sizes either."""
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="3.4", tool="")})
    repo.git("tag", "-a", "3.4", "-m", "3.4")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="3.4.1", tool="")}, tag="3.4.1")
    repo.commit({"pyproject.toml": PYPROJECT.format(version="3.5", tool="")}, tag="3.5")
    code, findings = _semver(repo)
    assert (code, [f["rule"] for f in findings]) == (0, ["semver/scheme"])
    assert "SemVer with the trailing .0 dropped" in findings[0]["message"]
    assert "3.5 is 3.5.0" in findings[0]["message"]


@pytest.mark.parametrize("tag", ["demo-1.0.0", "demo-v1.0.0", "demo@1.0.0"])
def test_tags_that_name_the_project_are_its_releases(
    make_repo: Callable[..., GitRepo], tag: str
) -> None:
    """networkx tags ``networkx-3.5``: read as no release at all, its ``3.5`` was a SemVer error
    and nothing was compared with the last release."""
    repo = make_repo({"pyproject.toml": PYPROJECT.format(version="1.0.0", tool="")})
    repo.git("tag", "-a", tag, "-m", tag)
    repo.commit({"pyproject.toml": PYPROJECT.format(version="0.9.0", tool="")})
    code, findings = _semver(repo)
    assert code == 1
    assert [f["rule"] for f in findings] == ["semver/version-backwards"], findings
    assert tag in findings[0]["message"]


def test_calendar_and_pep440_schemes_are_read_from_the_release_history(
    make_repo: Callable[..., GitRepo], monkeypatch: pytest.MonkeyPatch
) -> None:
    _at(monkeypatch, "2025-06-01T00:00:00Z")
    calendar = make_repo({"pyproject.toml": PYPROJECT.format(version="25.4.0", tool="")})
    calendar.git("tag", "-a", "25.4.0", "-m", "25.4.0")  # attrs: the major is the year
    calendar.commit({"pyproject.toml": PYPROJECT.format(version="26.1.0", tool="")})
    code, findings = _semver(calendar)
    assert (code, [f["rule"] for f in findings]) == (0, ["semver/scheme"])
    assert "follows calendar versions" in findings[0]["message"]

    two_part = make_repo({"pyproject.toml": PYPROJECT.format(version="26.0", tool="")})
    two_part.git("tag", "-a", "26.0", "-m", "26.0")  # packaging: 26.0, 26.1, ...
    two_part.commit({"pyproject.toml": PYPROJECT.format(version="26.1", tool="")})
    code, findings = _semver(two_part)
    assert (code, [f["rule"] for f in findings]) == (0, ["semver/scheme"])
    assert "PEP 440 versions, not SemVer" in findings[0]["message"]
