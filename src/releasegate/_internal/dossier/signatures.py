"""The signatures beside each artifact and the identity each one's certificate states.

The dossier reads what a bundle claims (the Fulcio certificate's identity and its Rekor entry);
it does not verify: ``releasegate verify`` does, and its report, when given, is among the gates.
The page says so beside every identity.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

from releasegate._internal.dossier.records import Unreadable, dicts, read_json, text
from releasegate._internal.sign.outputs import (
    ATTESTATION_SUFFIX,
    BUNDLE_SUFFIX,
    CHECKSUMS,
    LEGACY_BUNDLE_SUFFIX,
)

if TYPE_CHECKING:
    from pathlib import Path

KINDS = (
    (BUNDLE_SUFFIX, "sigstore bundle"),
    (LEGACY_BUNDLE_SUFFIX, "sigstore bundle"),
    (ATTESTATION_SUFFIX, "PEP 740 attestation"),
)
SIGNATURE_LIMIT = 1024 * 1024


def _bundle_parts(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(base64 DER certificate, first transparency-log entry) of a Sigstore bundle."""
    material = document.get("verificationMaterial")
    material = material if isinstance(material, dict) else {}
    certificate = material.get("certificate")
    raw = certificate.get("rawBytes") if isinstance(certificate, dict) else None
    chain = material.get("x509CertificateChain")
    if raw is None and isinstance(chain, dict):
        first = dicts(chain.get("certificates"))
        raw = first[0].get("rawBytes") if first else None
    entries = dicts(material.get("tlogEntries"))
    return text(raw), entries[0] if entries else {}


def _attestation_parts(document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    material = document.get("verification_material")
    material = material if isinstance(material, dict) else {}
    entries = dicts(material.get("transparency_entries"))
    return text(material.get("certificate")), entries[0] if entries else {}


def _identity(der_base64: str) -> dict[str, Any]:
    """What the certificate says about who signed (``error`` when it cannot be read)."""
    try:
        der = base64.b64decode(der_base64, validate=True)
    except (binascii.Error, ValueError):
        return {"error": "the certificate is not base64"}
    try:
        from cryptography import x509
    except ImportError:
        return {"error": "not read: install 'releasegate[sign]' to read certificates"}
    from releasegate._internal.sign.certificate import read_identity

    try:
        identity = read_identity(x509.load_der_x509_certificate(der))
    except ValueError:
        return {"error": "the certificate is not a valid X.509 certificate"}
    return {
        "identity": identity.describe(),
        "sans": list(identity.sans),
        "claims": dict(sorted(identity.claims.items())),
    }


def read_signature(path: Path, kind: str) -> dict[str, Any]:
    """One bundle or attestation as the dossier shows it."""
    entry: dict[str, Any] = {"file": path.name, "kind": kind}
    try:
        document = read_json(path, SIGNATURE_LIMIT)
    except Unreadable as exc:
        return {**entry, "error": str(exc)}
    if not isinstance(document, dict):
        return {**entry, "error": "not a JSON object"}
    reader = _attestation_parts if kind == "PEP 740 attestation" else _bundle_parts
    certificate, log = reader(document)
    found = _identity(certificate) if certificate else {"error": "no certificate in it"}
    return {
        **entry,
        **found,
        "log_index": text(log.get("logIndex")) or None,
        "integrated_time": text(log.get("integratedTime")) or None,
    }


def signatures_of(dist_dir: Path, filenames: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Signed file name (a dist or SHA256SUMS) -> its bundles and attestations."""
    found: dict[str, list[dict[str, Any]]] = {}
    for name in [*filenames, CHECKSUMS]:
        for suffix, kind in KINDS:
            path = dist_dir / (name + suffix)
            if path.is_file() and not path.is_symlink():
                found.setdefault(name, []).append(read_signature(path, kind))
    return found
