"""The upload API of PyPI, devpi, pypiserver, Artifactory, Nexus, GitLab, Gitea.

Uploads go through twine's library (its PackageFile reads and validates the
metadata, its Repository builds the form); what the index holds is read from the
simple API, PEP 691 JSON first, PEP 503 HTML otherwise.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from releasegate._internal import http, simple_index
from releasegate._internal.publish import replies, workers
from releasegate._internal.publish.registries import upload_form
from releasegate._internal.publish.registries.base import env_value, held
from releasegate._internal.publish.retry import PermanentError, RegistryError

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from releasegate._internal.publish.artifacts import Artifact
    from releasegate._internal.publish.registries.base import RegistryContext

# Upload endpoints whose simple index lives on another host.
_KNOWN_INDEXES = {
    "upload.pypi.org": "https://pypi.org/simple/",
    "test.pypi.org": "https://test.pypi.org/simple/",
}


def index_url_for(url: str) -> str:
    """The simple index that goes with an upload URL (``<url>/simple/`` unless known)."""
    host = urlsplit(url).hostname or ""
    return _KNOWN_INDEXES.get(host, url.rstrip("/") + "/simple/")


def file_url_guess(index_url: str, filename: str) -> str | None:
    """Where pypiserver serves ``filename``: ``<root>/packages/<filename>`` beside
    ``<root>/simple/``. None for an index laid out otherwise (devpi's ``+simple/``, PyPI's)."""
    pypi = {urlsplit(index).hostname for index in _KNOWN_INDEXES.values()}
    if urlsplit(index_url).hostname in pypi or not index_url.rstrip("/").endswith("/simple"):
        return None
    return f"{index_url.rstrip('/').removesuffix('simple')}packages/{quote(filename)}"


def _trusted_publishing_token(context: RegistryContext) -> str:
    """A short-lived upload token from the job's OIDC identity (PyPI trusted publishing)."""
    from releasegate._internal.github.oidc import TrustedPublishingError, exchange

    try:
        token = exchange(context.spec.url, context.env)
    except TrustedPublishingError as exc:
        raise PermanentError(
            f"trusted publishing to {context.spec.name}: {exc.diagnostics()}"
        ) from None
    context.scrubber.add(token)
    # The runner must hide the minted token in every later log line: the CLI's events say so.
    context.secret_minted(token)
    return token


def _credentials(context: RegistryContext) -> tuple[str | None, str | None]:
    spec = context.spec
    if spec.trusted_publishing:
        # An upload token is minted for uploads only: a reader reads the public index.
        return (
            (None, None) if context.read_only else ("__token__", _trusted_publishing_token(context))
        )
    token = env_value(context, spec.token_env, f"token of registry {spec.name}")
    if token is not None:
        return "__token__", token
    username = env_value(
        context, spec.username_env, f"user name of registry {spec.name}", secret=False
    )
    password = env_value(context, spec.password_env, f"password of registry {spec.name}")
    context.scrubber.add(password, username)
    return username, password


