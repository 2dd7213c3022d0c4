"""Safe archive reading: real sdists and wheels, and crafted hostile ones (tar and zip)."""

from __future__ import annotations

import hashlib
import io
import stat
import tarfile
import zipfile
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from releasegate._internal.archives import Limits, gzip_header, read_archive
from releasegate._internal.builder.unpack import UnsafeArchive, extract_sdist
from tests.repro_support import tar_gz, tar_member, zip_bytes

if TYPE_CHECKING:
    from pathlib import Path


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rules(path: Path, limits: Limits | None = None) -> set[str]:
    return {p.rule for p in read_archive(path, limits).problems}


def test_reads_members_with_metadata_and_hashes(tmp_path: Path) -> None:
    sdist = _write(
        tmp_path,
        "p-1.tar.gz",
        tar_gz(
            [
                tar_member("p-1/", kind=tarfile.DIRTYPE, mode=0o755),
                tar_member(
                    "p-1/a.py",
                    b"x = 1\n",
                    mode=0o664,
                    mtime=1_700_000_123,
                    owner=(1000, 1000, "me", "us"),
                ),
            ],
            mtime=1_700_000_999,
        ),
    )
    archive = read_archive(sdist)
    assert archive.problems == ()
    assert dict(archive.header)["gzip mtime"] == "1700000999"
    member = archive.by_name()["p-1/a.py"]
    assert (member.kind, member.mode, member.mtime, member.owner) == (
        "file",
        0o664,
        "1700000123",
        (1000, 1000, "me", "us"),
    )
    assert member.sha256 == hashlib.sha256(b"x = 1\n").hexdigest()
    assert member.content == b"x = 1\n"
    assert member.size == 6


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("../evil.py", "path-traversal"),
        ("p-1/../../evil.py", "path-traversal"),
        ("/etc/evil", "absolute-path"),
        ("p-1\\..\\evil", "unsafe-name"),
    ],
)
def test_tar_bad_names(tmp_path: Path, name: str, rule: str) -> None:
    path = _write(tmp_path, "bad.tar.gz", tar_gz([tar_member(name, b"boom")]))
    assert rule in _rules(path)


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        (tarfile.SYMTYPE, "symlink"),
        (tarfile.LNKTYPE, "hardlink"),
        (tarfile.CHRTYPE, "special-file"),
        (tarfile.BLKTYPE, "special-file"),
        (tarfile.FIFOTYPE, "special-file"),
    ],
)
def test_tar_links_and_devices(tmp_path: Path, kind: bytes, rule: str) -> None:
    path = _write(
        tmp_path, "bad.tar.gz", tar_gz([tar_member("p-1/x", kind=kind, link="/etc/passwd")])
    )
    assert rule in _rules(path)


def test_tar_gzip_bomb_stops_early(tmp_path: Path) -> None:
    zeros = b"\0" * (40 << 20)
    path = _write(tmp_path, "bomb.tar.gz", tar_gz([tar_member("p-1/zeros", zeros)]))
    assert path.stat().st_size < 200_000
    assert _rules(path) == {"compression-ratio"}
    assert "too-large" in _rules(path, Limits(max_total=1 << 20, max_ratio=10**9))


def test_tar_absurd_member_count(tmp_path: Path) -> None:
    path = _write(tmp_path, "many.tar.gz", tar_gz(tar_member(f"p-1/{i}", b"") for i in range(300)))
    assert "too-many-members" in _rules(path, Limits(max_members=100))
    assert len(read_archive(path, Limits(max_members=100)).members) == 100


