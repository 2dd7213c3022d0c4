"""The signing path up to Sigstore's servers, with real GitHub Actions token shapes."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.sign.signing import (
    Signed,
    default_files,
    load_targets,
    publish_statement,
    write_outputs,
)
from releasegate._internal.sign.token import MissingIdentity, resolve
from releasegate._internal.sign.token import github_claims as github_claims_of
from releasegate._internal.sign.verifying import _statement_problem
from tests.conftest import run_cli
from tests.sign_support import OidcStandIn, ambient_env, github_claims, make_jwt

if TYPE_CHECKING:
    from pathlib import Path

WHEEL = "demo-1.0.0-py3-none-any.whl"
SDIST = "demo-1.0.0.tar.gz"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def offline_env(tmp_path: Path) -> dict[str, str]:
    """No route to Sigstore in any environment: HTTPS goes to a closed loopback port, and
    sigstore's TUF cache lives in the test's temp dir, not the user's home."""
    proxy = f"http://127.0.0.1:{_closed_port()}"
    return {
        "HTTPS_PROXY": proxy,
        "https_proxy": proxy,
        "NO_PROXY": "",
        "no_proxy": "",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "SIGSTORE_ID_TOKEN": "",
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "dist").mkdir(parents=True)
    (root / "dist" / WHEEL).write_bytes(b"PK\x03\x04 a wheel")
    (root / "dist" / SDIST).write_bytes(b"\x1f\x8b an sdist")
    (root / "dist" / "SHA256SUMS").write_text("0" * 64 + f"  {WHEEL}\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0.0"\n', "utf-8")
    return root


def _signing_outputs(root: Path) -> list[str]:
    names = (".sigstore.json", ".publish.attestation", ".partial")
    return sorted(p.name for p in root.rglob("*") if p.is_file() and p.name.endswith(names))


def test_token_file_is_parsed_into_a_github_identity(tmp_path: Path) -> None:
    token = make_jwt(github_claims())
    source = tmp_path / "token"
    source.write_text(token + "\n", encoding="utf-8")
    identity = resolve(str(source), "UNUSED")
    assert identity.identity == "repo:octo-org/demo:ref:refs/tags/v1.0.0"
    assert identity.issuer == "https://token.actions.githubusercontent.com"
    assert identity.github == {
        "repository": "octo-org/demo",
        "workflow": "release",
        "ref": "refs/tags/v1.0.0",
        "trigger": "release",
    }
    assert token not in str(identity)
    assert token not in repr(identity)


def test_token_from_a_named_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MY_OIDC", make_jwt(github_claims(repository="octo-org/other")))
    assert resolve("env:MY_OIDC", "UNUSED").github["repository"] == "octo-org/other"
    monkeypatch.setenv("CONFIGURED_OIDC", make_jwt(github_claims(ref="refs/tags/v2.0.0")))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert resolve(None, "CONFIGURED_OIDC").github["ref"] == "refs/tags/v2.0.0"


def test_a_token_on_the_command_line_is_refused_without_echoing_it() -> None:
    token = make_jwt(github_claims())
    with pytest.raises(UsageError) as caught:
        resolve(token, "UNUSED")
    assert "command line" in caught.value.diagnostics()
    assert token not in caught.value.diagnostics()


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        (github_claims(exp=1_000_000, iat=999_000, nbf=999_000), "validity period|malformed"),
        (github_claims(aud="not-sigstore"), "malformed or missing claims"),
        ({"iss": "https://token.actions.githubusercontent.com", "aud": "sigstore"}, "malformed"),
    ],
)
def test_unusable_tokens_are_named_without_their_content(
    monkeypatch: pytest.MonkeyPatch, claims: dict[str, object], reason: str
) -> None:
    token = make_jwt(claims)
    monkeypatch.setenv("BAD_TOKEN", token)
    with pytest.raises(MissingIdentity, match=reason) as caught:
        resolve("env:BAD_TOKEN", "UNUSED")
    assert "env:BAD_TOKEN" in caught.value.message
    assert token not in caught.value.diagnostics()


