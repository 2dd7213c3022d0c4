"""Reading a project page of a simple repository: PEP 691 JSON or PEP 503 HTML.

Both parsers take untrusted bytes from a server and either return the files
listed or raise IndexFormatError saying what was expected.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = f"{JSON_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"


def index_to_read(configured: str | None) -> str | None:
    """The index metadata is read from: the configured ``index-url``, else the job's
    ``PIP_INDEX_URL`` (pip's own setting, so a private mirror serves both), else None (PyPI).

    The one place the environment is consulted for it: the license, vulns and SBOM settings
    all resolve their index here.
    """
    import os

    return configured or os.environ.get("PIP_INDEX_URL") or None


class IndexFormatError(ValueError):
    """The server's page is not a simple-repository project page."""


@dataclass(frozen=True)
class IndexFile:
    filename: str
    url: str
    sha256: str | None
    """None when the index states no sha256 (the file must then be fetched to be hashed)."""
    metadata: bool = False
    """The index serves the file's core metadata at ``url + ".metadata"`` (PEP 658 / 714)."""
    metadata_sha256: str | None = None
    """The sha256 the index states for that metadata file, when it states one."""
    yanked: bool = False
    """Withdrawn by its publisher (PEP 592): installers pick it only when pinned exactly."""
    requires_python: str | None = None
    """The file's ``Requires-Python`` as the index states it (PEP 503 / 691)."""
    upload_time: str | None = None
    """PEP 700's ``upload-time`` (ISO 8601, UTC) when the index states it (JSON pages only)."""
    yanked_reason: str | None = None
    """PEP 592's reason for a yanked file, when the index states one (``""`` is none)."""


def _valid_sha256(value: object) -> str | None:
    if (
        isinstance(value, str)
        and len(value) == 64
        and all(c in "0123456789abcdef" for c in value.lower())
    ):
        return value.lower()
    return None


def parse_json(body: bytes, base_url: str) -> list[IndexFile]:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise IndexFormatError(f"expected PEP 691 JSON: {exc}") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise IndexFormatError("expected PEP 691 JSON with a 'files' list")
    result = []
    for entry in files:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("filename"), str)
            or not isinstance(entry.get("url"), str)
        ):
            raise IndexFormatError("expected PEP 691 file entries with a filename and a url")
        hashes = entry.get("hashes")
        sha = _valid_sha256(hashes.get("sha256")) if isinstance(hashes, dict) else None
        has, meta_sha = _metadata(entry.get("core-metadata", entry.get("dist-info-metadata")))
        url = urljoin(base_url, entry["url"])
        mark = entry.get("yanked")
        yanked = mark not in (None, False)
        reason = mark if isinstance(mark, str) and mark else None
        python = entry.get("requires-python")
        python = python if isinstance(python, str) else None
        uploaded = entry.get("upload-time")
        when = uploaded if isinstance(uploaded, str) else None
        result.append(
            IndexFile(entry["filename"], url, sha, has, meta_sha, yanked, python, when, reason)
        )
    return result


def _metadata(value: object) -> tuple[bool, str | None]:
    """PEP 691's ``core-metadata``: false/absent, true, or a dict of hashes of the file."""
    if isinstance(value, dict):
        return True, _valid_sha256(value.get("sha256"))
    return value is True, None


def _metadata_attribute(value: str | None) -> tuple[bool, str | None]:
    """PEP 503/658's ``data-core-metadata``: absent, ``true``, or ``sha256=<hex>``."""
    if value is None:
        return False, None
    if value.startswith("sha256="):
        return True, _valid_sha256(value.removeprefix("sha256="))
    return value.strip().lower() != "false", None


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[tuple[str, dict[str, str | None]]] = []
        """Each link's href and its attributes (PEP 658/714 metadata, PEP 592, Requires-Python)."""
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href")
        if tag == "a" and href:
            self.hrefs.append((href, values))
        elif tag == "base" and href and self.base is None:
            self.base = href


def _from_href(href: str, values: dict[str, str | None], base_url: str) -> IndexFile | None:
    absolute = urljoin(base_url, href)
    parts = urlsplit(absolute)
    filename = unquote(parts.path.rsplit("/", 1)[-1])
    if not filename:
        return None
    sha = None
    if parts.fragment.startswith("sha256="):
        sha = _valid_sha256(parts.fragment.removeprefix("sha256="))
    # PEP 714 renamed the attribute; servers still send the PEP 658 spelling.
    meta = values.get("data-core-metadata", values.get("data-dist-info-metadata"))
    return IndexFile(
        filename,
        absolute.split("#", 1)[0],
        sha,
        *_metadata_attribute(meta),
        yanked="data-yanked" in values,
        requires_python=values.get("data-requires-python"),
        yanked_reason=values.get("data-yanked") or None,
    )


def parse_html(body: bytes, base_url: str) -> list[IndexFile]:
    parser = _Anchors()
    try:
        parser.feed(body.decode("utf-8", errors="replace"))
        parser.close()
    except (ValueError, AssertionError) as exc:  # HTMLParser raises these on broken markup
        raise IndexFormatError(f"expected PEP 503 HTML: {exc}") from None
    base = urljoin(base_url, parser.base) if parser.base else base_url
    found = (_from_href(href, values, base) for href, values in parser.hrefs)
    return [entry for entry in found if entry is not None]


def parse(body: bytes, content_type: str, base_url: str) -> list[IndexFile]:
    """Dispatch on the response's Content-Type."""
    if content_type.split(";", 1)[0].strip().lower() == JSON_TYPE:
        return parse_json(body, base_url)
    return parse_html(body, base_url)
