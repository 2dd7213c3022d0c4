"""Hostile sdists and wheels are refused by every entry point that reads archives.

Two readers used to disagree: the one behind the manifest and license gates missed
links, devices, drive letters, duplicates and compression bombs; the builder's allowed
50,000 members and missed duplicate tar members. The CLI tests below fail on that code.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
import tempfile
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.api.source import write_python_files
from releasegate._internal.archives import (
    Limits,
    RawZip,
    RawZipError,
    read_archive,
    read_archive_bytes,
)
from releasegate._internal.builder.unpack import UnsafeArchive, extract_sdist
from releasegate._internal.errors import FatalError
from releasegate._internal.metadata import distcheck
from tests.metadata_support import findings
from tests.repro_support import tar_gz, tar_member, zip_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

PKG_INFO = b"Metadata-Version: 2.4\nName: demo\nVersion: 1.0\n"
TOP = "demo-1.0"
_LINK = stat.S_IFLNK | 0o777
_FIFO = stat.S_IFIFO | 0o644
_FILE = 0o100644

# axis -> (the rule every reader must report, tar member kind, zip mode); None: not in that format
AXES: dict[str, tuple[str, bytes | None, int | None]] = {
    "dotdot": ("path-traversal", tarfile.REGTYPE, _FILE),
    "absolute": ("absolute-path", tarfile.REGTYPE, _FILE),
    "drive": ("absolute-path", tarfile.REGTYPE, _FILE),
    "backslash": ("unsafe-name", tarfile.REGTYPE, _FILE),
    "duplicate": ("duplicate-member", tarfile.REGTYPE, _FILE),
    "symlink": ("symlink", tarfile.SYMTYPE, _LINK),
    "hardlink": ("hardlink", tarfile.LNKTYPE, None),
    "fifo": ("special-file", tarfile.FIFOTYPE, _FIFO),
}


def hostile_name(axis: str, segment: str, depth: int) -> str:
    return {
        "dotdot": f"{TOP}/" + "../" * depth + f"{segment}.py",
        "absolute": f"/{segment}/evil.py",
        "drive": f"C:/{segment}.py",
        "backslash": f"{TOP}\\..\\{segment}.py",
    }.get(axis, f"{TOP}/{segment}.py")


def members(axis: str, name: str) -> list[tuple[str, bytes]]:
    """``(name, content)`` of a small sdist carrying one hostile member."""
    extra = [(name, b"x = 1\n")] if axis == "duplicate" else []
    return [(f"{TOP}/PKG-INFO", PKG_INFO), (name, b"import os\n"), *extra]


def hostile_tar(axis: str, name: str, *, compress: bool = True) -> bytes:
    _, kind, _ = AXES[axis]
    assert kind is not None
    parts = []
    for member_name, data in members(axis, name):
        hostile = member_name == name and kind != tarfile.REGTYPE
        link = "../../etc/passwd" if hostile else ""
        parts.append(
            tar_member(member_name, data, kind=kind if hostile else tarfile.REGTYPE, link=link)
        )
    return tar_gz(parts) if compress else plain_tar(parts)


def plain_tar(parts: list[tuple[tarfile.TarInfo, bytes | None]]) -> bytes:
    """What ``git archive --format=tar`` gives: an uncompressed tar."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for info, content in parts:
            archive.addfile(info, io.BytesIO(content) if content is not None else None)
    return raw.getvalue()


