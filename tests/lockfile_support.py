"""Real lockfiles for the lockfile tests: a pypiserver filled with real wheels, pip-compile and uv.

Everything expensive (making the wheels, starting the index, running the lockers)
happens once per session; tests copy the generated files into fresh repositories.
The test modules load this module as a plugin after importing it, so its asserts
(each with its own message) are left as they are: PYTEST_DONT_REWRITE.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

# The index serves small wheels made here, under the names and versions of real ones, so that the
# session never downloads anything: the lockers only ever talk to the loopback index. Two
# versions of some, so that drift has somewhere to go. (name, version, tag, Requires-Dist)
WHEELS = (
    ("six", "1.16.0", "py2.py3", ()),
    ("six", "1.17.0", "py2.py3", ()),
    ("python-dateutil", "2.9.0.post0", "py2.py3", ("six>=1.5",)),
    ("iniconfig", "1.1.1", "py2.py3", ()),
    ("iniconfig", "2.0.0", "py3", ()),
)
# A package whose newest release needs the running Python: a lock made here pins 2.0, which a
# project that supports the Python before this one cannot install there. (--resolve targets)
RUNNING = f"3.{sys.version_info.minor}"
OLDER = f"3.{sys.version_info.minor - 1}"
PYTHON_WHEELS = (
    ("byversion", "1.0", "py3", (), ">=3.8"),
    ("byversion", "2.0", "py3", (), f">={RUNNING}"),
)
BIN = Path(sys.executable).parent

PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = ["python-dateutil>=2.8", "iniconfig<2"]

[dependency-groups]
dev = ["six>=1.16"]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""
REQUIREMENTS_IN = "python-dateutil>=2.8\niniconfig<2\n"


def clean_env(**extra: str) -> dict[str, str]:
    """No user or machine pip/uv configuration: only the test's own index counts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    return {
        **env,
        "PIP_CONFIG_FILE": os.devnull,
        "UV_NO_CONFIG": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **extra,
    }


