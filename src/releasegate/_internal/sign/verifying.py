"""Offline verification of bundles and PEP 740 attestations against an identity policy.

Every problem is a Finding on the artifact. A failed identity check names the field
and both values (read from the certificate here); sigstore's own verdict with the
same policy must also pass, so a signature is accepted only when both agree.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import REGISTERED, Finding, Severity
from releasegate._internal.hashing import sha256_file
from releasegate._internal.sign.certificate import read_identity
from releasegate._internal.sign.outputs import (
    ATTESTATION_SUFFIX,
    BUNDLE_SUFFIX,
    LEGACY_BUNDLE_SUFFIX,
)

if TYPE_CHECKING:
    from pathlib import Path

    from cryptography.x509 import Certificate
    from sigstore.models import Bundle
    from sigstore.verify import Verifier

    from releasegate._internal.sign.policy import IdentityPolicy
    from releasegate._internal.sign.trust import Instance

CHECK = "verify"


@dataclass(frozen=True)
class Subject:
    """One artifact and what signs it."""

    path: Path
    display: str
    """The path as reports show it (relative to the project root)."""
    bundle: Path | None = None
    """An explicit bundle; default: ``<file>.sigstore.json`` or ``<file>.sigstore`` beside it."""


@dataclass(frozen=True)
class Verification:
    verifier: Verifier
    policy: IdentityPolicy
    instance: Instance


class _AnySigner:
    """Accepts every certificate: used only after the identity has already been refused,
    to learn whether the signature itself is sound too."""

    def verify(self, cert: Certificate) -> None:
        del cert  # the point: nothing about the certificate is checked


def find_bundle(subject: Subject) -> Path | None:
    if subject.bundle is not None:
        return subject.bundle
    for suffix in (BUNDLE_SUFFIX, LEGACY_BUNDLE_SUFFIX):
        candidate = subject.path.with_name(subject.path.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def _finding(
    subject: Subject,
    rule: str,
    message: str,
    hint: str | None = None,
    severity: Severity = REGISTERED,
) -> Finding:
    return Finding(CHECK, rule, message, severity, path=subject.display, hint=hint)


def _load_bundle(path: Path) -> Bundle:
    from sigstore.models import Bundle

    return Bundle.from_json(path.read_bytes())


def _load_attestation(path: Path) -> Bundle:
    from pypi_attestations import Attestation

    return Attestation.model_validate_json(path.read_bytes()).to_bundle()


IN_TOTO = "application/vnd.in-toto+json"
"""The only DSSE payload type accepted: sigstore leaves checking it to its callers."""
PEP740_PREDICATES = frozenset(
    {"https://docs.pypi.org/attestations/publish/v1", "https://slsa.dev/provenance/v1"}
)
"""The predicate types pypi-attestations accepts in a PEP 740 attestation."""


@dataclass(frozen=True)
class Verdict:
    """Why a bundle was refused: ``content`` when the file is not the one signed."""

    content: bool
    reason: str


def _same_dist_name(signed: str, name: str) -> bool:
    """Equal names, or one distribution filename spelled two ways (as pypi-attestations)."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    if signed == name:
        return True
    parse: Any = parse_wheel_filename if name.endswith(".whl") else parse_sdist_filename
    try:
        return bool(parse(signed) == parse(name))
    except (InvalidWheelFilename, InvalidSdistFilename):
        return False


def _statement_problem(
    payload: bytes, name: str, digest: str, predicates: frozenset[str] | None = None
) -> Verdict | None:
    """Why a DSSE statement does not describe this file, or None when it does.

    Exactly one subject, carrying both the file's name and its SHA-256 (pypi-attestations'
    rule); ``predicates``, when given, are the predicate types accepted.
    """
    try:
        statement: Any = json.loads(payload)
        subjects = statement["subject"]
        pairs = [(s.get("name"), s["digest"].get("sha256")) for s in subjects]
        predicate = statement.get("predicateType")
    except (ValueError, KeyError, TypeError, AttributeError):
        return Verdict(False, "the signed statement is not an in-toto statement with subjects")
    if predicates is not None and predicate not in predicates:
        shown = str(predicate)[:100]
        return Verdict(False, f"the signed statement's predicateType {shown!r} is not PEP 740's")
    if len(pairs) != 1:
        return Verdict(False, f"the signed statement has {len(pairs)} subjects, not exactly one")
    signed_name, signed_digest = pairs[0]
    if signed_digest != digest:
        return Verdict(
            True, "the file's SHA-256 is not the one that was signed (it changed after signing)"
        )
    if not isinstance(signed_name, str) or not _same_dist_name(signed_name, name):
        return Verdict(True, f"the signed statement names {str(signed_name)[:200]}, not {name}")
    return None


