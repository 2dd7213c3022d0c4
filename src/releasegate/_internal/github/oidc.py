"""Trusted publishing: the job's OIDC token exchanged for a short-lived PyPI upload token.

The exchange PyPI documents: ask the index for the audience it expects
(``GET /_/oidc/audience``), ask the Actions runtime for an ID token with that
audience (``ACTIONS_ID_TOKEN_REQUEST_URL`` with ``ACTIONS_ID_TOKEN_REQUEST_TOKEN``),
then post it to ``/_/oidc/mint-token`` for an upload token valid for minutes.

Neither token ever appears in a message. The caller masks the minted token in the log
(the publish events' ``secret_minted``, ``::add-mask::`` under Actions) before using it.
"""

from __future__ import annotations

import base64
import json
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from releasegate._internal.errors import FatalError
from releasegate._internal.http import Credential

if TYPE_CHECKING:
    from collections.abc import Mapping

    import requests

DOCS = "https://docs.pypi.org/trusted-publishers/troubleshooting/"
# The claims a trusted publisher on PyPI is matched against; shown so a mismatch can be seen.
SHOWN_CLAIMS = (
    "sub",
    "repository",
    "repository_owner",
    "workflow_ref",
    "job_workflow_ref",
    "ref",
    "environment",
)


class TrustedPublishingError(FatalError):
    """The exchange failed; the message says which step and what to change."""


def index_base(upload_url: str) -> str:
    """Where the OIDC endpoints live: ``https://upload.pypi.org/legacy/`` -> ``https://pypi.org``."""
    parts = urlsplit(upload_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TrustedPublishingError(f"not an index upload URL: {upload_url!r}")
    host = parts.netloc.removeprefix("upload.")
    return urlunsplit((parts.scheme, host, "", "", ""))


def exchange(
    upload_url: str,
    environ: Mapping[str, str] | None = None,
) -> str:
    """A PyPI upload token for ``upload_url`` from this job's OIDC identity."""
    from releasegate._internal.http import session as new_session

    env = os.environ if environ is None else environ
    http = new_session()
    base = index_base(upload_url)
    audience = fetch_audience(http, base)
    id_token = fetch_id_token(http, env, audience)
    return mint_token(http, base, id_token)


def fetch_audience(http: requests.Session, base: str) -> str:
    data = _json(http, "GET", f"{base}/_/oidc/audience", "the index's OIDC audience")
    audience = data.get("audience")
    if not isinstance(audience, str) or not audience:
        raise TrustedPublishingError(
            f"malformed reply from {base}/_/oidc/audience: no `audience` string"
        )
    return audience


def fetch_id_token(http: requests.Session, env: Mapping[str, str], audience: str) -> str:
    url, bearer = env.get("ACTIONS_ID_TOKEN_REQUEST_URL"), env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
    if not url or not bearer:
        raise TrustedPublishingError(
            "this job has no OIDC identity (ACTIONS_ID_TOKEN_REQUEST_URL is not set)",
            hint="give the publishing job `permissions: id-token: write`; runs for pull requests "
            "from forks never get one",
        )
    data = _json(
        http,
        "GET",
        url,
        "the job's OIDC token",
        params={"audience": audience},
        auth=Credential(f"bearer {bearer}", [url]),
    )
    value = data.get("value")
    if not isinstance(value, str) or not value:
        raise TrustedPublishingError(
            "malformed reply from the Actions ID-token endpoint: no `value` string"
        )
    return value


def mint_token(http: requests.Session, base: str, id_token: str) -> str:
    url = f"{base}/_/oidc/mint-token"
    response = _send(http, "POST", url, "an upload token", json={"token": id_token})
    data = _decode(response, url)
    if response.status_code != 200:
        raise refusal(base, data, claims(id_token))
    token = data.get("token")
    if not isinstance(token, str) or not token:
        raise TrustedPublishingError(f"malformed reply from {url}: no `token` string")
    return token


def _send(
    http: requests.Session, method: str, url: str, what: str, **kwargs: Any
) -> requests.Response:
    import requests

    try:
        return http.request(method, url, **kwargs)
    except requests.RequestException as exc:
        raise TrustedPublishingError(
            f"cannot fetch {what} from {_origin(url)}: {type(exc).__name__}"
        ) from None


def _json(
    http: requests.Session, method: str, url: str, what: str, **kwargs: Any
) -> dict[str, Any]:
    response = _send(http, method, url, what, **kwargs)
    if response.status_code != 200:
        raise TrustedPublishingError(
            f"cannot fetch {what}: {_origin(url)} answered HTTP {response.status_code}",
            hint="the index may not support trusted publishing" if "audience" in url else None,
        )
    return _decode(response, url)


def _decode(response: requests.Response, url: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise TrustedPublishingError(
            f"malformed reply from {_origin(url)} (HTTP {response.status_code}): "
            "expected a JSON object"
        )
    return data


def _origin(url: str) -> str:
    """Scheme, host and path only: the ID-token URL's query string is not for logs."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def claims(id_token: str) -> dict[str, Any]:
    """The JWT's claims, unverified: only to show what PyPI compared. Empty when unreadable."""
    segments = id_token.split(".")
    if len(segments) != 3:
        return {}
    payload = segments[1] + "=" * (-len(segments[1]) % 4)
    try:
        data = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return {}
    return data if isinstance(data, dict) else {}


def _reasons(data: Mapping[str, Any]) -> list[str]:
    errors = data.get("errors")
    reasons = []
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict):
            reasons.append(
                f"{error.get('code', 'unknown')}: {error.get('description', 'no description')}"
            )
    return reasons or [str(data.get("message") or "no reason given")]


def _workflow(ref: object) -> str | None:
    return ref.partition("@")[0] if isinstance(ref, str) and ref else None


def is_reusable(token_claims: Mapping[str, Any]) -> bool:
    """The job is defined in another workflow file than the one that was triggered."""
    caller, job = (
        _workflow(token_claims.get("workflow_ref")),
        _workflow(token_claims.get("job_workflow_ref")),
    )
    return caller is not None and job is not None and caller != job


def refusal(
    base: str, data: Mapping[str, Any], token_claims: Mapping[str, Any]
) -> TrustedPublishingError:
    """The mint-token refusal, with the claims PyPI matched and what to change."""
    lines = [f"{base} refused to mint an upload token:"]
    lines += [f"  * {reason}" for reason in _reasons(data)]
    lines.append(
        "Claims of this job's OIDC token (compare them with the trusted publisher on the index):"
    )
    lines += [f"  * {name}: {token_claims.get(name, 'MISSING')}" for name in SHOWN_CLAIMS]
    job, caller = (_workflow(token_claims.get(k)) for k in ("job_workflow_ref", "workflow_ref"))
    if is_reusable(token_claims):
        hint = (
            f"this job runs in a reusable workflow ({job}) called from {caller}: PyPI's "
            "trusted publishing does not support reusable workflows (pypi/warehouse#11096); "
            "run the publish step in a job of the workflow registered as the trusted "
            f"publisher. See {DOCS}"
        )
    else:
        hint = (
            "the repository is not set up as a trusted publisher of this project on the "
            "index: add one naming this repository, this workflow file and (if used) this "
            f"environment, or fix the one that differs from the claims above. See {DOCS}"
        )
    return TrustedPublishingError("\n".join(lines), hint=hint)
