"""Governance: who may release and what, decided before a byte moves (issue 34).

A loopback OIDC issuer with keys made here signs GitHub's claim set; the policy lives on a
real ``origin``'s main, the release is made from a real clone of it. Each condition that
fails is named in the decision, with what the token claimed.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import jwt
import pytest

from releasegate._internal.errors import ConfigError
from releasegate._internal.governance.decision import Decision, decide
from releasegate._internal.project import Project
from tests.github_support import Reply
from tests.governance_support import (
    REPOSITORY,
    Governed,
    Issuer,
    ec_key,
    github_claims,
    governed,
    policy_toml,
    pyproject,
    rsa_key,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    with Issuer() as stand_in:
        yield stand_in


@pytest.fixture
def repo(issuer: Issuer, make_repo: Callable[..., GitRepo], tmp_path: Path) -> Governed:
    found = governed(make_repo, {"pyproject.toml": pyproject(policy_toml(issuer.url))}, tmp_path)
    issuer.claims = github_claims(found.head)
    return found


def run(
    repo: Governed, issuer: Issuer, env: dict[str, str] | None = None, *, dry_run: bool = False
) -> Decision:
    environ = issuer.environ() if env is None else env
    decision = decide(Project(repo.checkout.root), "publish", dry_run=dry_run, env=environ)
    assert decision is not None
    return decision


def verdicts(decision: Decision) -> dict[str, tuple[bool | None, str]]:
    return {v.condition: (v.passed, v.detail) for v in decision.verdicts}


def refused(decision: Decision, condition: str) -> str:
    assert not decision.allowed
    passed, detail = verdicts(decision)[condition]
    assert passed is False, detail
    return detail


def test_a_run_that_meets_the_policy_is_allowed_with_every_verdict(
    repo: Governed, issuer: Issuer
) -> None:
    decision = run(repo, issuer)
    assert decision.allowed, decision.verdicts
    found = verdicts(decision)
    for condition in ("policy", "identity", "publisher", "commit", "protected-branch"):
        assert found[condition][0] is True, condition
    assert "origin/main:pyproject.toml" in found["policy"][1]
    record = decision.record()
    assert record["policy_digest"].startswith("sha256:")
    assert record["claims"]["repository_id"] == "123456"
    assert record["claims"]["sha"] == repo.head
    # The token itself is in no verdict, no claim, nowhere in the record.
    assert issuer.issued
    assert all(t not in repr(record) for t in issuer.issued)


def test_an_ec_key_signs_as_well(repo: Governed, issuer: Issuer) -> None:
    issuer.signer = issuer.keys[1]
    assert run(repo, issuer).allowed


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"signer": "other-key-same-kid"}, "signature does not verify"),
        ({"signer": "unpublished-kid"}, "does not publish"),
        ({"override": {"iss": "https://token.actions.githubusercontent.com"}}, "was not issued by"),
        ({"override": {"aud": "pypi"}}, "not for audience 'releasegate'"),
        ({"override": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}}, "expired"),
    ],
    ids=["wrong-signature", "unknown-key", "wrong-issuer", "wrong-audience", "expired"],
)
def test_a_token_that_does_not_verify_is_refused(
    repo: Governed, issuer: Issuer, change: dict[str, Any], expected: str
) -> None:
    if change.get("signer") == "other-key-same-kid":
        issuer.signer = rsa_key("rsa-1")  # the published kid, another key: a forgery
    elif change.get("signer") == "unpublished-kid":
        issuer.signer = ec_key("attacker")
    issuer.override = change.get("override", {})
    detail = refused(run(repo, issuer), "identity")
    assert expected in detail
    assert "publisher" not in verdicts(run(repo, issuer))  # nothing is matched against it


def test_an_unsigned_or_hmac_token_is_refused(repo: Governed, issuer: Issuer) -> None:
    import base64
    import hashlib
    import hmac
    import json

    from cryptography.hazmat.primitives import serialization

    public = issuer.keys[0].private.public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = {"iss": issuer.url, "aud": "releasegate", **issuer.claims}

    # The classic confusion: HMAC keyed with the (public) RSA key. pyjwt refuses to even make
    # it with a PEM key, so it is made by hand.
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}).encode())
    body = b64(json.dumps(claims).encode())
    mac = hmac.new(pem, f"{head}.{body}".encode(), hashlib.sha256).digest()
    forged = f"{head}.{body}.{b64(mac)}"
    unsigned = f"{b64(json.dumps({'alg': 'none', 'kid': 'rsa-1'}).encode())}.{body}."
    for token in (forged, unsigned):

        def serve(_request: object, _match: object, token: str = token) -> Reply:
            return Reply(200, {"value": token})

        issuer.route("GET", "/_apis/idtoken", serve)
        detail = refused(run(repo, issuer), "identity")
        assert "algorithm" in detail or "does not verify" in detail, detail


def test_a_token_for_another_repository_is_refused_even_with_github_repository_forged(
    repo: Governed, issuer: Issuer
) -> None:
    issuer.claims = github_claims(repo.head, repository="mallory/demo", repository_id="999")
    env = {**issuer.environ(), "GITHUB_REPOSITORY": REPOSITORY, "GITHUB_REPOSITORY_ID": "123456"}
    detail = refused(run(repo, issuer, env), "publisher")
    assert "repository 'mallory/demo' is not 'acme/demo'" in detail
    assert "repository_id '999' is not 123456" in detail


def test_a_recreated_repository_of_the_same_name_is_refused(repo: Governed, issuer: Issuer) -> None:
    issuer.claims = github_claims(repo.head, repository_id="777")
    assert "repository_id '777' is not 123456" in refused(run(repo, issuer), "publisher")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        (
            {"job_workflow_ref": f"{REPOSITORY}/.github/workflows/ci.yml@refs/tags/v1.0.0"},
            "workflow 'acme/demo/.github/workflows/ci.yml'",
        ),
        ({"ref": "refs/heads/feature"}, "ref 'refs/heads/feature' does not match 'refs/tags/v*'"),
        ({"environment": None}, "environment 'none' is not 'release'"),
    ],
    ids=["unlisted-workflow", "ref-outside-pattern", "missing-environment"],
)
def test_a_publisher_that_is_not_listed_is_refused(
    repo: Governed, issuer: Issuer, claims: dict[str, Any], expected: str
) -> None:
    issuer.claims = github_claims(repo.head, **claims)
    detail = refused(run(repo, issuer), "publisher")
    assert expected in detail
    assert "the token claims" in detail  # what the token said, to compare with the policy


def test_a_token_issued_for_another_commit_is_refused(repo: Governed, issuer: Issuer) -> None:
    issuer.claims = github_claims("0" * 40)
    assert "issued for commit 000000000000" in refused(run(repo, issuer), "commit")


def test_a_commit_not_on_the_protected_branch_is_refused(repo: Governed, issuer: Issuer) -> None:
    repo.git("checkout", "-q", "-b", "side")
    head = repo.checkout.commit({"side.txt": "unreviewed\n"}, "side")
    issuer.claims = github_claims(head)
    assert "not reachable from origin/main" in refused(run(repo, issuer), "protected-branch")


def test_a_policy_relaxed_only_in_the_released_commit_governs_nothing(
    repo: Governed, issuer: Issuer
) -> None:
    # The released commit lists the attacker's workflow; origin/main does not.
    relaxed = policy_toml(issuer.url).replace(
        ".github/workflows/release.yml", ".github/workflows/evil.yml"
    )
    repo.git("checkout", "-q", "-b", "relaxed")
    head = repo.checkout.commit({"pyproject.toml": pyproject(relaxed)}, "relax")
    issuer.claims = github_claims(
        head, job_workflow_ref=f"{REPOSITORY}/.github/workflows/evil.yml@refs/tags/v1.0.0"
    )
    decision = run(repo, issuer)
    assert "the released commit's copy decides nothing" in verdicts(decision)["policy"][1]
    refused(decision, "publisher")
    refused(decision, "protected-branch")


def test_a_policy_only_in_the_checkout_is_refused(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer
) -> None:
    found = governed(make_repo, {"pyproject.toml": pyproject()}, tmp_path)
    found.checkout.commit({"pyproject.toml": pyproject(policy_toml(issuer.url))}, "policy")
    decision = decide(Project(found.checkout.root), "publish", dry_run=False, env=issuer.environ())
    assert decision is not None
    assert "origin/main:pyproject.toml has none" in refused(decision, "policy")


def test_no_policy_anywhere_governs_nothing(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    found = governed(make_repo, {"pyproject.toml": pyproject()}, tmp_path)
    assert decide(Project(found.checkout.root), "publish", dry_run=False, env={}) is None


def test_an_invalid_policy_on_the_default_branch_is_a_config_error(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    bad = '[tool.releasegate.governance]\nlocal = "always"\npublishers = [{ repository = "a/b" }]\n'
    found = governed(make_repo, {"pyproject.toml": pyproject(bad)}, tmp_path)
    # The released commit's own copy is valid: the error is the default branch's.
    found.checkout.commit({"pyproject.toml": pyproject()}, "no policy here")
    with pytest.raises(ConfigError) as caught:
        decide(Project(found.checkout.root), "publish", dry_run=False, env={})
    text = str(caught.value)
    assert "origin/main:pyproject.toml:" in text
    assert "governance.local" in text
    assert "repository-id" in text


def test_outside_ci_only_a_dry_run_is_allowed(repo: Governed, issuer: Issuer) -> None:
    # No ACTIONS_ID_TOKEN_REQUEST_*: a laptop. GITHUB_* set by hand changes nothing.
    laptop = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": REPOSITORY}
    assert "allows only --dry-run" in refused(run(repo, issuer, laptop), "local")
    dry = run(repo, issuer, laptop, dry_run=True)
    assert dry.allowed
    assert verdicts(dry)["identity"][0] is None


@pytest.mark.parametrize(
    ("route", "reply", "expected"),
    [
        ("/.well-known/openid-configuration", Reply(200, raw=b"<html>"), "malformed"),
        (
            "/.well-known/openid-configuration",
            Reply(200, {"issuer": "https://evil.example", "jwks_uri": "x"}),
            "names another issuer",
        ),
        ("/.well-known/openid-configuration", Reply(503, {}), "answered HTTP 503"),
        ("/jwks", Reply(200, {"keys": [{"kty": "RSA", "n": "!!", "e": "AQAB"}]}), "JWKS"),
        ("/jwks", Reply(200, {"keys": "none"}), "JWKS"),
    ],
    ids=["config-not-json", "config-other-issuer", "config-down", "jwks-bad-key", "jwks-malformed"],
)
def test_a_broken_issuer_is_a_failed_identity_not_a_traceback(
    repo: Governed, issuer: Issuer, route: str, reply: Reply, expected: str
) -> None:
    issuer.route("GET", route, lambda _r, _m: reply)
    assert expected in refused(run(repo, issuer), "identity")


def test_an_issuer_over_plain_http_elsewhere_than_loopback_is_refused() -> None:
    from releasegate._internal.governance.token import TokenRefused, issuer_keys
    from releasegate._internal.http import session

    with pytest.raises(TokenRefused, match="not served over https"):
        issuer_keys(session(), "http://token.example")


@pytest.mark.parametrize(
    ("setting", "passes"),
    [("", False), ('"main"', False), ('["main", "*.x"]', True)],
    ids=["default-branch", "main-only", "maintenance-glob"],
)
def test_a_maintenance_line_is_protected_when_the_policy_names_it(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer, setting: str, passes: bool
) -> None:
    # urllib3 releases 1.26.x from its maintenance branch, never merged into main.
    extra = {"protected-branch": setting} if setting else {}
    found = governed(
        make_repo, {"pyproject.toml": pyproject(policy_toml(issuer.url, **extra))}, tmp_path
    )
    found.origin.git("checkout", "-q", "-b", "1.0.x")
    head = found.origin.commit({"fix.txt": "backport\n"}, "backport")
    found.origin.git("checkout", "-q", "main")
    found.fetch()
    found.git("checkout", "-q", head)
    issuer.claims = github_claims(head)
    passed, detail = verdicts(run(found, issuer))["protected-branch"]
    assert passed is passes, detail


def test_a_workspace_member_is_governed_by_the_root_policy(
    make_repo: Callable[..., GitRepo], tmp_path: Path, issuer: Issuer
) -> None:
    member = '[project]\nname = "member"\nversion = "1.0.0"\n'
    files = {
        "pyproject.toml": pyproject(policy_toml(issuer.url)),
        "packages/member/pyproject.toml": member,
    }
    found = governed(make_repo, files, tmp_path)
    issuer.claims = github_claims(found.head, repository_id="999")
    project = Project(found.checkout.root / "packages" / "member")
    decision = decide(project, "publish", dry_run=False, env=issuer.environ())
    assert decision is not None
    assert decision.where == "origin/main:pyproject.toml"
    refused(decision, "publisher")


def test_a_token_without_kid_is_tried_against_each_published_key(
    repo: Governed, issuer: Issuer
) -> None:
    claims = {"iss": issuer.url, "aud": "releasegate", **issuer.claims}
    ec = issuer.keys[1]
    token = jwt.encode(claims, ec.private, algorithm=ec.alg)  # no kid: the RSA key comes first

    def serve(_request: object, _match: object) -> Reply:
        return Reply(200, {"value": token})

    issuer.route("GET", "/_apis/idtoken", serve)
    assert run(repo, issuer).allowed


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"exp": None}, "has no 'exp' claim"),
        ({"iat": int(time.time()) + 3600, "nbf": int(time.time()) + 3600}, "not valid yet"),
    ],
    ids=["no-expiry", "not-yet-valid"],
)
def test_a_token_without_expiry_or_from_the_future_is_refused(
    repo: Governed, issuer: Issuer, override: dict[str, Any], expected: str
) -> None:
    issuer.claims = {k: v for k, v in {**issuer.claims, **override}.items() if v is not None}
    assert expected in refused(run(repo, issuer), "identity")


def test_a_token_that_is_not_a_jwt_is_never_quoted(repo: Governed, issuer: Issuer) -> None:
    secret = "ghs_not-a-jwt-but-a-secret-Zq8"

    def serve(_request: object, _match: object) -> Reply:
        return Reply(200, {"value": secret})

    issuer.route("GET", "/_apis/idtoken", serve)
    decision = run(repo, issuer)
    assert "not a JWT" in refused(decision, "identity")
    assert secret not in repr(decision.record())
    assert secret not in repr(decision.findings())