def _message_digest(bundle: Bundle) -> bytes | None:
    """The SHA-256 a message-signature bundle says it signed (read to tell a changed file
    from a broken signature: sigstore reports both as "invalid for input")."""
    signature = getattr(bundle._inner, "message_signature", None)
    digest = getattr(getattr(signature, "message_digest", None), "digest", None)
    return digest if isinstance(digest, bytes) else None


# sigstore's reasons carry Python bytes reprs (1,700 characters for a broken inclusion proof);
# the report says which part of the bundle is inconsistent, in a sentence.
_SENTENCES = (
    (
        "inclusion proof",
        "the transparency log inclusion proof (inclusionProof: hashes, rootHash, treeSize) does "
        "not lead to the log's root: the bundle was altered",
    ),
    (
        "inclusion promise",
        "the transparency log's signed entry timestamp (inclusionPromise) does not match the "
        "entry (logIndex, integratedTime, body): the bundle was altered",
    ),
    (
        "certificate chain",
        "the signing certificate (verificationMaterial) does not chain to Sigstore's "
        "certificate authority: it was altered or not issued by Sigstore",
    ),
    (
        "DSSE: invalid signature",
        "the envelope's signature does not verify with the signing certificate: the bundle is "
        "corrupt or forged",
    ),
)


def _sentence(reason: str) -> str:
    for marker, sentence in _SENTENCES:
        if marker in reason:
            return sentence
    cut = re.split(r"\w+=b['\"]", reason, maxsplit=1)[0]
    return cut[:200].rstrip(" :,")


def _sigstore_verdict(
    check: Verification,
    bundle: Bundle,
    subject: Subject,
    digest: str,
    policy: Any,
    *,
    predicates: frozenset[str] | None = None,
) -> Verdict | None:
    """sigstore's verdict: None when the bundle verifies for the file whose SHA-256 (hex) is
    ``digest`` under ``policy``."""
    from sigstore.errors import Error as SigstoreError
    from sigstore.hashes import Hashed
    from sigstore_models.common.v1 import HashAlgorithm

    try:
        if bundle._dsse_envelope is None:
            hashed = Hashed(algorithm=HashAlgorithm.SHA2_256, digest=bytes.fromhex(digest))
            check.verifier.verify_artifact(hashed, bundle, policy)
            return None
        payload_type, payload = check.verifier.verify_dsse(bundle, policy)
    except SigstoreError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        signed = _message_digest(bundle)
        if signed is not None and signed != bytes.fromhex(digest):
            return Verdict(
                True, "the file's SHA-256 is not the one that was signed (it changed after signing)"
            )
        if "invalid for input" in reason:
            reason = "the signature (messageSignature) does not verify for the digest it names"
        return Verdict(False, _sentence(reason))
    if payload_type != IN_TOTO:
        return Verdict(False, f"the envelope's payloadType {payload_type[:100]!r} is not {IN_TOTO}")
    return _statement_problem(payload, subject.path.name, digest, predicates)


def _crypto_finding(subject: Subject, label: str, verdict: Verdict, instance: Instance) -> Finding:
    if verdict.content:
        return _finding(
            subject,
            "content-mismatch",
            f"{label} does not match the file: {verdict.reason}",
            hint="the file changed after signing; rebuild and sign again, or fetch the original",
        )
    other = "without --staging" if instance.value == "staging" else "with --staging"
    return _finding(
        subject,
        "untrusted",
        f"{label} is not trusted by Sigstore {instance.value}: {verdict.reason}",
        hint=f"if it was signed on the other Sigstore instance, verify {other}; "
        "otherwise the bundle is forged or corrupt",
    )


