"""Registry replies and request failures as retry-aware errors (sessions: ``_internal.http``).

requests exceptions become TransientError or PermanentError with a short message
that names the host, never the headers: a proxy or a library may put
credentials into exception text, so only what we compose is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from releasegate._internal.publish.retry import (
    PermanentError,
    RegistryError,
    TransientError,
    status_error,
)

if TYPE_CHECKING:
    import requests


def where(url: str) -> str:
    """scheme://host/path of ``url`` without userinfo or query."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def translate(exc: Exception, url: str) -> RegistryError:
    """A requests exception as a retry-aware error that quotes nothing from the exception."""
    import requests

    target = where(url) if "://" in url else url
    if isinstance(exc, requests.Timeout):
        return TransientError(f"{target}: timed out")
    if isinstance(exc, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        return TransientError(f"{target}: connection failed ({type(exc).__name__})")
    return PermanentError(f"{target}: request failed ({type(exc).__name__})")


def check(response: requests.Response, what: str) -> requests.Response:
    if response.status_code >= 400:
        raise status_error(
            response.status_code,
            f"{what} {where(response.url or '')}".strip(),
            response.headers.get("Retry-After"),
        )
    return response


def get(
    http: requests.Session,
    url: str,
    timeout: float,
    headers: dict[str, str] | None = None,
    ok_404: bool = False,
) -> requests.Response | None:
    """GET with errors translated; None for a 404 when ``ok_404``."""
    import requests

    try:
        response = http.get(url, timeout=timeout, headers=headers)
    except requests.RequestException as exc:
        raise translate(exc, url) from None
    if ok_404 and response.status_code == 404:
        return None
    return check(response, "GET")
