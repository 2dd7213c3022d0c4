"""Whether the declared license covers the licenses of the files an sdist ships.

A file's license is what its own ``SPDX-License-Identifier`` header (or a
``<file>.license`` sidecar shipped beside it) says, read from the archive, not the
checkout: this is about what users receive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.archives import HEAD_BYTES
from releasegate._internal.metadata import spdx
from releasegate._internal.metadata.pep639 import canonical

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive

_IDENTIFIER = re.compile(
    r"SPDX-License-Identifier:\s*(.+?)\s*(?:\*/|-->|#\}|\"\"\"|'''|$)", re.MULTILINE
)


@dataclass(frozen=True)
class Uncovered:
    path: str
    """Inside the project (sdist prefix removed)."""
    expression: str
    line: int | None


def file_licenses(data: bytes) -> list[tuple[str, int]]:
    """``(expression, line)`` of every SPDX-License-Identifier in the head of ``data``."""
    head = data[:HEAD_BYTES].decode("utf-8", errors="replace")
    return [
        (m.group(1).strip(), head.count("\n", 0, m.start()) + 1) for m in _IDENTIFIER.finditer(head)
    ]


def uncovered(
    archive: Archive, files: dict[str, str], declared: str, skip: set[str]
) -> list[Uncovered]:
    """Shipped files whose license the ``declared`` expression does not cover."""
    found = []
    for relative, member in sorted(files.items()):
        if relative in skip or relative.startswith("LICENSES/") or relative.endswith(".license"):
            continue
        sidecar = archive.head(member + ".license")
        content = sidecar if sidecar is not None else archive.head(member) or b""
        for expression, line in file_licenses(content):
            fixed = canonical(expression)
            # An invalid expression is REUSE's finding; prose mentioning the tag is no license.
            if fixed is not None and not spdx.covered(declared, fixed):
                found.append(Uncovered(relative, fixed, line if sidecar is None else None))
    return found
