"""``[tool.releasegate.sign]`` and ``[tool.releasegate.verify]`` as frozen dataclasses.

Defaults live only in ``schema/sections/sign.json`` and ``verify.json``. This module
imports nothing of sigstore, so reading the settings costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class SignSettings:
    SECTION: ClassVar[str] = "sign"
    dist_dir: str
    identity_token_env: str
    """The environment variable holding an OIDC token (its name, never the token)."""
    staging: bool
    attestations: bool

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SignSettings:
        return cls(
            dist_dir=str(section["dist-dir"]),
            identity_token_env=str(section["identity-token-env"]),
            staging=bool(section["staging"]),
            attestations=bool(section["attestations"]),
        )


@dataclass(frozen=True)
class VerifySettings:
    """The identity policy from config; flags override it (``IdentityPolicy.from_sources``)."""

    SECTION: ClassVar[str] = "verify"
    staging: bool
    # The policy's fields have no schema default: None is "not given".
    policy: Mapping[str, str | None]

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> VerifySettings:
        keys = ("repository", "workflow", "ref", "trigger", "sha", "identity", "issuer")
        return cls(bool(section["staging"]), {key: section.get(key) for key in keys})
