"""One requirement as written in a requirements file or a declaration: name, pin, marker, URL.

Fast paths handle the forms that make up almost all of a compiled lockfile (``name==version``)
and of a declaration (``name[extra]>=1,<2; python_version < "3.11"``): a hook that reads only
such forms never imports ``packaging.requirements`` and ``packaging.markers``, which cost it
more than a tenth of its run (issue 22). They accept only text that ``packaging`` accepts and
give the same name, extras, specifier and marker text (tests/lockfiles/test_reqline_fastpath.py checks
this against packaging with generated requirements); anything else goes through
``packaging.requirements``, each distinct string once per run: a lockfile, its includes and
the pyproject.toml it is compared with repeat the same requirements and markers.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, NamedTuple

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
_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# A declaration without URL or parentheses: name, extras, comma-separated specifiers, marker.
_DECLARED = re.compile(
    rf"[ \t]*({_NAME})[ \t]*(?:\[([^\]]*)\])?[ \t]*([^;@\[\]()'\"]*?)[ \t]*(?:;(.*))?\Z",
    re.DOTALL,
)
_EXTRA = re.compile(rf"[ \t]*({_NAME})[ \t]*\Z")
_RELEASE = r"[0-9]+(?:\.[0-9]+)*"
_SUFFIXES = r"(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?"
# One specifier in forms packaging accepts for its operator: ``.*`` only after a release with
# ``==``/``!=``, ``~=`` with at least two release parts; no ``===``, epochs or local versions.
_SPECIFIER = re.compile(
    rf"[ \t]*(?:((?:==|!=)[ \t]*{_RELEASE}\.\*)|((?:==|!=|<=|>=|<|>)[ \t]*{_RELEASE}{_SUFFIXES})"
    rf"|(~=[ \t]*[0-9]+(?:\.[0-9]+)+{_SUFFIXES}))[ \t]*\Z"
)
# Marker variables that hold one string (the set-valued ``extras``/``dependency_groups`` and
# the legacy dotted names go through packaging).
_MARKER_VARIABLES = (
    "python_version|python_full_version|implementation_version|platform_release|os_name|"
    "sys_platform|platform_system|platform_version|platform_machine|"
    "platform_python_implementation|implementation_name|extra"
)
# One token of a marker made of ``variable op "value"`` comparisons, ``and``/``or`` and
# parentheses: every comparison of these operators is defined for every value (packaging
# evaluates them as versions when it can, else as strings), so such a marker always evaluates.
_MARKER_TOKEN = re.compile(
    rf"[ \t]*(?:(\()|(\))|({_MARKER_VARIABLES})[ \t]*(<=|>=|==|!=|<|>)[ \t]*"
    r"""(?:'([^'"]*)'|"([^'"]*)")|(and|or)(?=[ \t(]))[ \t]*"""
)
_MARKER_DEPTH = 8
_SEPARATORS = re.compile(r"[-_.]+")
_VCS_SCHEMES = ("git+", "hg+", "svn+", "bzr+")
_FULL_COMMIT = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?\Z")


def normalize(name: str) -> str:
    """PEP 503 normalisation."""
    if name.islower() and "_" not in name and "." not in name and "--" not in name:
        return name  # already normal: most names in a compiled lockfile are
    return _SEPARATORS.sub("-", name).lower()


class ReqLine(NamedTuple):
    """One requirement, read (a NamedTuple: a hook defines it in a seventh of a dataclass's time)."""

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
    return _declared(text) or _parsed(text)


@functools.lru_cache(maxsize=4096)
def _declared(text: str) -> ReqLine | None:
    """``text`` read without packaging when it is in the plain declared form; None otherwise."""
    found = _DECLARED.match(text)
    if found is None:
        return None
    name, extras_text, specifiers_text, marker_written = found.groups()
    extras: list[str] = []
    if extras_text is not None:
        for part in extras_text.split(","):
            extra = _EXTRA.match(part)
            if extra is None:
                return None  # ``a[]``, ``a[x,]``: packaging decides
            extras.append(extra.group(1))
    specifiers: list[str] = []
    if specifiers_text:
        for part in specifiers_text.split(","):
            one = _SPECIFIER.match(part)
            if one is None:
                return None
            written = next(group for group in one.groups() if group is not None)
            specifiers.append(written.replace(" ", "").replace("\t", ""))
    operators = [spec[: len(spec) - len(spec.lstrip("<>=!~"))] for spec in specifiers]
    if len(set(operators)) < len(operators):
        return None  # packaging's specifier set drops equivalent specifiers (``>=1,>=1.0``)
    marker = None
    if marker_written is not None:
        marker = _simple_marker(marker_written)
        if marker is None:
            return None
    pinned = None
    if len(specifiers) == 1 and specifiers[0].startswith("==") and "*" not in specifiers[0]:
        pinned = specifiers[0][2:]
    # As packaging writes a specifier set: its specifiers sorted, joined by commas.
    return ReqLine(
        normalize(name),
        ",".join(sorted(specifiers)),
        pinned,
        marker,
        None,
        tuple(sorted(set(extras))),
    )


def canonical(text: str) -> str | None:
    """``str(packaging.requirements.Requirement(text))`` for a plain declaration; else None."""
    line = _declared(text)
    found = _DECLARED.match(text)
    if line is None or found is None:
        return None
    extras = f"[{','.join(line.extras)}]" if line.extras else ""
    marker = f"; {line.marker}" if line.marker else ""
    return f"{found.group(1)}{extras}{line.specifier}{marker}"


def _simple_marker(text: str) -> str | None:
    """The marker as packaging writes it when it is made only of plain comparisons; else None."""
    tokens = _marker_tokens(text)
    parsed = _marker_chain(tokens, 0, 0) if tokens else None
    if parsed is None:
        return None
    written, end, parts = parsed
    if end != len(tokens) or (parts == 1 and written.startswith("(")):
        return None  # packaging drops the parentheses around a whole marker
    return written


def _marker_tokens(text: str) -> list[tuple[str, str]]:
    """``(kind, text)`` tokens; empty when something is outside the plain form."""
    tokens = []
    position = 0
    while position < len(text):
        token = _MARKER_TOKEN.match(text, position)
        if token is None or token.end() == position:
            return []
        opening, closing, variable, operator, single, double, joiner = token.groups()
        if opening or closing:
            tokens.append((opening or closing, ""))
        elif joiner:
            tokens.append(("join", joiner))
        else:
            value = single if single is not None else double
            if variable == "extra":
                if operator not in ("==", "!="):
                    return []
                value = normalize(value)  # as packaging writes an extra's name (PEP 685)
            tokens.append(("compare", f'{variable} {operator} "{value}"'))
        position = token.end()
    return tokens


def _marker_chain(
    tokens: list[tuple[str, str]], position: int, depth: int
) -> tuple[str, int, int] | None:
    """Comparisons and groups joined by and/or from ``position``: text, end, number of parts."""
    parts: list[str] = []
    while position < len(tokens) and depth <= _MARKER_DEPTH:
        kind, written = tokens[position]
        if kind == "compare":
            parts.append(written)
            position += 1
        elif kind == "(":
            inner = _marker_chain(tokens, position + 1, depth + 1)
            if inner is None or inner[1] >= len(tokens) or tokens[inner[1]][0] != ")":
                return None
            if inner[2] < 2:
                return None  # packaging drops the parentheses around one comparison
            parts.append(f"({inner[0]})")
            position = inner[1] + 1
        else:
            return None
        if position < len(tokens) and tokens[position][0] == "join":
            parts.append(tokens[position][1])
            position += 1
            continue
        return " ".join(parts), position, (len(parts) + 1) // 2
    return None


@functools.lru_cache(maxsize=4096)
def requirement(text: str) -> Requirement:
    """``packaging``'s Requirement of ``text``, parsed once per string: shared, never change it.

    InvalidRequirement when it is not one (not cached: invalid strings are rare).
    """
    from packaging.requirements import Requirement

    return Requirement(text)


def always_evaluable(marker: str) -> bool:
    """Whether packaging can evaluate ``marker`` (as packaging writes it) in every environment."""
    return _simple_marker(marker) == marker


@functools.lru_cache(maxsize=256)
def marker_applies(marker: str, extra: str | None) -> bool:
    """Whether ``marker`` holds for this interpreter with ``extra`` selected.

    ValueError (packaging's UndefinedComparison and kin) when it cannot be compared.
    """
    from packaging.markers import Marker

    return Marker(marker).evaluate({"extra": extra or ""})


@functools.lru_cache(maxsize=1024)
def _marker_text(text: str) -> str | None:
    """The marker as ``packaging`` writes it (as Requirement does); None when it is not one.

    A compiled lockfile repeats a handful of markers on hundreds of lines.
    """
    simple = _simple_marker(text)
    if simple is not None:
        return simple
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
