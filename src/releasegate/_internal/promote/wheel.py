"""The promoted wheel: file name, ``.dist-info``/``.data`` names, METADATA's Version, RECORD.

Every other member keeps its bytes, order, date, mode and compression method; RECORD keeps
its rows and their order, with new hashes only for the rewritten members. The source RECORD
is checked first: a wheel whose members do not match it has been tampered with.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import stat
import struct
import time
import zipfile
from typing import TYPE_CHECKING

from releasegate._internal.promote.payload import RECORD_NAME, Role, rewritten

if TYPE_CHECKING:
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
    if member.content is None or algorithm not in hashlib.algorithms_guaranteed:
        return False
    digest = hashlib.new(algorithm, member.content).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii") == value


def _zip_info(member: Member, name: str) -> zipfile.ZipInfo:
    extra = dict(member.extra)
    date_time = time.strptime(member.mtime, "%Y-%m-%d %H:%M:%S")[:6]
    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = int(extra.get("compression", zipfile.ZIP_DEFLATED))
    info.create_system = int(extra.get("creator system", 3))
    kind = stat.S_IFDIR if member.kind == "dir" else stat.S_IFREG
    high = (kind | member.mode) << 16 if member.mode else 0
    info.external_attr = high | int(extra.get("external attributes", "0"), 16)
    info.extra = _without_zip64(bytes.fromhex(extra.get("extra field", "")))
    return info


def _without_zip64(extra: bytes) -> bytes:
    """Extra fields as they were, less a zip64 one: zipfile writes its own sizes when needed."""
    kept, position = b"", 0
    while position + 4 <= len(extra):
        kind, size = struct.unpack("<HH", extra[position : position + 4])
        if kind != 1:
            kept += extra[position : position + 4 + size]
        position += 4 + size
    return kept


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
    """Write the promoted wheel to ``out`` (the caller renames it into place)."""
    metadata_dir = layout.prefixes(step.target)[0]
    changed: dict[str, bytes] = {metadata_dir + RECORD_NAME: record}
    for member in archive.members:
        role = layout.role(member.name)
        if role in (Role.METADATA, Role.REWRITE, Role.VCS) and member.content is not None:
            changed[layout.renamed(member.name, step.target)] = rewritten(
                role, member.content, step
            )
    record_text = new_record(archive, layout, step, changed)
    with zipfile.ZipFile(out, "w") as target:
        for member in archive.members:
            name = layout.renamed(member.name, step.target)
            if layout.role(member.name) is Role.PROMOTION:
                continue
            if layout.role(member.name) is Role.RECORD and name.endswith("/RECORD"):
                info = _zip_info(member, metadata_dir + RECORD_NAME)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                target.writestr(info, record)
                target.writestr(_zip_info(member, name), record_text)
                continue
            data = changed.get(name, member.content or b"")
            target.writestr(_zip_info(member, name), data)
