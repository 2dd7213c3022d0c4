"""Checkers for the ``format`` keywords of validate-pyproject's schemas.

Each returns None when the string is fine and otherwise says what is wrong. They use
``packaging`` (imported on first use) rather than validate-pyproject's own format
module, whose import pulls in importlib.metadata and its plug-in machinery.
Formats that another metadata rule reports with a better message (SPDX, trove
classifiers, URLs, requires-python) are left out here on purpose.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Callable

_IDENTIFIER = re.compile(r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$", re.IGNORECASE)
_DOTTED = re.compile(r"^[^\W\d]\w*(\.[^\W\d]\w*)*$")
_ENTRY_NAME = re.compile(r"^[^\[\s=]([^=]*[^\s=])?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def pep508(text: str) -> str | None:
    from releasegate._internal.lockfiles.reqline import canonical

    if canonical(text) is not None:
        return None  # a plain requirement, valid as packaging reads it, without its parser
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement as exc:
        return f"{quoted(text)} is not a valid PEP 508 requirement: {str(exc).splitlines()[0]}"
    return None


def pep440(text: str) -> str | None:
    from packaging.version import Version

    try:
        Version(text)
    except ValueError:  # InvalidVersion, or a part over the 4300 digits int() reads
        return f"{quoted(text)} is not a valid PEP 440 version"
    return None


def identifier(text: str) -> str | None:
    return (
        None if _IDENTIFIER.match(text) else f"{quoted(text)} is not a valid project or extra name"
    )


def entry_group(text: str) -> str | None:
    return None if _DOTTED.match(text) else f"{quoted(text)} is not a valid entry-point group"


def entry_name(text: str) -> str | None:
    return None if _ENTRY_NAME.match(text) else f"{quoted(text)} is not a valid entry-point name"


def object_reference(text: str) -> str | None:
    """``module.sub:object.attr`` with an optional ``[extras]`` suffix, as in entry points."""
    reference = re.sub(r"\s*\[[^\]]*\]\s*$", "", text)
    module, _, attribute = reference.partition(":")
    if _DOTTED.match(module.strip()) and (not attribute or _DOTTED.match(attribute.strip())):
        return None
    return f"{quoted(text)} is not a valid object reference (module.sub:object)"


def import_name(text: str) -> str | None:
    name = text.split(";", 1)[0].strip()
    return None if _DOTTED.match(name) else f"{quoted(text)} is not a valid import name"


def email(text: str) -> str | None:
    return None if _EMAIL.match(text) else f"{quoted(text)} is not an e-mail address"


FORMATS: dict[str, Callable[[str], str | None]] = {
    "pep508": pep508,
    "pep440": pep440,
    "pep508-identifier": identifier,
    "python-entrypoint-group": entry_group,
    "python-entrypoint-name": entry_name,
    "python-entrypoint-reference": object_reference,
    "pep517-backend-reference": object_reference,
    "import-name": import_name,
    "idn-email": email,
}
