"""What in a wheel or sdist states its version, and the digest of everything else.

Every member has a *role*. Version metadata (``METADATA``/``PKG-INFO``'s ``Version`` header,
a static ``[project].version`` in an sdist's pyproject.toml, the listed files of
``[tool.releasegate.promote] rewrite``) changes on promotion; RECORD is derived from the
members; the promotion record is new. The *payload digest* covers every member's relative
name, kind, mode and content, with the version written as a placeholder in the members that
state it and RECORD and the promotion record left out: equal digests prove that source and
promoted artifact differ in their version and nothing else.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.promote import spelling

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive, Member
    from releasegate._internal.promote.versions import Step

RECORD_NAME = "releasegate-promotion.json"
"""The promotion record, in the wheel's ``.dist-info`` and at the top of the sdist."""
_PLACEHOLDER = "{version}"


class Role(enum.Enum):
    PAYLOAD = "payload"
    METADATA = "metadata"
    PYPROJECT = "pyproject"
    REWRITE = "rewrite"
    VCS = "vcs"
    """setuptools-scm's ``*.egg-info/scm_version.json`` in an sdist: a rebuild reads the version
    from its ``tag`` (setuptools-scm 10), so it is version metadata like PKG-INFO."""
    RECORD = "record"
    """RECORD and its signatures: derived from the other members."""
    PROMOTION = "promotion"


@dataclass(frozen=True)
class Layout:
    """Where the version sits in one archive's member names."""

    kind: str
    """``wheel`` or ``sdist``."""
    stem: str
    """The name part of the file name (``my_pkg``), the same before and after."""
    version: str
    rewrite: tuple[str, ...] = ()
    """Project paths listed to rewrite (``src/pkg/_version.py``)."""

    def prefixes(self, version: str) -> tuple[str, ...]:
        if self.kind == "wheel":
            return (f"{self.stem}-{version}.dist-info/", f"{self.stem}-{version}.data/")
        return (f"{self.stem}-{version}/",)

    def relative(self, name: str) -> str:
        """``name`` with the version taken out of its directory: the same in source and result."""
        return self.renamed(name, "{v}")

    def renamed(self, name: str, version: str) -> str:
        for old, new in zip(self.prefixes(self.version), self.prefixes(version), strict=True):
            if name.startswith(old):
                return new + name[len(old) :]
            if name == old.rstrip("/"):
                return new.rstrip("/")
        return name

    def inner(self, name: str) -> str:
        """The path inside the project: an sdist's without its top directory, a wheel's as is."""
        top = self.prefixes(self.version)[0]
        return name[len(top) :] if self.kind == "sdist" and name.startswith(top) else name

    def role(self, name: str) -> Role:
        inner = self.inner(name)
        metadata_dir = self.name_in_dist_info(name)
        if metadata_dir is not None:
            return _DIST_INFO_ROLES.get(metadata_dir, Role.PAYLOAD)
        if self.kind == "sdist":
            if inner == "PKG-INFO" or re.fullmatch(r"(?:[^/]+/)?[^/]+\.egg-info/PKG-INFO", inner):
                return Role.METADATA
            if re.fullmatch(r"(?:[^/]+/)?[^/]+\.egg-info/scm_version\.json", inner):
                return Role.VCS
            if inner == "pyproject.toml":
                return Role.PYPROJECT
            if inner == RECORD_NAME:
                return Role.PROMOTION
        return Role.REWRITE if self.listed(inner) else Role.PAYLOAD

    def name_in_dist_info(self, name: str) -> str | None:
        prefix = self.prefixes(self.version)[0]
        return name[len(prefix) :] if self.kind == "wheel" and name.startswith(prefix) else None

    def listed(self, inner: str) -> bool:
        """A listed path matches itself, and the wheel's path as its tail (``src/`` layouts)."""
        return any(
            inner == path or path.endswith("/" + inner) or inner.endswith("/" + path)
            for path in self.rewrite
        )


_DIST_INFO_ROLES = {
    "METADATA": Role.METADATA,
    "RECORD": Role.RECORD,
    "RECORD.jws": Role.RECORD,
    "RECORD.p7s": Role.RECORD,
    RECORD_NAME: Role.PROMOTION,
}


_VERSION_HEADER = re.compile(rb"^Version:[ \t]*(\S+)[ \t]*\r?$", re.MULTILINE)
_PROJECT_VERSION = re.compile(rb"""^(\s*version\s*=\s*)(["'])([^"'\n]*)\2""")
_TABLE = re.compile(rb"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")


def set_metadata_version(content: bytes, version: str) -> bytes:
    """The ``Version`` header (the first one, in the header block) set to ``version``."""
    header_end = content.find(b"\n\n")
    match = _VERSION_HEADER.search(content, 0, header_end if header_end >= 0 else len(content))
    if match is None:
        return content
    return content[: match.start(1)] + version.encode() + content[match.end(1) :]


def set_project_version(content: bytes, old: str, new: str) -> bytes:
    """A static ``[project] version = "old"`` set to ``new``; anything else is left alone."""
    lines = content.split(b"\n")
    table = b""
    for index, line in enumerate(lines):
        header = _TABLE.match(line)
        if header:
            table = header.group(1)
            continue
        match = _PROJECT_VERSION.match(line)
        if table == b"project" and match and match.group(3).decode() == old:
            lines[index] = line[: match.start(3)] + new.encode() + line[match.end(3) :]
    return b"\n".join(lines)


def rewritten(role: Role, content: bytes, step: Step) -> bytes:
    """The member's content at ``step.target`` (unchanged for the payload)."""
    if role is Role.METADATA:
        return set_metadata_version(content, step.target)
    if role is Role.PYPROJECT:
        return set_project_version(content, step.source, step.target)
    if role in (Role.REWRITE, Role.VCS):
        return spelling.replace(content, step.source, step.target)
    return content


def _normalised(role: Role, content: bytes, version: str) -> bytes:
    if role is Role.METADATA:
        return set_metadata_version(content, _PLACEHOLDER)
    if role is Role.PYPROJECT:
        return set_project_version(content, version, _PLACEHOLDER)
    return spelling.placeholders(content, version)


def digest(archive: Archive, layout: Layout) -> str:
    """The payload digest of ``archive`` (``sha256:<hex>``); needs the content of every member
    whose role is not PAYLOAD (read with ``keep_content`` large enough)."""
    lines = []
    for member in archive.members:
        role = layout.role(member.name)
        if role in (Role.RECORD, Role.PROMOTION):
            continue
        lines.append(_line(member, role, layout))
    total = hashlib.sha256()
    for line in sorted(lines):
        total.update(line.encode("utf-8") + b"\n")
    return "sha256:" + total.hexdigest()


def _line(member: Member, role: Role, layout: Layout) -> str:
    content_hash = member.sha256 or ""
    if role is not Role.PAYLOAD and member.kind == "file":
        if member.content is None:
            raise ValueError(f"{member.name}: content not kept")
        content_hash = hashlib.sha256(_normalised(role, member.content, layout.version)).hexdigest()
    name = layout.relative(member.name).rstrip("/")
    return f"{name}\0{member.kind}\0{member.mode:o}\0{content_hash}"
