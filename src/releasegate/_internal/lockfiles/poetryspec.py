"""Poetry's own constraint syntax (``^1.2``, ``~1.2``, ``*``) turned into PEP 508."""

from __future__ import annotations

import re
from typing import Any

from releasegate._internal.findings import quoted

_VERSION = re.compile(r"\d+(\.\d+)*\Z")
_OPERATOR_SPACE = re.compile(r"([<>=!~]=?)\s+")


class PoetrySpecError(ValueError):
    """A constraint this translation does not understand (then the verdict is undecidable)."""


def _bump(parts: list[int], index: int) -> str:
    upper = [*parts[:index], parts[index] + 1]
    return ".".join(str(p) for p in upper)


def _caret(version: str) -> str:
    parts = [int(p) for p in version.split(".")]
    nonzero = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
    return f">={version},<{_bump(parts, min(nonzero, len(parts) - 1))}"


def _tilde(version: str) -> str:
    parts = [int(p) for p in version.split(".")]
    return f">={version},<{_bump(parts, 0 if len(parts) == 1 else 1)}"


_HUGE = re.compile(r"\d{4001,}")
"""A number ``int()`` refuses (over 4300 digits; 4000 as versioning.MAX_DIGITS)."""


def constraint(spec: str) -> str:
    """One Poetry constraint as a PEP 440 specifier."""
    spec = spec.strip()
    if spec in ("*", ""):
        return ""
    if _HUGE.search(spec):
        raise PoetrySpecError(f"constraint {quoted(spec)} holds a number too long to read")
    if spec.startswith("^") and _VERSION.match(spec[1:].strip()):
        return _caret(spec[1:].strip())
    if spec.startswith("~") and not spec.startswith("~=") and _VERSION.match(spec[1:].strip()):
        return _tilde(spec[1:].strip())
    if _VERSION.match(spec):
        return f"=={spec}"
    if "||" in spec or "^" in spec or "~" in spec.replace("~=", ""):
        raise PoetrySpecError(f"constraint {quoted(spec)} is not translated")
    joined = _OPERATOR_SPACE.sub(r"\1", spec)
    return ",".join(part for part in re.split(r"[\s,]+", joined) if part)


def poetry_requirement(name: str, spec: Any) -> tuple[str, bool]:
    """``(PEP 508 text, optional)`` of a ``[tool.poetry.dependencies]`` item."""
    if isinstance(spec, str):
        return name + constraint(spec), False
    if isinstance(spec, dict):
        if any(key in spec for key in ("git", "path", "url")):
            return name, bool(spec.get("optional"))
        version = spec.get("version", "*")
        if not isinstance(version, str):
            raise PoetrySpecError("version is not a string")
        markers = spec.get("markers")
        tail = f"; {markers}" if isinstance(markers, str) else ""
        return name + constraint(version) + tail, bool(spec.get("optional"))
    raise PoetrySpecError("multiple-constraint lists are not translated")
