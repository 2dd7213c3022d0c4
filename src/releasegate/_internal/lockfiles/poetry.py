"""``poetry.lock``: one ``[[package]]`` per package with ``files`` hashes and dependency tables."""

from __future__ import annotations

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
    file_name,
    hash_string,
    parse_packages,
    table_list,
    text,
)

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.tomldoc import TomlDocument

NAME = "poetry"
_KINDS = {
    "git": SourceKind.VCS,
    "url": SourceKind.URL,
    "file": SourceKind.FILE,
    "directory": SourceKind.DIRECTORY,
}


def _hashes(package: dict[str, Any]) -> tuple[Hash, ...]:
    found: list[Hash] = []
    for item in table_list(package, "files"):
        if isinstance(item, dict):
            found.extend(hash_string(item.get("hash")))
    return dedupe(found)


def _files(package: dict[str, Any]) -> tuple[str, ...]:
    return tuple(name for name in map(file_name, table_list(package, "files")) if name)


def _index(package: dict[str, Any]) -> str | None:
    """The URL of a ``legacy`` (PEP 503) source; no source table means PyPI."""
    source = package.get("source")
    return text(source, "url") if text(source, "type") == "legacy" else None


def _source(package: dict[str, Any]) -> tuple[SourceKind, bool, str | None, str | None]:
    """Kind, editable, URL and commit from ``[package.source]``; ``legacy`` sources are indexes."""
    source = package.get("source")
    kind = _KINDS.get(str(text(source, "type")))
    if kind is None:
        return SourceKind.REGISTRY, False, None, None
    url = text(source, "url")
    commit = text(source, "resolved_reference") if kind is SourceKind.VCS else None
    return kind, package.get("develop") is True, url, commit


def _requires(package: dict[str, Any]) -> tuple[str, ...]:
    deps = package.get("dependencies")
    return tuple(normalize(str(name)) for name in deps) if isinstance(deps, dict) else ()


def _entry(package: Any, shown: str, line: int | None) -> Entry | Problem:
    name, version = text(package, "name"), text(package, "version")
    if name is None or not isinstance(package, dict):
        return Problem(
            "[[package]] without a name", shown, line, f"regenerate {shown} with `poetry lock`"
        )
    kind, editable, url, commit = _source(package)
    return Entry(
        name=normalize(name),
        specifier=f"=={version}" if version else "",
        path=shown,
        line=line,
        version=version,
        hashes=_hashes(package),
        marker=text(package, "markers"),
        kind=kind,
        editable=editable,
        url=url,
        commit=commit,
        required_by=None,
        requires=_requires(package),
        files=_files(package),
        index=_index(package),
    )


def _check_metadata(doc: TomlDocument, shown: str) -> Problem | None:
    version = doc.get("metadata", "lock-version")
    if not isinstance(version, str) or not version.startswith(("1.", "2.")):
        return Problem(
            f"poetry.lock [metadata] lock-version {quoted(version)} is not 1.x or 2.x",
            shown,
            doc.line("metadata", "lock-version"),
            "regenerate it with `poetry lock`",
        )
    return None


def parse(path: Path, root: Path) -> Lockfile:
    read = parse_packages(path, root, NAME, _check_metadata, _entry)
    if isinstance(read, Lockfile):
        return read
    _, entries, problems = read
    return Lockfile(
        display(path, root),
        NAME,
        tuple(entries),
        problems=tuple(problems),
        records_graph=True,
        covers_optional=True,
    )
