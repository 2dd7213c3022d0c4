"""Stamping SOURCE_DATE_EPOCH into an sdist whose backend ignored it (issue 31)."""

from __future__ import annotations

import gzip
import io
import tarfile
from typing import TYPE_CHECKING

from releasegate._internal.builder.sdisttimes import gzip_header, stamp_if_needed

if TYPE_CHECKING:
    from pathlib import Path

EPOCH = 1_700_000_000


def _sdist(path: Path, header_time: int, member_times: list[float]) -> Path:
    """A .tar.gz written as setuptools writes one: tarfile's own gzip stream, with a name."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for i, mtime in enumerate(member_times):
            info = tarfile.TarInfo(f"demo-1.0/file{i}.txt")
            data = f"file {i}\n".encode()
            info.size, info.mtime, info.mode = len(data), mtime, 0o664
            tar.addfile(info, io.BytesIO(data))
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        path.open("wb") as handle,
        gzip.GzipFile(filename="demo-1.0.tar", mode="wb", fileobj=handle, mtime=header_time) as out,
    ):
        out.write(raw.getvalue())
    return path


def _times(path: Path) -> list[tuple[float, dict[str, str]]]:
    with tarfile.open(path) as tar:
        return [(m.mtime, dict(m.pax_headers)) for m in tar]


def test_members_newer_than_the_epoch_are_stamped(tmp_path: Path) -> None:
    # setuptools: PKG-INFO and the egg-info carry the build's time (a float in a PAX record).
    path = _sdist(tmp_path / "demo-1.0.tar.gz", EPOCH + 99, [EPOCH - 5_000, EPOCH + 42.5])
    assert stamp_if_needed(path, EPOCH)
    assert [t for t, _ in _times(path)] == [EPOCH, EPOCH]
    assert all("mtime" not in pax for _, pax in _times(path))
    header = gzip_header(path)
    assert header is not None
    assert (header.mtime, header.name) == (EPOCH, "demo-1.0.tar")
    with tarfile.open(path) as tar:
        member = tar.getmember("demo-1.0/file1.txt")
        assert member.mode == 0o664  # the umask is a recorded condition, not rewritten
        handle = tar.extractfile(member)
        assert handle is not None
        assert handle.read() == b"file 1\n"


def test_a_clock_that_reads_the_epoch_gives_the_same_bytes(tmp_path: Path) -> None:
    # pdm-backend clamps members but writes the wall clock into the header: only the header
    # is patched, so a build run in the epoch's own second ends with the same bytes.
    late = _sdist(tmp_path / "late" / "demo-1.0.tar.gz", EPOCH + 90_061, [EPOCH, EPOCH - 7])
    same = _sdist(tmp_path / "same" / "demo-1.0.tar.gz", EPOCH, [EPOCH, EPOCH - 7])
    assert stamp_if_needed(late, EPOCH)
    assert not stamp_if_needed(same, EPOCH)
    assert late.read_bytes() == same.read_bytes()


def test_an_sdist_that_honours_the_epoch_is_left_alone(tmp_path: Path) -> None:
    path = _sdist(tmp_path / "demo-1.0.tar.gz", EPOCH, [EPOCH, 0])  # flit-core: 0 for PKG-INFO
    before = path.read_bytes()
    assert not stamp_if_needed(path, EPOCH)
    assert not stamp_if_needed(path, None)  # SOURCE_DATE_EPOCH unset: nothing to stamp
    assert path.read_bytes() == before


def test_not_a_gzip_file(tmp_path: Path) -> None:
    path = tmp_path / "demo-1.0.tar.gz"
    path.write_bytes(b"PK\x03\x04 not gzip")
    assert gzip_header(path) is None
    assert not stamp_if_needed(path, EPOCH)