def run(argv: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("pypiserver exited early")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("pypiserver did not answer")


@dataclass(frozen=True)
class Index:
    url: str
    """The simple index URL, e.g. ``http://127.0.0.1:PORT/simple/``."""
    wheels: Path

    def sha256(self, filename: str) -> str:
        return hashlib.sha256((self.wheels / filename).read_bytes()).hexdigest()


def make_wheel(
    name: str, version: str, tag: str, requires: tuple[str, ...], requires_python: str = ""
) -> tuple[str, bytes]:
    """A minimal, valid wheel (one module, METADATA, WHEEL, RECORD): its file name and bytes.

    Stored, not deflated, with fixed times, so the bytes (and hashes) never change."""
    dist = f"{name.replace('-', '_')}-{version}"
    metadata = "".join(
        [
            f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            f"Requires-Python: {requires_python}\n" if requires_python else "",
            *(f"Requires-Dist: {req}\n" for req in requires),
        ]
    )
    wheel_file = (
        "Wheel-Version: 1.0\nGenerator: releasegate-tests\nRoot-Is-Purelib: true\n"
        f"Tag: {tag}-none-any\n"
    )
    members = {
        f"{name.replace('-', '_')}.py": f'__version__ = "{version}"\n',
        f"{dist}.dist-info/METADATA": metadata,
        f"{dist}.dist-info/WHEEL": wheel_file,
    }
    record = "".join(
        f"{member},sha256={_urlsafe_digest(text.encode())},{len(text.encode())}\n"
        for member, text in members.items()
    )
    members[f"{dist}.dist-info/RECORD"] = record + f"{dist}.dist-info/RECORD,,\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for member, text in members.items():
            archive.writestr(zipfile.ZipInfo(member, date_time=(2020, 2, 2, 0, 0, 0)), text)
    return f"{dist}-{tag}-none-any.whl", buffer.getvalue()


def wheel_sha256(name: str, version: str) -> str:
    """The sha256 of the index's wheel of ``name`` ``version``."""
    (spec,) = (w for w in WHEELS if w[:2] == (name, version))
    return hashlib.sha256(make_wheel(*spec)[1]).hexdigest()


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("wheelhouse")
    for spec in WHEELS:
        filename, data = make_wheel(*spec)
        (target / filename).write_bytes(data)
    for name, version, tag, requires, python in PYTHON_WHEELS:
        filename, data = make_wheel(name, version, tag, requires, python)
        (target / filename).write_bytes(data)
    return target


@pytest.fixture(scope="session")
def index(wheelhouse: Path) -> Iterator[Index]:
    port = _free_port()
    process = subprocess.Popen(
        [
            str(BIN / "pypi-server"),
            "run",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-a",
            ".",
            "-P",
            ".",
            str(wheelhouse),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/simple/"
        _wait(url, process)
        yield Index(url, wheelhouse)
    finally:
        process.terminate()
        process.wait(timeout=10)


def pip_compile(cwd: Path, index: Index, *args: str) -> subprocess.CompletedProcess[str]:
    argv = [
        sys.executable,
        "-m",
        "piptools",
        "compile",
        "-q",
        "--strip-extras",
        "--index-url",
        index.url,
        *args,
    ]
    return run(argv, cwd, clean_env())


def uv(cwd: Path, index: Index, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = clean_env(UV_INDEX_URL=index.url, UV_CACHE_DIR=str(cache), UV_PYTHON=sys.executable)
    return run([str(BIN / "uv"), *args], cwd, env)


@dataclass(frozen=True)
class Generated:
    """Lockfiles written by the real tools for the PYPROJECT project."""

    requirements: str
    uv_lock: str
    pylock: str
    poetry_lock: str
    index: Index


def _poetry_lock(index: Index) -> str:
    """poetry.lock as Poetry 2 writes it (Poetry itself is not installed here)."""

    def files(name: str) -> str:
        return f'files = [\n    {{file = "{name}", hash = "sha256:{index.sha256(name)}"}},\n]'

    return f"""\
# This file is automatically @generated by Poetry 2.1.3 and should not be changed by hand.

[[package]]
name = "iniconfig"
version = "1.1.1"
description = "iniconfig: brain-dead simple config-ini parsing"
optional = false
python-versions = "*"
groups = ["main"]
{files("iniconfig-1.1.1-py2.py3-none-any.whl")}

[[package]]
name = "python-dateutil"
version = "2.9.0.post0"
description = "Extensions to the standard Python datetime module"
optional = false
python-versions = "!=3.0.*,!=3.1.*,!=3.2.*,>=2.7"
groups = ["main"]
{files("python_dateutil-2.9.0.post0-py2.py3-none-any.whl")}

[package.dependencies]
six = ">=1.5"

[[package]]
name = "six"
version = "1.17.0"
description = "Python 2 and 3 compatibility utilities"
optional = false
python-versions = "!=3.0.*,!=3.1.*,!=3.2.*,>=2.7"
groups = ["main", "dev"]
{files("six-1.17.0-py2.py3-none-any.whl")}

[metadata]
lock-version = "2.1"
python-versions = ">=3.10"
content-hash = "{"0" * 64}"
"""


@pytest.fixture(scope="session")
def generated(index: Index, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    work = tmp_path_factory.mktemp("generate")
    (work / "pyproject.toml").write_text(PYPROJECT)
    (work / "requirements.in").write_text(REQUIREMENTS_IN)
    done = pip_compile(
        work,
        index,
        "--generate-hashes",
        "--no-emit-index-url",
        "-o",
        "requirements.txt",
        "requirements.in",
    )
    assert done.returncode == 0, done.stderr
    cache = tmp_path_factory.mktemp("uv-cache")
    for args in (("lock",), ("export", "--format", "pylock.toml", "-o", "pylock.toml")):
        done = uv(work, index, cache, *args)
        assert done.returncode == 0, done.stderr
    return Generated(
        (work / "requirements.txt").read_text(),
        (work / "uv.lock").read_text(),
        (work / "pylock.toml").read_text(),
        _poetry_lock(index),
        index,
    )