def _policy_only(
    check: Verification,
    bundle: Bundle,
    subject: Subject,
    digest: str,
    predicates: frozenset[str] | None,
) -> bool:
    """True when the bundle verifies for any signer, so only the identity policy failed."""
    verdict = _sigstore_verdict(check, bundle, subject, digest, _AnySigner(), predicates=predicates)
    return verdict is None


def verify_bundle(
    check: Verification,
    subject: Subject,
    digest: str,
    bundle: Bundle,
    label: str,
    *,
    predicates: frozenset[str] | None = None,
) -> list[Finding]:
    signer = read_identity(bundle.signing_certificate)
    mismatches = check.policy.mismatches(signer)
    findings = [
        _finding(
            subject,
            "identity-mismatch",
            f"{label}: {m.message()}",
            hint=f"signed by {signer.describe()}; if that is right, update the verify policy",
        )
        for m in mismatches
    ]
    policy = _AnySigner() if mismatches else check.policy.as_sigstore()
    verdict = _sigstore_verdict(check, bundle, subject, digest, policy, predicates=predicates)
    only_identity = verdict is not None and not mismatches
    if only_identity and _policy_only(check, bundle, subject, digest, predicates):
        # sigstore refused the identity although every compared field matched (e.g. the SAN).
        assert verdict is not None
        findings.append(_finding(subject, "identity-mismatch", f"{label}: {verdict.reason}"))
    elif verdict is not None:
        findings.append(_crypto_finding(subject, label, verdict, check.instance))
    if not findings:
        findings.append(
            _finding(
                subject,
                "verified",
                f"{label} verified: signed by {signer.describe()}",
            )
        )
    return findings


def _verify_file(
    check: Verification,
    subject: Subject,
    path: Path,
    digest: str,
    *,
    label: str,
    loader: Any,
    predicates: frozenset[str] | None = None,
) -> list[Finding]:
    from pydantic import ValidationError
    from sigstore.errors import Error as SigstoreError

    try:
        bundle = loader(path)
    except OSError as exc:
        return [
            _finding(subject, "bundle-invalid", f"cannot read {label} {path.name}: {exc.strerror}")
        ]
    except (SigstoreError, ValidationError, ValueError) as exc:
        first = "; ".join(line.strip() for line in str(exc).splitlines()[:3])[:300]
        return [
            _finding(
                subject,
                "bundle-invalid",
                f"{label} {path.name} is malformed: {first}",
                hint="it is not a Sigstore bundle this version understands; sign again",
            )
        ]
    return verify_bundle(
        check, subject, digest, bundle, f"{label} {path.name}", predicates=predicates
    )


def verify_subject(check: Verification, subject: Subject) -> list[Finding]:
    """Every finding for one artifact: its bundle, and its PEP 740 attestation if present."""
    # Hashed in blocks, never read whole (a 1 GB artifact took 1 GB); a device or FIFO named as
    # FILE (or linked from dist/) would never end.
    if not subject.path.is_file():
        return [_finding(subject, "unreadable", "cannot read the artifact: not a regular file")]
    try:
        digest = sha256_file(subject.path)
    except OSError as exc:
        return [_finding(subject, "unreadable", f"cannot read the artifact: {exc.strerror}")]
    bundle_path = find_bundle(subject)
    attestation = subject.path.with_name(subject.path.name + ATTESTATION_SUFFIX)
    has_attestation = subject.bundle is None and attestation.is_file()
    if bundle_path is None and not has_attestation:
        return [
            _finding(
                subject,
                "unsigned",
                f"no bundle beside it ({subject.path.name}{BUNDLE_SUFFIX})",
                hint="sign it with `releasegate sign`, or pass --bundle",
            )
        ]
    findings = []
    if bundle_path is not None:
        findings += _verify_file(
            check, subject, bundle_path, digest, label="bundle", loader=_load_bundle
        )
    if has_attestation:
        findings += _verify_file(
            check,
            subject,
            attestation,
            digest,
            label="attestation",
            loader=_load_attestation,
            predicates=PEP740_PREDICATES,
        )
    return findings
