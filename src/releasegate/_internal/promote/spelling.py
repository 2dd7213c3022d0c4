"""Every way a file can spell a version: found, rewritten, and written as a placeholder.

A pre-release is spelt many ways that PEP 440 reads as the same version: ``1.4.0rc1``,
``1.4.0.rc1``, ``1.4.0RC1``, ``1.4.0c1``, ``1.4.0-rc1``, ``1.4.0rc01``, ``v1.4.0rc1``,
``1.4rc1``, SemVer's ``1.4.0-rc.1``, and as a tuple: ``(1, 4, 0, "rc", 1)``,
``(1, 4, 0, 'rc1')`` or setuptools-scm 7's ``(1, 4, '0rc1')``. A string is found with a
pattern built from the version (its release numbers, its labels' PEP 440 aliases, any
separator) and kept only when ``packaging`` reads it as the version; a tuple literal when
its parts joined with dots are, or, in ``sys.version_info``'s shape (Django's ``VERSION``),
its release level and serial. setuptools-scm 8 writes only the release and a dev part
into ``version_tuple`` (``(8, 0, 0)`` for 8.0.0rc1 and 8.0.0 alike): that tuple is the
final's too, so it is no pre-release left behind, and it is left as it is.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import TYPE_CHECKING

from packaging.version import InvalidVersion, Version

if TYPE_CHECKING:
    from collections.abc import Iterator

PLACEHOLDER = b"{version}"
TUPLE_PLACEHOLDER = b"{version_tuple}"
_LABELS = {
    "a": "a|alpha",
    "b": "b|beta",
    "rc": "rc|c|pre|preview",
}
_SEP = r"[._-]?"
_TUPLE = re.compile(rb"\(\s*\d+\s*(?:,\s*(?:\d+|'[\w.+-]*'|\"[\w.+-]*\")\s*)+,?\s*\)")


def _number(value: int) -> str:
    return rf"0*{value}" if value else "0+"


@functools.lru_cache(maxsize=64)
def _pattern(version: str) -> re.Pattern[bytes]:
    """Candidates for the spellings of ``version``, confirmed afterwards by ``packaging``.

    The pattern begins with a literal (the first release number, or the epoch) so that
    ``re`` scans for it as ``bytes.find`` would: tried at every offset, 50 MB of payload
    took 13 s. Whether the match stands alone is asserted after that literal.
    """
    parsed = Version(version)
    release = list(parsed.release)
    while len(release) > 1 and release[-1] == 0:
        release.pop()  # 1.4.0 is 1.4 is 1.4.0.0
    # A bare number is no version ("5" alone is 5.0 to PEP 440, and in every text), and
    # "5c1" for 5.0rc1 is a spelling nobody writes, but random bytes do: a dot is needed
    # unless the version itself has one release number and a label (2rc1).
    labelled = parsed.pre is not None or parsed.dev is not None
    dotted = len(release) == 1 and (len(parsed.release) > 1 or not labelled)
    zeros = r"(?:\.0+)+" if dotted else r"(?:\.0+)*"
    head = re.escape(f"{parsed.epoch}!" if parsed.epoch else str(release[0]))
    numbers = [_number(part) for part in (release if parsed.epoch else release[1:])]
    core = ("" if parsed.epoch or not numbers else r"\.") + r"\.".join(numbers) + zeros
    # Not part of a longer token: 1.4.0rc1 is not in 11.4.0rc1, 1.4.0rc10 or 1.4.0rc1.post1;
    # a "v" before it may stay (v1.4.0rc1), outside the match.
    alone = rf"(?:(?<![\w.+!-]{head})|(?<=[vV]{head})(?<![\w.+!-][vV]{head}))"
    return re.compile(
        rf"{head}{alone}{core}{_tail(parsed)}(?![\w+]|[.-]\w)".encode(), re.IGNORECASE
    )


def _tail(parsed: Version) -> str:
    """The pattern of what follows the release: each label under any of its PEP 440 aliases
    and separators, an omitted number where PEP 440 allows one."""
    tail = ""
    if parsed.pre is not None:
        label, number = parsed.pre
        tail += rf"{_SEP}(?:{_LABELS[label]}){_SEP}(?:{_number(number)})?"
    if parsed.post is not None:
        tail += rf"(?:{_SEP}(?:post|rev|r){_SEP}{_number(parsed.post)}|-{_number(parsed.post)})"
    if parsed.dev is not None:
        tail += rf"{_SEP}dev{_SEP}(?:{_number(parsed.dev)})?"
    if parsed.local is not None:
        tail += r"\+" + re.escape(parsed.local)
    return tail


def _same(text: str, version: str) -> bool:
    try:
        return Version(text) == Version(version)
    except InvalidVersion:
        return False


def strings(content: bytes, version: str) -> Iterator[re.Match[bytes]]:
    """Every string spelling of ``version`` in ``content``."""
    for match in _pattern(version).finditer(content):
        if _same(match.group().decode("ascii", "replace"), version):
            yield match


def _parts(literal: bytes) -> tuple[int | str, ...] | None:
    try:
        value = ast.literal_eval(literal.decode("ascii"))
    except (ValueError, SyntaxError, UnicodeDecodeError, MemoryError, RecursionError):
        return None
    if not isinstance(value, tuple) or not all(isinstance(p, (int, str)) for p in value):
        return None
    return value


_INFO_LABELS = {"alpha": "a", "beta": "b", "candidate": "rc", "rc": "rc", "c": "rc", "final": ""}
"""``sys.version_info``'s release levels, as Django's ``VERSION = (5, 0, 0, "rc", 1)`` uses them."""


def _info_style(parts: tuple[int | str, ...]) -> bool:
    return (
        len(parts) == 5
        and all(isinstance(p, int) for p in parts[:3])
        and parts[3] in _INFO_LABELS
        and isinstance(parts[4], int)
    )


def _denotes(parts: tuple[int | str, ...], version: str) -> bool:
    if _info_style(parts):
        label = _INFO_LABELS[str(parts[3])]
        base = ".".join(str(p) for p in parts[:3])
        return _same(f"{base}{label}{parts[4]}" if label else base, version)
    return _same(".".join(str(p) for p in parts), version)


def _info_like(old: tuple[int | str, ...], target: Version) -> list[int | str]:
    """``target`` as a version_info tuple: (5, 0, 0, "final", 0) for Django's 5.0."""
    release = [*target.release, 0, 0][:3]
    if target.pre is None:
        return [*release, "final", 0]
    words = {"a": "alpha", "b": "beta", "rc": old[3] if old[3] in ("rc", "candidate") else "rc"}
    return [*release, str(words[target.pre[0]]), target.pre[1]]


