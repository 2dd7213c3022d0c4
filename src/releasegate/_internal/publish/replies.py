"""Registry replies and request failures as retry-aware errors (sessions: ``_internal.http``).

requests exceptions become TransientError or PermanentError with a short message
that names the host, never the headers: a proxy or a library may put
credentials into exception text, so only what we compose is kept.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from releasegate._internal.publish.retry import (
    PermanentError,
    RegistryError,
    TransientError,
    status_error,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

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


# What a page or a file may weigh before the registry counts as hostile.
PAGE_LIMIT = 64 * 2**20
FILE_LIMIT = 4 * 2**30
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """``timeout``: seconds without progress; ``deadline``: seconds for the whole request."""

    timeout: float
    deadline: float


def _stream(response: requests.Response, url: str, limits: Limits, size: int) -> Iterator[bytes]:
    """The body in chunks, within ``deadline`` seconds and ``size`` bytes.

    The socket timeout only bounds each read: a registry trickling a byte a second
    would otherwise hold its reader forever. ``read1`` returns what has arrived instead
    of waiting for a full chunk, so the deadline is checked as bytes trickle in.
    """
    import urllib3

    ends = time.monotonic() + limits.deadline
    total = 0
    try:
        while chunk := response.raw.read1(CHUNK, decode_content=True):
            total += len(chunk)
            if total > size:
                raise PermanentError(f"{where(url)}: larger than {size} bytes; not read further")
            if time.monotonic() > ends:
                raise TransientError(
                    f"{where(url)}: no complete answer within {limits.deadline:g}s"
                )
            yield chunk
    except urllib3.exceptions.ReadTimeoutError:
        raise TransientError(f"{where(url)}: timed out") from None
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        raise TransientError(f"{where(url)}: connection failed ({type(exc).__name__})") from None
    finally:
        response.close()


def _open(
    http: requests.Session, url: str, limits: Limits, headers: dict[str, str] | None
) -> requests.Response:
    import requests

    try:
        return http.get(url, timeout=limits.timeout, headers=headers, stream=True)
    except requests.RequestException as exc:
        raise translate(exc, url) from None


def get(
    http: requests.Session,
    url: str,
    limits: Limits,
    headers: dict[str, str] | None = None,
    ok_404: bool = False,
) -> tuple[bytes, str, str] | None:
    """(body, Content-Type, final URL) of a GET with errors translated; None for a 404
    when ``ok_404``."""
    response = _open(http, url, limits, headers)
    if ok_404 and response.status_code == 404:
        response.close()
        return None
    check(response, "GET")
    body = b"".join(_stream(response, url, limits, PAGE_LIMIT))
    return body, response.headers.get("Content-Type", ""), response.url or url


def sha256_of(
    http: requests.Session,
    url: str,
    limits: Limits,
    size: int = FILE_LIMIT,
    headers: dict[str, str] | None = None,
) -> str:
    """The sha256 of the bytes served at ``url``: what pip would check, not what a page claims."""
    response = check(_open(http, url, limits, headers), "GET")
    digest = hashlib.sha256()
    for chunk in _stream(response, url, limits, size):
        digest.update(chunk)
    return digest.hexdigest()
