"""An OSV database on disk (a directory or a zip of records), read once and indexed.

Record files are named by their id (``PYSEC-2023-74.yaml``, ``GHSA-...json``: every OSV
export and the PyPA advisory database do this), so other files in a checkout
(``triage/false_positives.yaml``, workflows) are not mistaken for records. Hidden
directories are skipped. A record that cannot be read is a problem the gate reports;
the rest are still used. The index (withdrawn records dropped, explicit ``versions``
already covered by a range dropped) is cached under the releasegate cache directory,
keyed by the records' content (``contentkey``: a file is read again only when its stat,
change time included, differs), so a warm run reads one JSON file and stats the records.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.vulns.records import Advisory, Affected, RecordError, Severity, parse

if TYPE_CHECKING:
    from collections.abc import Iterator

FORMAT = 2
"""Bumped when the cached index's shape changes."""
_RECORD_NAME = re.compile(r"^[A-Z][A-Za-z0-9]*-[A-Za-z0-9._:-]+\.(json|ya?ml)$")
_ZIP_LIMITS_MIB = 2048


class DatabaseError(Exception):
    """The database cannot be read at all (missing, not a directory or zip, unsafe zip)."""


@dataclass
class Index:
    packages: dict[str, list[Any]]
    """Normalised name -> compact rows (see ``_row``), turned into advisories on lookup."""
    advisories: list[list[Any]]
    records: int
    newest: str
    """The latest ``modified`` time of any record (ISO 8601), "" when none says."""
    problems: list[str] = field(default_factory=list)
    """``file: why`` for every record that could not be read."""

    def lookup(self, name: str) -> list[Advisory]:
        return [self._advisory(row) for row in self.packages.get(name, ())]

    def _advisory(self, row: list[Any]) -> Advisory:
        head = self.advisories[row[0]]
        ranges = tuple(tuple((k, v) for k, v in events) for events in row[2])
        severity = Severity(head[4], head[5], head[6])
        affected = (Affected(row[1], ranges, tuple(row[3])),)
        return Advisory(head[0], tuple(head[1]), head[2], head[3], severity, affected)


def load(path: Path) -> Index:
    """The index of the database at ``path``, from the cache when nothing changed."""
    from releasegate._internal.lockfiles import gc_paused
    from releasegate._internal.metadata.cache import cache_dir

    stamp = _stamp(path)
    cached = cache_dir() / "vulns-index" / f"{stamp}.json"
    try:
        with gc_paused():
            data = json.loads(cached.read_text(encoding="utf-8"))
        if data.get("format") == FORMAT:
            return Index(
                data["packages"],
                data["advisories"],
                data["records"],
                data["newest"],
                data["problems"],
            )
    except (OSError, ValueError, KeyError, AttributeError):
        pass  # no cache, or one of another shape: build it
    index = build(path)
    _store(cached, index)
    return index


def _store(target: Path, index: Index) -> None:
    import tempfile

    body = {
        "format": FORMAT,
        "packages": index.packages,
        "advisories": index.advisories,
        "records": index.records,
        "newest": index.newest,
        "problems": index.problems,
    }
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".partial")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            # dumps, not dump: only a one-shot encoding uses the C encoder (1 s less, cold).
            out.write(json.dumps(body, separators=(",", ":")))
        Path(temporary).replace(target)
    except OSError:
        return  # a cache that cannot be written is simply not used


def _stamp(path: Path) -> str:
    from releasegate._internal.metadata.cache import cache_dir
    from releasegate._internal.vulns.contentkey import content_key

    if path.is_dir():
        files = _record_files(path)
    elif path.is_file():
        files = iter([("", str(path))])
    else:
        raise DatabaseError(f"{path} does not exist")
    where = hashlib.blake2b(str(path.resolve()).encode(), digest_size=16).hexdigest()
    memo = cache_dir() / "vulns-index" / "digests" / f"{where}.json"
    return content_key(files, memo, f"{FORMAT}\0{'dir' if path.is_dir() else 'zip'}")


