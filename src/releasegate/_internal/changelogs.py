"""The project's changelog: where it is, and the version its top entry names.

Real changelogs differ (measured on attrs, httpx, click, flask, packaging, pluggy, requests,
poetry...): Markdown or reST headings, ``## [1.5.0] - 2026-01-01``, ``## 1.5.0 (unreleased)``,
``## Version 8.5.0`` over an "Unreleased" line, ``pluggy 1.6.0 (2025-05-15)``, ``dev`` or
``*unreleased*`` sections with sub-headings of their own. A heading that names no version
(a date, "Unreleased") never lends its digits to the version; what cannot be read is skipped
with a note rather than misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.paths import read_text_inside

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

AUTO = "auto"
CANDIDATES = tuple(
    f"{stem}{suffix}"
    for stem in ("CHANGELOG", "CHANGES", "HISTORY", "NEWS", "RELEASE_NOTES")
    for suffix in (".md", ".rst", ".txt", "")
)
_MD_HEADING = re.compile(r"^(?P<marks>#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+_.:])\1{2,}\s*$")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>`_|`_")
# Case-sensitive on purpose: IGNORECASE makes this pattern cost 1.4 ms to compile (hook latency).
_VERSION = re.compile(
    r"^(?:[A-Za-z][\w.-]*\s+)?\[?v?(?P<version>\d+(?:\.\d+)+"
    r"(?:[-.]?(?:a|b|c|rc|alpha|beta|pre|preview|dev|post)[.-]?\d*)*(?:\+[0-9A-Za-z.]+)?)"
    r"(?=$|[\s\]\[(),:;*_-])"
)
_DATE_ONLY = re.compile(r"^\[?\d{4}-\d{2}-\d{2}\]?\s*$")
_UNRELEASED = re.compile(
    r"\b(unreleased|not yet released|upcoming|in development|in progress|tbd|tba)\b"
    r"|^\W*(dev|development|main|master|next|head)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    line: int
    after: str
    """The first non-empty line of its body ("Unreleased" under ``## Version 8.5.0``)."""


@dataclass(frozen=True)
class Entry:
    """The top entry of the changelog that names a version."""

    version: str
    line: int
    released: bool


@dataclass(frozen=True)
class Reading:
    path: str
    entry: Entry | None
    note: str | None = None
    """Why no entry was read, when the changelog is there but cannot be read right."""


MAX_CHANGELOG = 16 * 1024 * 1024
"""Far above any real changelog (a few hundred KB); more is not read."""


def find(root: Path, configured: str) -> str | None:
    """The changelog's path: the configured one, or the first usual name that exists."""
    if not configured:
        return None
    if configured != AUTO:
        return configured
    return next((name for name in CANDIDATES if (root / name).is_file()), None)


def _body_line(lines: list[str], start: int) -> str:
    for line in lines[start:]:
        if line.strip():
            return line.strip()
    return ""


def _headings(text: str) -> Iterator[Heading]:
    """Markdown ATX headings and reST section titles, with reST levels by order of appearance."""
    lines = text.splitlines()
    rest_levels: list[str] = []
    fenced = False
    for index, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced:
            continue
        md = _MD_HEADING.match(line)
        if md:
            yield Heading(
                len(md.group("marks")), md.group("text"), index + 1, _body_line(lines, index + 1)
            )
            continue
        below = lines[index + 1] if index + 1 < len(lines) else ""
        under = _UNDERLINE.match(below)
        title = line.strip()
        if under and title and not _UNDERLINE.match(line) and len(below.strip()) >= len(title) - 1:
            overlined = index > 0 and lines[index - 1].strip() == below.strip()
            style = ("o" if overlined else "") + under.group(1)
            if style not in rest_levels:
                rest_levels.append(style)
            yield Heading(
                rest_levels.index(style) + 1, title, index + 1, _body_line(lines, index + 2)
            )


def _plain(text: str) -> str:
    """Heading text without link targets and emphasis: ``[1.0](url) - x`` -> ``[1.0] - x``."""
    return _LINK_TARGET.sub("]", text).replace("**", "").replace("`", "").strip()


def top_entry(text: str) -> Entry | str | None:
    """The first entry naming a version; a note (str) when the headings name no versions."""
    skip_below: int | None = None  # inside an unreleased section: its sub-headings are not entries
    for heading in _headings(text):
        if skip_below is not None and heading.level > skip_below:
            continue
        skip_below = None
        plain = _plain(heading.text)
        match = _VERSION.match(plain.lstrip("*_ "))
        if match is None:
            if _DATE_ONLY.match(plain):
                return "its entries are headed by dates, not versions"
            if _UNRELEASED.search(plain):
                skip_below = heading.level
            continue
        unreleased = bool(
            _UNRELEASED.search(plain[match.end() :]) or _UNRELEASED.match(heading.after)
        )
        return Entry(match.group("version"), heading.line, released=not unreleased)
    return None


def read(root: Path, configured: str) -> Reading | None:
    """The changelog and its top entry; None when there is no changelog to read."""
    path = find(root, configured)
    if path is None:
        return None
    try:
        # The checkout's file: inside it after links, a regular file, bounded (a link to
        # /dev/zero or to a secret outside must not be read).
        text = read_text_inside(root, root / path, MAX_CHANGELOG)
    except OSError as exc:
        # Said, never silent: the gate's note names the file and why it was refused.
        return Reading(path, None, note=f"not read: {exc.strerror or exc}")
    entry = top_entry(text)
    if isinstance(entry, str):
        return Reading(path, None, note=entry)
    return Reading(path, entry)
