"""Helpers for the signing, verification and SBOM tests: fixtures, tokens, an OIDC stand-in."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

from tests.conftest import REPO_ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator

# Real bundles from sigstore-python's test assets (see the README.md and REUSE.toml there).
SIGSTORE_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "sigstore"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
WHEEL = "bundle_v3_github.whl"
TRUE_GITHUB_IDENTITY = {
    "repository": "trailofbits/rfc8785.py",
    "workflow": "release",
    "trigger": "release",
    "ref": "refs/tags/v0.1.2",
    "sha": "d8b4a6445f38c48b9137a8099706d9b8073146e4",
}


def _segment(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def github_claims(**overrides: Any) -> dict[str, Any]:
    """The claims of a GitHub Actions OIDC token for the audience ``sigstore``."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": GITHUB_ISSUER,
        "aud": "sigstore",
        "iat": now,
        "nbf": now - 5,
        "exp": now + 600,
        "jti": "d3c2f1e0",
        "sub": "repo:octo-org/demo:ref:refs/tags/v1.0.0",
        "repository": "octo-org/demo",
        "repository_owner": "octo-org",
        "ref": "refs/tags/v1.0.0",
        "ref_type": "tag",
        "sha": "0123456789abcdef0123456789abcdef01234567",
        "workflow": "release",
        "event_name": "release",
        "actor": "octocat",
        "run_id": "42",
        "run_attempt": "1",
        "runner_environment": "github-hosted",
        "job_workflow_ref": "octo-org/demo/.github/workflows/release.yml@refs/tags/v1.0.0",
    }
    claims.update(overrides)
    return claims


def make_jwt(claims: dict[str, Any]) -> str:
    """A JWT with GitHub's header and the given claims; the signature is garbage on purpose
    (it never reaches a server that would check it)."""
    header = {"alg": "RS256", "typ": "JWT", "kid": "test-key"}
    return f"{_segment(header)}.{_segment(claims)}.{_segment({'not': 'a signature'})}"


class OidcStandIn:
    """GitHub's Actions OIDC token endpoint on loopback: GET ?audience=... with a bearer token."""

    def __init__(self, token: str, request_token: str) -> None:
        self.token, self.request_token = token, request_token
        self.requests: list[dict[str, Any]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                auth = self.headers.get("Authorization", "")
                stand_in.requests.append({"audience": query.get("audience"), "auth": auth})
                ok = auth.lower() == f"bearer {stand_in.request_token}"
                body = json.dumps(
                    {"value": stand_in.token} if ok else {"message": "Bad credentials"}
                )
                self.send_response(200 if ok else 401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - no access log
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/_apis/token?api-version=2.0"

    def __enter__(self) -> OidcStandIn:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def ambient_env(stand_in: OidcStandIn) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "ACTIONS_ID_TOKEN_REQUEST_URL": stand_in.url,
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": stand_in.request_token,
    }


def pairs(items: dict[str, str]) -> Iterator[str]:
    for key, value in items.items():
        yield f"--{key}"
        yield value