def test_corrupt_archives_are_problems_not_crashes(tmp_path: Path) -> None:
    good = tar_gz([tar_member("p-1/a", b"a" * 1000)])
    assert _rules(_write(tmp_path, "cut.tar.gz", good[: len(good) // 2])) == {"corrupt"}
    assert _rules(_write(tmp_path, "junk.tar.gz", b"not gzip at all")) == {"corrupt"}
    assert _rules(_write(tmp_path, "junk.whl", b"PK\x03\x04 not really")) == {"corrupt"}


@pytest.mark.parametrize(
    ("name", "mode", "rule"),
    [
        ("../../evil.py", 0o100644, "path-traversal"),
        ("/abs/evil.py", 0o100644, "absolute-path"),
        ("pkg/link", stat.S_IFLNK | 0o777, "symlink"),
        ("pkg/dev", stat.S_IFCHR | 0o600, "special-file"),
        ("pkg/fifo", stat.S_IFIFO | 0o600, "special-file"),
    ],
)
def test_zip_hostile_members(tmp_path: Path, name: str, mode: int, rule: str) -> None:
    path = _write(tmp_path, "bad.whl", zip_bytes([(name, b"/etc/passwd")], mode=mode))
    assert rule in _rules(path)


def test_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = _write(tmp_path, "bomb.whl", zip_bytes([("pkg/zeros", b"\0" * (20 << 20))]))
    assert _rules(path) == {"compression-ratio"}


def test_zip_declared_member_count_is_checked_before_parsing(tmp_path: Path) -> None:
    path = _write(tmp_path, "many.whl", zip_bytes((f"pkg/{i}", b"") for i in range(300)))
    archive = read_archive(path, Limits(max_members=100))
    assert [p.rule for p in archive.problems] == ["too-many-members"]
    assert archive.members == ()


def test_zip_duplicate_members(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("pkg/a.py", b"1")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("pkg/a.py", b"2")
    assert "duplicate-member" in _rules(_write(tmp_path, "dup.whl", out.getvalue()))


def test_extract_refuses_hostile_sdist_and_writes_nothing(tmp_path: Path) -> None:
    dest = tmp_path / "dest"
    dest.mkdir()
    path = _write(
        tmp_path,
        "bad.tar.gz",
        tar_gz(
            [
                tar_member("p-1/ok.py", b"fine"),
                tar_member("p-1/../../escaped.py", b"owned"),
                tar_member("p-1/link", kind=tarfile.SYMTYPE, link="/etc"),
            ]
        ),
    )
    with pytest.raises(UnsafeArchive) as raised:
        extract_sdist(path, dest)
    assert {p.rule for p in raised.value.problems} == {"path-traversal", "symlink"}
    assert list(dest.iterdir()) == []
    assert not (tmp_path / "escaped.py").exists()


def test_extract_writes_files_under_one_top_directory(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "p-1.tar.gz",
        tar_gz(
            [
                tar_member("p-1/pkg/run.sh", b"#!/bin/sh\n", mode=0o4755),
                tar_member("p-1/pkg/a.py", b"x = 1\n", mode=0o666),
            ]
        ),
    )
    top = extract_sdist(path, tmp_path / "dest")
    assert top == (tmp_path / "dest" / "p-1").resolve()
    assert (top / "pkg" / "a.py").read_bytes() == b"x = 1\n"
    assert stat.S_IMODE((top / "pkg" / "run.sh").stat().st_mode) == 0o755  # setuid dropped
    assert stat.S_IMODE((top / "pkg" / "a.py").stat().st_mode) == 0o644
    assert (top / "pkg" / "a.py").stat().st_mtime == 1_700_000_000


def test_extract_refuses_two_top_directories(tmp_path: Path) -> None:
    path = _write(tmp_path, "p-1.tar.gz", tar_gz([tar_member("a/x", b""), tar_member("b/y", b"")]))
    with pytest.raises(UnsafeArchive, match="one top directory"):
        extract_sdist(path, tmp_path / "dest")


def test_gzip_header_fields() -> None:
    header = dict(gzip_header(tar_gz([], mtime=1234)))
    assert header["gzip mtime"] == "1234"
    assert gzip_header(b"plain") == ()


_VALID = [
    tar_gz([tar_member("p-1/a.py", b"x = 1\n" * 50), tar_member("p-1/b.txt", b"hello")]),
    zip_bytes([("pkg/a.py", b"x = 1\n" * 50), ("pkg-1.dist-info/RECORD", b"")]),
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    which=st.sampled_from([0, 1]),
    cuts=st.lists(st.tuples(st.integers(0, 2000), st.binary(max_size=8)), max_size=4),
)
# A member whose name became empty: ZipInfo.is_dir() raised IndexError (exit 3; issue 27's run).
@example(which=1, cuts=[(150, b"\x00")])
def test_fuzzed_archives_never_crash(
    tmp_path: Path, which: int, cuts: list[tuple[int, bytes]]
) -> None:
    data = bytearray(_VALID[which])
    for offset, junk in cuts:
        at = offset % len(data)
        data[at : at + len(junk)] = junk
    path = _write(tmp_path, "fuzz.tar.gz" if which == 0 else "fuzz.whl", bytes(data))
    archive = read_archive(path, Limits(max_total=1 << 20, max_members=50))
    assert all(p.rule for p in archive.problems)
    for member in archive.members:
        assert member.kind in {"file", "dir", "symlink", "hardlink", "device", "fifo", "other"}
