"""The license fields of one locked version of a dependency, from that version's own metadata.

Never from whatever happens to be installed beside releasegate (in CI that environment
never holds the project's dependencies). In order: the installed distribution when
exactly that version is installed; the cache; the index's PEP 658/714 metadata file
(``<file>.metadata``, announced in the simple index); else the locked wheel or sdist,
downloaded, checked against the lockfile's sha256 and read in memory. What was found is
cached under the locked hashes, so a second run is offline and fast; misses are fetched
in parallel. When nothing answers, the reason is returned, never a guess.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import quoted
from releasegate._internal.metadata import cache

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from concurrent.futures import Future
    from importlib.metadata import Distribution

    import requests

    from releasegate._internal.simple_index import IndexFile

NAMESPACE = "dependency-licenses"
NAMESPACE_NEWEST = "dependency-newest"
NAMESPACE_FAILED = "dependency-lookup-failed"
FAILURE_TTL = 15 * 60
"""Seconds a failed lookup (a timeout, an index that cannot be reached) is remembered: the
next run does not wait for it again, and an index that came back is asked soon enough."""
WORKERS = 8
MAX_DOWNLOAD = 64 * 1024 * 1024
"""A locked artifact larger than this is not downloaded for its metadata."""
DEFAULT_INDEX = "https://pypi.org/simple/"


@dataclass(frozen=True)
class Wanted:
    """One locked version whose license is needed."""

    name: str
    """PEP 503 normalised."""
    version: str
    hashes: tuple[str, ...] = ()
    """The sha256 digests the lockfile allows (lower-case hex); empty when it records none."""


@dataclass(frozen=True)
class CoreMetadata:
    """One version's core metadata as the index serves it, never as a build would make it."""

    text: str
    origin: str
    from_sdist: bool
    """Read from an sdist's PKG-INFO: its Requires-Dist holds only from Metadata 2.2 on, and
    only when not ``Dynamic`` (older ones are known only by building the sdist)."""

    def fields(self) -> LicenseFields:
        return fields_from_text(self.text, self.origin)


@dataclass(frozen=True)
class LicenseFields:
    """The metadata fields a license is read from."""

    expression: str | None
    license: str | None
    classifiers: tuple[str, ...]
    origin: str
    """Where they were read: installed metadata, the index's metadata file, the wheel, the sdist."""

    def to_json(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "license": self.license,
            "classifiers": list(self.classifiers),
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, value: Any) -> LicenseFields | None:
        if not isinstance(value, dict) or not isinstance(value.get("classifiers"), list):
            return None
        return cls(
            value.get("expression"),
            value.get("license"),
            tuple(str(c) for c in value["classifiers"]),
            str(value.get("origin")),
        )


def fields_from(meta: Any, origin: str) -> LicenseFields:
    """From an ``email.message.Message`` (or importlib's PackageMetadata)."""
    license_text = meta.get("License")
    return LicenseFields(
        meta.get("License-Expression"),
        license_text[:300] if isinstance(license_text, str) else None,
        tuple(c for c in meta.get_all("Classifier") or () if c.startswith("License ::")),
        origin,
    )


def fields_from_text(text: str, origin: str) -> LicenseFields:
    from email.parser import HeaderParser

    return fields_from(HeaderParser().parsestr(text), origin)


def cache_key(wanted: Wanted, index_url: str) -> str:
    # Hashes pin the artifacts; without them the index is the only identity there is.
    return cache.key(wanted.name, wanted.version, *(sorted(wanted.hashes) or [index_url]))


