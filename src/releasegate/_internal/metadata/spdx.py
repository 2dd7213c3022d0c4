"""SPDX license expressions as sets of choices, to ask whether one license covers another.

An expression becomes its disjunctive normal form: a set of alternatives, each the
set of licenses that must all be honoured (``A AND (B OR C)`` -> {A,B} or {A,C}).
``X WITH exception`` stays one term. Expressions are canonicalised by ``packaging``
first, so invalid ones are reported by the caller before they get here.
"""

from __future__ import annotations

import re

Choice = frozenset[str]

_TOKEN = re.compile(r"\(|\)|[^\s()]+")


def choices(expression: str) -> set[Choice]:
    """The alternatives of ``expression``; each is a set of license terms all of which apply."""
    tokens = _join_with(_TOKEN.findall(expression))
    result, rest = _or(tokens)
    return result if not rest else {frozenset(tokens)}


def _join_with(tokens: list[str]) -> list[str]:
    joined: list[str] = []
    index = 0
    while index < len(tokens):
        if index + 1 < len(tokens) and tokens[index + 1].upper() == "WITH":
            joined.append(" ".join(tokens[index : index + 3]))
            index += 3
        else:
            joined.append(tokens[index])
            index += 1
    return joined


def _or(tokens: list[str]) -> tuple[set[Choice], list[str]]:
    left, rest = _and(tokens)
    while rest and rest[0].upper() == "OR":
        right, rest = _and(rest[1:])
        left = left | right
    return left, rest


def _and(tokens: list[str]) -> tuple[set[Choice], list[str]]:
    left, rest = _atom(tokens)
    while rest and rest[0].upper() == "AND":
        right, rest = _atom(rest[1:])
        left = {a | b for a in left for b in right}
    return left, rest


def _atom(tokens: list[str]) -> tuple[set[Choice], list[str]]:
    if not tokens:
        return {frozenset()}, []
    if tokens[0] == "(":
        inner, rest = _or(tokens[1:])
        return inner, rest[1:] if rest and rest[0] == ")" else rest
    return {frozenset({tokens[0]})}, tokens[1:]


def terms(expression: str) -> set[str]:
    """Every license term named anywhere in ``expression``."""
    return set().union(*choices(expression))


def covered(declared: str, used: str) -> bool:
    """Whether a package under ``declared`` may ship a file under ``used``.

    True when some alternative of ``used`` asks only for licenses the declared
    expression names: an ``MIT OR GPL-3.0-only`` file is fine in an MIT package, a
    ``GPL-3.0-only`` file is not.
    """
    offered = {term.lower() for term in terms(declared)}
    return any({term.lower() for term in choice} <= offered for choice in choices(used))


def allowed_by(expression: str, allowed: set[str], denied: set[str]) -> bool:
    """Whether an alternative of ``expression`` uses only allowed (if any) and no denied ids."""
    allow = {a.lower() for a in allowed}
    deny = {d.lower() for d in denied}
    for choice in choices(expression):
        ids = {_base(term).lower() for term in choice}
        if ids & deny:
            continue
        if allow and not ids <= allow:
            continue
        return True
    return False


def _base(term: str) -> str:
    """``GPL-2.0-only WITH Classpath-exception-2.0`` -> ``GPL-2.0-only``."""
    return term.split(maxsplit=1)[0]
