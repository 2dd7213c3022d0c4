"""A published wheel repaired after its build (auditwheel, delocate): what can be compared."""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

from releasegate._internal.archives import read_archive
from releasegate._internal.builder.repaired import comparable, left_out, repair_of

if TYPE_CHECKING:
    from pathlib import Path

_WHEEL = "Wheel-Version: 1.0\nGenerator: setuptools (75.2.0)\nRoot-Is-Purelib: false\n"


def _wheel(path: Path, tags: list[str], extra: dict[str, bytes] | None = None) -> Path:
    members = {
        "demo/__init__.py": b"from ._speedups import f\n",
        "demo/_speedups.cpython-311-x86_64-linux-gnu.so": b"\x7fELF...",
        "demo-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n",
        "demo-1.0.dist-info/WHEEL": (_WHEEL + "".join(f"Tag: {t}\n" for t in tags)).encode(),
        "demo-1.0.dist-info/RECORD": b"",
        **(extra or {}),
    }
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_auditwheel_tags_and_vendored_libraries_are_seen(tmp_path: Path) -> None:
    path = _wheel(
        tmp_path / "demo-1.0-cp311-cp311-manylinux_2_17_x86_64.whl",
        ["cp311-cp311-manylinux_2_17_x86_64", "cp311-cp311-manylinux2014_x86_64"],
        {"demo.libs/libz-abc123.so.1.2.13": b"\x7fELF"},
    )
    wheel = read_archive(path)
    said = repair_of(wheel)
    assert said is not None
    assert "repaired (auditwheel)" in said
    assert "manylinux_2_17_x86_64" in said
    assert "demo.libs" in said
    kept = [m.name for m in comparable(wheel).members]
    assert kept == ["demo/__init__.py", "demo-1.0.dist-info/METADATA"]
    assert "demo.libs/libz-abc123.so.1.2.13" in left_out(wheel)
    assert "demo-1.0.dist-info/WHEEL" in left_out(wheel)


def test_a_local_build_is_no_repaired_wheel(tmp_path: Path) -> None:
    path = _wheel(tmp_path / "demo-1.0-cp311-cp311-linux_x86_64.whl", ["cp311-cp311-linux_x86_64"])
    assert repair_of(read_archive(path)) is None


def test_delocate_dylibs_are_seen(tmp_path: Path) -> None:
    path = _wheel(
        tmp_path / "demo-1.0-cp311-cp311-macosx_11_0_arm64.whl",
        ["cp311-cp311-macosx_11_0_arm64"],
        {"demo/.dylibs/libomp.dylib": b"\xcf\xfa\xed\xfe"},
    )
    said = repair_of(read_archive(path))
    assert said is not None
    assert said == "repaired after its build (delocate): it vendors libraries in demo/.dylibs"
    assert "demo/.dylibs/libomp.dylib" in left_out(read_archive(path))
