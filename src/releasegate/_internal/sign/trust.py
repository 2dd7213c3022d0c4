"""Sigstore instances: offline trust roots for verifying, online trust config for signing."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from sigstore.models import ClientTrustConfig
    from sigstore.verify import Verifier


class Instance(str, enum.Enum):
    PRODUCTION = "production"
    STAGING = "staging"

    @classmethod
    def of(cls, staging: bool) -> Instance:
        return cls.STAGING if staging else cls.PRODUCTION

    @property
    def tuf_url(self) -> str:
        if self is Instance.STAGING:
            return "https://tuf-repo-cdn.sigstage.dev"
        return "https://tuf-repo-cdn.sigstore.dev"


def offline_verifier(instance: Instance) -> Verifier:
    """A verifier over the trusted root that ships inside the sigstore package.

    Read straight from the package rather than through sigstore's TUF cache, so that
    verification never touches the network and never writes to the user's home.
    """
    from sigstore.models import TrustedRoot
    from sigstore.verify import Verifier

    path = _shipped_root(instance)
    if path is None:
        # A future sigstore may move its data; its own offline mode still works then.
        return (
            Verifier.staging(offline=True)
            if instance is Instance.STAGING
            else Verifier.production(offline=True)
        )
    return Verifier(trusted_root=TrustedRoot.from_file(path))


def _shipped_root(instance: Instance) -> str | None:
    import importlib.resources
    from urllib.parse import quote

    resource = (
        importlib.resources.files("sigstore")
        / "_store"
        / quote(instance.tuf_url, safe="")
        / "trusted_root.json"
    )
    return str(resource) if resource.is_file() else None


def online_trust_config(instance: Instance) -> ClientTrustConfig:
    """Refresh the instance's trust config over TUF; the first network call of signing."""
    from sigstore.errors import Error as SigstoreError
    from sigstore.models import ClientTrustConfig

    try:
        if instance is Instance.STAGING:
            return ClientTrustConfig.staging()
        return ClientTrustConfig.production()
    except (SigstoreError, OSError) as exc:
        cause = type(exc.__cause__).__name__ if exc.__cause__ else type(exc).__name__
        raise FatalError(
            f"no network: cannot reach Sigstore {instance.value} ({instance.tuf_url}): "
            f"{exc} [{cause}]",
            hint="signing needs Sigstore's servers; run it in CI with internet access",
        ) from None
