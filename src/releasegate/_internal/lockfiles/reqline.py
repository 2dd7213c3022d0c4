"""One requirement as written in a requirements file or a declaration: name, pin, marker, URL.

A fast path handles the ``name==version`` lines that make up almost all of a
compiled lockfile; anything else goes through ``packaging.requirements``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PINNED = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(===?)\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*)\s*\Z")
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
    if fast is not None:
        return ReqLine(
            normalize(fast.group(1)), fast.group(2) + fast.group(3), fast.group(3), None, None
        )
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(text)
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
