"""``uv.lock``: uv's universal lock, one ``[[package]]`` per package version and fork."""

from __future__ import annotations

from dataclasses import replace
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

NAME = "uv"
SUPPORTED_VERSION = 1
_PATH_SOURCES = {
    "editable": (SourceKind.DIRECTORY, True),
    "directory": (SourceKind.DIRECTORY, False),
    "virtual": (SourceKind.DIRECTORY, False),
    "path": (SourceKind.FILE, False),
}


def _hashes(package: dict[str, Any]) -> tuple[Hash, ...]:
    found: list[Hash] = []
    for wheel in table_list(package, "wheels"):
        if isinstance(wheel, dict):
            found.extend(hash_string(wheel.get("hash")))
    sdist = package.get("sdist")
    if isinstance(sdist, dict):
        found.extend(hash_string(sdist.get("hash")))
    return dedupe(found)


def _files(package: dict[str, Any]) -> tuple[str, ...]:
    items = [*table_list(package, "wheels"), package.get("sdist")]
    return tuple(name for name in map(file_name, items) if name)


def _registry(source: Any) -> str | None:
    registry = source.get("registry") if isinstance(source, dict) else None
    return registry if isinstance(registry, str) else None


def _source(source: Any) -> tuple[SourceKind, bool, str | None, str | None]:
    """Kind, editable, URL and commit from ``source = { registry|git|url|editable|... = ... }``."""
    if not isinstance(source, dict):
        return SourceKind.REGISTRY, False, None, None
    for key, (kind, editable) in _PATH_SOURCES.items():
        if isinstance(source.get(key), str):
            return kind, editable, source[key], None
    if isinstance(source.get("git"), str):
        url: str = source["git"]
        # uv records the resolved commit as the URL fragment: git+https://...?rev=main#<sha>
        commit = url.rsplit("#", 1)[1] if "#" in url else None
        return SourceKind.VCS, False, url, commit
    if isinstance(source.get("url"), str):
        return SourceKind.URL, False, source["url"], None
    return SourceKind.REGISTRY, False, None, None


def _requires(package: dict[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    names.extend(_dep_names(package.get("dependencies")))
    for table in ("optional-dependencies", "dev-dependencies"):
        groups = package.get(table)
        if isinstance(groups, dict):
            for deps in groups.values():
                names.extend(_dep_names(deps))
    return tuple(dict.fromkeys(names))


def _dep_names(deps: Any) -> list[str]:
    if not isinstance(deps, list):
        return []
    return [
        normalize(d["name"]) for d in deps if isinstance(d, dict) and isinstance(d.get("name"), str)
    ]


def _entry(package: Any, shown: str, line: int | None) -> Entry | Problem:
    name, version = text(package, "name"), text(package, "version")
    if name is None:
        return Problem(
            "[[package]] without a name", shown, line, f"regenerate {shown} with `uv lock`"
        )
    assert isinstance(package, dict)  # text() returned a str, so it is a table
    kind, editable, url, commit = _source(package.get("source"))
    is_project = kind is SourceKind.DIRECTORY and url == "."
    return Entry(
        name=normalize(name),
        specifier=f"=={version}" if version else "",
        path=shown,
        line=line,
        version=version,
        hashes=_hashes(package),
        marker=None,
        kind=kind,
        editable=editable,
        url=url,
        commit=commit,
        required_by=None,
        requires=_requires(package),
        is_project=is_project,
        files=_files(package),
        index=_registry(package.get("source")),
    )


def _workspace_members(data: dict[str, Any]) -> set[str]:
    manifest = data.get("manifest")
    names = manifest.get("members") if isinstance(manifest, dict) else None
    return {normalize(n) for n in names if isinstance(n, str)} if isinstance(names, list) else set()


def _check_version(doc: TomlDocument, shown: str) -> Problem | None:
    version = doc.data.get("version")
    if version != SUPPORTED_VERSION:
        return Problem(
            f"uv.lock version {quoted(version)} is not {SUPPORTED_VERSION}",
            shown,
            doc.line("version"),
            "regenerate it with a current uv (`uv lock`)",
        )
    return None


def parse(path: Path, root: Path) -> Lockfile:
    read = parse_packages(path, root, NAME, _check_version, _entry)
    if isinstance(read, Lockfile):
        return read
    loaded, entries, problems = read
    members = _workspace_members(loaded.data)
    # A workspace member is the project itself, not a dependency.
    entries = [
        replace(e, is_project=True) if e.name in members and e.kind is SourceKind.DIRECTORY else e
        for e in entries
    ]
    return Lockfile(
        display(path, root),
        NAME,
        tuple(entries),
        problems=tuple(problems),
        records_graph=True,
        covers_optional=True,
    )
