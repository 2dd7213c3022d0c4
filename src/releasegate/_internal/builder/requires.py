"""Whether ``[build-system].requires`` pins the backend: reproducible today must stay so."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PINNED_URL = re.compile(r"#sha256=[0-9a-f]{64}|@[0-9a-f]{40}(?:$|#)")


@dataclass(frozen=True)
class Unpinned:
    requirement: str
    reason: str


def is_pinned(text: str) -> bool | None:
    """True for ``name==1.2.3`` (or ``===``); None when ``text`` is no valid requirement."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if requirement.url:
        # A URL pins only by content hash or by commit id, never by a branch or tag name.
        return bool(_PINNED_URL.search(requirement.url))
    specs = list(requirement.specifier)
    return len(specs) == 1 and (
        specs[0].operator == "===" or (specs[0].operator == "==" and "*" not in specs[0].version)
    )


def unpinned(requires: object) -> list[Unpinned]:
    """Every requirement of ``requires`` that does not name one exact version."""
    if not isinstance(requires, list):
        return [Unpinned("[build-system].requires", "is missing or not a list")]
    found = []
    for item in requires:
        if not isinstance(item, str):
            found.append(Unpinned(repr(item), "is not a string"))
            continue
        pinned = is_pinned(item)
        if pinned is None:
            found.append(Unpinned(item, "is not a valid requirement"))
        elif not pinned:
            found.append(Unpinned(item, "does not pin one version"))
    return found
