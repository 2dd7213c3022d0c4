"""Verification as strict as the references, with messages that say what is wrong.

Every case is a real bundle (tests/fixtures/sigstore) copied and tampered with; the verdict of
sigstore's and pypi-attestations' own verifiers is computed alongside ours and must agree.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from releasegate._internal.findings import Severity
from releasegate._internal.project import Project
from releasegate._internal.sign.certificate import GITHUB_ISSUER, CertIdentity
from releasegate._internal.sign.policy import IdentityPolicy
from releasegate._internal.sign.trust import Instance, offline_verifier
from releasegate._internal.sign.verify_run import verify_project
from releasegate._internal.sign.verifying import (
    IN_TOTO,
    PEP740_PREDICATES,
    Subject,
    Verification,
    _sigstore_verdict,
    _statement_problem,
)
from tests.conftest import REPO_ROOT, run_cli
from tests.sign_support import SIGSTORE_FIXTURES, TRUE_GITHUB_IDENTITY, WHEEL

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.findings import Finding

if not SIGSTORE_FIXTURES.is_dir() and (REPO_ROOT / "PKG-INFO").is_file():
    pytest.skip("the Sigstore test bundles are not shipped in the sdist", allow_module_level=True)

SDIST = "pypi_attestations-0.0.19.tar.gz"
ATTESTATION = f"{SDIST}.publish.attestation"
SIGNER = {"identity": "jku@goto.fi", "issuer": "https://github.com/login/oauth"}


@pytest.fixture
def fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(SIGSTORE_FIXTURES, target)
    return target


def flip(text: str, index: int = 20) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[index] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def findings(root: Path, name: str, flags: dict[str, str]) -> list[Finding]:
    report = verify_project(Project(root), [name], None, flags, False)
    return [f for f in report.findings() if f.severity is Severity.ERROR]


def pypi_attestations_accepts(artifact: Path, attestation: Path) -> bool:
    """pypi-attestations' own verdict, offline, with the same identity."""
    from pypi_attestations import Attestation, Distribution
    from sigstore.verify.policy import Identity

    try:
        parsed = Attestation.model_validate_json(attestation.read_bytes())
        parsed.verify(Identity(**SIGNER), Distribution.from_file(artifact), offline=True)
    except Exception:  # noqa: BLE001 - any refusal of the reference is "refused"
        return False
    return True


def sigstore_accepts(artifact: Path, bundle: Path) -> bool:
    from sigstore.models import Bundle
    from sigstore.verify.policy import UnsafeNoOp

    try:
        parsed = Bundle.from_json(bundle.read_bytes())
        offline_verifier(Instance.PRODUCTION).verify_artifact(
            artifact.read_bytes(), parsed, UnsafeNoOp()
        )
    except Exception:  # noqa: BLE001 - any refusal of the reference is "refused"
        return False
    return True


def test_a_real_pep740_attestation_alone_verifies_like_pypi_attestations(fixtures: Path) -> None:
    assert pypi_attestations_accepts(fixtures / SDIST, fixtures / ATTESTATION)
    report = verify_project(Project(fixtures), [SDIST], None, SIGNER, False)
    found = list(report.findings())
    assert [f.rule for f in found] == ["verified"]
    assert "jku@goto.fi via https://github.com/login/oauth" in found[0].message


def test_a_flipped_envelope_signature_is_not_a_changed_file(fixtures: Path) -> None:
    path = fixtures / ATTESTATION
    data = json.loads(path.read_text(encoding="utf-8"))
    data["envelope"]["signature"] = flip(data["envelope"]["signature"])
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not pypi_attestations_accepts(fixtures / SDIST, path)
    problems = findings(fixtures, SDIST, SIGNER)
    assert [p.rule for p in problems] == ["untrusted"]
    assert "envelope's signature does not verify" in problems[0].message
    assert "changed after signing" not in (problems[0].message + (problems[0].hint or ""))


def test_a_changed_sdist_fails_as_changed(fixtures: Path) -> None:
    sdist = fixtures / SDIST
    sdist.write_bytes(sdist.read_bytes() + b"\0")
    assert not pypi_attestations_accepts(sdist, fixtures / ATTESTATION)
    problems = findings(fixtures, SDIST, SIGNER)
    assert [p.rule for p in problems] == ["content-mismatch"]
    assert "changed after signing" in problems[0].message


