"""File names of what signing writes beside each artifact."""

from __future__ import annotations

BUNDLE_SUFFIX = ".sigstore.json"
LEGACY_BUNDLE_SUFFIX = ".sigstore"
ATTESTATION_SUFFIX = ".publish.attestation"
"""The name twine looks for when it uploads PEP 740 attestations."""
CHECKSUMS = "SHA256SUMS"
_OURS = (BUNDLE_SUFFIX, LEGACY_BUNDLE_SUFFIX, ATTESTATION_SUFFIX, ".partial")
GOVERNANCE_RECORD = "GOVERNANCE.json"
"""``publish`` writes it after signing (governance/record.py): bound by the sha256 the audit
record holds, never signed, so ``verify`` must not call it an unsigned file of the release."""


def is_signing_output(name: str) -> bool:
    """True for bundles, attestations, leftovers and publish's governance record: never signed
    or verified themselves."""
    return name.startswith(".") or name.endswith(_OURS) or name == GOVERNANCE_RECORD
