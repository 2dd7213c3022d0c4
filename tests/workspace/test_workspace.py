"""A real uv workspace (``uv init``) gated from its root: per member, labelled, selected."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.workspace_support import set_version, workspace, workspace_template

if TYPE_CHECKING:
    from tests.conftest import GitRepo

__all__ = ["workspace", "workspace_template"]  # fixtures, used by name
pytestmark = pytest.mark.slow  # uv init, git and the CLI in subprocesses


def check(repo: GitRepo, *args: str) -> tuple[int, dict[str, Any]]:
    done = run_cli("check", "--format", "json", *args, cwd=repo.root)
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def labels(report: dict[str, Any]) -> list[str]:
    return [c["check"] for c in report["checks"]]


def test_every_member_is_gated_with_zero_configuration(workspace: GitRepo) -> None:
    code, report = check(workspace, "semver", "metadata", "lockfile")
    assert code == 0, report
    assert labels(report) == [
        "workspace/lockfile",
        *(f"{m}/{g}" for m in ("core", "util", "api", "cli") for g in ("semver", "metadata", "lockfile")),
    ]  # fmt: skip
    # Each member is compared with its own release tag, not the workspace's other tags.
    assert not [f for c in report["checks"] for f in c["findings"] if f["check"] == "semver"]


def test_member_findings_carry_the_member_and_its_folder(workspace: GitRepo) -> None:
    set_version(workspace, "util", "0.1.1")  # HEAD is tagged util-v0.1.0
    code, report = check(workspace, "semver")
    assert code == 1
    failed = [c for c in report["checks"] if not c["passed"]]
    assert [c["check"] for c in failed] == ["util/semver"]
    assert failed[0]["member"] == "util"
    [finding] = failed[0]["findings"]
    assert finding["rule"] == "semver/tag-mismatch"
    assert finding["path"] == "packages/util/pyproject.toml"


def test_a_breaking_release_of_a_dependency_fails_its_dependent(workspace: GitRepo) -> None:
    set_version(workspace, "api", "0.2.0")  # cli declares api>=0.1,<0.2
    workspace.commit(message="api 0.2.0", tag="api-v0.2.0")
    _, report = check(workspace, "semver")
    found = {c["check"]: c["findings"] for c in report["checks"]}
    assert found["api/semver"] == []
    [finding] = found["cli/semver"]
    assert finding["rule"] == "semver/workspace-requirement"
    assert finding["path"] == "packages/cli/pyproject.toml"
    assert "api 0.2.0" in finding["message"]
    assert finding["line"] is not None


def test_changed_selects_changed_members_and_their_dependents(workspace: GitRepo) -> None:
    workspace.commit({"packages/core/src/core/extra.py": "X = 1\n"}, "core: extra")
    _, report = check(workspace, "semver", "--changed")
    assert labels(report) == ["core/semver", "api/semver", "cli/semver"]
    workspace.commit({"packages/util/src/util/extra.py": "Y = 1\n"}, "util: extra")
    workspace.git("tag", "-a", "core-v0.1.1", "-m", "core")  # core released since
    set_version(workspace, "core", "0.1.1")
    workspace.commit(message="core 0.1.1")
    workspace.git("tag", "-f", "-a", "core-v0.1.1", "-m", "core")
    _, report = check(workspace, "semver", "--changed")
    assert labels(report) == ["util/semver", "cli/semver"]


def test_nothing_changed_selects_nothing(workspace: GitRepo) -> None:
    code, report = check(workspace, "semver", "--changed")
    assert (code, labels(report)) == (0, [])


def test_package_limits_the_run(workspace: GitRepo) -> None:
    _, report = check(workspace, "semver", "--package", "API", "--package", "util")
    assert labels(report) == ["util/semver", "api/semver"]
    done = run_cli("check", "--package", "nope", cwd=workspace.root)
    assert done.returncode == 2
    assert "no workspace member named nope" in done.stderr


def test_hook_files_run_only_their_members(workspace: GitRepo) -> None:
    _, report = check(workspace, "semver", "--files", "packages/util/src/util/__init__.py")
    assert labels(report) == ["util/semver"]


def test_members_inherit_the_root_settings_and_override_them(workspace: GitRepo) -> None:
    root = workspace.root / "pyproject.toml"
    root.write_text(
        root.read_text() + '\n[tool.releasegate]\nfail-on = "warning"\n'
        '[tool.releasegate.semver]\ntag-format = "{name}@{version}"\n'
    )
    cli = workspace.root / "packages" / "cli" / "pyproject.toml"
    cli.write_text(cli.read_text() + '\n[tool.releasegate.semver]\ntag-format = "cli-v{version}"\n')
    workspace.commit(message="config")
    workspace.git("tag", "-a", "core@0.1.0", "-m", "core")
    code, report = check(workspace, "semver")
    by_label = {c["check"]: [f["rule"] for f in c["findings"]] for c in report["checks"]}
    assert by_label["core/semver"] == []  # core@0.1.0 on HEAD: the root's format
    assert "semver/no-release-tags" in by_label["util/semver"]  # no util@... tag
    assert by_label["cli/semver"] == []  # its own format: cli-v0.1.0
    assert code == 1  # the root's fail-on = "warning" reached the members


def test_packages_names_members_outside_uv(make_repo: Any) -> None:
    member = '[project]\nname = "{0}"\nversion = "1.0.0"\n'
    repo = make_repo(
        {
            "pyproject.toml": '[tool.releasegate]\npackages = ["libs/*"]\n',
            "libs/one/pyproject.toml": member.format("one"),
            "libs/two/pyproject.toml": member.format("Two_Pkg"),
            "libs/notes/README.md": "not a member: no pyproject.toml\n",
        }
    )
    repo.git("tag", "one-v1.0.0")
    _, report = check(repo, "semver")
    assert labels(report) == ["one/semver", "two-pkg/semver"]
    rules = {c["check"]: [f["rule"] for f in c["findings"]] for c in report["checks"]}
    assert rules["one/semver"] == []


def test_plan_prints_a_github_matrix_in_release_order(workspace: GitRepo) -> None:
    done = run_cli("plan", "--format", "github-matrix", cwd=workspace.root)
    assert done.returncode == 0, done.stderr
    include = json.loads(done.stdout)["include"]
    assert [(e["package"], e["wave"]) for e in include] == [
        ("core", 0), ("util", 0), ("api", 1), ("cli", 2),
    ]  # fmt: skip
    assert include[3]["needs"] == ["api", "util"]
    assert include[2] | {"needs": []} == {
        "package": "api", "path": "packages/api", "version": "0.1.0",
        "last-tag": "api-v0.1.0", "wave": 1, "needs": [],
    }  # fmt: skip


def test_plan_changed_is_empty_when_nothing_changed(workspace: GitRepo) -> None:
    done = run_cli("plan", "--changed", "--format", "github-matrix", cwd=workspace.root)
    assert json.loads(done.stdout) == {"include": []}


def test_single_project_refuses_workspace_options(make_repo: Any) -> None:
    repo = make_repo({"pyproject.toml": '[project]\nname = "solo"\nversion = "1.0.0"\n'})
    done = run_cli("check", "semver", "--changed", cwd=repo.root)
    assert done.returncode == 2
    assert "no workspace" in done.stderr


def _api_notes(repo: GitRepo) -> list[str]:
    _, report = check(repo, "api", "--package", "api")
    [result] = report["checks"]
    return [f["message"] for f in result["findings"]]


def test_a_members_metadata_is_compared_with_its_own_last_release(workspace: GitRepo) -> None:
    """api's [project] at api-v0.1.0 is packages/api/pyproject.toml, not the root's: read
    from the root, api's dependency on core looked added since (a false API change) and
    dropping it looked like nothing."""
    workspace.commit({"packages/api/src/api/extra.py": "X = 1\n"}, "api: a private file")
    [note] = _api_notes(workspace)  # the commit alone asks for a patch
    assert note.startswith("0 API change(s)"), note
    pyproject = workspace.root / "packages" / "api" / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('    "core",\n', ""), encoding="utf-8")
    workspace.commit(message="api: core is not needed")
    [note] = _api_notes(workspace)
    assert note.startswith("1 API change(s)"), note


def test_a_members_vcs_plugin_names_its_tags(workspace: GitRepo) -> None:
    """pydantic-core's hatch-vcs reads ``core-v*`` tags: the member follows its plugin, not the
    workspace default ``{name}-v{version}``, so its releases are found (issue 26)."""
    pyproject = workspace.root / "packages" / "util" / "pyproject.toml"
    plugin = '\n[tool.setuptools_scm]\ntag_regex = "^utility-(?P<version>.+)$"\n'
    pyproject.write_text(pyproject.read_text(encoding="utf-8") + plugin, encoding="utf-8")
    set_version(workspace, "util", "0.3.0")
    workspace.commit(message="util 0.3.0", tag="utility-0.3.0")
    assert check(workspace, "semver", "--release", "--package", "util")[0] == 0
    workspace.commit({"packages/util/src/util/extra.py": "X = 1\n"}, "util: extra")
    workspace.git("tag", "-a", "utility-0.4.0", "-m", "util 0.4.0")  # but util says 0.3.0
    code, report = check(workspace, "semver", "--release", "--package", "util")
    found = [f["rule"] for c in report["checks"] for f in c["findings"]]
    assert code == 1, report
    assert "semver/tag-mismatch" in found  # main: no finding, the tag was not the member's


def test_a_members_commits_are_only_those_that_touch_its_folder(workspace: GitRepo) -> None:
    """autogen: a ``feat:`` in one member told five others to bump minor, and a member with no
    commit since its tag was told "76 commits" (issue 28)."""
    workspace.commit({"packages/core/src/core/more.py": "Y = 1\n"}, "feat: core gains more")
    workspace.commit({"README.md": "# the workspace\n"}, "feat: a root file")
    _, report = check(workspace, "api", "--package", "core", "--package", "util")
    notes = {c["check"]: [f["message"] for f in c["findings"]] for c in report["checks"]}
    [core] = notes["core/api"]
    assert core.startswith("0 API change(s) and 1 commit(s) since core-v0.1.0 need a minor"), core
    assert notes["util/api"] == []  # nothing of util's changed: nothing to release


def test_a_root_members_commits_leave_out_the_members_inside_it(make_repo: Any) -> None:
    """pydantic's shape: the root is a package too; a ``feat:`` in a member inside it is not
    the root's."""
    build = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    root = f'[project]\nname = "app"\nversion = "1.0.0"\n{build}[tool.uv.workspace]\nmembers = ["plugins/*"]\n'
    files = {
        "pyproject.toml": root,
        "src/app/__init__.py": "",
        "plugins/extra/pyproject.toml": f'[project]\nname = "extra"\nversion = "1.0.0"\n{build}',
        "plugins/extra/src/extra/__init__.py": "",
    }
    repo = make_repo(files, tag="app-v1.0.0")
    repo.git("tag", "extra-v1.0.0")
    repo.commit({"plugins/extra/src/extra/more.py": "Y = 1\n"}, "feat: extra gains more")
    _, report = check(repo, "api")
    notes = {c["check"]: [f["message"] for f in c["findings"]] for c in report["checks"]}
    assert notes["app/api"] == []
    [extra] = notes["extra/api"]
    assert extra.startswith("0 API change(s) and 1 commit(s) since extra-v1.0.0 need a minor"), (
        extra
    )