class Fetcher:
    """Finds the license fields of many locked versions; one instance per gate run."""

    def __init__(
        self,
        index_url: str | None,
        installed: Mapping[str, Distribution],
        *,
        offline: bool = False,
        ambient_credentials: bool = True,
    ) -> None:
        self.index_url = (index_url or DEFAULT_INDEX).rstrip("/") + "/"
        self.installed = installed
        self.offline = offline
        """Only exactly-installed versions and the cache; the index is never asked."""
        self.ambient_credentials = ambient_credentials
        """False for an index the checkout named: ``~/.netrc`` is not sent to it."""
        self._local = threading.local()
        self._down: str | None = _remembered_failure(self.index_url)
        """Why the index cannot be reached, once one request has failed to connect (or one
        did within FAILURE_TTL, in an earlier run)."""
        self._lock = threading.Lock()
        self._answers: dict[Wanted, Future[LicenseFields | str]] = {}
        """Every version asked of this reader: the members of a workspace that share it ask
        for the same dependency at once, and one lookup answers them all."""
        self._reported: set[tuple[str, str | None, str]] = set()

    def fields_all(self, wanted: Iterable[Wanted]) -> dict[Wanted, LicenseFields | str]:
        """Each version's fields, or the reason they could not be found."""
        from concurrent.futures import Future

        mine: list[Wanted] = []
        answers: dict[Wanted, Future[LicenseFields | str]] = {}
        with self._lock:
            for item in wanted:
                if item not in self._answers:
                    self._answers[item] = Future()
                    mine.append(item)
                answers[item] = self._answers[item]
        try:
            for item, result in self._lookup(mine).items():
                answers[item].set_result(result)
        finally:
            for item in mine:  # never leave another member waiting on a lookup that raised
                if not answers[item].done():
                    answers[item].set_result(f"{item.name} {item.version}: lookup failed")
        return {item: answer.result() for item, answer in answers.items()}

    def first_report(self, name: str, version: str | None, reason: str) -> bool:
        """True the first time this failure is asked about: it is reported once per run."""
        with self._lock:
            key = (name, version, reason)
            first = key not in self._reported
            self._reported.add(key)
            return first

    def _lookup(self, wanted: list[Wanted]) -> dict[Wanted, LicenseFields | str]:
        found: dict[Wanted, LicenseFields | str] = {}
        missing: list[Wanted] = []
        for item in wanted:
            local = self._local_fields(item)
            if local is None:
                missing.append(item)
            else:
                found[item] = local
        if self.offline:
            why = "offline: not installed at exactly this version, and not in the cache"
            found.update((item, f"{item.name} {item.version}: {why}") for item in missing)
        elif len(missing) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(min(WORKERS, len(missing))) as pool:
                found.update(zip(missing, pool.map(self._remote, missing), strict=True))
        elif missing:
            found[missing[0]] = self._remote(missing[0])
        return found

    def _local_fields(self, wanted: Wanted) -> LicenseFields | str | None:
        dist = self.installed.get(wanted.name)
        if dist is not None and _same_version(dist.version, wanted.version):
            return fields_from(dist.metadata, "installed metadata")
        key = cache_key(wanted, self.index_url)
        known = LicenseFields.from_json(cache.get(NAMESPACE, key))
        return known if known is not None or self.offline else _remembered_failure(key)

    def _remote(self, wanted: Wanted) -> LicenseFields | str:
        import requests

        try:
            result = self._fetch(wanted)
        except (ValueError, requests.RequestException) as exc:  # a broken or hostile reply
            result = f"{wanted.name} {wanted.version}: {exc}"
        key = cache_key(wanted, self.index_url)
        if isinstance(result, LicenseFields):
            cache.put(NAMESPACE, key, result.to_json())
        elif result != self._down:  # the index's outage is remembered once, for the index
            _remember_failure(key, result)
        return result

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            from releasegate._internal.http import session as new_session

            session = self._local.session = new_session(netrc=self.ambient_credentials)
        return session

    def _get(self, url: str, **headers: str) -> requests.Response | str:
        import requests

        if self._down is not None:
            return self._down
        try:
            response = self._session().get(url, headers=headers, stream=True)
        except requests.ConnectionError as exc:
            self._down = f"the index {self.index_url} cannot be reached ({type(exc).__name__})"
            _remember_failure(self.index_url, self._down)
            return self._down
        except requests.RequestException as exc:
            return f"{url}: {type(exc).__name__}"
        if response.status_code != 200:
            response.close()
            return f"{url} answered HTTP {response.status_code}"
        return response

    def _fetch(self, wanted: Wanted) -> LicenseFields | str:
        found = self.core_metadata(wanted)
        return found if isinstance(found, str) else found.fields()

    def core_metadata(self, wanted: Wanted) -> CoreMetadata | str:
        """The version's metadata from the index: its metadata file, else a wheel's METADATA,
        else an sdist's PKG-INFO, each read as data (nothing is built or installed)."""
        import requests

        if self.offline:
            return f"{wanted.name} {wanted.version}: offline, the index is not asked"
        try:
            return self._core_metadata(wanted)
        except (ValueError, requests.RequestException) as exc:  # a broken, hostile or huge reply
            # The resolver asks here directly: this was an internal error (exit 3) on autogen's
            # llama-cpp-python sdist, over the download bound (issue 30).
            return f"{wanted.name} {wanted.version}: {exc}"

    def _core_metadata(self, wanted: Wanted) -> CoreMetadata | str:
        files = self._files(wanted)
        if isinstance(files, str):
            return files
        with_metadata = [f for f in files if f.metadata]
        for file in with_metadata[:1]:
            found = self._metadata_file(file)
            if isinstance(found, CoreMetadata):
                return found
        # Wheels first: their METADATA is final, an sdist's PKG-INFO may predate the build.
        files.sort(key=lambda f: not f.filename.endswith(".whl"))
        return self._artifact(wanted, files[0])

    def listing(self, name: str) -> list[IndexFile] | str:
        """The files the index lists for ``name``, or why it could not be read."""
        if self.offline:
            return f"{name}: offline, the index is not asked"
        return self._listing(name)

    def newest(self, name: str, specifier: str) -> Wanted | str:
        """The newest version the index has that ``specifier`` allows, remembered in the cache.

        For a requirement pip did not resolve because its marker excludes this platform:
        it is still shipped to someone, so its license is still checked.
        """
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import Version

        key = cache.key(name, specifier, self.index_url)
        known = cache.get(NAMESPACE_NEWEST, key)
        if isinstance(known, str):
            return Wanted(name, known)
        listed = self._listing(name)
        if isinstance(listed, str):
            return listed
        versions = {v for f in listed if (v := file_version(f.filename, name)) is not None}
        try:
            allowed = list(SpecifierSet(specifier).filter(versions))
        except InvalidSpecifier:
            return f"{name}: invalid specifier {quoted(specifier)}"
        if not allowed:
            return f"{name}: no version on {self.index_url} matches {quoted(specifier)}"
        best = max(allowed, key=Version)
        cache.put(NAMESPACE_NEWEST, key, best)
        return Wanted(name, best)

    def _listing(self, name: str) -> list[IndexFile] | str:
        from releasegate._internal import simple_index

        page = f"{self.index_url}{name}/"
        response = self._get(page, Accept=simple_index.ACCEPT)
        if isinstance(response, str):
            return response
        try:
            return simple_index.parse(
                _bounded(response), response.headers.get("Content-Type", ""), response.url
            )
        except (simple_index.IndexFormatError, ValueError) as exc:
            return f"{page}: {exc}"

    def _files(self, wanted: Wanted) -> list[IndexFile] | str:
        page = f"{self.index_url}{wanted.name}/"
        listed = self._listing(wanted.name)
        if isinstance(listed, str):
            return listed
        files = [
            f
            for f in listed
            if _same_version(file_version(f.filename, wanted.name), wanted.version)
        ]
        if wanted.hashes:
            files = [f for f in files if f.sha256 is None or f.sha256 in wanted.hashes]
        if not files:
            return f"{wanted.name} {wanted.version}: no file with a locked hash on {page}"
        return files

    def _metadata_file(self, file: IndexFile) -> CoreMetadata | str:
        import hashlib

        response = self._get(file.url + ".metadata")
        if isinstance(response, str):
            return response
        body = _bounded(response)
        if file.metadata_sha256 and hashlib.sha256(body).hexdigest() != file.metadata_sha256:
            return f"{file.filename}.metadata does not match the sha256 the index states"
        return CoreMetadata(body.decode("utf-8", "replace"), "the index's metadata file", False)

    def _wheel_metadata(self, file: IndexFile) -> CoreMetadata | bytes | None:
        """The wheel's METADATA by range requests (``lazywheel``); the whole wheel when it fit in
        the first request (hash-checked then); None when the server does not answer ranges."""
        from releasegate._internal.metadata import lazywheel

        if self._down is not None:
            return None  # _get says why
        try:
            found = lazywheel.metadata(
                self._session(), file.url, lambda response: _bounded(response, lazywheel.BLOCK)
            )
        except lazywheel.RangeUnsupported as exc:
            exc.args[0].close()
            return None
        if isinstance(found, bytes):
            return found
        return CoreMetadata(found, "the locked wheel's METADATA (read by range requests)", False)

    def _artifact(self, wanted: Wanted, file: IndexFile) -> CoreMetadata | str:
        import hashlib

        from releasegate._internal.archives import read_archive_bytes, sdist_prefix

        body = self._wheel_metadata(file) if file.filename.endswith(".whl") else None
        if isinstance(body, CoreMetadata):
            return body
        if body is None:
            response = self._get(file.url)
            if isinstance(response, str):
                return response
            body = _bounded(response, MAX_DOWNLOAD)
        digest = hashlib.sha256(body).hexdigest()
        expected = set(wanted.hashes) or ({file.sha256} if file.sha256 else set())
        if expected and digest not in expected:
            return f"{file.filename}: sha256 {digest} is not the locked hash"
        archive = read_archive_bytes(file.filename, body)
        if file.filename.endswith(".whl"):
            names = [n for n in archive.files() if n.count("/") == 1]
            member = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
            origin = "the locked wheel"
        else:
            prefix = sdist_prefix(archive)
            member = f"{prefix}/PKG-INFO" if prefix else "PKG-INFO"
            origin = "the locked sdist"
        text = archive.text(member) if member else None
        if text is None:
            return f"{file.filename}: no readable metadata inside"
        return CoreMetadata(text, origin, not file.filename.endswith(".whl"))


