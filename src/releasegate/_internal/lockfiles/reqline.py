"""One requirement as written in a requirements file or a declaration: name, pin, marker, URL.

A fast path handles the ``name==version`` lines (with or without a marker) that make up
almost all of a compiled lockfile; anything else goes through ``packaging.requirements``, each
distinct string once per run: a lockfile, its includes and the pyproject.toml it is compared
with repeat the same requirements and markers (issue 22: 246 parses of 107 strings).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.requirements import Requirement

# ``name==version`` with an optional ``; marker``, the version in the canonical PEP 440 forms
# compilers write (so that packaging accepts every line matched: ``foo==0_`` is not one).
_PINNED = re.compile(
    r"([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)[ \t]*(===?)[ \t]*"
    r"((?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
    r"(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?)[ \t]*(?:;(.*))?\Z",
    re.DOTALL,
)
_SEPARATORS = re.compile(r"[-_.]+")
_VCS_SCHEMES = ("git+", "hg+", "svn+", "bzr+")
_FULL_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


def normalize(name: str) -> str:
    """PEP 503 normalisation."""
    if name.islower() and "_" not in name and "." not in name and "--" not in name:
        return name  # already normal: most names in a compiled lockfile are
    return _SEPARATORS.sub("-", name).lower()


@dataclass(frozen=True)
class ReqLine:
    name: str
    """Normalised name."""
    specifier: str
    version: str | None
    marker: str | None
    url: str | None
    extras: tuple[str, ...] = ()


class ReqLineError(ValueError):
    """The text is not a PEP 508 requirement."""


def parse_requirement(text: str) -> ReqLine:
    """Parse PEP 508 ``text``; ReqLineError with the reason when it is not one."""
    fast = _PINNED.match(text)
    written = fast.group(4) if fast is not None else None
    marker = _marker_text(written) if written is not None else None
    if fast is not None and (written is None or marker is not None):
        name, operator, version = fast.group(1, 2, 3)
        return ReqLine(normalize(name), operator + version, version, marker, None)
    return _parsed(text)


@functools.lru_cache(maxsize=4096)
def requirement(text: str) -> Requirement:
    """``packaging``'s Requirement of ``text``, parsed once per string: shared, never change it.

    InvalidRequirement when it is not one (not cached: invalid strings are rare).
    """
    from packaging.requirements import Requirement

    return Requirement(text)


@functools.lru_cache(maxsize=1024)
def _marker_text(text: str) -> str | None:
    """The marker as ``packaging`` writes it (as Requirement does); None when it is not one.

    A compiled lockfile repeats a handful of markers on hundreds of lines.
    """
    from packaging.markers import InvalidMarker, Marker

    try:
        return str(Marker(text))
    except (InvalidMarker, ValueError):
        return None  # the full parse says why


@functools.lru_cache(maxsize=4096)
def _parsed(text: str) -> ReqLine:
    from packaging.requirements import InvalidRequirement

    try:
        req = requirement(text)
    except InvalidRequirement as exc:
        raise ReqLineError(str(exc).splitlines()[0]) from None
    specs = list(req.specifier)
    pinned = specs[0].version if len(specs) == 1 and specs[0].operator in ("==", "===") else None
    if pinned is not None and "*" in pinned:
        pinned = None  # ``==1.2.*`` is a range
    marker = str(req.marker) if req.marker is not None else None
    return ReqLine(
        normalize(req.name), str(req.specifier), pinned, marker, req.url, tuple(sorted(req.extras))
    )


def is_vcs(url: str) -> bool:
    return url.startswith(_VCS_SCHEMES)


def vcs_commit(url: str) -> str | None:
    """The full commit id a VCS URL is fixed to (``...@<sha>``), or None."""
    path = url.split("#", 1)[0]
    _, at, ref = path.rpartition("@")
    if not at or "/" in ref:
        return None
    return ref if _FULL_COMMIT.match(ref) else None


def url_hash(url: str) -> tuple[str, str] | None:
    """``(algorithm, digest)`` from a ``#sha256=...`` URL fragment, or None."""
    _, _, fragment = url.partition("#")
    for part in fragment.split("&"):
        algorithm, equals, digest = part.partition("=")
        if equals and algorithm in ("sha256", "sha384", "sha512", "md5", "sha1", "sha224"):
            return algorithm, digest
    return None