def _record_files(root: Path) -> Iterator[tuple[str, str]]:
    """(path relative to ``root``, full path) of every record file, as strings: a Path per
    file cost more than reading it."""
    base = str(root)
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        inside = os.path.relpath(folder, base).replace(os.sep, "/")
        prefix = "" if inside == "." else inside + "/"
        for name in sorted(files):
            if _RECORD_NAME.match(name):
                yield prefix + name, os.path.join(folder, name)  # noqa: PTH118 - as above


def build(path: Path) -> Index:
    from releasegate._internal.lockfiles import gc_paused

    index = Index({}, [], 0, "")
    with gc_paused():
        for name, data in _raw_records(path):
            _add(index, name, data)
    return index


def _raw_records(path: Path) -> Iterator[tuple[str, bytes]]:
    if path.is_dir():
        for relative, full in _record_files(path):
            with open(full, "rb") as handle:  # noqa: PTH123 - a string path, see _record_files
                yield relative, handle.read()
        return
    if not path.name.endswith(".zip"):
        raise DatabaseError(f"{path.name} is neither a directory nor a .zip of OSV records")
    from releasegate._internal.archives import Limits, read_archive

    mib = 1 << 20
    archive = read_archive(
        path,
        Limits(
            max_total=_ZIP_LIMITS_MIB * mib,
            max_members=1_000_000,
            keep_content=64 * mib,
            max_kept=_ZIP_LIMITS_MIB * mib,
        ),
    )
    if archive.problems:
        raise DatabaseError(
            f"{path.name} is not a safe, readable zip: {archive.describe_problems()}"
        )
    for member in archive.members:
        if member.kind == "file" and _RECORD_NAME.match(member.name.rsplit("/", 1)[-1]):
            content = archive.read(member.name)
            if content is not None:
                yield member.name, content


def _add(index: Index, name: str, data: bytes) -> None:
    try:
        advisory = parse(_decode(name, data))
    except (RecordError, ValueError) as exc:
        index.problems.append(f"{name}: {exc}")
        return
    index.records += 1
    if advisory is None:
        return  # withdrawn, or about another ecosystem
    index.newest = max(index.newest, advisory.modified)
    number = len(index.advisories)
    s = advisory.severity
    index.advisories.append(
        [
            advisory.id,
            list(advisory.aliases),
            advisory.summary,
            advisory.modified,
            s.score,
            s.rating,
            s.vector,
        ]
    )
    for affected in advisory.affected:
        index.packages.setdefault(affected.name, []).append(_row(number, affected))


def _row(number: int, affected: Affected) -> list[Any]:
    from releasegate._internal.vulns.matching import uncovered

    # Most records list every affected release besides the ranges that already cover them;
    # keeping only the versions no range covers makes the index a fraction of the size.
    extra = uncovered(affected.versions, affected.ranges)
    return [number, affected.name, [list(map(list, r)) for r in affected.ranges], extra]


def _decode(name: str, data: bytes) -> Any:
    if name.endswith(".json"):
        return json.loads(data)
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is a dependency
        raise RecordError("a YAML record needs PyYAML") from None
    try:
        # Composed by libyaml, then only the keys matching reads are turned into values, all
        # of them strings (no implicit typing: "2.10" stays a version, not the float 2.1):
        # a full safe_load spent most of a cold build constructing references and prose.
        node = yaml.compose(data, Loader=_loader())
    except yaml.YAMLError as exc:
        raise RecordError(f"not valid YAML: {exc}".split("\n", 1)[0]) from None
    return _value(node, _KEEP) if node is not None else None


@functools.lru_cache(maxsize=1)
def _loader() -> Any:
    """libyaml's loader that types nothing: every scalar's tag is left unresolved (BaseLoader
    would still ask, in Python, of each of 300,000 scalars, which tag it has)."""
    import yaml

    base = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

    class Untyped(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:  # noqa: ARG002 - the interface's
            return ""

    return Untyped


_KEEP = frozenset(
    {"id", "modified", "withdrawn", "aliases", "summary", "details", "severity", "affected"}
    | {"database_specific"}
)


def _value(node: Any, keep: frozenset[str] | None = None) -> Any:
    """A composed YAML node as plain data: strings, lists and dicts (``keep``: the top
    level's keys worth building)."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    return {
        key.value: _value(value)
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode) and (keep is None or key.value in keep)
    }
