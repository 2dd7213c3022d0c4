"""Trusted publishing: the OIDC exchange against loopback Actions and PyPI endpoints."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.github.oidc import TrustedPublishingError, claims, exchange, index_base
from tests.github_support import Reply, StandIn

if TYPE_CHECKING:
    import re
    from collections.abc import Iterator

    from tests.github_support import Received

BEARER = "actions-runtime-bearer-SECRET"
MINTED = "pypi-minted-upload-token-SECRET"
CLAIMS = {
    "sub": "repo:acme/demo:environment:pypi",
    "repository": "acme/demo",
    "repository_owner": "acme",
    "workflow_ref": "acme/demo/.github/workflows/release.yml@refs/tags/v1.2.0",
    "job_workflow_ref": "acme/demo/.github/workflows/release.yml@refs/tags/v1.2.0",
    "ref": "refs/tags/v1.2.0",
    "environment": "pypi",
}


def jwt(payload: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


class Endpoints(StandIn):
    """PyPI's audience and mint-token endpoints and the Actions ID-token endpoint on one server."""

    def __init__(self) -> None:
        super().__init__()
        self.claims = dict(CLAIMS)
        self.route("GET", "/_/oidc/audience", lambda _r, _m: Reply(200, {"audience": "pypi"}))
        self.route("GET", "/_apis/idtoken", self._id_token)
        self.route("POST", "/_/oidc/mint-token", self._mint)

    def _id_token(self, request: Received, match: re.Match[str]) -> Reply:
        del match
        if request.headers.get("authorization") != f"bearer {BEARER}":
            return Reply(401, {"message": "bad bearer"})
        return Reply(200, {"value": jwt({**self.claims, "aud": request.query["audience"][0]})})

    def _mint(self, request: Received, match: re.Match[str]) -> Reply:
        del match
        token = dict(request.body).get("token", "")
        if claims(token).get("aud") != "pypi":
            return Reply(
                422,
                {
                    "message": "Token request failed",
                    "errors": [
                        {"code": "invalid-token", "description": "token has the wrong audience"}
                    ],
                },
            )
        return Reply(200, {"success": True, "token": MINTED, "expires": 1900000000})

    def environ(self) -> dict[str, str]:
        return {
            "ACTIONS_ID_TOKEN_REQUEST_URL": f"{self.url}/_apis/idtoken?api-version=2.0",
            "ACTIONS_ID_TOKEN_REQUEST_TOKEN": BEARER,
        }

    def refuse(self, errors: list[dict[str, str]]) -> None:
        self.route(
            "POST",
            "/_/oidc/mint-token",
            lambda _r, _m: Reply(422, {"message": "Token request failed", "errors": errors}),
        )


@pytest.fixture
def endpoints() -> Iterator[Endpoints]:
    with Endpoints() as server:
        yield server


def upload_url(server: StandIn) -> str:
    return f"{server.url}/legacy/"


def test_exchange_mints_an_upload_token(endpoints: Endpoints) -> None:
    token = exchange(upload_url(endpoints), endpoints.environ())

    assert token == MINTED
    audience, id_token, mint = endpoints.received
    assert (audience.method, audience.path) == ("GET", "/_/oidc/audience")
    assert (id_token.method, id_token.path) == ("GET", "/_apis/idtoken")
    assert id_token.query == {"api-version": ["2.0"], "audience": ["pypi"]}
    assert mint.method == "POST"
    assert claims(dict(mint.body)["token"])["repository"] == "acme/demo"


def test_not_a_trusted_publisher_names_the_claims_to_compare(endpoints: Endpoints) -> None:
    endpoints.refuse(
        [
            {
                "code": "invalid-publisher",
                "description": "valid token, but no corresponding publisher "
                "(All lookup strategies exhausted)",
            }
        ]
    )

    with pytest.raises(TrustedPublishingError) as caught:
        exchange(upload_url(endpoints), endpoints.environ())

    text = caught.value.diagnostics()
    assert "invalid-publisher: valid token, but no corresponding publisher" in text
    assert "repository: acme/demo" in text
    assert "environment: pypi" in text
    assert "not set up as a trusted publisher" in text
    assert "reusable" not in text
    assert BEARER not in text
    assert MINTED not in text


