"""argparse's help formatters, given the terminal width so that they need not import shutil.

argparse's formatter imports shutil to ask for the width each time a parser gets an option:
shutil (with bz2 and lzma) costs every hook about 2 ms (issue 22). The width is found here
as shutil finds it: ``COLUMNS`` when set, else the terminal of standard output, else 80.
"""

from __future__ import annotations

import argparse
import os
import sys


def terminal_width() -> int:
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


class HelpFormatter(argparse.HelpFormatter):
    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        # As argparse does: two columns less than the terminal.
        chosen = terminal_width() - 2 if width is None else width
        super().__init__(prog, indent_increment, max_help_position, chosen)


class RawDescriptionHelpFormatter(HelpFormatter, argparse.RawDescriptionHelpFormatter):
    """The description as written (its line breaks kept), options wrapped."""
