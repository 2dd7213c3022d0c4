"""A waiver: something a gate would report, accepted on purpose with a reason and an expiry.

The API gate's ``allow`` (a change that needs no bump) and the vulns gate's ``ignore`` (an
advisory accepted) are lists of waivers: one type, one date parser, one expiry rule. A
waiver past its date, or whose date is no date, waives nothing, and the gate reports it
where it is written, so that the project is told when to look again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from pathlib import Path
    from typing import Any

    from releasegate._internal.config import Config


@dataclass(frozen=True)
class Waiver:
    """One entry of an ``allow`` or ``ignore`` list."""

    subject: str
    """What it waives: an API path (``allow``), an advisory's id (``ignore``)."""
    reason: str
    expires: dt.date | None
    """None when the date in the configuration is not a valid date (then it waives nothing)."""
    index: int
    """Position in its array, to find its line in the configuration."""
    raw_expires: str = ""

    def expired(self, today: dt.date) -> bool:
        return self.expires is None or self.expires < today

    def expiry(self) -> str:
        """Why it waives nothing, for a message."""
        if self.expires:
            return f"expired on {self.expires}"
        return f"has an invalid date {quoted(self.raw_expires)}"


def parse_date(text: str) -> dt.date | None:
    """An ISO date (``2027-01-31``), or None when ``text`` is none."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def read(entries: Sequence[Mapping[str, Any]], subject: str) -> tuple[Waiver, ...]:
    """The waivers of one array of the (schema-checked) configuration; ``subject`` names the
    key that says what each waives (``path``, ``id``)."""
    return tuple(
        Waiver(
            str(e[subject]), str(e["reason"]), parse_date(str(e["expires"])), i, str(e["expires"])
        )
        for i, e in enumerate(entries)
    )


class ExpiredWaiver(NamedTuple):
    """A waiver that waives nothing, as a problem for its gate to place (``problems.py``)."""

    rule: str
    message: str
    path: str | None
    line: int | None
    hint: str | None


@dataclass(frozen=True)
class WaiverList:
    """How one gate names its list: where it is and what its entries are called."""

    keys: tuple[str, str]
    """The list's section and key under the releasegate table: ``("api", "allow")``."""
    noun: str
    """``allowlist entry``, ``ignore entry``."""
    rule: str
    hint: str
    consequence: str = ""
    """Said after the expiry (``, so it ignores nothing``)."""


def expired(
    waivers: Iterable[Waiver], kind: WaiverList, config: Config, root: Path
) -> Iterator[ExpiredWaiver]:
    """A problem for each waiver given (the expired ones), on its line of the configuration."""
    for waiver in waivers:
        path, line = locate(config, root, kind.keys, waiver)
        message = f"{kind.noun} for {waiver.subject} ({waiver.reason}) {waiver.expiry()}"
        yield ExpiredWaiver(kind.rule, message + kind.consequence, path, line, kind.hint)


def locate(
    config: Config, root: Path, keys: tuple[str, str], waiver: Waiver
) -> tuple[str | None, int | None]:
    """The file (relative to ``root``) and line of ``waiver``; (None, None) when the
    configuration is no file in the project."""
    document = config.document
    if document is None or not document.path.resolve().is_relative_to(root.resolve()):
        return None, None
    shown = document.path.resolve().relative_to(root.resolve()).as_posix()
    start = config.line(*keys, waiver.index)
    # The key index knows an inline table only by its array: the entry's own line names it.
    lines = document.text.splitlines()
    for number in range(start or 1, len(lines) + 1):
        if f'"{waiver.subject}"' in lines[number - 1] or f"'{waiver.subject}'" in lines[number - 1]:
            return shown, number
    return shown, start