def hostile_zip(axis: str, name: str) -> bytes:
    _, _, mode = AXES[axis]
    assert mode is not None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        for member_name, data in members(axis, name):
            stored = member_name.replace(f"{TOP}/PKG-INFO", "demo-1.0.dist-info/METADATA")
            info = zipfile.ZipInfo(stored, date_time=(2024, 1, 1, 0, 0, 0))
            info.external_attr = (mode if member_name == name else _FILE) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _files_under(base: Path) -> set[str]:
    return {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    axis=st.sampled_from(sorted(AXES)),
    segment=st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True),
    depth=st.integers(1, 4),
    zipped=st.booleans(),
)
def test_every_reader_refuses_hostile_members(
    tmp_path: Path, axis: str, segment: str, depth: int, zipped: bool
) -> None:
    rule, _, zip_mode = AXES[axis]
    zipped = zipped and zip_mode is not None  # zip has no hard links
    name = hostile_name(axis, segment, depth)
    base = Path(tempfile.mkdtemp(dir=tmp_path))
    (base / "a" / "b" / "c" / "d" / "e").mkdir(parents=True)
    path = base / ("demo-1.0-py3-none-any.whl" if zipped else "demo-1.0.tar.gz")
    path.write_bytes(hostile_zip(axis, name) if zipped else hostile_tar(axis, name))
    # The manifest gate and the reproducible gate: the reader, then distcheck.
    archive = read_archive(path)
    assert rule in {p.rule for p in archive.problems}, archive.problems
    refused = distcheck.check(archive, "wheel" if zipped else "sdist")
    assert [p.rule for p in refused] == ["archive-unsafe"]
    assert f"[{rule}]" in refused[0].message
    if zipped:
        return
    # The wheel-from-sdist build unpacks nothing of it.
    with pytest.raises(UnsafeArchive) as raised:
        extract_sdist(path, base / "a" / "sdist")
    assert rule in {p.rule for p in raised.value.problems}
    # The API gate's release tree (git archive output) writes no hostile member.
    into = base / "a" / "b" / "c" / "d" / "e"
    write_python_files(hostile_tar(axis, name, compress=False), into, "git archive")
    assert _files_under(base) == {path.name}


def _bomb_tar() -> bytes:
    return tar_gz(
        [tar_member(f"{TOP}/PKG-INFO", PKG_INFO), tar_member(f"{TOP}/z", b"\0" * (40 << 20))]
    )


def _bomb_zip() -> bytes:
    return zip_bytes([("demo-1.0.dist-info/METADATA", PKG_INFO), ("demo/z", b"\0" * (40 << 20))])


def _many_tar(*, compress: bool = True) -> bytes:
    parts = [tar_member(f"{TOP}/PKG-INFO", PKG_INFO)]
    parts += [tar_member(f"{TOP}/m/{i}.py") for i in range(Limits().max_members)]
    return tar_gz(parts) if compress else plain_tar(parts)


def _many_zip() -> bytes:
    names = ["demo-1.0.dist-info/METADATA", *(f"demo/{i}.py" for i in range(Limits().max_members))]
    return zip_bytes((n, b"") for n in names)


@pytest.mark.parametrize(
    ("make", "name", "rule"),
    [
        (_bomb_tar, "demo-1.0.tar.gz", "compression-ratio"),
        (_bomb_zip, "demo-1.0-py3-none-any.whl", "compression-ratio"),
        (_many_tar, "demo-1.0.tar.gz", "too-many-members"),
        (_many_zip, "demo-1.0-py3-none-any.whl", "too-many-members"),
    ],
)
def test_bombs_and_member_floods_are_refused_with_default_limits(
    tmp_path: Path, make: Callable[[], bytes], name: str, rule: str
) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    archive = read_archive(path)
    assert [p.rule for p in archive.problems] == [rule]
    refused = distcheck.check(archive, "sdist" if name.endswith(".tar.gz") else "wheel")
    assert [p.rule for p in refused] == ["archive-unsafe"]
    if name.endswith(".tar.gz"):
        with pytest.raises(UnsafeArchive):
            extract_sdist(path, tmp_path / "dest")
        assert not (tmp_path / "dest").exists()


def test_api_release_tree_refuses_a_member_flood(tmp_path: Path) -> None:
    with pytest.raises(FatalError, match="more than 20000 members"):
        write_python_files(_many_tar(compress=False), tmp_path, "git archive v1")
    assert list(tmp_path.iterdir()) == []