def _remember_failure(key: str, why: str) -> None:
    import time

    cache.put(NAMESPACE_FAILED, key, {"why": why, "at": time.time()})


def _remembered_failure(key: str) -> str | None:
    """A failure of the last FAILURE_TTL seconds, said as remembered (and until when)."""
    import time

    known = cache.get(NAMESPACE_FAILED, key)
    if not isinstance(known, dict) or not isinstance(known.get("why"), str):
        return None
    at = known.get("at")
    if not isinstance(at, (int, float)) or not 0 <= time.time() - at < FAILURE_TTL:
        return None
    again = time.strftime("%H:%M:%S UTC", time.gmtime(at + FAILURE_TTL))
    return f"{known['why']}; remembered from an earlier lookup, asked again after {again}"


def _bounded(response: requests.Response, limit: int = 16 * 1024 * 1024) -> bytes:
    """The body, refusing more than ``limit`` bytes (a hostile or broken server)."""
    chunks: list[bytes] = []
    size = 0
    stated = response.headers.get("Content-Length", "")
    if stated.isdigit() and int(stated) > limit:
        # Said before a byte is read: torch's and CUDA's wheels (hundreds of MB, no metadata
        # file) cost a minute each to refuse after downloading the first 64 MB (issue 30).
        response.close()
        raise ValueError(f"{response.url}: {int(stated)} bytes, more than {limit}")
    with response:
        for chunk in response.iter_content(1024 * 1024):
            size += len(chunk)
            if size > limit:
                raise ValueError(f"{response.url}: more than {limit} bytes")
            chunks.append(chunk)
    return b"".join(chunks)


def _same_version(left: str | None, right: str) -> bool:
    from packaging.version import Version

    if left is None:
        return False
    try:
        return Version(left) == Version(right)
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        return left == right


def file_version(filename: str, name: str) -> str | None:
    """The version a wheel or sdist file name states for ``name``; None for other files."""
    from packaging.utils import canonicalize_name

    from releasegate._internal.lockfiles.consistency import file_identity

    identity = file_identity(filename)
    return identity[1] if identity and identity[0] == canonicalize_name(name) else None
