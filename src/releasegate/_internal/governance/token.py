"""The run's identity: the job's OIDC token, verified against its issuer's published keys.

Never ``GITHUB_REPOSITORY`` or any other variable: an earlier step of the job can set those.
The token is signed by the issuer; it is checked here for its signature (the key its header
names in the issuer's JWKS, found through ``/.well-known/openid-configuration``), its issuer,
its audience and its expiry, with pyjwt. The token itself never appears in a message.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from collections.abc import Mapping

    import requests

# Asymmetric algorithms only: "none" and the HMAC family would let anyone who knows the
# public key (everyone) forge a token.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC"}
"""The JWK key type each allowed algorithm family signs with."""
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "sub")
LEEWAY_SECONDS = 60
"""Clock skew tolerated between the issuer and this runner."""


class TokenRefused(FatalError):
    """The token could not be obtained or did not verify; the message says which check failed."""


def in_ci(env: Mapping[str, str]) -> bool:
    """The job can ask for an OIDC token: GitHub Actions with ``id-token: write``.

    A forged variable only leads to asking a forged endpoint, whose token then fails
    verification: this decides where to look, never who the run is.
    """
    return bool(
        env.get("ACTIONS_ID_TOKEN_REQUEST_URL") and env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
    )


def request_token(http: requests.Session, env: Mapping[str, str], audience: str) -> str:
    from releasegate._internal.github.oidc import TrustedPublishingError, fetch_id_token

    try:
        return fetch_id_token(http, env, audience)
    except TrustedPublishingError as exc:
        raise TokenRefused(exc.message, hint=exc.hint) from None


def _secure(url: str) -> bool:
    """https, or plain http to loopback (a stand-in issuer on this machine)."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return True
    try:
        return parts.scheme == "http" and ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        return parts.scheme == "http" and parts.hostname == "localhost"


def _get_json(http: requests.Session, url: str, what: str) -> dict[str, Any]:
    import requests

    if not _secure(url):
        raise TokenRefused(f"{what} is not served over https: {url}")
    try:
        response = http.get(url)
    except requests.RequestException as exc:
        raise TokenRefused(f"cannot fetch {what} from {url}: {type(exc).__name__}") from None
    if response.status_code != 200:
        raise TokenRefused(f"cannot fetch {what}: {url} answered HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise TokenRefused(f"malformed {what} from {url}: expected a JSON object")
    return data


def issuer_keys(http: requests.Session, issuer: str) -> dict[str, Any]:
    """The issuer's JWKS, found through its OpenID configuration (which must name it)."""
    configuration = _get_json(
        http, f"{issuer}/.well-known/openid-configuration", "the issuer's OpenID configuration"
    )
    if str(configuration.get("issuer", "")).rstrip("/") != issuer:
        raise TokenRefused(
            f"the OpenID configuration at {issuer} names another issuer: "
            f"{configuration.get('issuer')!r}"
        )
    jwks_uri = configuration.get("jwks_uri")
    if not isinstance(jwks_uri, str) or not jwks_uri:
        raise TokenRefused(f"the OpenID configuration at {issuer} has no jwks_uri")
    return _get_json(http, jwks_uri, "the issuer's keys (JWKS)")


def verify(token: str, jwks: Mapping[str, Any], issuer: str, audience: str) -> dict[str, Any]:
    """The token's claims once its signature, issuer, audience and expiry are checked."""
    try:
        import jwt
    except ImportError:  # pyjwt comes with PyGithub: the publish and github extras
        from releasegate._internal.extras import MissingExtraError

        raise MissingExtraError("jwt", "publish") from None

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise TokenRefused("the OIDC token is not a JWT") from None
    keys = _keys_for(header, jwks, issuer)
    try:
        return _decode(token, keys, issuer, audience)
    except (TypeError, ValueError, jwt.PyJWTError) as exc:
        raise _refusal(exc, token, issuer, audience) from None


def _keys_for(header: Mapping[str, Any], jwks: Mapping[str, Any], issuer: str) -> list[Any]:
    """The published keys that may have signed a token with ``header``."""
    import jwt

    if header.get("alg") not in ALGORITHMS:
        raise TokenRefused(
            f"the OIDC token is signed with algorithm {header.get('alg')!r}, not allowed"
        )
    try:
        keys = jwt.PyJWKSet.from_dict(dict(jwks))
    except jwt.PyJWTError as exc:
        raise TokenRefused(f"the issuer's JWKS is unusable: {exc}") from None
    kid, family = header.get("kid"), KEY_TYPES.get(str(header.get("alg"))[:2])
    # Only keys of the type the algorithm needs: pyjwt raises TypeError on another one.
    matching = [k for k in keys.keys if (kid is None or k.key_id == kid) and k.key_type == family]
    if not matching:
        raise TokenRefused(
            f"the OIDC token is signed with key {kid!r}, which {issuer} does not publish"
        )
    return matching


def _refusal(exc: Exception, token: str, issuer: str, audience: str) -> TokenRefused:
    """Which check failed, with what the token claimed; nothing of the token itself."""
    import jwt

    claimed = _unverified(token)
    messages: list[tuple[type[Exception] | tuple[type[Exception], ...], str]] = [
        (jwt.ExpiredSignatureError, "the OIDC token has expired"),
        (
            jwt.InvalidAudienceError,
            f"the OIDC token is not for audience {audience!r} (it claims {claimed.get('aud')!r})",
        ),
        (
            jwt.InvalidIssuerError,
            f"the OIDC token was not issued by {issuer} (it claims {claimed.get('iss')!r})",
        ),
        (
            jwt.InvalidSignatureError,
            f"the OIDC token's signature does not verify with {issuer}'s keys",
        ),
        (jwt.ImmatureSignatureError, "the OIDC token is not valid yet (iat or nbf in the future)"),
        ((TypeError, ValueError), f"the OIDC token does not verify with {issuer}'s keys"),
    ]
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return TokenRefused(f"the OIDC token has no {exc.claim!r} claim")
    for kind, message in messages:
        if isinstance(exc, kind):
            return TokenRefused(message)
    # The class, not the text: nothing of the token is ever quoted.
    return TokenRefused(f"the OIDC token does not verify: {type(exc).__name__}")


def _decode(token: str, keys: list[Any], issuer: str, audience: str) -> dict[str, Any]:
    """Claims checked with the first of ``keys`` the signature verifies with (a token without
    a ``kid`` is tried against each published key)."""
    import jwt

    for key in keys[:-1]:
        try:
            return _decode_with(token, key, issuer, audience)
        except (jwt.InvalidSignatureError, jwt.InvalidKeyError):
            continue  # another key of the set, maybe of another type
    return _decode_with(token, keys[-1], issuer, audience)


def _decode_with(token: str, key: Any, issuer: str, audience: str) -> dict[str, Any]:
    import jwt

    claims: dict[str, Any] = jwt.decode(
        token,
        key=key.key,
        algorithms=list(ALGORITHMS),
        audience=audience,
        issuer=issuer,
        leeway=LEEWAY_SECONDS,
        options={"require": list(REQUIRED_CLAIMS)},
    )
    return claims


def _unverified(token: str) -> dict[str, Any]:
    """Claims to quote in a refusal (never trusted): what the token said it was."""
    from releasegate._internal.github.oidc import claims

    return claims(token)


def verified_claims(env: Mapping[str, str], issuer: str, audience: str) -> dict[str, Any]:
    """Ask the job for its token and verify it; the claims, never the token, leave here."""
    from releasegate._internal.http import session

    http = session(netrc=False)
    token = request_token(http, env, audience)
    return verify(token, issuer_keys(http, issuer), issuer, audience)
