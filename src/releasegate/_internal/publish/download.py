"""A release's sdist and wheels from a simple index, checked against the index's hashes.

``releasegate rebuild NAME==VERSION`` and ``releasegate promote --from`` start here: the
project page is read as PEP 691 JSON or PEP 503 HTML (``simple_index.py``), through the one
HTTP session factory, and each file is kept only when its sha256 is the one the index states.
Names come from the index, so they are checked as distribution file names before they become
paths.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    import requests

    from releasegate._internal import http
    from releasegate._internal.simple_index import IndexFile

PYPI_SIMPLE = "https://pypi.org/simple/"
MAX_DOWNLOAD = 512 * 1024 * 1024
"""No sdist or wheel worth rebuilding is larger; a server that sends more is refused."""


@dataclass(frozen=True)
class Release:
    """What was downloaded for one ``NAME==VERSION``."""

    name: str
    version: str
    sdist: Path
    wheels: tuple[Path, ...]
    """The wheels this machine can rebuild: pure ones, else the best one for this interpreter."""
    skipped: tuple[str, ...]
    """Wheels of the release for other platforms or interpreters (not downloaded)."""
    unhashed: tuple[str, ...]
    """Downloaded files for which the index stated no sha256 (nothing to check them against)."""


def parse_pin(text: str) -> tuple[str, str]:
    """``NAME==VERSION`` -> (canonical name, normalised version), or a UsageError."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name, canonicalize_version

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        requirement = None
    specs = list(requirement.specifier) if requirement is not None else []
    if (
        requirement is None
        or len(specs) != 1
        or specs[0].operator != "=="
        or "*" in specs[0].version
    ):
        raise UsageError(
            f"{quoted(text)}: expected NAME==VERSION (one exact version)", hint="e.g. httpx==0.28.1"
        )
    return canonicalize_name(requirement.name), canonicalize_version(specs[0].version)


def _version_of(filename: str, name: str) -> tuple[str, str] | None:
    """(kind, normalised version) of a distribution file of ``name``; None for anything else."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        canonicalize_version,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    if "/" in filename or "\\" in filename or filename.startswith("."):
        return None  # never a path: the name becomes one below
    try:
        if filename.endswith(".whl"):
            found, version, _, _ = parse_wheel_filename(filename)
            kind = "wheel"
        elif filename.endswith(".tar.gz"):
            found, version = parse_sdist_filename(filename)
            kind = "sdist"
        else:
            return None
    except (InvalidSdistFilename, InvalidWheelFilename):
        return None
    if found != name:
        return None
    return kind, canonicalize_version(version)


def _rebuildable(wheels: list[IndexFile]) -> tuple[list[IndexFile], list[IndexFile]]:
    """The pure wheels (or, without one, the best wheel for this interpreter), and the rest."""
    from packaging.tags import sys_tags
    from packaging.utils import parse_wheel_filename

    pure = [
        w for w in wheels if any(t.platform == "any" for t in parse_wheel_filename(w.filename)[3])
    ]
    if pure:
        return pure, [w for w in wheels if w not in pure]
    rank = {tag: number for number, tag in enumerate(sys_tags())}
    best = min(
        wheels,
        key=lambda w: min(rank.get(t, len(rank)) for t in parse_wheel_filename(w.filename)[3]),
        default=None,
    )
    if best is None or all(t not in rank for t in parse_wheel_filename(best.filename)[3]):
        return [], wheels
    return [best], [w for w in wheels if w is not best]


def _get(session: requests.Session, url: str, **kwargs: object) -> requests.Response:
    import requests

    try:
        response = session.get(url, **kwargs)  # type: ignore[arg-type]
    except requests.RequestException as exc:
        raise FatalError(f"cannot reach {url}: {type(exc).__name__}: {exc}") from None
    return response


def index_files(session: requests.Session, index_url: str, name: str) -> list[IndexFile]:
    """Every file the index lists for ``name``."""
    from releasegate._internal import simple_index

    page = f"{index_url.rstrip('/')}/{name}/"
    response = _get(session, page, headers={"Accept": simple_index.ACCEPT})
    if response.status_code == 404:
        raise FatalError(f"{page}: the index has no project {name}")
    if response.status_code != 200:
        raise FatalError(f"{page}: the index answered HTTP {response.status_code}")
    try:
        return simple_index.parse(
            response.content, response.headers.get("Content-Type", ""), response.url
        )
    except simple_index.IndexFormatError as exc:
        raise FatalError(f"{page}: {exc}") from None


def _download(session: requests.Session, entry: IndexFile, target: Path) -> None:
    """Stream ``entry`` to ``target``; refuse it unless its sha256 is the index's."""
    response = _get(session, entry.url, stream=True)
    with response:
        if response.status_code != 200:
            raise FatalError(f"{entry.url}: the index answered HTTP {response.status_code}")
        digest, size = hashlib.sha256(), 0
        partial = target.with_name(target.name + ".partial")
        with partial.open("wb") as out:
            for chunk in response.iter_content(1 << 16):
                size += len(chunk)
                if size > MAX_DOWNLOAD:
                    raise FatalError(f"{entry.url}: larger than {MAX_DOWNLOAD} bytes, refused")
                digest.update(chunk)
                out.write(chunk)
    if entry.sha256 is not None and digest.hexdigest() != entry.sha256:
        partial.unlink()
        raise FatalError(
            f"{entry.filename}: the download's sha256 is {digest.hexdigest()}, the index states "
            f"{entry.sha256}; refusing to rebuild against it",
            hint="the file changed in transit or on a mirror: compare with the index's origin",
        )
    partial.replace(target)


