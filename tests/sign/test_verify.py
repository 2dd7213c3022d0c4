"""Offline verification of real Sigstore bundles (tests/fixtures/sigstore)."""

from __future__ import annotations

import functools
import hashlib
import json
import shutil
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.errors import UsageError
from releasegate._internal.findings import Report, Severity
from releasegate._internal.project import Project
from releasegate._internal.sign.certificate import _claims, read_identity
from releasegate._internal.sign.policy import IdentityPolicy
from releasegate._internal.sign.trust import Instance, offline_verifier
from releasegate._internal.sign.verify_run import verify_project
from releasegate._internal.sign.verifying import (
    Subject,
    Verification,
    _statement_problem,
    verify_subject,
)
from tests.conftest import REPO_ROOT, run_cli
from tests.sign_support import SIGSTORE_FIXTURES, TRUE_GITHUB_IDENTITY, WHEEL, pairs

if TYPE_CHECKING:
    from pathlib import Path

    from cryptography.x509 import Certificate

# The bundles are sigstore-python's Apache-2.0 test assets: tracked in git, kept out of the MIT
# sdist. From an sdist these tests cannot run; from a checkout their absence is a failure.
if not SIGSTORE_FIXTURES.is_dir() and (REPO_ROOT / "PKG-INFO").is_file():
    pytest.skip("the Sigstore test bundles are not shipped in the sdist", allow_module_level=True)

STAGING_IDENTITY = {"identity": "william@yossarian.net", "issuer": "https://github.com/login/oauth"}


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    """A private copy of the real bundles, so a test may change a byte."""
    if not SIGSTORE_FIXTURES.is_dir():
        pytest.fail(f"the sigstore fixtures are missing: {SIGSTORE_FIXTURES}")
    target = tmp_path / "fixtures"
    shutil.copytree(SIGSTORE_FIXTURES, target)
    return target


def verify(root: Path, files: list[str], flags: dict[str, str], staging: bool = False) -> Report:
    return verify_project(Project(root), files, None, flags, staging)


def errors(report: Report) -> list[str]:
    return [f"{f.rule_id}: {f.message}" for f in report.findings() if f.severity is Severity.ERROR]


def test_github_signed_wheel_verifies_with_its_true_identity(fixtures: Path) -> None:
    report = verify(fixtures, [WHEEL], TRUE_GITHUB_IDENTITY)
    assert errors(report) == []
    notes = [f.message for f in report.findings() if f.rule == "verified"]
    assert notes
    assert "trailofbits/rfc8785.py" in notes[0]
    assert report.results[0].summary == "1 of 1 verified offline (Sigstore production)"


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        ("repository", "trailofbits/not-rfc8785.py"),
        ("ref", "refs/tags/v0.1.3"),
        ("workflow", "publish"),
        ("trigger", "push"),
    ],
)
def test_a_different_identity_field_fails_naming_field_and_both_values(
    fixtures: Path, field: str, wrong: str
) -> None:
    report = verify(fixtures, [WHEEL], {**TRUE_GITHUB_IDENTITY, field: wrong})
    problems = errors(report)
    assert len(problems) == 1, problems
    assert problems[0].startswith("verify/identity-mismatch")
    assert f"{field} differs: expected '{wrong}'" in problems[0]
    assert f"the certificate has '{TRUE_GITHUB_IDENTITY[field]}'" in problems[0]


