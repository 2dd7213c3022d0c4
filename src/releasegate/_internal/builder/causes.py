"""What in a build makes one file's contents differ: the class of cause, read from the change itself.

Two builds of a verification share one build environment, so a content difference there is
never the backend's version: it is the project's own build code (a build hook, ``setup.py``)
writing something that changes between runs. Each cause has its own fix, so each is its own
rule: the current time, a random value, the build path, the directory listing order, a sort by
the locale's collation, or the order of an unordered collection. The class is read from the
text: the lines that differ are a permutation of each other (an order), or the words that differ
are times, paths or random-looking values. A change that fits none stays ``content``.
"""

from __future__ import annotations

import difflib
import re
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

BUILD_TIME = "build-time"
RANDOM_VALUE = "random-value"
BUILD_PATH = "build-path"
LISTING_ORDER = "listing-order"
LOCALE_SORT = "locale-sort"
UNORDERED = "unordered-output"

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{1,2}:\d{2}:\d{2}(?:\.\d+)?"
    r"|1\d{9}(?:\.\d+)?"  # seconds since 1970, 2001-2033: what time.time() writes
    rf"|\d{{1,2}} (?:{_MONTHS}) \d{{4}}|(?:{_MONTHS}) +\d{{1,2}}"
)
_PATH = re.compile(r"(?:[A-Za-z]:)?[/\\][^\s'\"]*[/\\][^\s'\"]*")
_RANDOM = re.compile(
    r"[0-9A-Fa-f]{8,}(?:-[0-9A-Fa-f]{4,})*|\d+\.\d{6,}|(?=[^\d]*\d)[A-Za-z0-9_-]{16,}"
)
_WORDS = re.compile(r"[^\s'\",;()\[\]{}=<>]+")
_REVERSAL_MIN = 3
"""Two items in the other order are a reversal and any other permutation at once."""


def classify(first: str, second: str) -> str | None:
    """The class of cause for two texts of one file, or None when none fits."""
    a, b = first.splitlines(), second.splitlines()
    pairs = _changed_words(a, b)
    orders = [_order_of(a, b)] + [_order_of(_WORDS.findall(x), _WORDS.findall(y)) for x, y in pairs]
    order = next((o for o in orders if o is not None), None)
    if order is not None:
        return order
    return _value_cause(
        [(x, y) for line_a, line_b in pairs for x, y in _word_pairs(line_a, line_b)]
    )


def _value_cause(words: list[tuple[str, str]]) -> str | None:
    """The cause when values changed in place: a path, a time, or random-looking values."""
    if not words:
        return None
    if any(_PATH.search(x) or _PATH.search(y) for x, y in words):
        return BUILD_PATH
    if any(_TIME.fullmatch(x) and _TIME.fullmatch(y) for x, y in words):
        return BUILD_TIME
    if all(_RANDOM.fullmatch(x) and _RANDOM.fullmatch(y) for x, y in words):
        return RANDOM_VALUE
    return None


def _trim(a: Sequence[str], b: Sequence[str]) -> tuple[Sequence[str], Sequence[str]]:
    """The parts of ``a`` and ``b`` between their common beginning and end."""
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    return a[start : len(a) - end], b[start : len(b) - end]


def _order_of(a: Sequence[str], b: Sequence[str]) -> str | None:
    """Which order changed when ``b`` holds ``a``'s items in another order; None otherwise."""
    part_a, part_b = _trim(a, b)
    if len(part_a) < 2 or sorted(part_a) != sorted(part_b):
        return None
    if (_ascending(part_a, str) and _ascending(part_b, str.casefold)) or (
        _ascending(part_b, str) and _ascending(part_a, str.casefold)
    ):
        return LOCALE_SORT  # one side in code-point order, the other in a collation's
    if len(part_a) >= _REVERSAL_MIN and list(part_b) == list(reversed(part_a)):
        return LISTING_ORDER  # the second build sees every directory listing reversed
    return UNORDERED


def _ascending(items: Sequence[str], key: Callable[[str], str]) -> bool:
    return all(key(x) <= key(y) for x, y in pairwise(items))


def _changed_words(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    """The line pairs replaced one for one between ``a`` and ``b``."""
    pairs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1:
            pairs.extend(zip(a[i1:i2], b[j1:j2], strict=True))
        elif tag != "equal":
            return []  # lines added or removed: not one value changing in place
    return pairs


def _word_pairs(first: str, second: str) -> list[tuple[str, str]]:
    """The words replaced between two lines (joined across spaces, so a date-time is one)."""
    a, b = first.split(" "), second.split(" ")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        x, y = " ".join(a[i1:i2]).strip(), " ".join(b[j1:j2]).strip()
        pairs.extend(_split_pair(x, y))
    return pairs


def _split_pair(x: str, y: str) -> list[tuple[str, str]]:
    """``x`` and ``y`` as values: quoted or punctuated words in turn, or whole when they disagree."""
    if _TIME.fullmatch(x) and _TIME.fullmatch(y):
        return [(x, y)]
    words_x, words_y = _WORDS.findall(x), _WORDS.findall(y)
    if len(words_x) == len(words_y) and words_x:
        return [(p, q) for p, q in zip(words_x, words_y, strict=True) if p != q]
    return [(x, y)]