def test_the_attestation_of_another_file_name_fails(fixtures: Path) -> None:
    renamed = "pypi_attestations-0.0.20.tar.gz"
    (fixtures / SDIST).rename(fixtures / renamed)
    (fixtures / ATTESTATION).rename(fixtures / f"{renamed}.publish.attestation")
    assert not pypi_attestations_accepts(
        fixtures / renamed, fixtures / f"{renamed}.publish.attestation"
    )
    problems = findings(fixtures, renamed, SIGNER)
    assert [p.rule for p in problems] == ["content-mismatch"]
    assert f"names {SDIST}, not {renamed}" in problems[0].message


def test_a_flipped_message_signature_bit_is_not_a_changed_file(fixtures: Path) -> None:
    path = fixtures / f"{WHEEL}.sigstore"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["messageSignature"]["signature"] = flip(data["messageSignature"]["signature"])
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not sigstore_accepts(fixtures / WHEEL, path)
    problems = findings(fixtures, WHEEL, TRUE_GITHUB_IDENTITY)
    assert [p.rule for p in problems] == ["untrusted"]
    assert "signature (messageSignature) does not verify" in problems[0].message


def _tamper_entry(data: dict[str, Any], field: str) -> None:
    entry = data["verificationMaterial"]["tlogEntries"][0]
    if field == "hashes":
        entry["inclusionProof"]["hashes"][0] = flip(entry["inclusionProof"]["hashes"][0], 3)
    elif field == "rootHash":
        entry["inclusionProof"]["rootHash"] = flip(entry["inclusionProof"]["rootHash"], 3)
    elif field == "logIndex":
        entry["logIndex"] = str(int(entry["logIndex"]) + 1)
    else:
        chain = data["verificationMaterial"]["x509CertificateChain"]["certificates"][0]
        chain["rawBytes"] = flip(chain["rawBytes"], 400)


@pytest.mark.parametrize(
    ("field", "named"),
    [
        ("hashes", "inclusionProof"),
        ("rootHash", "inclusionProof"),
        ("logIndex", "inclusionPromise"),
        ("certificate", "signing certificate"),
    ],
)
def test_a_tampered_log_entry_or_certificate_is_named_in_a_sentence(
    fixtures: Path, field: str, named: str
) -> None:
    path = fixtures / f"{WHEEL}.sigstore"
    data = json.loads(path.read_text(encoding="utf-8"))
    _tamper_entry(data, field)
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not sigstore_accepts(fixtures / WHEEL, path)
    problems = findings(fixtures, WHEEL, TRUE_GITHUB_IDENTITY)
    assert [p.rule for p in problems] == ["untrusted"]
    message = problems[0].message
    assert named in message
    assert "b'" not in message
    assert 'b"' not in message
    assert len(message) < 300


class _Returns:
    """sigstore's Verifier as far as verify_dsse goes: a signature that verified, with the
    payload type and statement the test chooses (no real signer can be had offline)."""

    def __init__(self, payload_type: str, statement: dict[str, Any]) -> None:
        self.result = (payload_type, json.dumps(statement).encode())

    def verify_dsse(self, bundle: object, policy: object) -> tuple[str, bytes]:
        del bundle, policy
        return self.result


def _statement(content: bytes, name: str = "demo-1.0.tar.gz", **extra: Any) -> dict[str, Any]:
    subject = {"name": name, "digest": {"sha256": hashlib.sha256(content).hexdigest()}}
    return {
        "_type": "https://in-toto.io/Statement/v1",
        "subject": [subject],
        "predicateType": "https://docs.pypi.org/attestations/publish/v1",
        **extra,
    }


def _verdict(tmp_path: Path, payload_type: str, statement: dict[str, Any]) -> str | None:
    from pypi_attestations import Attestation

    artifact = tmp_path / "demo-1.0.tar.gz"
    artifact.write_bytes(b"demo")
    bundle = Attestation.model_validate_json(
        (SIGSTORE_FIXTURES / ATTESTATION).read_bytes()
    ).to_bundle()
    check = Verification(
        _Returns(payload_type, statement),  # type: ignore[arg-type]
        IdentityPolicy(**SIGNER),
        Instance.PRODUCTION,
    )
    subject = Subject(artifact, artifact.name)
    found = _sigstore_verdict(
        check,
        bundle,
        subject,
        hashlib.sha256(b"demo").hexdigest(),
        None,
        predicates=PEP740_PREDICATES,
    )
    return None if found is None else found.reason


def test_the_dsse_payload_type_is_checked(tmp_path: Path) -> None:
    assert _verdict(tmp_path, IN_TOTO, _statement(b"demo")) is None
    reason = _verdict(tmp_path, "text/plain", _statement(b"demo"))
    assert reason is not None
    assert "payloadType 'text/plain'" in reason