def test_members_tagged_name_at_version_are_read_so_and_an_untagged_one_is_told_that_form(
    workspace: GitRepo,
) -> None:
    # livekit/agents tags ``livekit-agents@1.7.0``: every member was read as having no release
    # tag, the hint said to tag v1.2.3, and plan refused the '@' of the tags (issue 30).
    for name in ("core", "util", "api", "cli"):
        workspace.git("tag", "-d", f"{name}-v0.1.0")
    for name in ("core", "util", "api"):
        workspace.git("tag", f"{name}@0.1.0")
    code, report = check(workspace, "semver")
    found = {c["check"]: c["findings"] for c in report["checks"]}
    assert code == 0, report
    assert found["core/semver"] == []
    [untagged] = found["cli/semver"]
    assert untagged["rule"] == "semver/no-release-tags"
    assert "cli@1.2.3" in untagged["hint"]
    done = run_cli("plan", "--format", "json", cwd=workspace.root)
    assert done.returncode == 0, done.stderr
    tags = {m["package"]: m["last-tag"] for m in json.loads(done.stdout)}
    assert tags == {"core": "core@0.1.0", "util": "util@0.1.0", "api": "api@0.1.0", "cli": None}


def test_members_released_under_one_members_tags_read_that_members_tags(
    workspace: GitRepo,
) -> None:
    # livekit/agents releases every plugin with livekit-agents, under ``livekit-agents@X``; a
    # plugin's own tags stopped at 1.0.1, and its API was compared with that: six minor
    # releases at once, 12 false errors (issue 30). Here core leads; util's own tag is stale.
    for name in ("core", "util", "api", "cli"):
        workspace.git("tag", "-d", f"{name}-v0.1.0")
    workspace.git("tag", "core@0.1.0")
    workspace.git("tag", "util@0.0.1")
    for name in ("core", "util", "api", "cli"):
        set_version(workspace, name, "0.1.1")
    workspace.commit(message="release 0.1.1", tag="core@0.1.1")
    code, report = check(workspace, "semver")
    errors = [(c["check"], f["message"]) for c in report["checks"] for f in c["findings"]]
    assert code == 0, errors
    summaries = {c["check"]: c["summary"] for c in report["checks"]}
    for name in ("core", "util", "api", "cli"):
        assert "base release core@0.1.0" in summaries[f"{name}/semver"], summaries
    done = run_cli("plan", "--format", "json", cwd=workspace.root)
    tags = {m["package"]: m["last-tag"] for m in json.loads(done.stdout)}
    assert set(tags.values()) == {"core@0.1.1"}, tags


def test_members_versioned_independently_keep_their_own_tags(workspace: GitRepo) -> None:
    # Two members that happen to share a version are no lock-step release.
    set_version(workspace, "util", "0.2.0")
    set_version(workspace, "core", "0.2.0")
    workspace.commit(message="core 0.2.0", tag="core-v0.2.0")
    done = run_cli("plan", "--format", "json", cwd=workspace.root)
    tags = {m["package"]: m["last-tag"] for m in json.loads(done.stdout)}
    assert tags == {
        "core": "core-v0.2.0", "util": "util-v0.1.0", "api": "api-v0.1.0", "cli": "cli-v0.1.0"
    }  # fmt: skip
