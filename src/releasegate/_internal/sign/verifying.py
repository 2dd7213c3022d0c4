"""Offline verification of bundles and PEP 740 attestations against an identity policy.

Every problem is a Finding on the artifact. A failed identity check names the field
and both values (read from the certificate here); sigstore's own verdict with the
same policy must also pass, so a signature is accepted only when both agree.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import Finding, Severity
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
    severity: Severity = Severity.ERROR,
) -> Finding:
    return Finding(CHECK, rule, message, severity, path=subject.display, hint=hint)


def _load_bundle(path: Path) -> Bundle:
    from sigstore.models import Bundle

    return Bundle.from_json(path.read_bytes())


def _load_attestation(path: Path) -> Bundle:
    from pypi_attestations import Attestation

    return Attestation.model_validate_json(path.read_bytes()).to_bundle()


def _statement_problem(payload: bytes, name: str, content: bytes) -> str | None:
    """Why a DSSE statement does not describe this file, or None when it does."""
    try:
        statement: Any = json.loads(payload)
        subjects = statement["subject"]
        digests = [s["digest"].get("sha256") for s in subjects]
        names = [s.get("name") for s in subjects]
    except (ValueError, KeyError, TypeError, AttributeError):
        return "the signed statement is not an in-toto statement with subjects"
    if hashlib.sha256(content).hexdigest() not in digests:
        return "the file's SHA-256 is not the one that was signed (it changed after signing)"
    if name not in names:
        return f"the signed statement names {', '.join(map(str, names))}, not {name}"
    return None


def _sigstore_verdict(
    check: Verification, bundle: Bundle, subject: Subject, content: bytes, policy: Any
) -> str | None:
    """sigstore's verdict: None when the bundle verifies for ``content`` under ``policy``."""
    from sigstore.errors import Error as SigstoreError

    try:
        if bundle._dsse_envelope is None:
            check.verifier.verify_artifact(content, bundle, policy)
            return None
        _, payload = check.verifier.verify_dsse(bundle, policy)
    except SigstoreError as exc:
        return str(exc).splitlines()[0]
    return _statement_problem(payload, subject.path.name, content)


def _crypto_finding(subject: Subject, label: str, reason: str, instance: Instance) -> Finding:
    content_words = ("invalid for input", "digest mismatch", "changed after signing", "names ")
    if any(word in reason for word in content_words):
        return _finding(
            subject,
            "content-mismatch",
            f"{label} does not match the file: {reason}",
            hint="the file changed after signing; rebuild and sign again, or fetch the original",
        )
    other = "without --staging" if instance.value == "staging" else "with --staging"
    return _finding(
        subject,
        "untrusted",
        f"{label} is not trusted by Sigstore {instance.value}: {reason}",
        hint=f"if it was signed on the other Sigstore instance, verify {other}; "
        "otherwise the bundle is forged or corrupt",
    )


def _policy_only(check: Verification, bundle: Bundle, subject: Subject, content: bytes) -> bool:
    """True when the bundle verifies for any signer, so only the identity policy failed."""
    return _sigstore_verdict(check, bundle, subject, content, _AnySigner()) is None


def verify_bundle(
    check: Verification, subject: Subject, content: bytes, bundle: Bundle, label: str
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
    reason = _sigstore_verdict(check, bundle, subject, content, policy)
    if reason is not None and not mismatches and _policy_only(check, bundle, subject, content):
        # sigstore refused the identity although every compared field matched (e.g. the SAN).
        findings.append(_finding(subject, "identity-mismatch", f"{label}: {reason}"))
    elif reason is not None:
        findings.append(_crypto_finding(subject, label, reason, check.instance))
    if not findings:
        findings.append(
            _finding(
                subject,
                "verified",
                f"{label} verified: signed by {signer.describe()}",
                severity=Severity.NOTE,
            )
        )
    return findings


def _verify_file(
    check: Verification, subject: Subject, path: Path, content: bytes, *, label: str, loader: Any
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
    return verify_bundle(check, subject, content, bundle, f"{label} {path.name}")


def verify_subject(check: Verification, subject: Subject) -> list[Finding]:
    """Every finding for one artifact: its bundle, and its PEP 740 attestation if present."""
    try:
        content = subject.path.read_bytes()
    except OSError as exc:
        return [_finding(subject, "unreadable", f"cannot read the artifact: {exc.strerror}")]
    bundle_path = find_bundle(subject)
    if bundle_path is None:
        return [
            _finding(
                subject,
                "unsigned",
                f"no bundle beside it ({subject.path.name}{BUNDLE_SUFFIX})",
                hint="sign it with `releasegate sign`, or pass --bundle",
            )
        ]
    findings = _verify_file(
        check, subject, bundle_path, content, label="bundle", loader=_load_bundle
    )
    attestation = subject.path.with_name(subject.path.name + ATTESTATION_SUFFIX)
    if subject.bundle is None and attestation.is_file():
        findings += _verify_file(
            check, subject, attestation, content, label="attestation", loader=_load_attestation
        )
    return findings
