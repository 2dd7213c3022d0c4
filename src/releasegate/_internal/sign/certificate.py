"""The identity a Fulcio certificate states, read from its extensions.

sigstore's policies give a verdict; this module reads the values themselves so that
a mismatch can name the field and both values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

# Fulcio's OIDs (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md). The first
# block holds raw bytes and is deprecated; the second holds DER UTF8Strings.
_V1 = {
    "issuer": "1.3.6.1.4.1.57264.1.1",
    "trigger": "1.3.6.1.4.1.57264.1.2",
    "sha": "1.3.6.1.4.1.57264.1.3",
    "workflow": "1.3.6.1.4.1.57264.1.4",
    "repository": "1.3.6.1.4.1.57264.1.5",
    "ref": "1.3.6.1.4.1.57264.1.6",
}
_V2 = {
    "issuer": "1.3.6.1.4.1.57264.1.8",
    "trigger": "1.3.6.1.4.1.57264.1.20",
    "sha": "1.3.6.1.4.1.57264.1.13",
    "repository": "1.3.6.1.4.1.57264.1.12",
    "ref": "1.3.6.1.4.1.57264.1.14",
}
_OTHERNAME = "1.3.6.1.4.1.57264.1.7"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
_GITHUB = "https://github.com/"
_CI_SYSTEMS = {GITHUB_ISSUER: "GitHub Actions", "https://gitlab.com": "GitLab CI/CD"}


@dataclass(frozen=True)
class CertIdentity:
    """What a signing certificate says about who signed."""

    sans: tuple[str, ...]
    claims: dict[str, str]
    """issuer, trigger, sha, workflow, repository, ref: whichever the certificate has."""

    def value(self, field: str) -> str | None:
        if field == "identity":
            return ", ".join(self.sans) or None
        return self.claims.get(field)

    def describe(self) -> str:
        """One line naming the signer, for reports: the CI system is named by its issuer only
        (GitLab, Buildkite and others write the same repository claims as GitHub)."""
        issuer = self.claims.get("issuer", "(no issuer)")
        if "repository" in self.claims:
            parts = [
                f"{k} {self.claims[k]}"
                for k in ("repository", "workflow", "ref")
                if k in self.claims
            ]
            system = _CI_SYSTEMS.get(issuer, f"CI via {issuer}")
            return f"{system}: " + ", ".join(parts)
        return f"{', '.join(self.sans) or '(no identity)'} via {issuer}"


def _decode_der_utf8(raw: bytes) -> str | None:
    from cryptography.hazmat import asn1

    try:
        return asn1.decode_der(str, raw)
    except ValueError:
        return None


def _extension_bytes(cert: Certificate) -> dict[str, bytes]:
    from cryptography.x509 import UnrecognizedExtension

    found: dict[str, bytes] = {}
    for extension in cert.extensions:
        if isinstance(extension.value, UnrecognizedExtension):
            found[extension.oid.dotted_string] = extension.value.value
    return found


def _claims(raw: dict[str, bytes]) -> dict[str, str]:
    claims: dict[str, str] = {}
    for field, oid in _V2.items():
        value = _decode_der_utf8(raw[oid]) if oid in raw else None
        if value is not None:
            claims[field] = value
    for field, oid in _V1.items():
        if oid in raw:
            claims[field] = raw[oid].decode("utf-8", "replace")
    # The V2 repository is a URL; the policy speaks owner/name like the V1 value.
    if claims.get("repository", "").startswith(_GITHUB):
        claims["repository"] = claims["repository"][len(_GITHUB) :]
    return claims


def _sans(cert: Certificate) -> tuple[str, ...]:
    from cryptography import x509

    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return ()
    names: list[str] = list(ext.get_values_for_type(x509.RFC822Name))
    names += ext.get_values_for_type(x509.UniformResourceIdentifier)
    names += [
        other.value.decode("utf-8", "replace")
        for other in ext.get_values_for_type(x509.OtherName)
        if other.type_id.dotted_string == _OTHERNAME
    ]
    return tuple(names)


def read_identity(cert: Certificate) -> CertIdentity:
    return CertIdentity(_sans(cert), _claims(_extension_bytes(cert)))
