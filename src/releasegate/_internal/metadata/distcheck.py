"""Checks on built distributions: strict METADATA, License-File members, long description."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.archives import sdist_prefix
from releasegate._internal.findings import quoted
from releasegate._internal.metadata import readme
from releasegate._internal.metadata.problem import Problem

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive


def metadata_member(archive: Archive, kind: str) -> str | None:
    """``<name-version>/PKG-INFO`` of an sdist, ``<name>.dist-info/METADATA`` of a wheel."""
    if kind == "sdist":
        name = f"{sdist_prefix(archive)}/PKG-INFO"
        return name if name in archive.by_name() else None
    found = [n for n in archive.files() if n.count("/") == 1 and n.endswith(".dist-info/METADATA")]
    return found[0] if len(found) == 1 else None


def check(archive: Archive, kind: str) -> list[Problem]:
    """Every problem of one built archive's metadata, License-File entries and long description."""
    shown = archive.path.name
    if archive.problems:
        return [_refused(archive)]
    member = metadata_member(archive, kind)
    text = archive.text(member) if member is not None else None
    if member is None or text is None:
        return [
            Problem(
                "metadata-missing",
                f"{shown} has no {'PKG-INFO' if kind == 'sdist' else 'METADATA'}",
            )
        ]
    problems = _strict(text, shown)
    problems.extend(_license_files(archive, text, member, kind))
    problems.extend(_long_description(text, shown))
    return problems


def _refused(archive: Archive) -> Problem:
    """An archive with any problem is not read further: its metadata cannot be trusted."""
    if all(p.rule == "corrupt" for p in archive.problems):
        return Problem(
            "archive-unreadable",
            f"{archive.path.name}: {archive.describe_problems()}",
            (),
            "rebuild it; a backend that writes a broken archive is a bug to report",
        )
    return Problem(
        "archive-unsafe",
        f"{archive.path.name} is unsafe to unpack: {archive.describe_problems()}",
        (),
        "a backend never writes these: rebuild from a clean checkout and check what it includes",
    )


def _strict(text: str, shown: str) -> list[Problem]:
    from packaging.metadata import ExceptionGroup, InvalidMetadata, Metadata

    try:
        Metadata.from_email(text, validate=True)
    # packaging gathers what it finds into an ExceptionGroup of InvalidMetadata; ValueError
    # for a payload it cannot decode.
    except (ExceptionGroup, InvalidMetadata, ValueError) as exc:
        inner = getattr(exc, "exceptions", None) or [exc]
        return [
            Problem(
                "metadata-invalid",
                f"{shown}: {e}",
                (),
                "check the [project] table and the backend version",
            )
            for e in inner
        ]
    return []


def _license_files(archive: Archive, text: str, member: str, kind: str) -> list[Problem]:
    from packaging.metadata import parse_email

    raw, _ = parse_email(text)
    base = member.rsplit("/", 1)[0]
    problems = []
    members = archive.by_name()
    for entry in raw.get("license_files", []):
        inside = f"{base}/licenses/{entry}" if kind == "wheel" else f"{base}/{entry}"
        if inside not in members or members[inside].kind != "file":
            problems.append(
                Problem(
                    "license-file-missing",
                    f"{archive.path.name} declares License-File {quoted(entry)} "
                    f"but does not contain {inside}",
                    (),
                    "the backend must ship every file named in license-files",
                )
            )
    return problems


def _long_description(text: str, shown: str) -> list[Problem]:
    from packaging.metadata import parse_email

    raw, _ = parse_email(text)
    description = raw.get("description")
    if not description:
        return []
    content_type = raw.get("description_content_type") or "text/x-rst"  # core metadata's default
    return [
        Problem(
            "long-description",
            f"{shown}: long description {p.message}" + (f" (line {p.line})" if p.line else ""),
            (),
            "PyPI would show the raw text: fix the readme",
        )
        for p in readme.render_problems(description, content_type)
    ]