def test_only_pep740_predicate_types_are_accepted(tmp_path: Path) -> None:
    slsa = _statement(b"demo", predicateType="https://slsa.dev/provenance/v1")
    assert _verdict(tmp_path, IN_TOTO, slsa) is None
    other = _statement(b"demo", predicateType="https://example.com/anything/v1")
    reason = _verdict(tmp_path, IN_TOTO, other)
    assert reason is not None
    assert "predicateType" in reason


def test_exactly_one_subject_with_both_name_and_digest() -> None:
    content = b"demo"
    digest = hashlib.sha256(content).hexdigest()
    name = "demo-1.0.tar.gz"
    # The name on one subject and the digest on another used to pass.
    split = {
        "subject": [
            {"name": name, "digest": {"sha256": "0" * 64}},
            {"name": "other-1.0.tar.gz", "digest": {"sha256": digest}},
        ]
    }
    problem = _statement_problem(
        json.dumps(split).encode(), name, hashlib.sha256(content).hexdigest()
    )
    assert problem is not None
    assert "2 subjects" in problem.reason
    both = {"subject": [{"name": name, "digest": {"sha256": digest}}]}
    assert (
        _statement_problem(json.dumps(both).encode(), name, hashlib.sha256(content).hexdigest())
        is None
    )
    # The same distribution spelled another way is the same file (pypi-attestations agrees).
    spelled = {"subject": [{"name": "Demo-1.0.tar.gz", "digest": {"sha256": digest}}]}
    assert (
        _statement_problem(json.dumps(spelled).encode(), name, hashlib.sha256(content).hexdigest())
        is None
    )


def test_a_gitlab_signer_is_not_called_github_actions() -> None:
    gitlab = CertIdentity(
        ("https://gitlab.com/group/proj//.gitlab-ci.yml@refs/tags/v1",),
        {"issuer": "https://gitlab.com", "repository": "https://gitlab.com/group/proj"},
    )
    assert gitlab.describe().startswith("GitLab CI/CD: repository https://gitlab.com/group/proj")
    other = CertIdentity((), {"issuer": "https://ci.example", "repository": "x/y"})
    assert "GitHub" not in other.describe()
    github = CertIdentity((), {"issuer": GITHUB_ISSUER, "repository": "o/r"})
    assert github.describe() == "GitHub Actions: repository o/r"


def test_bundle_and_file_resolve_against_the_same_directory(fixtures: Path, tmp_path: Path) -> None:
    # The file is named relative to -C; so is the bundle, wherever the command runs from.
    shutil.move(fixtures / f"{WHEEL}.sigstore", fixtures / "elsewhere.sigstore.json")
    flags = [f"--{k}={v}" for k, v in TRUE_GITHUB_IDENTITY.items()]
    completed = run_cli(
        "-C",
        str(fixtures),
        "verify",
        WHEEL,
        "--bundle",
        "elsewhere.sigstore.json",
        *flags,
        cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("command", ["sign", "verify"])
def test_configured_dist_dir_outside_the_project_is_refused(tmp_path: Path, command: str) -> None:
    # sign writes a bundle beside every file of dist-dir: a checkout must not aim it elsewhere.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.txt").write_text("x", encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    (root / "releasegate.toml").write_text(
        f'[sign]\ndist-dir = "{outside}"\n[verify]\nrepository = "o/r"\n', encoding="utf-8"
    )
    completed = run_cli(command, cwd=root, env={"SIGSTORE_ID_TOKEN": "not-a-token"})
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "[tool.releasegate.sign] dist-dir" in completed.stderr
    assert sorted(p.name for p in outside.iterdir()) == ["victim.txt"]


def test_a_file_linked_to_dev_zero_is_refused_not_read(fixtures: Path) -> None:
    (fixtures / "zero.whl").symlink_to("/dev/zero")
    problems = findings(fixtures, "zero.whl", TRUE_GITHUB_IDENTITY)
    assert [(p.rule, p.message) for p in problems] == [
        ("unreadable", "cannot read the artifact: not a regular file")
    ]


def test_a_large_artifact_is_hashed_in_blocks_not_read_whole(fixtures: Path) -> None:
    import resource

    big = fixtures / "big-1.0.tar.gz"
    with big.open("wb") as sparse:
        sparse.truncate(300 * 1024 * 1024)  # sparse: costs no disk, reads as 300 MiB of zeros
    shutil.copy(fixtures / f"{WHEEL}.sigstore", fixtures / "big-1.0.tar.gz.sigstore.json")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    problems = findings(fixtures, big.name, TRUE_GITHUB_IDENTITY)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert [p.rule for p in problems] == ["content-mismatch"]
    assert grown_mib < 100
