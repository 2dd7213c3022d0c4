"""Where the OIDC identity token comes from, and what it says, without ever showing it.

Sources, in order: ``--identity-token SOURCE`` (``env:NAME``, ``-`` for stdin, or a
file), the ambient credential of CI (GitHub Actions with ``id-token: write``), then
the environment variable named in ``[tool.releasegate.sign] identity-token-env``.
A token is never accepted as a literal argument: argv is visible to every process.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError, UsageError

if TYPE_CHECKING:
    from sigstore.oidc import IdentityToken

_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$")
_NO_IDENTITY_HINT = (
    "under GitHub Actions give the job `permissions: id-token: write`; elsewhere pass "
    "--identity-token env:NAME, --identity-token FILE or --identity-token - (stdin)"
)


@dataclass(frozen=True)
class Identity:
    """A parsed identity token; ``str()`` never reveals the token."""

    token: IdentityToken
    source: str
    """Where it came from, e.g. ``ambient GitHub Actions`` or ``env:SIGSTORE_ID_TOKEN``."""

    @property
    def identity(self) -> str:
        return self.token.identity

    @property
    def issuer(self) -> str:
        return self.token.federated_issuer

    @property
    def github(self) -> dict[str, str]:
        """The GitHub Actions claims that a verify policy matches, when the token has them."""
        return github_claims(str(self.token))

    def __str__(self) -> str:
        claims = self.github
        if "repository" in claims:
            where = ", ".join(f"{k} {v}" for k, v in claims.items())
            return f"GitHub Actions: {where} (from {self.source})"
        return f"{self.identity} (issuer {self.issuer}, from {self.source})"

    __repr__ = __str__


_GITHUB_CLAIMS = {
    "repository": "repository",
    "workflow": "workflow",
    "ref": "ref",
    "trigger": "event_name",
}


def github_claims(token: str) -> dict[str, str]:
    """Read selected claims of the payload segment; the token is not verified here (Fulcio does)."""
    try:
        segment = token.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (IndexError, ValueError):
        return {}
    if not isinstance(payload, dict):
        return {}
    return {
        name: str(payload[claim])
        for name, claim in _GITHUB_CLAIMS.items()
        if isinstance(payload.get(claim), str)
    }


class MissingIdentity(FatalError):
    """No identity token could be found; the message names where releasegate looked."""


def _read_source(source: str) -> tuple[str, str]:
    if _JWT_SHAPE.match(source.strip()):
        raise UsageError(
            "refusing an identity token given on the command line (any process can read argv)",
            hint="put it in an environment variable and pass --identity-token env:NAME, "
            "or pipe it to --identity-token -",
        )
    if source.startswith("env:"):
        name = source[4:]
        return os.environ.get(name, "").strip(), f"env:{name}"
    if source == "-":
        return sys.stdin.read().strip(), "stdin"
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8").strip(), f"file {path}"
    except UnicodeDecodeError:
        raise UsageError(f"the identity token file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"cannot read the identity token file {path}: {exc.strerror}") from None


def _ambient() -> str | None:
    from sigstore.oidc import IdentityError, detect_credential

    try:
        return detect_credential()
    except IdentityError as exc:
        raise MissingIdentity(
            f"no identity: the CI's ambient OIDC credential failed: {exc}", hint=_NO_IDENTITY_HINT
        ) from None


def raw_token(source: str | None, env_name: str) -> tuple[str, str]:
    """The raw token and a description of where it came from; MissingIdentity if none."""
    if source is not None:
        token, where = _read_source(source)
        if not token:
            raise MissingIdentity(
                f"no identity: {where} holds no identity token", hint=_NO_IDENTITY_HINT
            )
        return token, where
    ambient_error: MissingIdentity | None = None
    try:
        ambient = _ambient()
    except MissingIdentity as exc:
        ambient, ambient_error = None, exc
    if ambient:
        return ambient, "ambient CI credential"
    token = os.environ.get(env_name, "").strip()
    if token:
        return token, f"env:{env_name}"
    if ambient_error is not None:
        raise ambient_error
    raise MissingIdentity(
        "no identity: no OIDC identity token found "
        f"(not in CI with an ambient credential, env:{env_name} unset)",
        hint=_NO_IDENTITY_HINT,
    )


def parse(token: str, where: str) -> Identity:
    """Parse the token's claims (unverified: Fulcio verifies it); errors never include it."""
    from sigstore.oidc import IdentityError, IdentityToken

    try:
        return Identity(IdentityToken(token), where)
    except IdentityError as exc:
        raise MissingIdentity(
            f"no identity: the identity token from {where} is unusable: {exc}",
            hint="it must be a current OIDC token for the audience 'sigstore'",
        ) from None


def resolve(source: str | None, env_name: str) -> Identity:
    return parse(*raw_token(source, env_name))