def test_a_tar_member_cannot_smuggle_a_huge_pax_header(tmp_path: Path) -> None:
    # tarfile reads a pax header's declared size in one call; the budget still stops it.
    payload = b"%d path=%s\n" % (9 + (3 << 20), b"a" * (3 << 20))
    archive = read_archive_bytes(
        "p.tar.gz", tar_gz([tar_member("p/x", payload)]), Limits(max_total=1 << 20)
    )
    assert [p.rule for p in archive.problems] == ["too-large"]


# --- through the real CLI: a build backend that writes the hostile archives -------------------

_BACKEND = """
import shutil

def build_sdist(sdist_directory, config_settings=None):
    shutil.copy("hostile.tar.gz.bin", f"{sdist_directory}/demo-1.0.tar.gz")
    return "demo-1.0.tar.gz"

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    shutil.copy("hostile.whl.bin", f"{wheel_directory}/demo-1.0-py3-none-any.whl")
    return "demo-1.0-py3-none-any.whl"
"""

_PYPROJECT = """\
[build-system]
requires = []
build-backend = "hostile_backend"
backend-path = ["."]

[project]
name = "demo"
version = "1.0"
license = "MIT"

[tool.releasegate.manifest]
build-isolation = false

[tool.releasegate.license]
reuse = "never"
dependencies = false
sdist-coverage = true
"""


def _cli_case(axis: str) -> tuple[bytes, bytes, str]:
    if axis == "bomb":
        return _bomb_tar(), _bomb_zip(), "compression-ratio"
    name = hostile_name(axis, "evil", 2)
    return hostile_tar(axis, name), hostile_zip(axis, name), AXES[axis][0]


@pytest.mark.parametrize("axis", ["symlink", "drive", "duplicate", "dotdot", "absolute", "bomb"])
def test_manifest_and_license_gates_refuse_a_hostile_build(
    make_repo: Callable[..., GitRepo], axis: str
) -> None:
    sdist, wheel, rule = _cli_case(axis)
    repo = make_repo(
        {
            "pyproject.toml": _PYPROJECT,
            "hostile_backend.py": _BACKEND,
            "hostile.tar.gz.bin": sdist,
            "hostile.whl.bin": wheel,
        }
    )
    code, found = findings(repo.root, "manifest", "license")
    assert code == 1
    by_rule = {str(f["rule"]): str(f["message"]) for f in found}
    assert f"[{rule}]" in by_rule.get("manifest/archive-unsafe", ""), found
    assert f"[{rule}]" in by_rule.get("license/sdist-unavailable", ""), found


# ------------------------------------------------ raw member access (promotion's copy path)

_RAW_MEMBERS = [("demo-1.0.dist-info/METADATA", PKG_INFO), ("demo/a.py", b"a = 1\n" * 500)]


def _patched(data: bytes, signature: bytes, offset: int, value: bytes, nth: int = 0) -> bytes:
    """``value`` written at ``offset`` into the ``nth`` record that starts with ``signature``."""
    where = -1
    for _ in range(nth + 1):
        where = data.index(signature, where + 1)
    return data[: where + offset] + value + data[where + offset + len(value) :]


_CENTRAL, _LOCAL = b"PK\x01\x02", b"PK\x03\x04"


@pytest.mark.parametrize(
    ("patch", "limits", "message"),
    [
        # central directory: compressed size (offset 20) past the end of the file
        (lambda d: _patched(d, _CENTRAL, 20, b"\x00\x00\x01\x00", 1), Limits(), "past the end"),
        # central directory: the encryption flag (offset 8)
        (lambda d: _patched(d, _CENTRAL, 8, b"\x01", 1), Limits(), "encrypted"),
        # central directory: the local header offset (42) pointing into the first member's data
        (lambda d: _patched(d, _CENTRAL, 42, b"\x40\x00", 1), Limits(), "no local header"),
        # the second local header names another member (its name starts at 30)
        (lambda d: _patched(d, _LOCAL, 30, b"evil", 1), Limits(), "names another"),
        # more stored bytes handed out than the uncompressed budget allows
        (lambda d: d, Limits(max_total=45), "stored bytes"),
    ],
)
def test_raw_member_access_is_bounded(
    tmp_path: Path, patch: Callable[[bytes], bytes], limits: Limits, message: str
) -> None:
    path = tmp_path / "demo-1.0-py3-none-any.whl"
    path.write_bytes(patch(zip_bytes(_RAW_MEMBERS)))
    with RawZip(path, limits) as raw:
        first = raw.member(_RAW_MEMBERS[0][0])
        with pytest.raises(RawZipError, match=message):
            raw.member(_RAW_MEMBERS[1][0])
    assert zlib.decompress(first.data, -15) == PKG_INFO