def test_ambient_github_actions_identity_via_the_oidc_endpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token = make_jwt(github_claims(workflow="publish"))
    with OidcStandIn(token, request_token="runner-secret") as endpoint:
        for key, value in ambient_env(endpoint).items():
            monkeypatch.setenv(key, value)
        identity = resolve(None, "SIGSTORE_ID_TOKEN")
    assert identity.source == "ambient CI credential"
    assert identity.github["workflow"] == "publish"
    assert endpoint.requests == [{"audience": ["sigstore"], "auth": "bearer runner-secret"}]


def test_ambient_identity_refused_by_the_endpoint_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with OidcStandIn(make_jwt(github_claims()), request_token="expected") as endpoint:
        env = {**ambient_env(endpoint), "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "wrong"}
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("SIGSTORE_ID_TOKEN", raising=False)
        with pytest.raises(MissingIdentity, match=r"ambient OIDC credential failed.*401"):
            resolve(None, "SIGSTORE_ID_TOKEN")


def test_github_actions_without_id_token_permission_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_TOKEN", raising=False)
    monkeypatch.delenv("ACTIONS_ID_TOKEN_REQUEST_URL", raising=False)
    monkeypatch.delenv("SIGSTORE_ID_TOKEN", raising=False)
    with pytest.raises(MissingIdentity) as caught:
        resolve(None, "SIGSTORE_ID_TOKEN")
    assert "id-token: write" in caught.value.diagnostics()


def test_targets_distinguish_dists_from_other_files(project: Path) -> None:
    files = default_files(project, "dist")
    assert [p.name for p in files] == ["SHA256SUMS", WHEEL, SDIST]
    targets = {t.path.name: t.distribution for t in load_targets(files, attest=True)}
    assert targets == {"SHA256SUMS": False, WHEEL: True, SDIST: True}
    assert not any(t.distribution for t in load_targets(files, attest=False))


def test_signatures_are_not_signed_again(project: Path) -> None:
    (project / "dist" / f"{WHEEL}.sigstore.json").write_text("{}", encoding="utf-8")
    assert f"{WHEEL}.sigstore.json" not in [p.name for p in default_files(project, "dist")]
    with pytest.raises(UsageError, match="not an artifact"):
        load_targets([project / "dist" / f"{WHEEL}.sigstore.json"], attest=True)


def test_a_failed_write_leaves_nothing_behind(project: Path) -> None:
    targets = load_targets(default_files(project, "dist"), attest=True)
    signed = [
        Signed(t, '{"bundle": 1}', '{"attestation": 1}' if t.distribution else None)
        for t in targets
    ]
    # The last output's name is taken by a directory: its rename must fail after the others
    # were written to temporary names.
    (project / "dist" / f"{SDIST}.publish.attestation").mkdir()
    with pytest.raises(FatalError, match="cannot write signatures"):
        write_outputs(signed)
    assert _signing_outputs(project) == []


def test_outputs_are_written_beside_each_file(project: Path) -> None:
    targets = load_targets(default_files(project, "dist"), attest=True)
    signed = [Signed(t, "{}", "{}" if t.distribution else None) for t in targets]
    written = write_outputs(signed)
    assert sorted(p.name for p in written) == _signing_outputs(project)
    assert _signing_outputs(project) == sorted(
        [
            "SHA256SUMS.sigstore.json",
            f"{WHEEL}.sigstore.json",
            f"{WHEEL}.publish.attestation",
            f"{SDIST}.sigstore.json",
            f"{SDIST}.publish.attestation",
        ]
    )


def test_cli_without_network_names_it_parses_identity_and_writes_nothing(
    project: Path, offline_env: dict[str, str]
) -> None:
    token = make_jwt(github_claims())
    completed = run_cli(
        "sign", "--identity-token", "-", cwd=project, env=offline_env, input_text=token
    )
    assert completed.returncode == 1, completed.stderr
    assert "signing as GitHub Actions: repository octo-org/demo" in completed.stdout
    assert "no network: cannot reach Sigstore production" in completed.stderr
    assert "no identity" not in completed.stderr
    assert token not in completed.stdout + completed.stderr
    assert _signing_outputs(project) == []


def test_cli_under_github_actions_uses_the_ambient_identity(
    project: Path, offline_env: dict[str, str]
) -> None:
    token = make_jwt(github_claims(repository="octo-org/ambient"))
    with OidcStandIn(token, request_token="runner-secret") as endpoint:
        env = {**offline_env, **ambient_env(endpoint)}
        completed = run_cli("sign", "--staging", cwd=project, env=env)
    assert completed.returncode == 1
    assert "repository octo-org/ambient" in completed.stdout
    assert "(from ambient CI credential)" in completed.stdout
    assert "no network: cannot reach Sigstore staging" in completed.stderr
    assert len(endpoint.requests) == 1
    assert token not in completed.stdout + completed.stderr
    assert "runner-secret" not in completed.stdout + completed.stderr
    assert _signing_outputs(project) == []


def test_cli_without_identity_and_network_names_both(
    project: Path, offline_env: dict[str, str]
) -> None:
    completed = run_cli("sign", "--staging", cwd=project, env=offline_env)
    assert completed.returncode == 1
    assert "no identity: no OIDC identity token found" in completed.stderr
    assert "no network: cannot reach Sigstore staging" in completed.stderr
    assert "id-token: write" in completed.stderr
    assert _signing_outputs(project) == []


def test_cli_refuses_a_literal_token_and_never_prints_it(
    project: Path, offline_env: dict[str, str]
) -> None:
    token = make_jwt(github_claims())
    completed = run_cli("sign", "--identity-token", token, cwd=project, env=offline_env)
    assert completed.returncode == 2
    assert token not in completed.stdout + completed.stderr


def test_cli_with_nothing_to_sign_is_a_usage_error(
    tmp_path: Path, offline_env: dict[str, str]
) -> None:
    completed = run_cli("sign", cwd=tmp_path, env=offline_env)
    assert completed.returncode == 2
    assert "nothing to sign" in completed.stderr


def _online_identity() -> str | None:
    if os.environ.get("GITHUB_ACTIONS") and os.environ.get("ACTIONS_ID_TOKEN_REQUEST_URL"):
        return "ambient"
    return "env:SIGSTORE_ID_TOKEN" if os.environ.get("SIGSTORE_ID_TOKEN") else None


def _reachable(host: str) -> bool:
    try:
        socket.create_connection((host, 443), timeout=3).close()
    except OSError:
        return False
    return True


@pytest.mark.online
def test_signs_with_staging_and_verifies_offline(project: Path) -> None:
    source = _online_identity()
    if source is None:
        pytest.skip(
            "no OIDC identity here (needs GitHub Actions with id-token: write or SIGSTORE_ID_TOKEN)"
        )
    if not _reachable("tuf-repo-cdn.sigstage.dev"):
        pytest.skip("Sigstore staging is not reachable from here")
    args = ["sign", "--staging"] + ([] if source == "ambient" else ["--identity-token", source])
    completed = run_cli(*args, cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert len(_signing_outputs(project)) == 5
    verified = run_cli("verify", "--staging", "--identity", "x", "--issuer", "y", cwd=project)
    # Any identity but the signer's must be refused, naming the identity field.
    assert verified.returncode == 1
    assert "identity differs" in verified.stdout


def test_dist_statement_is_what_pep_740_and_verify_expect(project: Path) -> None:
    wheel = project / "dist" / WHEEL
    (target,) = load_targets([wheel], attest=True)
    payload = publish_statement(target)._contents
    statement = json.loads(payload)
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    assert statement["predicateType"] == "https://docs.pypi.org/attestations/publish/v1"
    assert statement["subject"] == [
        {"name": WHEEL, "digest": {"sha256": hashlib.sha256(wheel.read_bytes()).hexdigest()}}
    ]
    assert (
        _statement_problem(payload, WHEEL, hashlib.sha256(wheel.read_bytes()).hexdigest()) is None
    )
    assert (
        _statement_problem(payload, WHEEL, hashlib.sha256(wheel.read_bytes() + b"x").hexdigest())
        is not None
    )


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=4).map(".".join)))
def test_claim_reader_never_crashes_on_garbage_tokens(token: str) -> None:
    claims = github_claims_of(token)
    assert set(claims) <= {"repository", "workflow", "ref", "trigger"}
    assert all(isinstance(v, str) for v in claims.values())
