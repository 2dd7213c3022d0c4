"""A published wheel built for manylinux (or musllinux, macOS, Windows) and repaired afterwards.

cibuildwheel builds a compiled wheel in a manylinux image and runs a repair tool on it:
auditwheel (Linux) retags it (``Tag: ...manylinux_2_17_x86_64`` in WHEEL), copies the shared
libraries it needs into ``<package>.libs/``, patches the extensions' RPATH and rewrites the zip
(its order, times and RECORD); delocate (``.dylibs/``) and delvewheel (``.libs``) do the same on
macOS and Windows. A rebuild here runs another compiler with no repair step, so the compiled
files and everything the repair writes can never match, and no fix of the project's would make
them: only the files neither the compiler nor the repair touch (Python sources, data, METADATA,
licenses) can be compared, and a difference among those is a real one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive

_REPAIRED_TAG = re.compile(r"^Tag:\s*\S+?-\S+?-(?P<platform>(?:manylinux|musllinux)\S*)", re.M)
_COMPILED = re.compile(r"\.(?:so(?:\.[0-9.]+)?|pyd|dylib|dll|lib|a)$")
_REPAIR_WRITES = (".dist-info/WHEEL", ".dist-info/RECORD")
"""The repair retags WHEEL and rehashes RECORD."""


def _vendor_dir(name: str) -> str | None:
    """The folder of a library the repair copied in: ``<pkg>.libs`` (auditwheel, delvewheel) or
    ``<pkg>/.dylibs`` (delocate); None for any other member."""
    parts = name.split("/")[:-1]
    for depth, part in enumerate(parts):
        if part.endswith(".libs") or part == ".dylibs":
            return "/".join(parts[: depth + 1])
    return None


def _vendored(name: str) -> bool:
    return _vendor_dir(name) is not None


def repair_of(wheel: Archive) -> str | None:
    """What shows that ``wheel`` was repaired after its build (None: nothing does)."""
    platforms: list[str] = []
    for member in wheel.members:
        if member.name.endswith(".dist-info/WHEEL") and member.content is not None:
            text = member.content.decode("utf-8", "replace")
            platforms = sorted({m["platform"] for m in _REPAIRED_TAG.finditer(text)})
    folders = sorted({d for d in (_vendor_dir(m.name) for m in wheel.members) if d})
    signs = [f"WHEEL tags it {', '.join(platforms)}"] if platforms else []
    if folders:
        signs.append(f"it vendors libraries in {', '.join(folders)}")
    if platforms:
        how = "built for manylinux and repaired (auditwheel)"
    elif any(f.endswith(".dylibs") for f in folders):
        how = "repaired after its build (delocate)"
    elif folders:
        how = "repaired after its build (delvewheel or auditwheel)"
    else:
        return None
    return f"{how}: {'; '.join(signs)}"


def is_compiled(name: str) -> bool:
    return _COMPILED.search(name) is not None


def comparable(archive: Archive) -> Archive:
    """``archive`` with only the files that neither the compiler nor the repair writes."""
    kept = tuple(
        m
        for m in archive.members
        if m.kind == "file"
        and not is_compiled(m.name)
        and not _vendored(m.name)
        and not m.name.endswith(_REPAIR_WRITES)
    )
    return replace(archive, members=kept, header=())


def left_out(archive: Archive) -> list[str]:
    """The files of ``archive`` that ``comparable`` leaves out."""
    kept = {m.name for m in comparable(archive).members}
    return [m.name for m in archive.members if m.kind == "file" and m.name not in kept]