def tuples(content: bytes, version: str) -> Iterator[tuple[re.Match[bytes], tuple[int | str, ...]]]:
    """Every tuple literal in ``content`` that spells ``version``."""
    release = str(Version(version).release[0]).encode()
    if release not in content:
        return  # cheap: a tuple of this version starts with its major number
    for match in _TUPLE.finditer(content):
        parts = _parts(match.group())
        if parts is not None and _denotes(parts, version):
            yield match, parts


def mentions(content: bytes, version: str) -> list[int]:
    """Offsets of every spelling of ``version`` (strings and tuples) in ``content``."""
    found = [m.start() for m in strings(content, version)]
    found += [m.start() for m, _ in tuples(content, version)]
    return sorted(found)


def _substitute(content: bytes, spans: list[tuple[int, int, bytes]]) -> bytes:
    """``content`` with each (start, end) span replaced; a span inside an earlier one is
    dropped (a tuple's parts are not versions of their own)."""
    out: list[bytes] = []
    at = 0
    for start, end, new in sorted(spans):
        if start < at:
            continue
        out += [content[at:start], new]
        at = end
    out.append(content[at:])
    return b"".join(out)


def _string_like(old: str, source: str, target: str) -> str:
    """``target`` spelt as ``old`` spells ``source``: SemVer stays SemVer (a ``v`` before it
    is not part of the match, and stays)."""
    from releasegate._internal.versioning import VersionProblem, pep440_to_semver

    try:
        if old == str(pep440_to_semver(source)):
            return str(pep440_to_semver(target))
    except VersionProblem:
        pass
    return str(Version(target))


def _quote(literal: bytes) -> str:
    return '"' if b'"' in literal and b"'" not in literal else "'"


def _tuple_like(old: tuple[int | str, ...], literal: bytes, target: str) -> bytes:
    """``target`` as a tuple in the style of ``old``: its release, then its pre-release label
    and number as one string (``'rc1'``), two parts (``'rc', 1``), or glued to the last
    release number (setuptools-scm 7: ``'0rc1'``)."""
    parsed = Version(target)
    if _info_style(old):
        parts: list[int | str] = _info_like(old, parsed)
        return _shown(parts, literal)
    parts = list(parsed.release)
    label = "" if parsed.pre is None else f"{parsed.pre[0]}{parsed.pre[1]}"
    strings_at = [i for i, p in enumerate(old) if isinstance(p, str)]
    if label and strings_at:
        first = strings_at[0]
        glued = re.fullmatch(r"\d+[a-zA-Z].*", str(old[first]))
        if glued and first == len(parts) - 1:
            parts[-1] = f"{parts[-1]}{label}"
        elif len(old) > first + 1 and isinstance(old[first + 1], int):
            assert parsed.pre is not None
            parts += [parsed.pre[0], parsed.pre[1]]
        else:
            parts.append(label)
    return _shown(parts, literal)


def _shown(parts: list[int | str], literal: bytes) -> bytes:
    quote = _quote(literal)
    shown = [str(p) if isinstance(p, int) else f"{quote}{p}{quote}" for p in parts]
    return ("(" + ", ".join(shown) + ("," if len(shown) == 1 else "") + ")").encode()


def replace(content: bytes, source: str, target: str) -> bytes:
    """Every spelling of ``source`` replaced by ``target`` spelt the same way."""
    spans = [
        (m.start(), m.end(), _string_like(m.group().decode(), source, target).encode())
        for m in strings(content, source)
    ]
    spans += [
        (m.start(), m.end(), _tuple_like(parts, m.group(), target))
        for m, parts in tuples(content, source)
    ]
    return _substitute(content, spans)


def placeholders(content: bytes, version: str) -> bytes:
    """Every spelling of ``version`` written as a placeholder, and so is a tuple of its bare
    release (setuptools-scm 8 writes that one for a pre-release and its final alike)."""
    base = Version(version).base_version
    spans = [(m.start(), m.end(), PLACEHOLDER) for m in strings(content, version)]
    for spelled in {version, base}:
        spans += [(m.start(), m.end(), TUPLE_PLACEHOLDER) for m, _ in tuples(content, spelled)]
    return _substitute(content, spans)
