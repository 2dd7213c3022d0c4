"""Lockfiles are parsed once per content, and never served stale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.lockfiles import parse_file

if TYPE_CHECKING:
    from pathlib import Path


def test_same_content_is_parsed_once_and_new_content_again(tmp_path: Path) -> None:
    lockfile = tmp_path / "requirements.txt"
    lockfile.write_text("alpha==1.0\n", encoding="utf-8")
    first = parse_file(tmp_path, "requirements.txt")
    assert parse_file(tmp_path, "requirements.txt") is first
    # Same size, same second: only the content tells the two apart.
    lockfile.write_text("bravo==1.0\n", encoding="utf-8")
    second = parse_file(tmp_path, "requirements.txt")
    assert [e.name for e in second.entries] == ["bravo"]
    assert [e.name for e in first.entries] == ["alpha"]