class PypiRegistry:
    def __init__(self, context: RegistryContext) -> None:
        self._context = context
        self._username, self._password = _credentials(context)
        self._index = context.spec.index_url or index_url_for(context.spec.url)
        # The registry's own URLs get the credential; file links elsewhere (a CDN) do not.
        self._credential = (
            None
            if self._password is None
            else http.Credential.basic(
                self._username or "", self._password, (context.spec.url, context.spec.index_url)
            )
        )
        # Uploads, page reads and downloads take turns on the same keep-alive connections.
        self._sessions = http.SessionPool(self._credential)
        # A registry's files are verified with one read; reads asked for meanwhile (a lost
        # answer's attribution) start beside it, or share the next one.
        self._page = workers.Fresh(self._read_page, at_once=2)
        self._early: dict[str, tuple[str, workers.Flight[str | None]]] = {}
        self._lock = threading.Lock()
        # Until a page read links a file elsewhere, files are expected where pypiserver
        # serves them (file_url_guess).
        self._conventional = True
        self._last: list[simple_index.IndexFile] | None = None
        """The page as last read (``yank_states(fresh=False)`` reads the marks from it)."""

    def _project_url(self) -> str:
        return f"{self._index.rstrip('/')}/{self._context.project}/"

    def _read_page(self) -> list[simple_index.IndexFile]:
        limits = self._context.policy.limits
        with self._sessions.borrow() as session:
            if not self._context.read_only:
                # Now, not before: requests is imported by now, and twine imports it too
                # (two threads importing one package take turns, delaying this read).
                self._context.forms.warm_up(self._context.artifacts)
            page = replies.get(
                session, self._project_url(), limits, {"Accept": simple_index.ACCEPT}, True
            )
        if page is None:
            return []
        body, content_type, url = page
        try:
            files = simple_index.parse(body, content_type, url)
        except simple_index.IndexFormatError as exc:
            raise PermanentError(f"{replies.where(url)}: {exc}") from None
        self._conventional = all(_link(e) == file_url_guess(self._index, e.filename) for e in files)
        self._last = files
        return files

    def holdings(
        self, wanted: Collection[str] | None = None, *, verify_bytes: bool = False
    ) -> dict[str, str]:
        early = self._early_downloads(wanted) if verify_bytes else {}
        files = self._page.get()
        result = {e.filename: e.sha256 for e in files if e.sha256 is not None}
        fetch = {
            e.filename: e.url
            for e in files
            if (wanted is None or e.filename in wanted) and (verify_bytes or e.sha256 is None)
        }
        for entry in files:
            if entry.filename in fetch and entry.filename in early:
                served = _vouched(entry, *early[entry.filename])
                if served is not None:
                    result[entry.filename] = served
                    del fetch[entry.filename]
        stated = {e.filename: e.sha256 for e in files}
        for name, served in self._hash_remote(fetch).items():
            result[name] = held(stated.get(name), served)
        return result

    def _early_downloads(
        self, wanted: Collection[str] | None
    ) -> dict[str, tuple[str, workers.Flight[str | None]]]:
        """The downloads ``upload`` began of these files, each used once."""
        if wanted is None:
            return {}
        with self._lock:
            return {name: self._early.pop(name) for name in list(self._early) if name in wanted}

    def _download_early(self, artifact: Artifact) -> None:
        """Download a file just uploaded from where the index is expected to serve it.

        The verification reads the page, then downloads what it links: two round trips
        in turn after the last upload lands. Begun at once, the download runs while the
        other files upload and the page is read. The page still decides: ``_vouched``
        keeps such a download only when the page links to that very URL.
        """
        name = artifact.filename
        url = file_url_guess(self._index, name) if self._conventional else None
        if url is not None:
            # More bytes than ours are not ours: the download stops there.
            flight = workers.spawn(lambda: self._hash_or_none(url, artifact.size), f"get-{name}")
            with self._lock:
                self._early[name] = (url, flight)

    def _hash_or_none(self, url: str, size: int) -> str | None:
        try:
            with self._sessions.borrow() as session:
                return replies.sha256_of(session, url, self._context.policy.limits, size)
        except RegistryError:
            return None  # a wrong guess: the file is downloaded from the page's link

    def _hash_remote(self, urls: dict[str, str]) -> dict[str, str]:
        """The served bytes' sha256 of each file, downloaded side by side."""
        if not urls:
            return {}
        limits = self._context.policy.limits

        def one(url: str) -> str:
            # The session sends the credential to the registry's own origin only.
            with self._sessions.borrow() as session:
                return replies.sha256_of(session, url, limits)

        hashes = workers.parallel_map(one, list(urls.values()))
        return dict(zip(urls, hashes, strict=True))

    def upload(self, artifact: Artifact) -> None:
        import requests

        form = self._context.forms.prepare(artifact)
        url = self._context.spec.url
        try:
            with self._sessions.borrow() as session:
                response = upload_form.post(session, url, form, self._context.policy.timeout)
        except requests.RequestException as exc:
            raise replies.translate(exc, url) from None
        if 300 <= response.status_code < 400:
            raise PermanentError(
                f"upload {replies.where(url)}: redirected "
                f"(HTTP {response.status_code}); set url to the final upload URL"
            )
        replies.check(response, f"upload {artifact.filename} to")
        self._download_early(artifact)

    def finish(self, artifacts: Sequence[Artifact]) -> dict[str, str]:  # noqa: ARG002 - the protocol's
        """Nothing to do: files on a simple index are public once uploaded."""
        return {}

    def yank_states(
        self, names: Collection[str] | None = None, *, fresh: bool = True
    ) -> dict[str, str | None]:
        """filename -> the PEP 592 reason ("" for none) or None, read from the index now.

        Read through the simple API as an installer reads it: no upload API of these
        indexes can yank (PyPI's is a page for people; devpi and pypiserver have none).
        """
        files = self._read_page() if fresh or self._last is None else self._last
        return {
            e.filename: (e.yanked_reason or "") if e.yanked else None
            for e in files
            if names is None or e.filename in names
        }


def _link(entry: simple_index.IndexFile) -> str:
    return entry.url.split("#", 1)[0]


def _vouched(
    entry: simple_index.IndexFile, url: str, download: workers.Flight[str | None]
) -> str | None:
    """The sha256 of the early download of ``url``, if the page vouches for it: the page
    links ``entry`` to that URL and claims no other hash. Bytes elsewhere prove nothing."""
    if _link(entry) != url:
        return None
    served = download.result()
    if served is None or entry.sha256 not in (None, served):
        return None
    return served