def test_raw_member_access_hands_out_the_stored_bytes_and_refuses_a_flood(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo-1.0-py3-none-any.whl"
    path.write_bytes(zip_bytes(_RAW_MEMBERS))
    with RawZip(path) as raw:
        stored = raw.member("demo/a.py")
        with pytest.raises(RawZipError, match="not in the archive"):
            raw.member("demo/b.py")
    assert stored.info.compress_size == len(stored.data) < stored.info.file_size
    assert zlib.decompress(stored.data, -15) == _RAW_MEMBERS[1][1]
    path.write_bytes(_many_zip())
    with pytest.raises(RawZipError, match="members declared"), RawZip(path):
        pass


@pytest.mark.parametrize("zipped", [False, True], ids=["sdist", "wheel"])
def test_a_member_that_is_a_file_and_a_directory_is_refused(tmp_path: Path, zipped: bool) -> None:
    """``a`` and ``a/b`` in one archive: no extraction makes both (NotADirectoryError)."""
    if zipped:
        path = tmp_path / "demo-1.0-py3-none-any.whl"
        path.write_bytes(
            zip_bytes(
                [("demo-1.0.dist-info/METADATA", PKG_INFO), ("demo/a", b"x"), ("demo/a/b", b"y")]
            )
        )
    else:
        path = tmp_path / "demo-1.0.tar.gz"
        path.write_bytes(
            tar_gz(
                [
                    tar_member(f"{TOP}/PKG-INFO", PKG_INFO),
                    tar_member(f"{TOP}/a", b"x"),
                    tar_member(f"{TOP}/a/b", b"y"),
                ]
            )
        )
    archive = read_archive(path)
    assert "file-and-directory" in {p.rule for p in archive.problems}, archive.problems
    refused = distcheck.check(archive, "wheel" if zipped else "sdist")
    assert [p.rule for p in refused] == ["archive-unsafe"]
    if not zipped:
        with pytest.raises(UnsafeArchive):
            extract_sdist(path, tmp_path / "out")


@pytest.mark.parametrize("zipped", [True, pytest.param(False, marks=pytest.mark.slow)])  # gzip: 4 s
def test_metadata_after_more_than_the_kept_bytes_is_still_read(zipped: bool) -> None:
    """transformers' and gradio's wheels hold over 32 MiB of files before their dist-info:
    the dependency license walk found no METADATA there (issue 26). Files past the budget
    still keep only their head; the metadata files have their own allowance."""
    files = [(f"big/m{i}.bin", os.urandom(1 << 20)) for i in range(40)]
    metadata = b"Metadata-Version: 2.1\nName: big\nVersion: 1.0\nLicense-Expression: MIT\n"
    if zipped:
        data = zip_bytes([*files, ("big-1.0.dist-info/METADATA", metadata)], compress=0)
        archive = read_archive_bytes("big-1.0-py3-none-any.whl", data)
        name = "big-1.0.dist-info/METADATA"
    else:
        members = [tar_member(f"big-1.0/{n}", d) for n, d in files]
        data = tar_gz([*members, tar_member("big-1.0/PKG-INFO", metadata)])
        archive = read_archive_bytes("big-1.0.tar.gz", data)
        name = "big-1.0/PKG-INFO"
    assert archive.problems == ()
    assert archive.read(name) == metadata
    assert archive.read("big/m39.bin" if zipped else "big-1.0/big/m39.bin") is None
