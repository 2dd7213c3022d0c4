"""The promoted wheel: file name, ``.dist-info``/``.data`` names, METADATA's Version, RECORD.

Every other member keeps its bytes, order, date, mode and compression method; RECORD keeps
its rows and their order, with new hashes only for the rewritten members. The source RECORD
is checked first: a wheel whose members do not match it has been tampered with.
"""

from __future__ import annotations

import base64
import copy
import csv
import hashlib
import io
import stat
from typing import TYPE_CHECKING

from releasegate._internal.archives import RawZip
from releasegate._internal.promote.payload import RECORD_NAME, Role, rewritten
from releasegate._internal.promote.zipout import ZipOut

if TYPE_CHECKING:
    import zipfile
    from pathlib import Path

    from releasegate._internal.archives import Archive, Member
    from releasegate._internal.promote.payload import Layout
    from releasegate._internal.promote.versions import Step


def record_hash(content: bytes) -> str:
    encoded = base64.urlsafe_b64encode(hashlib.sha256(content).digest()).rstrip(b"=")
    return "sha256=" + encoded.decode("ascii")


def _record_member(layout: Layout) -> str:
    return layout.prefixes(layout.version)[0] + "RECORD"


def _rows(archive: Archive, layout: Layout) -> list[list[str]] | None:
    text = archive.text(_record_member(layout))
    return None if text is None else [row for row in csv.reader(io.StringIO(text)) if row]


def record_problems(archive: Archive, layout: Layout) -> list[str]:
    """Why the members do not match RECORD (an empty list when they do)."""
    rows = _rows(archive, layout)
    if rows is None:
        return [f"{_record_member(layout)} is missing"]
    files = {m.name: m for m in archive.members if m.kind == "file"}
    problems, listed = [], set()
    for row in rows:
        listed.add(row[0])
        member = files.get(row[0])
        if member is None:
            problems.append(f"RECORD lists {row[0]}, which the wheel does not contain")
        elif len(row) > 1 and row[1] and not _hash_matches(row[1], member):
            problems.append(f"{row[0]} does not match its RECORD hash (changed after the build)")
    unlisted = [n for n in files if n not in listed and layout.role(n) is not Role.RECORD]
    problems += [f"{name} is not in RECORD (added after the build)" for name in unlisted]
    return problems


def _hash_matches(entry: str, member: Member) -> bool:
    algorithm, _, value = entry.partition("=")
    if algorithm == "sha256" and member.sha256 is not None:
        digest = bytes.fromhex(member.sha256)  # hashed by the reader already: not twice
    elif member.content is None or algorithm not in hashlib.algorithms_guaranteed:
        return False
    else:
        digest = hashlib.new(algorithm, member.content).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii") == value


def _renamed(info: zipfile.ZipInfo, name: str) -> zipfile.ZipInfo:
    renamed = copy.copy(info)
    renamed.filename = renamed.orig_filename = name
    return renamed


def new_record(archive: Archive, layout: Layout, step: Step, contents: dict[str, bytes]) -> bytes:
    """RECORD with renamed paths, new hashes for changed members, the promotion record added."""
    text = archive.text(_record_member(layout)) or ""
    newline = "\r\n" if "\r\n" in text else "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    for row in _rows(archive, layout) or []:
        if layout.role(row[0]) is Role.PROMOTION:
            continue  # a record of an earlier promotion: replaced by this one
        name = layout.renamed(row[0], step.target)
        if name == layout.prefixes(step.target)[0] + "RECORD":
            promotion = layout.prefixes(step.target)[0] + RECORD_NAME
            content = contents[promotion]
            writer.writerow([promotion, record_hash(content), str(len(content))])
            writer.writerow([name, *row[1:]])
        elif name in contents:
            writer.writerow([name, record_hash(contents[name]), str(len(contents[name]))])
        else:
            writer.writerow([name, *row[1:]])
    return out.getvalue().encode("utf-8")


def write_wheel(archive: Archive, layout: Layout, step: Step, record: bytes, out: Path) -> None:
    """Write the promoted wheel to ``out`` (the caller renames it into place).

    Members that do not change are copied as stored (compressed bytes, CRC, date, attributes);
    the caller's read-back of ``out`` proves they still hold the payload."""
    metadata_dir = layout.prefixes(step.target)[0]
    changed: dict[str, bytes] = {metadata_dir + RECORD_NAME: record}
    for member in archive.members:
        role = layout.role(member.name)
        if role in (Role.METADATA, Role.REWRITE, Role.VCS) and member.content is not None:
            changed[layout.renamed(member.name, step.target)] = rewritten(
                role, member.content, step
            )
    record_text = new_record(archive, layout, step, changed)
    with RawZip(archive.path) as source, out.open("wb") as handle:
        target = ZipOut(handle)
        for member in archive.members:
            role = layout.role(member.name)
            if role is Role.PROMOTION:
                continue  # a record of an earlier promotion: replaced by this one
            stored = source.member(member.name)
            name = layout.renamed(member.name, step.target)
            if role is Role.RECORD and name.endswith("/RECORD"):
                info = _renamed(stored.info, metadata_dir + RECORD_NAME)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                target.add(info, record)
                target.add(_renamed(stored.info, name), record_text)
            elif name in changed:
                target.add(_renamed(stored.info, name), changed[name])
            else:
                target.add_stored(_renamed(stored.info, name), stored.data)
        target.close()
