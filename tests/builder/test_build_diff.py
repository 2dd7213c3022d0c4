"""Classifying the differences between two builds of one archive, on crafted archive pairs."""

from __future__ import annotations

import io
import tarfile
from typing import TYPE_CHECKING

from releasegate._internal.archives import read_archive
from releasegate._internal.builder.diff import HINTS, Comparison, explain
from tests.repro_support import tar_gz, tar_member, zip_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.findings import Finding


def _explain(
    tmp_path: Path, name: str, first: bytes, second: bytes, kind: str = "sdist"
) -> list[Finding]:
    (tmp_path / "1").mkdir(exist_ok=True)
    (tmp_path / "2").mkdir(exist_ok=True)
    (tmp_path / "1" / name).write_bytes(first)
    (tmp_path / "2" / name).write_bytes(second)
    comparison = Comparison(
        kind, read_archive(tmp_path / "1" / name), read_archive(tmp_path / "2" / name)
    )
    return explain(comparison)


def _by_rule(findings: list[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.rule, []).append(finding)
    return grouped


def test_gzip_header_time_alone(tmp_path: Path) -> None:
    members = [tar_member("p-1/a.py", b"x = 1\n")]
    found = _by_rule(
        _explain(tmp_path, "p-1.tar.gz", tar_gz(members, mtime=100), tar_gz(members, mtime=200))
    )
    assert list(found) == ["gzip-mtime"]
    assert "(100 vs 200)" in found["gzip-mtime"][0].message
    assert found["gzip-mtime"][0].hint == HINTS["gzip-mtime"]
    assert "SOURCE_DATE_EPOCH" in (found["gzip-mtime"][0].hint or "")


def test_tar_metadata_classes(tmp_path: Path) -> None:
    first = tar_gz(
        [tar_member("p-1/a.py", b"1", mode=0o644, mtime=10), tar_member("p-1/b.py", b"2")]
    )
    second = tar_gz(
        [
            tar_member("p-1/b.py", b"2", owner=(1000, 1000, "me", "me")),
            tar_member("p-1/a.py", b"1", mode=0o664, mtime=20),
        ]
    )
    found = _by_rule(_explain(tmp_path, "p-1.tar.gz", first, second))
    assert set(found) == {"tar-mtime", "permissions", "owner", "member-order"}
    assert "0o644 vs 0o664" in found["permissions"][0].message
    assert "me:me" in found["owner"][0].message
    assert "umask" in (found["permissions"][0].hint or "")


def test_content_text_gets_a_unified_diff_and_binary_gets_hashes(tmp_path: Path) -> None:
    first = tar_gz(
        [tar_member("p-1/PKG-INFO", b"Name: p\nVersion: 1\n"), tar_member("p-1/x.bin", b"\0\1\2")]
    )
    second = tar_gz(
        [tar_member("p-1/PKG-INFO", b"Name: p\nVersion: 2\n"), tar_member("p-1/x.bin", b"\0\1\3")]
    )
    content = _by_rule(_explain(tmp_path, "p-1.tar.gz", first, second))["content"]
    text, binary = content
    assert "-Version: 1" in text.message
    assert "+Version: 2" in text.message
    assert "3 bytes, sha256" in binary.message
    assert "@@" not in binary.message


def test_members_on_one_side(tmp_path: Path) -> None:
    first = zip_bytes([("pkg/a.py", b"1"), ("pkg/gen.py", b"generated")])
    second = zip_bytes([("pkg/a.py", b"1"), ("pkg/other.py", b"")])
    found = _by_rule(_explain(tmp_path, "p-1-py3-none-any.whl", first, second, "wheel"))
    messages = [f.message for f in found["only-one-side"]]
    assert any("only in build 1: pkg/gen.py" in m for m in messages)
    assert any("only in build 2: pkg/other.py" in m for m in messages)


def test_zip_timestamp_and_mode(tmp_path: Path) -> None:
    first = zip_bytes([("pkg/a.py", b"1")], date_time=(2024, 1, 1, 0, 0, 0))
    second = zip_bytes([("pkg/a.py", b"1")], date_time=(2024, 1, 1, 14, 0, 0), mode=0o100664)
    found = _by_rule(_explain(tmp_path, "p-1-py3-none-any.whl", first, second, "wheel"))
    assert set(found) == {"zip-timestamp", "permissions"}
    assert "2024-01-01 00:00:00 vs 2024-01-01 14:00:00" in found["zip-timestamp"][0].message


def test_same_members_other_bytes(tmp_path: Path) -> None:
    import zipfile

    first = zip_bytes([("pkg/a.py", b"x" * 1000)], compress=zipfile.ZIP_STORED)
    second = zip_bytes([("pkg/a.py", b"x" * 1000)], compress=zipfile.ZIP_DEFLATED)
    assert [f.rule for f in _explain(tmp_path, "p.whl", first, second, "wheel")] == [
        "archive-metadata"
    ]
    third = tar_gz([tar_member("p-1/a", b"a" * 500)])
    import gzip

    assert [
        f.rule
        for f in _explain(
            tmp_path, "q-1.tar.gz", third, gzip.compress(gzip.decompress(third), mtime=0)
        )
    ] == [
        "gzip-header"  # gzip.compress writes OS=3 (Unix) where GzipFile writes 255 (unknown)
    ]
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="", compresslevel=1) as handle:
        handle.write(gzip.decompress(third))
    recompressed = out.getvalue()
    assert recompressed != third
    assert [f.rule for f in _explain(tmp_path, "p-1.tar.gz", third, recompressed)] == [
        "archive-bytes"
    ]


def test_wheel_from_sdist_hints_point_at_the_sdist(tmp_path: Path) -> None:
    first = zip_bytes([("pkg/a.py", b"1"), ("pkg/data.txt", b"d")])
    second = zip_bytes([("pkg/a.py", b"1")])
    (finding,) = _explain(tmp_path, "p.whl", first, second, "wheel-from-sdist")
    assert finding.rule == "only-one-side"
    assert "sdist" in (finding.hint or "")
    assert finding.message.startswith("wheel-from-sdist p.whl:")


def test_a_directory_against_a_file_is_content(tmp_path: Path) -> None:
    first = tar_gz([tar_member("p-1/x", kind=tarfile.DIRTYPE, mode=0o755)])
    second = tar_gz([tar_member("p-1/x", b"", mode=0o755)])
    found = _by_rule(_explain(tmp_path, "p-1.tar.gz", first, second))
    assert "a dir" in found["content"][0].message


def test_line_endings_only_are_one_finding_with_the_gitattributes_fix(tmp_path: Path) -> None:
    lf = zip_bytes([("p/a.py", b"x = 1\ny = 2\n"), ("p/b.py", b"z = 3\n")])
    crlf = zip_bytes([("p/a.py", b"x = 1\r\ny = 2\r\n"), ("p/b.py", b"z = 4\r\n")])
    grouped = _by_rule(_explain(tmp_path, "p-1-py3-none-any.whl", lf, crlf, "wheel"))
    (endings,) = grouped["line-endings"]
    assert "1 member(s) differ only in line endings: p/a.py" in endings.message
    assert "* text=auto eol=lf" in (endings.hint or "")
    # b.py differs in more than its line endings: still a content difference.
    assert [f.message.split("\n")[0] for f in grouped["content"]] == [
        "wheel p-1-py3-none-any.whl: content of p/b.py differs"
    ]
