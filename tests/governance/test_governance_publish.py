"""Governance through the real CLI: a refused run uploads nothing, to any registry.

A real pypiserver and a directory registry are the targets; the policy lives on a real
origin's main; the OIDC token comes from the loopback issuer. A run that meets the policy
publishes, and its audit record holds the verified claims and the policy's digest.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.governance_support import (
    REPOSITORY,
    Governed,
    Issuer,
    github_claims,
    governed,
    policy_toml,
    pyproject,
)
from tests.publish_support import USER, Server, start_pypiserver, wait_http
from tests.repro_support import wheel_bytes

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

PASSWORD = "pw-gov-Zq8"
WHEEL = "demo-1.0.0-py3-none-any.whl"


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with Issuer() as stand_in:
        yield stand_in


@pytest.fixture
def pypi(tmp_path: Path) -> Iterator[Server]:
    server = start_pypiserver(tmp_path / "pypi", "pypi", PASSWORD)
    try:
        wait_http(server.index_url, server.process)
        yield server
    finally:
        server.stop()


def registries(server: Server, directory: Path) -> str:
    return (
        "[tool.releasegate.publish]\nretries = 0\ntimeout = 5.0\n"
        "[[tool.releasegate.registries]]\n"
        f'name = "pypi"\nkind = "pypi"\nurl = "{server.upload_url}"\n'
        f'index-url = "{server.index_url}"\n'
        'username-env = "RG_USER"\npassword-env = "RG_PASS"\n'
        "[[tool.releasegate.registries]]\n"
        f'name = "mirror"\nkind = "directory"\nurl = "{directory}"\n'
    )


@pytest.fixture
def repo(
    issuer: Issuer, pypi: Server, make_repo: Callable[..., GitRepo], tmp_path: Path
) -> Governed:
    config = pyproject(policy_toml(issuer.url), registries(pypi, tmp_path / "mirror"))
    found = governed(make_repo, {"pyproject.toml": config}, tmp_path)
    (found.checkout.root / "dist").mkdir()
    (found.checkout.root / "dist" / WHEEL).write_bytes(wheel_bytes(b"governed"))
    issuer.claims = github_claims(found.head)
    return found


def publish(repo: Governed, issuer: Issuer, *args: str, **env: str) -> tuple[int, str]:
    mirror = str(repo.checkout.root.parent / "mirror")
    environ = {
        **issuer.environ(),
        "RG_USER": USER,
        "RG_PASS": PASSWORD,
        "RELEASEGATE_DIRECTORY_REGISTRY_ROOTS": mirror,
        **env,
    }
    result = run_cli("publish", "--format", "json", *args, cwd=repo.checkout.root, env=environ)
    return result.returncode, result.stdout + result.stderr


def audit(repo: Governed) -> list[dict[str, Any]]:
    log = repo.checkout.root / ".releasegate" / "publish-audit.jsonl"
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def uploaded(pypi: Server, tmp_path: Path) -> list[str]:
    assert pypi.packages is not None
    mirror = tmp_path / "mirror"
    files = [p.name for p in pypi.packages.iterdir()]
    return files + ([p.name for p in mirror.rglob("*") if p.is_file()] if mirror.exists() else [])


@pytest.mark.parametrize(
    ("claims", "condition"),
    [
        ({"repository": "mallory/demo", "repository_id": "999"}, "publisher"),
        (
            {"job_workflow_ref": f"{REPOSITORY}/.github/workflows/ci.yml@refs/tags/v1.0.0"},
            "publisher",
        ),
        ({"sha": "0" * 40}, "commit"),
    ],
    ids=["other-repository", "unlisted-workflow", "other-commit"],
)
def test_a_refused_run_uploads_nothing_anywhere_and_is_audited(  # noqa: PLR0917 - pytest passes fixtures by name
    repo: Governed,
    issuer: Issuer,
    pypi: Server,
    tmp_path: Path,
    claims: dict[str, Any],
    condition: str,
) -> None:
    issuer.claims = {**github_claims(repo.head), **claims}
    code, output = publish(repo, issuer, GITHUB_REPOSITORY=REPOSITORY)
    assert code == 1, output
    assert uploaded(pypi, tmp_path) == []
    assert not (repo.checkout.root / "dist" / "GOVERNANCE.json").exists()
    # pypiserver was never even asked: no registry learns of a refused release.
    report = json.loads(output[output.index("{") :])
    failed = [
        f for r in report["checks"] for f in r["findings"] if f["rule"] == f"governance/{condition}"
    ]
    assert failed, output
    assert failed[0]["check"] == "governance"
    (entry,) = audit(repo)
    assert entry["phase"] == "refused"
    verdicts = {v["condition"]: v["verdict"] for v in entry["governance"]["verdicts"]}
    assert verdicts[condition] == "failed"
    assert verdicts["identity"] == "passed"
    for token in issuer.issued:
        assert token not in output
        assert token not in json.dumps(entry)


def test_a_run_that_meets_the_policy_publishes_with_claims_and_digest_audited(
    repo: Governed, issuer: Issuer, pypi: Server, tmp_path: Path
) -> None:
    code, output = publish(repo, issuer)
    assert code == 0, output
    assert uploaded(pypi, tmp_path).count(WHEEL) == 2  # pypiserver and the directory
    started, finished = audit(repo)
    for entry in (started, finished):
        governance = entry["governance"]
        assert governance["allowed"] is True
        assert governance["policy_digest"].startswith("sha256:")
        assert governance["claims"]["repository"] == REPOSITORY
        assert governance["claims"]["sha"] == repo.head
    assert issuer.issued
    assert all(token not in output for token in issuer.issued)


def test_the_decision_ships_beside_the_dists_and_the_dossier_shows_it(
    repo: Governed, issuer: Issuer, tmp_path: Path
) -> None:
    """GOVERNANCE.json: the decision and verified claims for the very bytes published, bound
    to the audit record by its sha256, the token nowhere; the dossier shows it."""
    dist = repo.checkout.root / "dist"
    code, output = publish(repo, issuer)
    assert code == 0, output
    shipped = dist / "GOVERNANCE.json"
    record = json.loads(shipped.read_text(encoding="utf-8"))
    assert record["allowed"] is True
    assert record["artifacts"] == {WHEEL: hashlib.sha256((dist / WHEEL).read_bytes()).hexdigest()}
    assert record["claims"]["repository"] == REPOSITORY
    assert record["claims"]["sha"] == record["commit"] == repo.head
    assert record["policy_digest"].startswith("sha256:")
    finished = audit(repo)[-1]
    assert finished["governance"]["record"] == {
        "file": "GOVERNANCE.json",
        "sha256": hashlib.sha256(shipped.read_bytes()).hexdigest(),
    }
    assert record["run"] == finished["run"]
    assert all(token not in shipped.read_text(encoding="utf-8") for token in issuer.issued)

    out = tmp_path / "dossier"
    made = run_cli("dossier", "--out-dir", str(out), cwd=repo.checkout.root)
    assert made.returncode == 0, made.stdout + made.stderr
    governance = json.loads((out / "dossier.json").read_text(encoding="utf-8"))["governance"]
    assert (governance["allowed"], governance["covers_artifacts"]) == (True, True)
    assert governance["claims"]["repository"] == REPOSITORY
    assert "The verified OIDC claims" in (out / "dossier.html").read_text(encoding="utf-8")


def test_the_decision_is_attached_to_the_github_release_and_the_dossier_names_it(
    issuer: Issuer, make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    """With a GitHub release configured, GOVERNANCE.json is an asset beside the dists before
    the draft is published, its bytes read back; a re-run keeps it; the dossier names it."""
    from tests.publish_github_standin import github_standin

    token = "ghp_standinTOKEN0123456789abcdef"
    with github_standin(REPOSITORY, token) as (api, state):
        gh = (
            "[tool.releasegate.publish]\nretries = 0\ntimeout = 5.0\n"
            f'[[tool.releasegate.registries]]\nname = "gh"\nkind = "github-release"\n'
            f'url = "{api}"\nrepository = "{REPOSITORY}"\ntoken-env = "RG_GH_TOKEN"\n'
        )
        repo = governed(
            make_repo, {"pyproject.toml": pyproject(policy_toml(issuer.url), gh)}, tmp_path
        )
        dist = repo.checkout.root / "dist"
        dist.mkdir()
        (dist / WHEEL).write_bytes(wheel_bytes(b"governed"))
        issuer.claims = github_claims(repo.head)
        env = {**issuer.environ(), "RG_GH_TOKEN": token}
        first = run_cli("publish", "--json-report", "publish.json", cwd=repo.checkout.root, env=env)
        assert first.returncode == 0, first.stdout + first.stderr
        (release,) = state.releases
        assert release.draft is False
        assets = {a.name: a.data for a in release.assets}
        assert sorted(assets) == ["GOVERNANCE.json", WHEEL]
        shipped = (dist / "GOVERNANCE.json").read_bytes()
        assert assets["GOVERNANCE.json"] == shipped
        # The decision landed before the release was published: the PATCH comes last.
        writes = [m for m, path in state.requests if m in ("POST", "PATCH", "DELETE")]
        assert writes[-1] == "PATCH", writes

        # A re-run (another run id in its record) leaves the published release's decision.
        again = run_cli("publish", cwd=repo.checkout.root, env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        (release,) = state.releases
        assert {a.name: a.data for a in release.assets}["GOVERNANCE.json"] == shipped

    report = json.loads((repo.checkout.root / "publish.json").read_text(encoding="utf-8"))
    (gh_data,) = [c["data"] for c in report["checks"] if c["check"] == "publish gh"]
    url = gh_data["attached"]["GOVERNANCE.json"]
    assert url.endswith(f"/{REPOSITORY}/releases/download/v1.0.0/GOVERNANCE.json")
    out = tmp_path / "dossier"
    (repo.checkout.root / "dist" / "GOVERNANCE.json").write_bytes(shipped)
    made = run_cli(
        "dossier", "--report", "publish.json", "--out-dir", str(out), cwd=repo.checkout.root
    )
    assert made.returncode == 0, made.stdout + made.stderr
    governance = json.loads((out / "dossier.json").read_text(encoding="utf-8"))["governance"]
    assert governance["attached"] == [{"registry": "gh", "url": url}]
    assert url in (out / "dossier.html").read_text(encoding="utf-8")
    for token_issued in issuer.issued:
        assert token_issued.encode() not in shipped


def test_outside_ci_only_the_dry_run_runs(
    repo: Governed, issuer: Issuer, pypi: Server, tmp_path: Path
) -> None:
    laptop = {"ACTIONS_ID_TOKEN_REQUEST_URL": "", "ACTIONS_ID_TOKEN_REQUEST_TOKEN": ""}
    code, output = publish(repo, issuer, **laptop)
    assert code == 1, output
    assert "allows only --dry-run" in output
    assert uploaded(pypi, tmp_path) == []
    code, output = publish(repo, issuer, "--dry-run", **laptop)
    assert code == 0, output
    assert uploaded(pypi, tmp_path) == []
    assert not (repo.checkout.root / "dist" / "GOVERNANCE.json").exists()  # nothing governed left


def test_severity_overrides_in_the_checkout_do_not_lift_a_refusal(
    repo: Governed, issuer: Issuer, pypi: Server, tmp_path: Path
) -> None:
    pyproject_path = repo.checkout.root / "pyproject.toml"
    text = pyproject_path.read_text(encoding="utf-8")
    text = text.replace(
        "[tool.releasegate.publish]",
        '[tool.releasegate]\nseverity = { "governance/publisher" = "note" }\n[tool.releasegate.publish]',
    )
    repo.checkout.commit({"pyproject.toml": text}, "soften")
    issuer.claims = github_claims(
        repo.checkout.git("rev-parse", "HEAD").strip(), repository_id="999"
    )
    code, output = publish(repo, issuer)
    assert code == 1, output
    assert uploaded(pypi, tmp_path) == []


def test_promote_and_sign_are_refused_before_anything_is_written(
    repo: Governed, issuer: Issuer
) -> None:
    root = repo.checkout.root
    (root / "dist" / WHEEL).unlink()
    candidate = root / "dist" / "demo-1.0.0rc1-py3-none-any.whl"
    candidate.write_bytes(wheel_bytes(b"tested", version="1.0.0rc1"))
    issuer.claims = github_claims(repo.head, repository_id="999")
    env = issuer.environ()
    promoted = run_cli("promote", "--to", "1.0.0", cwd=root, env=env)
    assert promoted.returncode == 1, promoted.stdout + promoted.stderr
    assert "governance/publisher" in promoted.stdout
    assert sorted(p.name for p in (root / "dist").iterdir()) == [candidate.name]
    signed = run_cli("sign", str(candidate.relative_to(root)), cwd=root, env=env)
    assert signed.returncode == 1, signed.stdout + signed.stderr
    assert "sign refused by the governance policy" in signed.stderr
    assert "publisher: no allowed publisher matches" in signed.stderr
    assert sorted(p.name for p in (root / "dist").iterdir()) == [candidate.name]
    phases = [(e["tool"], e["phase"]) for e in audit(repo)]
    assert phases == [("releasegate promote", "refused"), ("releasegate sign", "refused")]
    for token in issuer.issued:
        assert token not in promoted.stdout + promoted.stderr + signed.stdout + signed.stderr


def test_a_yank_is_governed_as_a_publish(
    repo: Governed, issuer: Issuer, pypi: Server, tmp_path: Path
) -> None:
    code, output = publish(repo, issuer)
    assert code == 0, output
    index = tmp_path / "mirror" / "simple" / "demo" / "index.html"  # the project's page
    before = index.read_text(encoding="utf-8")
    issuer.claims = github_claims(repo.head, repository_id="999")  # a recreated repository
    env = {**issuer.environ(), "RELEASEGATE_DIRECTORY_REGISTRY_ROOTS": str(tmp_path / "mirror")}
    root = repo.checkout.root
    yanked = run_cli("yank", "1.0.0", "--reason", "broken", "--yes", cwd=root, env=env)
    output = yanked.stdout + yanked.stderr
    assert yanked.returncode == 1, output
    assert "governance/publisher" in output
    assert index.read_text(encoding="utf-8") == before  # no registry was changed
    assert "data-yanked" not in before
    # The same yank by an allowed publisher goes through: the policy refused, nothing else did.
    issuer.claims = github_claims(repo.head)
    env = {**issuer.environ(), "RELEASEGATE_DIRECTORY_REGISTRY_ROOTS": str(tmp_path / "mirror")}
    allowed = run_cli("yank", "1.0.0", "--reason", "broken", "--yes", cwd=root, env=env)
    output += allowed.stdout + allowed.stderr
    assert 'data-yanked="broken"' in index.read_text(encoding="utf-8"), output
    for token in issuer.issued:
        assert token not in output
