"""Real releases of real libraries, laid out as a git history with one tag per release.

The sdists come from PyPI through pip (``pip download --no-deps --no-binary :all:``) into a
cache shared by every run, so only the first run downloads. pytest-socket does not reach
subprocesses: pip talking to PyPI is the one outside service the slow corpus tests use.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    path = Path(base) / "releasegate-tests" / "sdists"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sdist(name: str, version: str) -> Path:
    """The sdist of ``name`` ``version`` from the cache, downloaded on first use."""
    cache = cache_dir()
    found = _cached(cache, name, version)
    if found is None:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                # This project's sdist only: with ``:all:`` pip also builds the build backend
                # from source to read the metadata, which fails for astroid 2.14.2 and
                # cachecontrol 0.14.4 (their backends' own build dependencies).
                "--no-binary",
                name,
                f"{name}=={version}",
                "-d",
                str(cache),
            ],
            check=False,
            capture_output=True,
            timeout=600,
        )
        found = _cached(cache, name, version)
    if found is None:
        import pytest

        pytest.skip(f"cannot download the sdist of {name} {version} from PyPI")
    return found


def pure_wheel(name: str, version: str) -> Path:
    """The pure-Python wheel (``py3-none-any``) of ``name`` ``version``, cached as sdists are."""
    cache = cache_dir().parent / "wheels"
    cache.mkdir(exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}-".lower()

    def found() -> Path | None:
        return next((p for p in cache.glob("*.whl") if p.name.lower().startswith(stem)), None)

    if found() is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
             ":all:", "--implementation", "py", "--abi", "none", "--platform", "any",
             f"{name}=={version}", "-d", str(cache)],
            check=False, capture_output=True, timeout=600,
        )  # fmt: skip
    wheel = found()
    if wheel is None:
        import pytest

        pytest.skip(f"cannot download the wheel of {name} {version} from PyPI")
    return wheel


def platform_wheel(name: str, version: str) -> Path:
    """The wheel of ``name`` ``version`` pip picks for this interpreter and platform (a compiled
    release's manylinux wheel), cached as sdists are."""
    cache = cache_dir().parent / "platform-wheels"
    cache.mkdir(exist_ok=True)
    stem = f"{name.replace('-', '_')}-{version}-".lower()

    def found() -> Path | None:
        return next((p for p in cache.glob("*.whl") if p.name.lower().startswith(stem)), None)

    if found() is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
             ":all:", f"{name}=={version}", "-d", str(cache)],
            check=False, capture_output=True, timeout=600,
        )  # fmt: skip
    wheel = found()
    if wheel is None:
        import pytest

        pytest.skip(f"cannot download a wheel of {name} {version} for this platform from PyPI")
    return wheel


def _cached(cache: Path, name: str, version: str) -> Path | None:
    wanted = {f"{name}-{version}.tar.gz".lower(), f"{name.replace('-', '_')}-{version}.tar.gz"}
    for path in cache.glob("*.tar.gz"):
        if path.name.lower() in wanted:
            return path
    return None


def unpack(archive: Path, into: Path) -> None:
    """The sdist's files below its top directory, written into ``into`` (emptied first)."""
    for child in into.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts[1:]
            if not member.isfile() or not parts:
                continue
            target = into.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            if source is not None:
                target.write_bytes(source.read())


def history(
    make_repo: Callable[..., GitRepo], name: str, versions: list[str], prefix: str = "v"
) -> GitRepo:
    """A repository whose commits are ``versions`` of ``name`` in order, each tagged
    ``prefix`` + version."""
    repo = make_repo(name=f"{name}-{'-'.join(versions)}")
    for version in versions:
        unpack(sdist(name, version), repo.root)
        repo.commit(message=f"release {version}", tag=f"{prefix}{version}")
    return repo
