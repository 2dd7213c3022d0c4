"""What the publisher's machine leaves in a wheel that no rebuild repeats (issue 31)."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from releasegate._internal.archives import read_archive
from releasegate._internal.builder.publisher import clock_cause, deflate_cause

if TYPE_CHECKING:
    from pathlib import Path

_TEXT = b"".join(
    b"def function_%d(x):\n    return x * %d + len('%d')\n" % (i, i, i * 7) for i in range(300)
)
_SOURCES = (2025, 5, 15, 12, 29, 36)
_NOW = (2026, 12, 6, 21, 50, 0)


def _wheel(
    path: Path,
    *,
    level: int = 6,
    times: dict[str, tuple[int, int, int, int, int, int]] | None = None,
) -> Path:
    members = {
        "demo/__init__.py": _TEXT,
        "demo/core.py": _TEXT[::-1],
        "demo-1.0.dist-info/WHEEL": _TEXT[:900],
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level) as out:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, (times or {}).get(name, _SOURCES))
            info.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(info, data, compresslevel=level)
    return path


def test_another_compression_level_is_named(tmp_path: Path) -> None:
    published = _wheel(tmp_path / "published.whl", level=1)
    rebuilt = _wheel(tmp_path / "rebuilt.whl", level=6)
    found = deflate_cause(published, rebuilt, "wheel demo")
    assert found is not None
    assert found.rule == "compression-level"
    assert "zlib level 1, the rebuilt ones at level 6" in found.message


def test_identical_streams_are_no_cause(tmp_path: Path) -> None:
    assert deflate_cause(_wheel(tmp_path / "a.whl"), _wheel(tmp_path / "b.whl"), "w") is None


def test_files_written_during_the_publishers_build_carry_its_clock(tmp_path: Path) -> None:
    late = (2025, 5, 15, 12, 29, 48)
    published = _wheel(tmp_path / "published.whl", times={"demo-1.0.dist-info/WHEEL": late})
    # Rebuilt with SOURCE_DATE_EPOCH unset: the WHEEL file gets the rebuild's own clock.
    rebuilt = _wheel(tmp_path / "rebuilt.whl", times={"demo-1.0.dist-info/WHEEL": _NOW})
    found = clock_cause(read_archive(published), read_archive(rebuilt), "wheel demo")
    assert found is not None
    assert found.rule == "build-clock"
    assert "1 member(s) written during the publisher's build (demo-1.0.dist-info/WHEEL)" in (
        found.message
    )
    assert "2025-05-15 12:29:48" in found.message
    # An earlier time is no build clock: the sources themselves differ in time.
    early = _wheel(tmp_path / "early.whl", times={"demo/core.py": (2024, 1, 1, 0, 0, 0)})
    assert clock_cause(read_archive(early), read_archive(_wheel(tmp_path / "r.whl")), "w") is None
    # A guessed epoch stamps every rebuilt member with it: no rebuild clock, no such cause.
    guessed = _wheel(tmp_path / "guessed.whl", times={"demo-1.0.dist-info/WHEEL": _SOURCES})
    assert clock_cause(read_archive(published), read_archive(guessed), "wheel demo") is None