def test_one_changed_byte_of_the_wheel_fails(fixtures: Path) -> None:
    wheel = fixtures / WHEEL
    data = bytearray(wheel.read_bytes())
    data[len(data) // 2] ^= 0x01
    wheel.write_bytes(bytes(data))
    problems = errors(verify(fixtures, [WHEEL], TRUE_GITHUB_IDENTITY))
    assert len(problems) == 1
    assert problems[0].startswith("verify/content-mismatch")


def test_changed_wheel_and_wrong_identity_report_both(fixtures: Path) -> None:
    wheel = fixtures / WHEEL
    wheel.write_bytes(wheel.read_bytes() + b"\0")
    report = verify(fixtures, [WHEEL], {"repository": "a/b"})
    rules = sorted(p.split(":")[0] for p in errors(report))
    assert rules == ["verify/content-mismatch", "verify/identity-mismatch"]


def test_crafted_bundle_for_cve_2022_36056_fails(fixtures: Path) -> None:
    problems = errors(verify(fixtures, ["bundle_cve_2022_36056.txt"], STAGING_IDENTITY))
    assert len(problems) == 1
    assert problems[0].startswith("verify/untrusted")
    assert "does not chain to Sigstore's certificate authority" in problems[0]


def test_bundle_with_invalid_media_type_version_fails(fixtures: Path) -> None:
    problems = errors(verify(fixtures, ["bundle_invalid_version.txt"], STAGING_IDENTITY))
    assert len(problems) == 1
    assert problems[0].startswith("verify/bundle-invalid")
    assert "mediaType" in problems[0]


def test_staging_bundle_verifies_against_staging_only(fixtures: Path) -> None:
    assert errors(verify(fixtures, ["bundle_v3.txt"], STAGING_IDENTITY, staging=True)) == []
    production = errors(verify(fixtures, ["bundle_v3.txt"], STAGING_IDENTITY))
    assert len(production) == 1
    assert production[0].startswith("verify/untrusted")


def test_staging_bundle_with_wrong_email_names_the_identity(fixtures: Path) -> None:
    flags = {**STAGING_IDENTITY, "identity": "mallory@example.com"}
    problems = errors(verify(fixtures, ["bundle_v3.txt"], flags, staging=True))
    assert problems == [
        "verify/identity-mismatch: bundle bundle_v3.txt.sigstore: identity differs: expected "
        "'mallory@example.com', the certificate has 'william@yossarian.net'"
    ]


def test_github_wheel_fails_against_staging_root(fixtures: Path) -> None:
    problems = errors(verify(fixtures, [WHEEL], TRUE_GITHUB_IDENTITY, staging=True))
    assert [p.split(":")[0] for p in problems] == ["verify/untrusted"]


def test_file_without_bundle_is_unsigned(tmp_path: Path) -> None:
    (tmp_path / "demo-1.0.tar.gz").write_bytes(b"not signed")
    problems = errors(verify(tmp_path, ["demo-1.0.tar.gz"], {"repository": "octo-org/demo"}))
    assert [p.split(":")[0] for p in problems] == ["verify/unsigned"]


def test_default_files_come_from_dist(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in (WHEEL, WHEEL + ".sigstore"):
        shutil.copy(SIGSTORE_FIXTURES / name, dist / name)
    report = verify(tmp_path, [], TRUE_GITHUB_IDENTITY)
    assert errors(report) == []
    assert [f.path for f in report.findings()] == [f"dist/{WHEEL}"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({}, "no identity policy"),
        ({"identity": "someone@example.com"}, "needs the issuer"),
        (
            {"ref": "refs/tags/v1", "identity": "a@b.c", "issuer": "https://x"},
            "need the repository",
        ),
    ],
)
def test_unusable_policies_are_refused(flags: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        IdentityPolicy.from_sources({}, flags)


def test_repository_implies_the_github_issuer() -> None:
    policy = IdentityPolicy.from_sources({"repository": "o/r"}, {"ref": "refs/tags/v1"})
    assert policy.issuer == "https://token.actions.githubusercontent.com"
    assert policy.ref == "refs/tags/v1"


def test_statement_subjects_are_checked_against_the_file() -> None:
    content = b"wheel bytes"
    digest = hashlib.sha256(content).hexdigest()
    good = {"subject": [{"name": "demo-1.0-py3-none-any.whl", "digest": {"sha256": digest}}]}
    name = "demo-1.0-py3-none-any.whl"
    assert (
        _statement_problem(json.dumps(good).encode(), name, hashlib.sha256(content).hexdigest())
        is None
    )
    changed = _statement_problem(
        json.dumps(good).encode(), name, hashlib.sha256(content + b"!").hexdigest()
    )
    assert changed is not None
    assert "changed after signing" in changed.reason
    renamed = _statement_problem(
        json.dumps(good).encode(), "other-1.0-py3-none-any.whl", hashlib.sha256(content).hexdigest()
    )
    assert renamed is not None
    assert "names demo-1.0" in renamed.reason
    assert _statement_problem(b"[1, 2]", name, hashlib.sha256(content).hexdigest()) is not None


@functools.cache
def _production_check() -> Verification:
    policy = IdentityPolicy(repository="o/r")
    return Verification(offline_verifier(Instance.PRODUCTION), policy, Instance.PRODUCTION)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(garbage=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bundle_bytes_give_a_finding_not_a_crash(tmp_path: Path, garbage: bytes) -> None:
    artifact = tmp_path / "a.txt"
    artifact.write_bytes(b"payload")
    bundle = tmp_path / "a.txt.sigstore.json"
    bundle.write_bytes(garbage)
    findings = verify_subject(_production_check(), Subject(artifact, "a.txt"))
    assert [f.rule for f in findings] == ["bundle-invalid"]


def test_cli_verifies_with_policy_from_config_and_exits_0(fixtures: Path) -> None:
    config = "[verify]\n" + "".join(f'{k} = "{v}"\n' for k, v in TRUE_GITHUB_IDENTITY.items())
    (fixtures / "releasegate.toml").write_text(config, encoding="utf-8")
    completed = run_cli("verify", WHEEL, "--format", "json", cwd=fixtures)
    assert completed.returncode == 0, completed.stderr
    document = json.loads(completed.stdout)
    assert document["passed"] is True
    assert document["checks"][0]["findings"][0]["rule"] == "verify/verified"


def test_cli_flag_overrides_config_and_mismatch_exits_1(fixtures: Path) -> None:
    (fixtures / "releasegate.toml").write_text(
        '[verify]\nrepository = "trailofbits/rfc8785.py"\n', encoding="utf-8"
    )
    args = ["verify", WHEEL, "--ref", "refs/heads/main", "--format", "text"]
    completed = run_cli(*args, cwd=fixtures)
    assert completed.returncode == 1
    assert "ref differs: expected 'refs/heads/main'" in completed.stdout
    assert "'refs/tags/v0.1.2'" in completed.stdout


def test_cli_without_policy_is_a_usage_error(fixtures: Path) -> None:
    completed = run_cli("verify", WHEEL, cwd=fixtures)
    assert completed.returncode == 2
    assert "no identity policy" in completed.stderr


def test_cli_sarif_output_lists_the_failures(fixtures: Path) -> None:
    files = ["bundle_cve_2022_36056.txt", "bundle_invalid_version.txt", "bundle_v3.txt"]
    completed = run_cli(
        "verify", *files, *pairs(STAGING_IDENTITY), "--format", "sarif", cwd=fixtures
    )
    assert completed.returncode == 1
    sarif = json.loads(completed.stdout)
    rules = sorted(r["ruleId"] for r in sarif["runs"][0]["results"])
    assert rules == ["verify/bundle-invalid", "verify/untrusted", "verify/untrusted"]


def _fixture_certificate() -> Certificate:
    from sigstore.models import Bundle

    bundle = Bundle.from_json((SIGSTORE_FIXTURES / f"{WHEEL}.sigstore").read_bytes())
    return bundle.signing_certificate


def test_sigstore_policy_agrees_with_the_field_comparison() -> None:
    from sigstore.errors import VerificationError

    cert = _fixture_certificate()
    IdentityPolicy.from_sources({}, TRUE_GITHUB_IDENTITY).as_sigstore().verify(cert)
    wrong = IdentityPolicy.from_sources({}, {**TRUE_GITHUB_IDENTITY, "sha": "f" * 40})
    assert [m.field for m in wrong.mismatches(read_identity(cert))] == ["sha"]
    with pytest.raises(VerificationError):
        wrong.as_sigstore().verify(cert)


def test_new_style_claims_are_read_when_the_deprecated_ones_are_absent() -> None:
    def der(text: str) -> bytes:
        return b"\x0c" + bytes([len(text)]) + text.encode()

    raw = {
        "1.3.6.1.4.1.57264.1.8": der("https://token.actions.githubusercontent.com"),
        "1.3.6.1.4.1.57264.1.12": der("https://github.com/octo-org/demo"),
        "1.3.6.1.4.1.57264.1.14": der("refs/tags/v1.0.0"),
        "1.3.6.1.4.1.57264.1.20": der("push"),
        "1.3.6.1.4.1.57264.1.13": b"\x0c\x05broken-length",
    }
    assert _claims(raw) == {
        "issuer": "https://token.actions.githubusercontent.com",
        "repository": "octo-org/demo",
        "ref": "refs/tags/v1.0.0",
        "trigger": "push",
    }


def test_a_broken_attestation_beside_a_good_bundle_fails(fixtures: Path) -> None:
    shutil.copy(fixtures / f"{WHEEL}.sigstore", fixtures / f"{WHEEL}.sigstore.json")
    (fixtures / f"{WHEEL}.publish.attestation").write_text('{"version": 1}', encoding="utf-8")
    report = verify(fixtures, [WHEEL], TRUE_GITHUB_IDENTITY)
    assert [f.rule for f in report.findings()] == ["verified", "bundle-invalid"]
    assert "attestation bundle_v3_github.whl.publish.attestation is malformed" in errors(report)[0]