def download_release(text: str, index_url: str, folder: Path) -> Release:
    """Download ``NAME==VERSION``'s sdist and rebuildable wheels from ``index_url`` to ``folder``."""
    from releasegate._internal import http

    name, version = parse_pin(text)
    session = http.session()
    files = index_files(session, index_url, name)
    mine = [(f, _version_of(f.filename, name)) for f in files]
    sdists = [f for f, found in mine if found == ("sdist", version)]
    wheels = [f for f, found in mine if found == ("wheel", version)]
    if not sdists:
        raise FatalError(
            f"{index_url}: {name} {version} has no sdist (.tar.gz) on the index",
            hint="a wheel can only be rebuilt from its published sdist",
        )
    chosen, others = _rebuildable(wheels)
    if not chosen:
        raise FatalError(
            f"{index_url}: {name} {version} has no wheel this machine can rebuild"
            + (f" (only {', '.join(w.filename for w in wheels)})" if wheels else ""),
        )
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in [sdists[0], *chosen]:
        target = folder / entry.filename
        _download(session, entry, target)
        paths.append(target)
    unhashed = tuple(e.filename for e in [sdists[0], *chosen] if e.sha256 is None)
    return Release(
        name, version, paths[0], tuple(paths[1:]), tuple(w.filename for w in others), unhashed
    )


MAX_BUNDLE = 1024 * 1024
"""A Sigstore bundle is a few kilobytes; a server that sends more is not sending one."""


def _bundle(
    session: requests.Session, entry: IndexFile, target: Path, suffixes: Sequence[str]
) -> Path | None:
    """The bundle served beside ``entry`` (``<file URL><suffix>``), saved beside ``target``."""
    base = entry.url.split("#", 1)[0]
    for suffix in suffixes:
        response = _get(session, base + suffix, stream=True)
        with response:
            if response.status_code != 200:
                continue  # 404 from most indexes: no bundle published there
            data = b""
            for chunk in response.iter_content(1 << 14):
                data += chunk
                if len(data) > MAX_BUNDLE:
                    raise FatalError(f"{base}{suffix}: larger than {MAX_BUNDLE} bytes, refused")
        saved = target.with_name(target.name + suffix)
        saved.write_bytes(data)
        return saved
    return None


def download_version(
    text: str,
    index_url: str,
    folder: Path,
    *,
    credential: http.Credential | None = None,
    bundle_suffixes: Sequence[str] = (),
) -> list[Path]:
    """Every sdist and wheel of ``NAME==VERSION`` on ``index_url``, each checked against the
    index's sha256, with the Sigstore bundle the index serves beside it (when it serves one)."""
    from releasegate._internal import http

    name, version = parse_pin(text)
    session = http.session(credential)
    files = index_files(session, index_url, name)
    chosen = [f for f in files if (_version_of(f.filename, name) or ("", ""))[1] == version]
    if not chosen:
        raise FatalError(f"{index_url}: no sdist or wheel of {text} on the index")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for entry in chosen:
        target = folder / entry.filename
        _download(session, entry, target)
        _bundle(session, entry, target, bundle_suffixes)
        paths.append(target)
    return paths
