"""Who must have signed: an identity policy from config or flags, checked two ways.

``mismatches`` compares the certificate's own values so that a failure names the
field and both values; ``as_sigstore`` builds sigstore's policy for its verdict.
An empty policy is refused: verifying "anyone" is not verification.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from releasegate._internal.errors import UsageError
from releasegate._internal.sign.certificate import GITHUB_ISSUER

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sigstore.verify.policy import VerificationPolicy

    from releasegate._internal.sign.certificate import CertIdentity

GITHUB_FIELDS = ("repository", "workflow", "ref", "trigger", "sha")


@dataclass(frozen=True)
class Mismatch:
    field: str
    expected: str
    actual: str | None

    def message(self) -> str:
        actual = f"'{self.actual}'" if self.actual is not None else "nothing (no such claim)"
        return f"{self.field} differs: expected '{self.expected}', the certificate has {actual}"


@dataclass(frozen=True)
class IdentityPolicy:
    repository: str | None = None
    workflow: str | None = None
    ref: str | None = None
    trigger: str | None = None
    sha: str | None = None
    identity: str | None = None
    issuer: str | None = None

    @classmethod
    def from_sources(
        cls, section: Mapping[str, Any], flags: Mapping[str, str | None]
    ) -> IdentityPolicy:
        """Flags win over ``[tool.releasegate.verify]``; GitHub fields imply GitHub's issuer."""
        values = {f.name: flags.get(f.name) or section.get(f.name) for f in fields(cls)}
        if values["repository"] and not values["issuer"]:
            values["issuer"] = GITHUB_ISSUER
        policy = cls(**values)
        policy.check_usable()
        return policy

    @property
    def is_github(self) -> bool:
        return self.repository is not None

    def check_usable(self) -> None:
        if not self.is_github and not self.identity:
            hint = (
                'set [tool.releasegate.verify] repository = "owner/name" (GitHub Actions) or '
                "identity and issuer, or pass --repository / --identity --issuer"
            )
            raise UsageError(
                "no identity policy: refusing to accept a signature from anyone", hint=hint
            )
        if self.identity and not self.issuer:
            raise UsageError(
                "an identity policy needs the issuer too", hint="pass --issuer or set verify.issuer"
            )
        if not self.is_github and any(getattr(self, f) for f in GITHUB_FIELDS[1:]):
            raise UsageError(
                "workflow, ref, trigger and sha need the repository", hint="pass --repository"
            )

    def expected(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def mismatches(self, cert: CertIdentity) -> list[Mismatch]:
        found: list[Mismatch] = []
        for field, expected in self.expected().items():
            if field == "identity":
                if expected not in cert.sans:
                    found.append(Mismatch(field, expected, cert.value(field)))
            elif cert.value(field) != expected:
                found.append(Mismatch(field, expected, cert.value(field)))
        return found

    def as_sigstore(self) -> VerificationPolicy:
        """sigstore's policy; each GitHub claim is accepted from its deprecated or its new OID,
        since Fulcio writes both today and may drop the deprecated ones."""
        from sigstore.verify import policy

        github = "https://github.com/"
        claims: dict[str, list[tuple[Any, str]]] = {
            "repository": [
                (policy.GitHubWorkflowRepository, ""),
                (policy.OIDCSourceRepositoryURI, github),
            ],
            "workflow": [(policy.GitHubWorkflowName, "")],
            "ref": [(policy.GitHubWorkflowRef, ""), (policy.OIDCSourceRepositoryRef, "")],
            "trigger": [(policy.GitHubWorkflowTrigger, ""), (policy.OIDCBuildTrigger, "")],
            "sha": [(policy.GitHubWorkflowSHA, ""), (policy.OIDCSourceRepositoryDigest, "")],
            "issuer": [(policy.OIDCIssuer, ""), (policy.OIDCIssuerV2, "")],
        }
        children: list[VerificationPolicy] = [
            policy.AnyOf([cls(prefix + value) for cls, prefix in claims[key]])
            for key, value in self.expected().items()
            if key in claims
        ]
        if self.identity:
            children.append(policy.Identity(identity=self.identity, issuer=self.issuer))
        return policy.AllOf(children)
