"""Which package indexes a lock may draw from: PyPI, the ones the project declares, the allowed.

A lock entry from any other registry is the dependency-confusion hole in its
locked form: whoever controls that index decides what gets installed.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

    from releasegate._internal.tomldoc import TomlDocument

PYPI = frozenset({"https://pypi.org/simple", "https://pypi.python.org/simple"})


def canonical(url: str) -> str:
    """Compared without a trailing slash and with the scheme and host in lower case."""
    url = url.strip().rstrip("/")
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


def _urls(tables: Any, key: str = "url") -> Iterator[str]:
    for table in tables if isinstance(tables, list) else ():
        value = table.get(key) if isinstance(table, dict) else None
        if isinstance(value, str):
            yield value


def _uv_settings(uv: Any) -> Iterator[str]:
    """``[tool.uv]`` (or ``uv.toml``): ``[[index]]``, ``index-url``, ``extra-index-url``,
    ``find-links``."""
    if not isinstance(uv, dict):
        return
    yield from _urls(uv.get("index"))
    for key in ("index-url", "extra-index-url", "find-links"):
        value = uv.get(key)
        values = value if isinstance(value, list) else [value]
        yield from (v for v in values if isinstance(v, str))


def declared(pyproject: TomlDocument | None, root: Path) -> frozenset[str]:
    """Index URLs the project itself configures for its locker, canonical."""
    found: list[str] = []
    if pyproject is not None:
        found.extend(_uv_settings(pyproject.get("tool", "uv")))
        found.extend(_urls(pyproject.get("tool", "poetry", "source")))
        found.extend(_urls(pyproject.get("tool", "pdm", "source")))
    uv_toml = root / "uv.toml"
    if uv_toml.is_file():
        from releasegate._internal.errors import TomlError
        from releasegate._internal.tomldoc import read_toml

        # uv itself refuses a broken uv.toml; the lock is then judged without it.
        with contextlib.suppress(TomlError):
            found.extend(_uv_settings(read_toml(uv_toml, "uv.toml", root=root).data))
    return frozenset(canonical(url) for url in found)


def allowed(
    pyproject: TomlDocument | None, root: Path, configured: Iterable[str]
) -> frozenset[str]:
    """PyPI, what the project declares, and ``allowed-indexes``, canonical."""
    return PYPI | declared(pyproject, root) | {canonical(u) for u in configured}
