"""The one HTTP client of releasegate (requests): every session comes from ``session()``.

One User-Agent; one timeout (``TIMEOUT_SECONDS`` unless the caller has a configured
one); no retries in the transport, so that retries happen in exactly one layer (the
publish executor's RetryPolicy, which re-reads a registry before it uploads again;
a transport retry of an upload could not). And one credential rule: a ``Credential``
is bound to the origins (scheme, host, port) it was configured for. It is added only
to requests for those origins, and it is removed from a redirect to any other
origin. requests alone sends ``Session.auth`` to every host the session talks to
(a file link on a CDN, say), and keeps the header on an http -> https redirect.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import requests

TIMEOUT_SECONDS = 30.0
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int | None]


def origin(url: str) -> Origin:
    """(scheme, host, port) of ``url``, with the scheme's default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or _DEFAULT_PORTS.get(scheme)


def user_agent() -> str:
    from releasegate import __version__

    return f"releasegate/{__version__}"


class Credential:
    """An ``Authorization`` value that only the origins of ``urls`` ever receive.

    Pass it as ``auth=`` to a request or to ``session()``; ``str()`` never shows it.
    """

    def __init__(self, header: str, urls: Iterable[str | None]) -> None:
        self._header = header
        self.origins = frozenset(origin(url) for url in urls if url)

    @classmethod
    def basic(cls, username: str, password: str, urls: Iterable[str | None]) -> Credential:
        pair = f"{username}:{password}"
        try:
            raw = pair.encode("latin-1")  # what requests' HTTPBasicAuth sends
        except UnicodeEncodeError:
            raw = pair.encode("utf-8")
        return cls("Basic " + base64.b64encode(raw).decode("ascii"), urls)

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        if origin(request.url or "") in self.origins:
            request.headers["Authorization"] = self._header
        return request

    def __repr__(self) -> str:
        return f"Credential(<hidden>, origins={sorted(self.origins, key=str)})"

    __str__ = __repr__


def _url_auth(url: str) -> Any:
    """The URL's own ``user:password@`` (what requests would send), else no credential at all."""
    from requests.auth import HTTPBasicAuth
    from requests.utils import get_auth_from_url

    user, password = get_auth_from_url(url)
    if user or password:
        return HTTPBasicAuth(user, password)
    return _no_auth


def _no_auth(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """An auth that adds nothing: present, so requests does not look in ``~/.netrc``."""
    return request


@functools.cache
def _session_class() -> type[requests.Session]:
    import requests

    class Session(requests.Session):
        netrc = True
        """False: ``~/.netrc`` is never read (requests adds its credentials to any request
        without auth, and again after every redirect): for URLs the checkout chose."""

        def prepare_request(self, request: requests.Request) -> requests.PreparedRequest:
            if not self.netrc and request.auth is None and self.auth is None:
                request.auth = _url_auth(request.url or "")
            return super().prepare_request(request)

        def rebuild_auth(
            self, prepared_request: requests.PreparedRequest, response: requests.Response
        ) -> None:
            if self.netrc:
                super().rebuild_auth(prepared_request, response)  # type: ignore[no-untyped-call]
                return
            old = response.request.url or ""
            if "Authorization" in prepared_request.headers and self.should_strip_auth(
                old, prepared_request.url or ""
            ):
                del prepared_request.headers["Authorization"]

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = TIMEOUT_SECONDS
            return super().request(method, url, *args, **kwargs)

        def should_strip_auth(self, old_url: str, new_url: str) -> bool:
            # Stricter than requests: any change of scheme, host or port is another origin.
            return origin(old_url) != origin(new_url)

    return Session


def session(credential: Credential | None = None, *, netrc: bool = True) -> requests.Session:
    """A session with releasegate's User-Agent, timeout, no transport retries, bound auth.

    ``netrc=False`` for URLs the checkout chose (a configured index): the job's ``~/.netrc``
    credentials are never sent there, and a redirect adds none.
    """
    # The package before its submodule: threads importing requests.adapters first can
    # meet a half-initialised requests (its __init__ imports adapters in a cycle).
    result = _session_class()()
    from requests.adapters import HTTPAdapter

    for scheme in ("http://", "https://"):
        result.mount(scheme, HTTPAdapter(max_retries=0, pool_maxsize=16))
    result.headers["User-Agent"] = user_agent()
    result.auth = credential
    result.netrc = netrc  # type: ignore[attr-defined]
    return result


class SessionPool:
    """Sessions of ``session(credential)`` lent to one thread at a time.

    requests sessions are not thread-safe, so threads must not share one at once; but a
    session per thread opens a new connection for every worker thread (a TLS handshake
    and a round trip each, on a registry far away). A borrowed session comes back with
    its keep-alive connections, and the next thread to talk to the registry reuses them.
    """

    def __init__(self, credential: Credential | None = None) -> None:
        self._credential = credential
        self._idle: list[requests.Session] = []
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def borrow(self) -> Iterator[requests.Session]:
        with self._lock:
            lent = self._idle.pop() if self._idle else None
        lent = lent or session(self._credential)
        try:
            yield lent
        finally:
            with self._lock:
                self._idle.append(lent)
