"""The upload API of PyPI, devpi, pypiserver, Artifactory, Nexus, GitLab, Gitea.

Uploads go through twine's library (its PackageFile reads and validates the
metadata, its Repository builds the form); what the index holds is read from the
simple API, PEP 691 JSON first, PEP 503 HTML otherwise.
"""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from releasegate.publish import http, simple_index
from releasegate.publish.artifacts import ATTESTATION_SUFFIX
from releasegate.publish.registries.base import env_value
from releasegate.publish.retry import PermanentError

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping, Sequence

    import requests

    from releasegate.publish.artifacts import Artifact
    from releasegate.publish.registries.base import RegistryContext

# Upload endpoints whose simple index lives on another host.
_KNOWN_INDEXES = {
    "upload.pypi.org": "https://pypi.org/simple/",
    "test.pypi.org": "https://test.pypi.org/simple/",
}


def index_url_for(url: str) -> str:
    """The simple index that goes with an upload URL (``<url>/simple/`` unless known)."""
    host = urlsplit(url).hostname or ""
    return _KNOWN_INDEXES.get(host, url.rstrip("/") + "/simple/")


def _credentials(context: RegistryContext) -> tuple[str | None, str | None]:
    spec = context.spec
    token = env_value(context, spec.token_env, f"token of registry {spec.name}")
    if token is not None:
        return "__token__", token
    username = env_value(context, spec.username_env, f"user name of registry {spec.name}")
    password = env_value(context, spec.password_env, f"password of registry {spec.name}")
    context.scrubber.add(password, username)
    return username, password


def form_fields(metadata: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The legacy upload API's form: a repeated field per list item, URLs as "label, url"."""
    fields: list[tuple[str, Any]] = []
    for key, value in metadata.items():
        if value is None:
            continue
        if key == "project_urls" and isinstance(value, dict):
            fields.extend((key, f"{label}, {url}") for label, url in value.items())
        elif key == "keywords" and isinstance(value, list):
            fields.append((key, ", ".join(value)))
        elif isinstance(value, list):
            fields.extend((key, item) for item in value)
        else:
            fields.append((key, value))  # strings, and the (name, bytes) of a signature file
    return fields


def _post_form(
    session: requests.Session, url: str, package: Any, timeout: float
) -> requests.Response:
    """The upload form of twine's PackageFile, streamed without progress bar or retries."""
    from requests_toolbelt import MultipartEncoder  # type: ignore[import-untyped]

    fields = form_fields(package.metadata_dictionary())
    fields += [(":action", "file_upload"), ("protocol_version", "1")]
    with open(package.filename, "rb") as handle:  # noqa: PTH123 - the encoder streams a file object
        fields.append(("content", (package.basefilename, handle, "application/octet-stream")))
        encoder = MultipartEncoder(fields)
        return session.post(
            url,
            data=encoder,
            allow_redirects=False,
            timeout=timeout,
            headers={"Content-Type": encoder.content_type},
        )


_PACKAGES: dict[str, Any] = {}
_PACKAGES_LOCK = threading.Lock()


def _package(artifact: Artifact) -> Any:
    """twine's view of a dist (metadata read, hashes taken) once per run, shared by registries."""
    from twine.exceptions import TwineException
    from twine.package import PackageFile

    with _PACKAGES_LOCK:
        if artifact.sha256 in _PACKAGES:
            return _PACKAGES[artifact.sha256]
        try:
            package = PackageFile.from_filename(str(artifact.path), None)
            attestation = artifact.companion(ATTESTATION_SUFFIX)
            if attestation is not None:
                package.add_attestations([str(attestation)])
        except TwineException as exc:
            raise PermanentError(f"{artifact.filename}: {exc}") from None
        _PACKAGES[artifact.sha256] = package
        return package


_WARM = threading.Event()


def _import_twine() -> None:
    import requests_toolbelt
    import twine.package

    del twine, requests_toolbelt


def _warm_up() -> None:
    """Import twine while the preflight waits on the network: it is needed only for uploads."""
    if not _WARM.is_set():
        _WARM.set()
        threading.Thread(target=_import_twine, name="import-twine", daemon=True).start()


class PypiRegistry:
    def __init__(self, context: RegistryContext) -> None:
        _warm_up()
        self._context = context
        self._username, self._password = _credentials(context)
        self._index = context.spec.index_url or index_url_for(context.spec.url)
        self._local = threading.local()

    def _session(self) -> requests.Session:
        # requests sessions are not thread-safe: one per thread.
        if not hasattr(self._local, "session"):
            self._local.session = http.session()
            if self._password is not None:
                self._local.session.auth = (self._username or "", self._password)
        session: requests.Session = self._local.session
        return session

    def _project_url(self) -> str:
        return f"{self._index.rstrip('/')}/{self._context.project}/"

    def holdings(self, wanted: Collection[str] | None = None) -> dict[str, str]:
        timeout = self._context.policy.timeout
        response = http.get(
            self._session(),
            self._project_url(),
            timeout,
            {"Accept": simple_index.ACCEPT},
            ok_404=True,
        )
        if response is None:
            return {}
        try:
            files = simple_index.parse(
                response.content, response.headers.get("Content-Type", ""), response.url
            )
        except simple_index.IndexFormatError as exc:
            raise PermanentError(f"{http.where(response.url)}: {exc}") from None
        result = {}
        for entry in files:
            if entry.sha256 is not None:
                result[entry.filename] = entry.sha256
            elif wanted is None or entry.filename in wanted:
                result[entry.filename] = self._hash_remote(entry.url)
        return result

    def _hash_remote(self, url: str) -> str:
        response = http.get(self._session(), url, self._context.policy.timeout)
        assert response is not None  # ok_404 is off
        return hashlib.sha256(response.content).hexdigest()

    def upload(self, artifact: Artifact) -> None:
        import requests

        package = _package(artifact)
        url = self._context.spec.url
        try:
            response = _post_form(self._session(), url, package, self._context.policy.timeout)
        except requests.RequestException as exc:
            raise http.translate(exc, url) from None
        if 300 <= response.status_code < 400:
            raise PermanentError(
                f"upload {http.where(url)}: redirected "
                f"(HTTP {response.status_code}); set url to the final upload URL"
            )
        http.check(response, f"upload {artifact.filename} to")

    def finish(self, artifacts: Sequence[Artifact]) -> None:
        """Nothing to do: files on a simple index are public once uploaded."""
