"""What the documentation tests share: the pages, their snippets and the one pinned commit."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.conftest import REPO_ROOT

if TYPE_CHECKING:
    from pathlib import Path

DOCS = REPO_ROOT / "docs"
SNIPPETS = DOCS / "snippets"
# The one commit of releasegate the docs, the snippets and the example workflows name (see
# docs/pinning.md): moved forward in every file at once.
PINNED_SHA = "74310001b7199d65181f0e77d3a94a396abdd380"
REPOSITORY_URL = "https://github.com/releasegate/releasegate"
_INCLUDE = re.compile(r'^[ \t]*--8<-- "([^"]+)"', re.MULTILINE)
_FENCE = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def includes(page: Path) -> list[Path]:
    """The files a page includes with pymdownx.snippets, resolved as mkdocs.yml's base_path."""
    found = []
    for name in _INCLUDE.findall(page.read_text(encoding="utf-8")):
        candidates = [SNIPPETS / name, REPO_ROOT / name]
        found.append(next((c for c in candidates if c.is_file()), candidates[0]))
    return found


def section(page: Path, heading: str) -> str:
    """The text of one `## heading` section of a page."""
    text = page.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def shell_commands(text: str) -> list[str]:
    """The commands of the ```sh blocks in ``text``, one per line, in order."""
    commands = []
    for language, body in _FENCE.findall(text):
        if language == "sh":
            commands += [line for line in body.splitlines() if line.strip()]
    return commands
