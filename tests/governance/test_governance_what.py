"""Governance of what is released: the tag's signature, the checks and reviews on GitHub.

Tags are signed with real ed25519 keys made by ssh-keygen and verified by git against an
allowed-signers file of the default branch. GitHub is the tests' API stand-in, read
through PyGithub, with its pagination limits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.governance.decision import Decision, decide
from releasegate._internal.project import Project
from tests.github_support import GitHubStandIn
from tests.governance_support import (
    Governed,
    GpgKey,
    Issuer,
    allowed_signer_line,
    github_claims,
    governed,
    gpg_key,
    gpg_signed_tag,
    policy_toml,
    pyproject,
    signed_tag,
    ssh_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo

SIGNERS = ".github/allowed_signers"


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with Issuer() as stand_in:
        yield stand_in


@pytest.fixture
def github() -> Iterator[GitHubStandIn]:
    with GitHubStandIn("acme/demo") as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("ssh")
    return {name: ssh_key(directory, name) for name in ("alice", "mallory")}


def decision_of(repo: Governed, issuer: Issuer, env: dict[str, str] | None = None) -> Decision:
    found = decide(
        Project(repo.checkout.root),
        "publish",
        dry_run=False,
        env={**issuer.environ(), **(env or {})},
    )
    assert found is not None
    return found


def verdict(decision: Decision, condition: str) -> tuple[bool | None, str]:
    return next((v.passed, v.detail) for v in decision.verdicts if v.condition == condition)


def signed_repo(
    make_repo: Callable[..., GitRepo],
    tmp_path: Path,
    issuer: Issuer,
    signer: Path | None,
    allowed: Path,
) -> Governed:
    policy = policy_toml(issuer.url, **{"signed-tags": f'{{ allowed-signers = "{SIGNERS}" }}'})
    files = {
        "pyproject.toml": pyproject(policy),
        SIGNERS: allowed_signer_line("alice@acme", allowed),
    }
    repo = governed(make_repo, files, tmp_path, tag_key=signer)
    issuer.claims = github_claims(repo.head)
    return repo


def test_a_tag_signed_by_an_allowed_signer_passes(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, keys: dict[str, Path]
) -> None:
    repo = signed_repo(make_repo, tmp_path, issuer, keys["alice"], keys["alice"])
    decision = decision_of(repo, issuer)
    passed, detail = verdict(decision, "signed-tag")
    assert passed, detail
    assert "alice@acme" in detail
    assert decision.allowed


def test_a_tag_signed_by_someone_not_allowed_is_refused(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, keys: dict[str, Path]
) -> None:
    repo = signed_repo(make_repo, tmp_path, issuer, keys["mallory"], keys["alice"])
    decision = decision_of(repo, issuer)
    passed, detail = verdict(decision, "signed-tag")
    assert passed is False
    assert "not signed by an allowed signer" in detail
    assert not decision.allowed


def test_an_unsigned_tag_is_refused(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, keys: dict[str, Path]
) -> None:
    repo = signed_repo(make_repo, tmp_path, issuer, None, keys["alice"])
    passed, detail = verdict(decision_of(repo, issuer), "signed-tag")
    assert passed is False
    assert "v1.0.0" in detail


def test_signers_added_in_the_released_commit_are_not_trusted(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, keys: dict[str, Path]
) -> None:
    repo = signed_repo(make_repo, tmp_path, issuer, keys["alice"], keys["alice"])
    # Mallory adds her key in a commit of her own and signs a tag on it.
    both = allowed_signer_line("alice@acme", keys["alice"]) + allowed_signer_line(
        "mallory", keys["mallory"]
    )
    head = repo.checkout.commit({SIGNERS: both}, "add a signer")
    signed_tag(repo.checkout, "v1.0.1", keys["mallory"])
    issuer.claims = github_claims(head, ref="refs/tags/v1.0.1")
    passed, detail = verdict(decision_of(repo, issuer), "signed-tag")
    assert passed is False, detail


def checks_repo(
    make_repo: Callable[..., GitRepo],
    tmp_path: Path,
    issuer: Issuer,
    github: GitHubStandIn,
    **extra: str,
) -> Governed:
    policy = policy_toml(issuer.url, github.url, **extra)
    repo = governed(make_repo, {"pyproject.toml": pyproject(policy)}, tmp_path)
    issuer.claims = github_claims(repo.head)
    return repo


def test_required_checks_green_as_statuses_and_check_runs_pass(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, github: GitHubStandIn
) -> None:
    repo = checks_repo(
        make_repo,
        tmp_path,
        issuer,
        github,
        **{"required-checks": '["tests", "releasegate/semver"]'},
    )
    github.seed_status(repo.head, "releasegate/semver", "failure")
    github.seed_status(repo.head, "releasegate/semver", "success")  # the latest one counts
    github.seed_check_run(repo.head, "tests", "failure")
    github.seed_check_run(repo.head, "tests", "success")
    decision = decision_of(repo, issuer, {"GITHUB_TOKEN": "ghs_readonly"})
    passed, detail = verdict(decision, "required-checks")
    assert passed, detail
    assert detail == "tests: success, releasegate/semver: success"
    # Asked of the repository the verified token names, with the job's token.
    paths = {r.path for r in github.requests("GET")}
    assert f"/repos/acme/demo/commits/{repo.head}/status" in paths
    assert all(
        r.headers.get("authorization") == "token ghs_readonly" for r in github.requests("GET")
    )


@pytest.mark.parametrize(
    ("state", "shown"), [("failure", "tests: failure"), (None, "tests: missing")]
)
def test_a_required_check_failed_or_missing_is_refused(  # noqa: PLR0917 - pytest passes fixtures by name
    make_repo: Callable[..., GitRepo],
    tmp_path: Path,
    issuer: Issuer,
    github: GitHubStandIn,
    state: str | None,
    shown: str,
) -> None:
    repo = checks_repo(make_repo, tmp_path, issuer, github, **{"required-checks": '["tests"]'})
    if state:
        github.seed_check_run(repo.head, "tests", state)
    github.seed_status(repo.head, "other", "success")
    decision = decision_of(repo, issuer)
    passed, detail = verdict(decision, "required-checks")
    assert passed is False
    assert detail == shown
    assert not decision.allowed


def test_more_statuses_than_one_page_are_all_read(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, github: GitHubStandIn
) -> None:
    repo = checks_repo(make_repo, tmp_path, issuer, github, **{"required-checks": '["ctx-149"]'})
    for number in range(150):
        github.seed_status(repo.head, f"ctx-{number}", "success")
    passed, detail = verdict(decision_of(repo, issuer), "required-checks")
    assert passed, detail
    # The status was found on the second page, not as a check run.
    assert not [r for r in github.requests("GET") if r.path.endswith("/check-runs")]


def test_a_reviewed_pull_request_is_required_when_asked(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, github: GitHubStandIn
) -> None:
    repo = checks_repo(make_repo, tmp_path, issuer, github, **{"reviewed-pull-request": "true"})
    passed, detail = verdict(decision_of(repo, issuer), "reviewed")
    assert passed is False
    assert "no pull request merged into main" in detail
    github.seed_merged_pull(repo.head, 7, [])
    passed, detail = verdict(decision_of(repo, issuer), "reviewed")
    assert passed is False
    assert "#7 merged into main without an approving review" in detail
    github.seed_merged_pull(repo.head, 8, ["reviewer"])
    passed, detail = verdict(decision_of(repo, issuer), "reviewed")
    assert passed, detail
    assert "#8 approved by reviewer" in detail


def test_github_refusing_is_a_failed_condition(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, github: GitHubStandIn
) -> None:
    repo = checks_repo(make_repo, tmp_path, issuer, github, **{"required-checks": '["tests"]'})
    github.forbidden.add("GET")
    passed, detail = verdict(decision_of(repo, issuer), "required-checks")
    assert passed is False
    assert "HTTP 403" in detail


@pytest.fixture(scope="module")
def gpg_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, GpgKey]]:
    directory = tmp_path_factory.mktemp("gpg")
    made = {name: gpg_key(directory, f"{name}@acme.example") for name in ("alice", "mallory")}
    yield made
    for key in made.values():
        key.stop_agent()


@pytest.mark.parametrize(("signer", "passes"), [("alice", True), ("mallory", False)])
def test_a_gpg_signed_tag_is_verified_against_the_policy_keys_only(  # noqa: PLR0917 - fixtures
    make_repo: Callable[..., GitRepo],
    tmp_path: Path,
    issuer: Issuer,
    gpg_keys: dict[str, GpgKey],
    signer: str,
    passes: bool,
) -> None:
    policy = policy_toml(issuer.url, **{"signed-tags": '{ gpg-keys = ".github/release-keys.asc" }'})
    files = {
        "pyproject.toml": pyproject(policy),
        ".github/release-keys.asc": gpg_keys["alice"].armored(),
    }
    repo = governed(make_repo, files, tmp_path)
    gpg_signed_tag(repo.origin, "v1.0.0", gpg_keys[signer])
    repo.fetch()
    issuer.claims = github_claims(repo.head)
    passed, detail = verdict(decision_of(repo, issuer), "signed-tag")
    assert passed is passes, detail


def test_an_ssh_only_policy_does_not_trust_the_runners_own_gpg_keyring(  # noqa: PLR0917 - fixtures
    make_repo: Callable[..., GitRepo],
    tmp_path: Path,
    issuer: Issuer,
    keys: dict[str, Path],
    gpg_keys: dict[str, GpgKey],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = signed_repo(make_repo, tmp_path, issuer, None, keys["alice"])
    gpg_signed_tag(repo.origin, "v1.0.0", gpg_keys["mallory"])
    repo.fetch()
    # Mallory's key is in the keyring the job would use by default: it still is not allowed.
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gnupg").symlink_to(gpg_keys["mallory"].home)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GNUPGHOME", str(gpg_keys["mallory"].home))
    passed, detail = verdict(decision_of(repo, issuer), "signed-tag")
    assert passed is False, detail


def test_a_verifier_set_in_the_checkouts_git_config_is_not_used(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, keys: dict[str, Path]
) -> None:
    repo = signed_repo(make_repo, tmp_path, issuer, keys["mallory"], keys["alice"])
    # An earlier step of the job points git's SSH verifier at a program that says yes.
    liar = tmp_path / "yes-ssh-keygen"
    liar.write_text(
        '#!/bin/sh\necho "Good \\"git\\" signature for alice@acme with ED25519 key SHA256:x"\n',
        encoding="utf-8",
    )
    liar.chmod(0o755)
    repo.git("config", "gpg.ssh.program", str(liar))
    passed, detail = verdict(decision_of(repo, issuer), "signed-tag")
    assert passed is False, detail
