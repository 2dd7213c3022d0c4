"""Small real projects, one per build backend, for the reproducible-build tests."""

from __future__ import annotations

import io
import tarfile
import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

_BUILD_SYSTEMS = {
    "hatchling": ('["hatchling"]', "hatchling.build"),
    "setuptools": ('["setuptools"]', "setuptools.build_meta"),
    "flit": ('["flit_core>=3.2"]', "flit_core.buildapi"),
    "pdm": ('["pdm-backend"]', "pdm.backend"),
    "poetry": ('["poetry-core"]', "poetry.core.masonry.api"),
}

BACKENDS = tuple(_BUILD_SYSTEMS)


def project_files(backend: str, *, extra_toml: str = "") -> dict[str, str | bytes]:
    """A buildable project ``demo_<backend>`` with a src/ package (flat layout for flit)."""
    requires, api = _BUILD_SYSTEMS[backend]
    package = f"demo_{backend}"
    base = "" if backend == "flit" else "src/"
    toml = (
        f'[build-system]\nrequires = {requires}\nbuild-backend = "{api}"\n\n'
        f'[project]\nname = "{package}"\nversion = "1.0.0"\ndescription = "demo"\n'
    )
    if backend == "poetry":
        toml += f'\n[tool.poetry]\npackages = [{{include = "{package}", from = "src"}}]\n'
    return {
        "pyproject.toml": toml + extra_toml,
        f"{base}{package}/__init__.py": '"""A demo package."""\n\n__version__ = "1.0.0"\n',
        f"{base}{package}/core.py": "def answer() -> int:\n    return 42\n",
        f"{base}{package}/data/table.txt": "a,b\n1,2\n",
        "README.md": "# demo\n",
    }


def tar_gz(members: Iterable[tuple[tarfile.TarInfo, bytes | None]], *, mtime: int = 0) -> bytes:
    """A .tar.gz made of exactly these members (names and types unchecked: for hostile archives)."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if data is not None else None)
    out = io.BytesIO()
    import gzip

    with gzip.GzipFile(fileobj=out, mode="wb", mtime=mtime, filename="") as compressed:
        compressed.write(raw.getvalue())
    return out.getvalue()


def tar_member(
    name: str,
    data: bytes = b"",
    *,
    kind: bytes = tarfile.REGTYPE,
    mode: int = 0o644,
    mtime: int = 1_700_000_000,
    owner: tuple[int, int, str, str] = (0, 0, "", ""),
    link: str = "",
) -> tuple[tarfile.TarInfo, bytes | None]:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = mode
    info.mtime = mtime
    info.uid, info.gid, info.uname, info.gname = owner
    info.linkname = link
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        return info, data
    return info, None


def zip_bytes(
    members: Iterable[tuple[str, bytes]],
    *,
    date_time: tuple[int, ...] = (2024, 1, 1, 0, 0, 0),
    mode: int = 0o100644,
    compress: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
            info.external_attr = mode << 16
            info.compress_type = compress
            archive.writestr(info, data)
    return out.getvalue()


_LISTING_BACKEND = '''\
"""An in-tree PEP 517 backend that ships its data folder's listing in the order the OS gives."""
import io, os, tarfile, zipfile

NAME, VERSION = "demo_listing", "1.0.0"


def _listing():
    return "\\n".join(os.listdir(os.path.join("src", NAME, "data"))) + "\\n"


def build_sdist(sdist_directory, config_settings=None):
    name = f"{NAME}-{VERSION}"
    with tarfile.open(os.path.join(sdist_directory, name + ".tar"), "w") as archive:
        for path in sorted(["pyproject.toml", "listing_backend.py", f"src/{NAME}/__init__.py"]):
            info = archive.gettarinfo(path, f"{name}/{path}")
            info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = 0, 0o644, 0, 0, "", ""
            with open(path, "rb") as handle:
                archive.addfile(info, handle)
    return name + ".tar"


def _add(archive, name, text):
    archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), text)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    info = f"{NAME}-{VERSION}.dist-info"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as archive:
        _add(archive, f"{NAME}/listing.txt", _listing())
        _add(archive, f"{info}/METADATA", f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n")
        _add(archive, f"{info}/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        _add(archive, f"{info}/RECORD", "")
    return name
'''


def listing_project(files: int = 12) -> dict[str, str | bytes]:
    """A project whose in-tree backend writes ``os.listdir`` of a data folder into the wheel."""
    project: dict[str, str | bytes] = {
        "pyproject.toml": (
            '[build-system]\nrequires = []\nbuild-backend = "listing_backend"\n'
            'backend-path = ["."]\n\n[project]\nname = "demo_listing"\nversion = "1.0.0"\n'
        ),
        "listing_backend.py": _LISTING_BACKEND,
        "src/demo_listing/__init__.py": '"""demo"""\n',
    }
    for number in range(files):
        project[f"src/demo_listing/data/file{number:02}.txt"] = f"{number}\n"
    return project


_CONDITIONS_BACKEND = '''\
"""An in-tree PEP 517 backend whose wheel records the hash seed's set order and the locale."""
import locale, os, tarfile, zipfile

NAME, VERSION = "demo_conditions", "1.0.0"
WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"]


def build_sdist(sdist_directory, config_settings=None):
    name = f"{NAME}-{VERSION}"
    with tarfile.open(os.path.join(sdist_directory, name + ".tar"), "w") as archive:
        for path in ["conditions_backend.py", "pyproject.toml"]:
            info = archive.gettarinfo(path, f"{name}/{path}")
            info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = 0, 0o644, 0, 0, "", ""
            with open(path, "rb") as handle:
                archive.addfile(info, handle)
    return name + ".tar"


def _add(archive, name, text):
    archive.writestr(zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0)), text)


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    info = f"{NAME}-{VERSION}.dist-info"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as archive:
        # A set's iteration order follows PYTHONHASHSEED (str hashing is randomised).
        _add(archive, f"{NAME}/words.txt", "\\n".join(set(WORDS)) + "\\n")
        # What a backend that honours the user's locale sees (e.g. for translated messages).
        _add(archive, f"{NAME}/locale.txt", locale.setlocale(locale.LC_ALL, "") + "\\n")
        _add(archive, f"{info}/METADATA", f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\n")
        _add(archive, f"{info}/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
        _add(archive, f"{info}/RECORD", "")
    return name
'''


def conditions_project() -> dict[str, str | bytes]:
    """A project whose in-tree backend writes a set's order and ``setlocale`` into the wheel."""
    return {
        "pyproject.toml": (
            '[build-system]\nrequires = []\nbuild-backend = "conditions_backend"\n'
            'backend-path = ["."]\n\n[project]\nname = "demo_conditions"\nversion = "1.0.0"\n'
        ),
        "conditions_backend.py": _CONDITIONS_BACKEND,
        "src/demo_conditions/__init__.py": '"""demo"""\n',
    }


def wheel_bytes(payload: bytes = b"", name: str = "demo", version: str = "1.0.0") -> bytes:
    """A small, safe wheel-shaped zip carrying ``payload`` (same arguments, same bytes).

    ``publish`` and ``verify-mirrors`` read every dist with the one archive reader before
    anything else, so a stand-in dist must be a readable archive, not arbitrary bytes.
    """
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    return zip_bytes(
        [(f"{name}-{version}.dist-info/METADATA", meta), (f"{name}/data.bin", payload)]
    )
