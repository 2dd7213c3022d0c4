"""``pdm.lock``: one ``[[package]]`` per package with ``files`` hashes, its groups and edges.

PDM writes dependencies as PEP 508 strings (``"six>=1.5"``) and records in
``[metadata] groups`` which groups of pyproject.toml the lock covers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import quoted
from releasegate._internal.lockfiles.model import (
    Entry,
    Hash,
    Lockfile,
    Problem,
    SourceKind,
    display,
)
from releasegate._internal.lockfiles.reqline import normalize
from releasegate._internal.lockfiles.tomlformat import (
    dedupe,
    hash_string,
    parse_packages,
    table_list,
    text,
)

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.tomldoc import TomlDocument

NAME = "pdm"
_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _hashes(package: dict[str, Any]) -> tuple[Hash, ...]:
    found: list[Hash] = []
    for item in table_list(package, "files"):
        if isinstance(item, dict):
            found.extend(hash_string(item.get("hash")))
    return dedupe(found)


def _source(package: dict[str, Any]) -> tuple[SourceKind, bool, str | None, str | None]:
    """Kind, editable, URL and commit: ``git``/``revision``, ``path``/``editable``, ``url``."""
    git = text(package, "git")
    if git is not None:
        return SourceKind.VCS, False, git, text(package, "revision")
    path = text(package, "path")
    if path is not None:
        is_file = path.endswith((".whl", ".tar.gz", ".zip"))
        kind = SourceKind.FILE if is_file else SourceKind.DIRECTORY
        return kind, package.get("editable") is True, path, None
    url = text(package, "url")
    if url is not None:
        return SourceKind.URL, False, url, None
    return SourceKind.REGISTRY, False, None, None


def _requires(package: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for item in table_list(package, "dependencies"):
        match = _NAME.match(item) if isinstance(item, str) else None
        if match:
            names.append(normalize(match.group(1)))
    return tuple(dict.fromkeys(names))


def _groups(package: dict[str, Any]) -> tuple[str, ...] | None:
    groups = package.get("groups")
    return tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else None


def _entry(package: Any, shown: str, line: int | None) -> Entry | Problem:
    name, version = text(package, "name"), text(package, "version")
    if name is None or not isinstance(package, dict):
        return Problem(
            "[[package]] without a name", shown, line, f"regenerate {shown} with `pdm lock`"
        )
    kind, editable, url, commit = _source(package)
    return Entry(
        name=normalize(name),
        specifier=f"=={version}" if version else "",
        path=shown,
        line=line,
        version=version,
        hashes=_hashes(package),
        marker=text(package, "marker"),
        kind=kind,
        editable=editable,
        url=url,
        commit=commit,
        required_by=None,
        requires=_requires(package),
        groups=_groups(package),
    )


def _check_metadata(doc: TomlDocument, shown: str) -> Problem | None:
    version = doc.get("metadata", "lock_version")
    if not isinstance(version, str) or not version.startswith("4."):
        return Problem(
            f"pdm.lock [metadata] lock_version {quoted(version)} is not 4.x",
            shown,
            doc.line("metadata", "lock_version"),
            "regenerate it with a current PDM (`pdm lock`)",
        )
    return None


def parse(path: Path, root: Path) -> Lockfile:
    read = parse_packages(path, root, NAME, _check_metadata, _entry)
    if isinstance(read, Lockfile):
        return read
    loaded, entries, problems = read
    groups = loaded.get("metadata", "groups")
    return Lockfile(
        display(path, root),
        NAME,
        tuple(entries),
        problems=tuple(problems),
        records_graph=True,
        covers_optional=True,
        groups=tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else None,
    )
