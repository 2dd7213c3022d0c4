"""The github-release adapter through PyGithub against a loopback stand-in of GitHub's API."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.publish_github_standin import Asset, GitHubState, Release, github_standin
from tests.publish_support import build_project

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

TOKEN = "ghp_standinTOKEN0123456789abcdef"


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small real build (wheel + sdist), with a sigstore bundle beside the sdist."""
    dist = build_project(
        tmp_path_factory.mktemp("gh-project"), "rgdemo", "2.0.0", data_size=300_000
    )
    (dist / "rgdemo-2.0.0.tar.gz.sigstore.json").write_text(
        '{"mediaType": "bundle"}', encoding="utf-8"
    )
    return dist


def _project(tmp_path: Path, dists: Path, api: str, retries: int = 3) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    (root / "dist").mkdir()
    for path in dists.iterdir():
        (root / "dist" / path.name).write_bytes(path.read_bytes())
    (root / "releasegate.toml").write_text(
        f"[publish]\nretries = {retries}\nbackoff = 0.01\ntimeout = 5\n\n"
        f'[[registries]]\nname = "gh"\nkind = "github-release"\nurl = "{api}"\n'
        f'repository = "octo/demo"\ntoken-env = "RG_GH_TOKEN"\n',
        encoding="utf-8",
    )
    return root


def _assets(state: GitHubState) -> dict[str, str]:
    (release,) = state.releases
    return {a.name: hashlib.sha256(a.data).hexdigest() for a in release.assets}


def test_draft_release_gets_every_asset_then_is_published(tmp_path: Path, dists: Path) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        root = _project(tmp_path, dists, api)
        first = run_cli("publish", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert first.returncode == 0, first.stdout + first.stderr
        (release,) = state.releases
        assert release.tag_name == "v2.0.0"
        assert release.draft is False
        expected = {
            p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (root / "dist").iterdir()
        }
        assert _assets(state) == expected  # both dists and the signature bundle
        # Published only after the last upload: the PATCH comes after every asset POST.
        methods = [m for m, path in state.requests if m in ("POST", "PATCH") and "releases" in path]
        assert methods[-1] == "PATCH"
        assert methods.count("POST") == 1 + len(expected)

        again = run_cli("publish", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert again.returncode == 0
        assert "plan: 0 upload, 2 skip, 0 conflict" in again.stdout


def test_a_failed_upload_leaves_a_draft_and_resume_publishes_it(
    tmp_path: Path, dists: Path
) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        state.fail_uploads = 100
        root = _project(tmp_path, dists, api, retries=1)
        failed = run_cli("publish", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert failed.returncode == 1
        (release,) = state.releases
        assert release.draft is True  # never a half release

        state.fail_uploads = 0
        resumed = run_cli("publish", "--resume", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert resumed.returncode == 0, resumed.stdout + resumed.stderr
        assert state.releases[0].draft is False
        assert len(state.releases[0].assets) == 3


def test_without_digests_assets_are_hashed_by_download_and_conflicts_block_publishing(
    tmp_path: Path, dists: Path
) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        state.send_digest = False
        impostor = Asset(
            7, "rgdemo-2.0.0-py3-none-any.whl", b"not the wheel", "application/octet-stream"
        )
        state.releases.append(
            Release(5, "v2.0.0", "v2.0.0", "", draft=True, prerelease=False, assets=[impostor])
        )
        root = _project(tmp_path, dists, api)
        result = run_cli(
            "publish",
            "--format",
            "json",
            "--output",
            "r.json",
            cwd=root,
            env={"RG_GH_TOKEN": TOKEN},
        )
        assert result.returncode == 1
        report = json.loads((root / "r.json").read_text())
        rules = [f["rule"] for c in report["checks"] for f in c["findings"]]
        assert rules == ["publish/conflict"]
        release = state.releases[0]
        assert release.draft is True
        assert next(a for a in release.assets if a.name == impostor.name).data == b"not the wheel"
        # No mixed release: the version's other files do not join the conflicting one.
        assert {a.name for a in release.assets} == {impostor.name}


def test_an_existing_different_signature_bundle_is_a_conflict(tmp_path: Path, dists: Path) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        bundle = Asset(8, "rgdemo-2.0.0.tar.gz.sigstore.json", b'{"other": 1}', "application/json")
        state.releases.append(
            Release(5, "v2.0.0", "v2.0.0", "", draft=True, prerelease=False, assets=[bundle])
        )
        root = _project(tmp_path, dists, api)
        result = run_cli("publish", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert result.returncode == 1, result.stdout
        assert "rgdemo-2.0.0.tar.gz.sigstore.json (served sha256" in result.stdout
        release = state.releases[0]
        assert release.draft is True
        assert [(a.name, a.data) for a in release.assets] == [(bundle.name, b'{"other": 1}')]


def test_missing_token_is_a_configuration_error_before_any_request(
    tmp_path: Path, dists: Path
) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        root = _project(tmp_path, dists, api)
        result = run_cli("publish", cwd=root, env={"RG_GH_TOKEN": ""})
        assert result.returncode == 2, result.stdout + result.stderr
        assert "RG_GH_TOKEN" in result.stderr
        assert state.requests == []


def test_json_on_stdout_is_only_json_and_dry_run_touches_nothing(
    tmp_path: Path, dists: Path
) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        root = _project(tmp_path, dists, api)
        planned = run_cli("publish", "--dry-run", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert planned.returncode == 0
        assert "upload" in planned.stdout
        assert state.releases == []
        assert all(method == "GET" for method, _ in state.requests)

        result = run_cli("publish", "--format", "json", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["passed"] is True
        assert report["checks"][0]["summary"].startswith("completed: 2 uploaded")
        assert "[gh] plan: 2 upload" in result.stderr


def test_an_interrupted_asset_upload_is_replaced_not_trusted(tmp_path: Path, dists: Path) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        wheel = "rgdemo-2.0.0-py3-none-any.whl"
        broken = Asset(9, wheel, b"half a wh", "application/octet-stream", state="starter")
        state.releases.append(
            Release(5, "v2.0.0", "v2.0.0", "", draft=True, prerelease=False, assets=[broken])
        )
        root = _project(tmp_path, dists, api)
        result = run_cli("publish", cwd=root, env={"RG_GH_TOKEN": TOKEN})
        assert result.returncode == 0, result.stdout + result.stderr
        assert "plan: 2 upload, 0 skip, 0 conflict" in result.stdout
        assert ("DELETE", "/api/v3/repos/octo/demo/releases/assets/9") in state.requests
        assert (
            _assets(state)[wheel]
            == hashlib.sha256((root / "dist" / wheel).read_bytes()).hexdigest()
        )
        assert state.releases[0].draft is False
