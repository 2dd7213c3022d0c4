"""A loopback simple index for the license tests: PEP 503 pages that announce PEP 658 metadata.

pypiserver does not serve ``<file>.metadata``, so the index is a directory laid out as
PEP 503 (``simple/<name>/index.html`` with ``data-dist-info-metadata``) served by
``http.server`` in a thread. The wheels are small and made here, with the license
headers each test needs; one package has no metadata file, so its wheel is downloaded.
Every request is recorded, so a test can prove that a warm cache asks nothing.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import tarfile
import threading
import zipfile
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

MIT_CLASSIFIER = "Classifier: License :: OSI Approved :: MIT License\n"
# (name, version, metadata headers, Requires-Dist, serve a .metadata file)
PACKAGES = (
    ("rg-permissive", "1.0", "License-Expression: MIT\n", ("rg-child",), True),
    ("rg-child", "1.0", "Classifier: License :: OSI Approved :: MIT License\n", (), True),
    ("rg-copyleft", "1.0", "License-Expression: GPL-3.0-only\n", (), True),
    ("rg-winonly", "1.0", "License-Expression: Apache-2.0\n", (), True),
    ("rg-devtool", "1.0", "License-Expression: GPL-3.0-only\n", (), True),
    ("rg-vague", "1.0", "Classifier: License :: OSI Approved :: BSD License\n", (), True),
    ("rg-mystery", "1.0", "License: see the website\n", (), True),
    ("rg-nometa", "1.0", "License: MIT License\n", (), False),
    ("rg-sdistonly", "1.0", "License-Expression: 0BSD\n", (), False),
    # ruamel.yaml 0.18.16: an expression that is the license's name, beside its classifier.
    ("rg-misnamed", "1.0", f"License-Expression: MIT license\n{MIT_CLASSIFIER}", (), True),
    ("rg-notspdx", "1.0", f"License-Expression: MIT-ish\n{MIT_CLASSIFIER}", (), True),
    # rich-click 1.9.8: the whole MIT text in License, headed by the SPDX name.
    (
        "rg-fulltext",
        "1.0",
        "License: MIT License\n        \n        Copyright (c) 2022 A\n",
        (),
        True,
    ),
)
SDIST_ONLY = {"rg-sdistonly"}


def make_wheel(name: str, version: str, headers: str, requires: tuple[str, ...]) -> bytes:
    dist = f"{name.replace('-', '_')}-{version}"
    requires_text = "".join(f"Requires-Dist: {r}\n" for r in requires)
    files = {
        f"{name.replace('-', '_')}.py": b"",
        f"{dist}.dist-info/METADATA": (
            f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{headers}{requires_text}"
        ).encode(),
        f"{dist}.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{n},sha256={_digest(d)},{len(d)}\n" for n, d in files.items())
    files[f"{dist}.dist-info/RECORD"] = (record + f"{dist}.dist-info/RECORD,,\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in files.items():
            archive.writestr(zipfile.ZipInfo(member, (2020, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _metadata_of(wheel: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return archive.read(name)


def make_sdist(name: str, version: str, headers: str) -> bytes:
    """An sdist whose PKG-INFO is the only metadata there is (an old upload: no wheel)."""
    top = f"{name.replace('-', '_')}-{version}"
    pkg_info = f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n{headers}".encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for member, data in ((f"{top}/PKG-INFO", pkg_info), (f"{top}/setup.py", b"")):
            info = tarfile.TarInfo(member)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def build_index(root: Path) -> dict[str, str]:
    """Write the index under ``root``; return each file's sha256 by package name."""
    hashes: dict[str, str] = {}
    (root / "files").mkdir(parents=True)
    for name, version, headers, requires, with_metadata in PACKAGES:
        if name in SDIST_ONLY:
            wheel = make_sdist(name, version, headers)
            filename = f"{name.replace('-', '_')}-{version}.tar.gz"
        else:
            wheel = make_wheel(name, version, headers, requires)
            filename = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
        (root / "files" / filename).write_bytes(wheel)
        hashes[name] = hashlib.sha256(wheel).hexdigest()
        attribute = ""
        if with_metadata:
            metadata = _metadata_of(wheel)
            (root / "files" / f"{filename}.metadata").write_bytes(metadata)
            attribute = f' data-dist-info-metadata="sha256={hashlib.sha256(metadata).hexdigest()}"'
        page = root / "simple" / name
        page.mkdir(parents=True)
        (page / "index.html").write_text(
            f'<html><body><a href="../../files/{filename}#sha256={hashes[name]}"{attribute}>'
            f"{filename}</a></body></html>\n"
        )
    return hashes


@dataclass
class Index:
    url: str
    """The simple index, ending in ``/simple/``."""
    hashes: dict[str, str]
    requests: list[str] = field(default_factory=list)


class _Handler(http.server.SimpleHTTPRequestHandler):
    seen: list[str]

    def log_message(self, *_: object) -> None:
        self.seen.append(self.path)


@pytest.fixture(scope="session")
def license_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Index]:
    root = tmp_path_factory.mktemp("license-index")
    hashes = build_index(root)
    seen: list[str] = []
    handler = type("Handler", (_Handler,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Index(f"http://127.0.0.1:{server.server_address[1]}/simple/", hashes, seen)
    finally:
        server.shutdown()
        server.server_close()
