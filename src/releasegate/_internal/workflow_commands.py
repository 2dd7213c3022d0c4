"""GitHub Actions workflow commands: whether we run under Actions, and how text is escaped.

The one place for both: ``report/`` (annotations), ``github/`` and ``cli/`` import it,
and it imports nothing of releasegate, so no package cycle can form around it.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping


def in_actions(environ: Mapping[str, str] | None = None) -> bool:
    """Whether this process runs as a step of a GitHub Actions job."""
    env = os.environ if environ is None else environ
    return env.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """The message part of a workflow command (after ``::``), as the runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (``file=``, ``title=``): also ``:`` and ``,``, which end it."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
