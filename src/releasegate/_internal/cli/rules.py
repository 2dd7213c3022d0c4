"""``releasegate rules``: every rule, its default severity, why, and how to fix it.

The table comes from the rule registry (``rules.py``), the same rows the gates take their
default severities from; the docs' rule table (docs/reference/rules.md) is this command's markdown output.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from releasegate._internal.errors import UsageError

if TYPE_CHECKING:
    import argparse

HELP = "list every rule with its default severity, why, and how to fix it"
_FORMATS = ("text", "json", "markdown")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser


def markdown_table() -> str:
    """The registry as a GitHub-flavoured Markdown table (docs/reference/rules.md holds this text)."""
    from releasegate._internal.rules import table

    lines = ["| rule | default | why | fix |", "|---|---|---|---|"]
    for rule, severity, why, fix in table():
        cells = (f"`{rule}`", severity, why, fix)
        # A `|` ends a cell even inside backticks in GitHub's tables.
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def text_table() -> str:
    from releasegate._internal.rules import table

    rows = table()
    width = max(len(rule) for rule, *_ in rows)
    lines = []
    for rule, severity, why, fix in rows:
        lines.append(f"{rule:<{width}}  {severity:<7}  {why}")
        lines.append(f"{'':<{width}}  {'':<7}  fix: {fix}")
    return "\n".join(lines) + "\n"


def json_table() -> str:
    from releasegate._internal.rules import table

    keys = ("rule", "severity", "why", "fix")
    return json.dumps([dict(zip(keys, row, strict=True)) for row in table()], indent=2) + "\n"


def run(args: argparse.Namespace) -> int:
    form = getattr(args, "format", None) or "text"
    if form not in _FORMATS:
        raise UsageError(f"`rules` prints {', '.join(_FORMATS)}, not {form}")
    render = {"text": text_table, "json": json_table, "markdown": markdown_table}[form]
    text = render()
    output = getattr(args, "output", None)
    if output:
        from pathlib import Path

        Path(output).write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0