def test_reusable_workflow_trap_is_explained(endpoints: Endpoints) -> None:
    endpoints.claims["job_workflow_ref"] = (
        "acme/shared/.github/workflows/publish.yml@refs/heads/main"
    )
    endpoints.refuse(
        [
            {
                "code": "invalid-publisher",
                "description": "valid token, but no corresponding publisher",
            }
        ]
    )

    with pytest.raises(TrustedPublishingError) as caught:
        exchange(upload_url(endpoints), endpoints.environ())

    hint = caught.value.hint or ""
    assert "reusable workflow (acme/shared/.github/workflows/publish.yml)" in hint
    assert "called from acme/demo/.github/workflows/release.yml" in hint
    assert "pypi/warehouse#11096" in hint


def test_no_oidc_identity_asks_for_the_permission(endpoints: Endpoints) -> None:
    with pytest.raises(TrustedPublishingError) as caught:
        exchange(upload_url(endpoints), {})

    assert "id-token: write" in caught.value.diagnostics()


@pytest.mark.parametrize(
    ("method", "path", "reply", "expected"),
    [
        (
            "GET",
            "/_/oidc/audience",
            Reply(200, raw=b"<html>maintenance</html>"),
            "expected a JSON object",
        ),
        ("GET", "/_/oidc/audience", Reply(200, {"aud": "pypi"}), "no `audience` string"),
        ("GET", "/_/oidc/audience", Reply(404, {"message": "nope"}), "answered HTTP 404"),
        ("GET", "/_apis/idtoken", Reply(200, {"value": 42}), "no `value` string"),
        ("POST", "/_/oidc/mint-token", Reply(200, raw=b"not json"), "expected a JSON object"),
        ("POST", "/_/oidc/mint-token", Reply(200, {"success": True}), "no `token` string"),
        ("POST", "/_/oidc/mint-token", Reply(500, raw=b"[1, 2]"), "expected a JSON object"),
    ],
)
def test_malformed_replies_are_errors_not_crashes(
    endpoints: Endpoints, method: str, path: str, reply: Reply, expected: str
) -> None:
    endpoints.route(method, path, lambda _r, _m: reply)

    with pytest.raises(TrustedPublishingError) as caught:
        exchange(upload_url(endpoints), endpoints.environ())

    assert expected in caught.value.message
    assert BEARER not in caught.value.diagnostics()


def test_unreachable_index_is_an_error() -> None:
    with StandIn() as server:
        dead = upload_url(server)
    with pytest.raises(TrustedPublishingError, match="cannot fetch the index's OIDC audience"):
        exchange(dead, {})


@pytest.mark.parametrize(
    ("upload", "base"),
    [
        ("https://upload.pypi.org/legacy/", "https://pypi.org"),
        ("https://test.pypi.org/legacy/", "https://test.pypi.org"),
        ("http://127.0.0.1:8080/legacy/", "http://127.0.0.1:8080"),
    ],
)
def test_index_base(upload: str, base: str) -> None:
    assert index_base(upload) == base


def test_index_base_refuses_non_urls() -> None:
    with pytest.raises(TrustedPublishingError, match="not an index upload URL"):
        index_base("ftp:/nowhere")


@settings(max_examples=150, deadline=None)
@given(st.text() | st.builds(".".join, st.lists(st.text(), min_size=3, max_size=3)))
def test_claims_of_any_text_is_a_dict(token: str) -> None:
    assert isinstance(claims(token), dict)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(CLAIMS)), st.text(max_size=40)))
def test_claims_round_trip(payload: dict[str, str]) -> None:
    assert claims(jwt(payload)) == payload
