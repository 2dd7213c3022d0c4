"""PEP 751 ``pylock.toml``, validated by ``packaging.pylock`` and mapped onto the common model."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

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
    hashes_table,
    load,
    table_list,
)

if TYPE_CHECKING:
    from pathlib import Path

    from packaging.pylock import (
        Package,
        PackageSdist,
        PackageWheel,
        Pylock,
        PylockValidationError,
    )

    from releasegate._internal.tomldoc import TomlDocument

NAME = "pylock"


def _validate(doc: TomlDocument, shown: str) -> Pylock | Problem:
    """The lock as ``packaging`` reads it, or why it refuses it."""
    from packaging.pylock import Pylock, PylockUnsupportedVersionError, PylockValidationError

    try:
        return Pylock.from_dict(doc.data)
    except PylockUnsupportedVersionError as exc:
        return Problem(
            f"unsupported lock-version: {exc}",
            shown,
            doc.line("lock-version"),
            "releasegate reads pylock lock-version 1.x",
        )
    except PylockValidationError as exc:
        message = f"not a valid PEP 751 lock: {exc}"
        line = _problem_line(doc, exc)
        return Problem(message, shown, line, f"regenerate {shown} (PEP 751)", _rule_of(str(exc)))
    except (TypeError, ValueError, AttributeError) as exc:  # packaging trusts types in places
        return Problem(f"not a valid PEP 751 lock: {exc}", shown, None, f"regenerate {shown}")


def _rule_of(message: str) -> str:
    """The pinning rule a validation error amounts to (packaging refuses such files outright)."""
    if "hash must be provided" in message:
        return "url-without-hash" if ".archive." in message else "missing-hash"
    if "is not consistent with package" in message:
        return "artifact-mismatch"  # the same contradiction consistency.py finds in uv.lock
    if "commit-id" in message:
        return "vcs-not-pinned"
    return "parse-error"


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _problem_line(doc: TomlDocument, exc: PylockValidationError) -> int | None:
    """The line of the entry ``packaging`` names in ``exc.context`` (``packages[3].wheels[0]``).

    Only the leading ``packages[N]`` is kept: every format points a finding at the
    package's block, whatever key inside it is wrong.
    """
    if not exc.context:
        return None
    path = [int(index) if index else key for key, index in _STEP.findall(exc.context)]
    return doc.line(*path[:2]) if path else None


def _hashes(package: Package) -> tuple[Hash, ...]:
    found: list[Hash] = []
    for wheel in package.wheels or ():
        found.extend(hashes_table(dict(wheel.hashes)))
    for item in (package.sdist, package.archive):
        if item is not None:
            found.extend(hashes_table(dict(item.hashes)))
    return dedupe(found)


def _files(package: Package) -> tuple[str, ...]:
    items: list[PackageWheel | PackageSdist] = [*(package.wheels or ())]
    if package.sdist is not None:
        items.append(package.sdist)
    names = (item.name or file_name({"url": item.url, "path": item.path}) for item in items)
    return tuple(name for name in names if name)


def _source(package: Package) -> tuple[SourceKind, bool, str | None, str | None]:
    """Kind, editable, URL and commit of a package."""
    if package.vcs is not None:
        return SourceKind.VCS, False, package.vcs.url or package.vcs.path, package.vcs.commit_id
    if package.directory is not None:
        return SourceKind.DIRECTORY, bool(package.directory.editable), package.directory.path, None
    if package.archive is not None:
        url = package.archive.url or package.archive.path
        return (SourceKind.URL if package.archive.url else SourceKind.FILE), False, url, None
    return SourceKind.REGISTRY, False, None, None


def _requires(raw: Any) -> tuple[str, ...] | None:
    if not isinstance(raw, dict) or "dependencies" not in raw:
        return None
    return tuple(
        normalize(d["name"])
        for d in table_list(raw, "dependencies")
        if isinstance(d, dict) and isinstance(d.get("name"), str)
    )


def _entry(package: Package, raw: Any, shown: str, line: int | None) -> Entry:
    kind, editable, url, commit = _source(package)
    version = str(package.version) if package.version is not None else None
    return Entry(
        name=normalize(package.name),
        specifier=f"=={version}" if version else "",
        path=shown,
        line=line,
        version=version,
        hashes=_hashes(package),
        marker=str(package.marker) if package.marker else None,
        kind=kind,
        editable=editable,
        url=url,
        commit=commit,
        required_by=None,
        requires=_requires(raw),
        is_project=kind is SourceKind.DIRECTORY and url in (".", "./"),
        files=_files(package),
        index=package.index,
    )


def parse(path: Path, root: Path) -> Lockfile:
    shown = display(path, root)
    loaded = load(path, shown, NAME, root)
    if isinstance(loaded, Lockfile):
        return loaded
    lock = _validate(loaded, shown)
    if isinstance(lock, Problem):
        return Lockfile(shown, NAME, problems=(lock,))
    raws = table_list(loaded.data, "packages")
    entries = tuple(
        _entry(package, raws[index], shown, loaded.line("packages", index))
        for index, package in enumerate(lock.packages)
    )
    graph = bool(raws) and all(isinstance(r, dict) and "dependencies" in r for r in raws)
    return Lockfile(shown, NAME, entries, records_graph=graph)
