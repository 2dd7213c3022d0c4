"""Does a locked version meet a declared specifier set? Plain releases without packaging.

Nearly every comparison the sync check makes is between a release (``2.32.3``) and
specifiers of releases (``>=2.31,<3``, ``~=1.4``, ``!=1.5.*``). For those PEP 440 is tuple
arithmetic on zero-padded release numbers; answering them here spares a hook the import of
``packaging.specifiers`` and ``packaging.version`` (issue 22). Anything else — pre-, post-,
dev- or local versions, epochs, ``===`` — is answered by packaging.
tests/lockfiles/test_reqline_fastpath.py checks every answer given here against packaging.
"""

from __future__ import annotations

import re

_RELEASE = re.compile(r"[0-9]+(?:\.[0-9]+)*\Z")
_SPECIFIER = re.compile(r"(~=|==|!=|<=|>=|<|>)([0-9]+(?:\.[0-9]+)*)(\.\*)?\Z")
# The digits int() reads without complaint (CPython refuses strings over 4300 digits).
_MAX_DIGITS = 4000


def contains(specifier: str, version: str) -> bool | None:
    """Whether ``version`` meets the comma-separated ``specifier``; None when not plain."""
    if len(version) > _MAX_DIGITS or not _RELEASE.match(version):
        return None
    release = _numbers(version)
    answer = True
    for written in specifier.split(","):
        spec = _SPECIFIER.match(written.strip())
        if spec is None or len(written) > _MAX_DIGITS:
            return None
        operator, bound_text, wildcard = spec.groups()
        one = _meets(release, operator, _numbers(bound_text), bool(wildcard))
        if one is None:
            return None
        answer = answer and one
    return answer


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def _padded(numbers: tuple[int, ...], length: int) -> tuple[int, ...]:
    return numbers + (0,) * (length - len(numbers))


def _meets(
    release: tuple[int, ...], operator: str, bound: tuple[int, ...], wildcard: bool
) -> bool | None:
    if wildcard:
        if operator not in ("==", "!="):
            return None  # not a specifier: packaging says why
        # A prefix match: the release, padded, starts with the bound.
        matches = _padded(release, len(bound))[: len(bound)] == bound
        return matches if operator == "==" else not matches
    if operator == "~=":
        if len(bound) < 2:
            return None
        prefix = bound[:-1]
        return _compare(release, ">=", bound) and (
            _padded(release, len(prefix))[: len(prefix)] == prefix
        )
    return _compare(release, operator, bound)


def _compare(release: tuple[int, ...], operator: str, bound: tuple[int, ...]) -> bool:
    length = max(len(release), len(bound))
    left, right = _padded(release, length), _padded(bound, length)
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    if operator == "<=":
        return left <= right
    if operator == ">=":
        return left >= right
    if operator == "<":
        return left < right
    return left > right
