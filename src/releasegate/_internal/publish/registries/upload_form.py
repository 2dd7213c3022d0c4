"""The legacy upload API's form for one dist, prepared once and shared by every registry.

twine's PackageFile reads and validates the metadata; the form built from it does
not depend on the registry, so with four registries the dist is read, hashed and
encoded once instead of four times. Dists up to IN_MEMORY_LIMIT are encoded into
one body that every upload sends as is; larger ones are streamed from disk.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.publish.artifacts import ATTESTATION_SUFFIX
from releasegate._internal.publish.retry import PermanentError

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import requests

    from releasegate._internal.publish.artifacts import Artifact

IN_MEMORY_LIMIT = 64 * 2**20


@dataclass(frozen=True)
class Form:
    package: Any
    """twine's PackageFile."""
    body: bytes | None = None
    content_type: str | None = None


def form_fields(metadata: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The form fields: a repeated field per list item, URLs as "label, url"."""
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
    return [*fields, (":action", "file_upload"), ("protocol_version", "1")]


def _package(artifact: Artifact) -> Any:
    from twine.exceptions import TwineException
    from twine.package import PackageFile

    try:
        package = PackageFile.from_filename(str(artifact.path), None)
        attestation = artifact.companion(ATTESTATION_SUFFIX)
        if attestation is not None:
            package.add_attestations([str(attestation)])
    except TwineException as exc:
        raise PermanentError(f"{artifact.filename}: {exc}") from None
    return package


def _encode(package: Any) -> Form:
    if Path(package.filename).stat().st_size > IN_MEMORY_LIMIT:
        return Form(package)
    from urllib3 import encode_multipart_formdata

    content = Path(package.filename).read_bytes()
    fields = form_fields(package.metadata_dictionary())
    fields.append(("content", (package.basefilename, content, "application/octet-stream")))
    body, content_type = encode_multipart_formdata(fields)
    return Form(package, body, content_type)


def post(session: requests.Session, url: str, form: Form, timeout: float) -> requests.Response:
    """One upload request, without progress bar or retries of its own."""
    if form.body is not None:
        return session.post(
            url,
            data=form.body,
            allow_redirects=False,
            timeout=timeout,
            headers={"Content-Type": str(form.content_type)},
        )
    from requests_toolbelt import MultipartEncoder  # type: ignore[import-untyped]

    package = form.package
    fields = form_fields(package.metadata_dictionary())
    with Path(package.filename).open("rb") as handle:
        fields.append(("content", (package.basefilename, handle, "application/octet-stream")))
        encoder = MultipartEncoder(fields)
        return session.post(
            url,
            data=encoder,
            allow_redirects=False,
            timeout=timeout,
            headers={"Content-Type": encoder.content_type},
        )


class Forms:
    """The forms of one publish run, shared by its registries.

    One run's dists and their companions do not change while it runs, so a dist's sha256
    names its form within the run. Across runs it does not: a dist signed between two
    ``publish()`` calls in one process keeps its sha256 but gains an attestation, and a form
    remembered from the first run would upload it without. Each run makes its own.
    """

    def __init__(self) -> None:
        self._prepared: dict[str, Form] = {}
        self._lock = threading.Lock()
        self._warm = threading.Event()

    def prepare(self, artifact: Artifact) -> Form:
        """The form of ``artifact``, built by the first registry that needs it."""
        with self._lock:
            if artifact.sha256 not in self._prepared:
                self._prepared[artifact.sha256] = _encode(_package(artifact))
            return self._prepared[artifact.sha256]

    def _prepare_all(self, artifacts: Sequence[Artifact]) -> None:
        for artifact in artifacts:
            try:
                self.prepare(artifact)
            except Exception:  # noqa: BLE001 - the upload's own prepare() meets it again and says why
                return

    def warm_up(self, artifacts: Sequence[Artifact]) -> None:
        """Import twine and build the forms on a thread of their own while the plan's page
        read waits on the network: uploads need them as soon as the plan is known."""
        if not self._warm.is_set():
            self._warm.set()
            threading.Thread(
                target=self._prepare_all, args=(artifacts,), name="prepare-forms", daemon=True
            ).start()
