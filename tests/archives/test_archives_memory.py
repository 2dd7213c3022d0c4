"""Hostile archives stay inside a memory bound a CI runner can afford (issue 21).

The gates run in a subprocess whose address space is capped: a reader that holds what it
should only count ends in MemoryError (exit 3) there, instead of a finding. Measured with
``/usr/bin/time -v`` before the kept-bytes cap: the "kept" pair below made ``check manifest``
reach 553 MB and ``check license`` 288 MB; after it, 170 MB and 96 MB.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.archives import Limits, read_archive_bytes
from tests.archives.test_archives_hostile import (
    _BACKEND,
    _PYPROJECT,
    PKG_INFO,
    TOP,
    _bomb_tar,
    _bomb_zip,
    _many_tar,
    _many_zip,
)
from tests.conftest import GIT_ENV
from tests.repro_support import tar_gz, tar_member, zip_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow  # builds hundreds of MB of archive content, real CLI

_ADDRESS_SPACE = 512 << 20
"""The old reader failed below 600 MiB on the "kept" case; the bounded one passes at 300."""
_ZEROS = b"\0" * ((2 << 20) - 1)
"""Just under ``Limits.keep_content``: every such member used to be kept whole."""


def _kept_members(prefix: str) -> list[tuple[str, bytes]]:
    # Random padding keeps the archive's compression ratio under the limit, so 500 MB of
    # small members of zeros pass every count and ratio check and only a kept-bytes cap helps.
    return [
        (f"{prefix}/pad", os.urandom(3 << 20)),
        *((f"{prefix}/z{i}", _ZEROS) for i in range(250)),
    ]


def _kept_pair() -> tuple[bytes, bytes]:
    sdist = [tar_member(f"{TOP}/PKG-INFO", PKG_INFO)]
    sdist += [tar_member(name, data) for name, data in _kept_members(TOP)]
    wheel = [("demo-1.0.dist-info/METADATA", PKG_INFO), *_kept_members("demo")]
    return tar_gz(sdist), zip_bytes(wheel)


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_ADDRESS_SPACE, _ADDRESS_SPACE))


@pytest.mark.parametrize(
    "make",
    [
        _kept_pair,
        lambda: (_bomb_tar(), _bomb_zip()),
        lambda: (_many_tar(), _many_zip()),
    ],
    ids=["kept", "bomb", "many"],
)
def test_gates_stay_under_an_address_space_cap(
    make_repo: Callable[..., GitRepo], make: Callable[[], tuple[bytes, bytes]]
) -> None:
    sdist, wheel = make()
    files = {
        "pyproject.toml": _PYPROJECT,
        "hostile_backend.py": _BACKEND,
        "hostile.tar.gz.bin": sdist,
        "hostile.whl.bin": wheel,
    }
    repo = make_repo(files)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(GIT_ENV, RELEASEGATE_CACHE_DIR=str(repo.root.parent / "cache"))
    done = subprocess.run(
        [sys.executable, "-m", "releasegate", "check", "manifest", "license", "--format", "json"],
        cwd=repo.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        preexec_fn=_capped,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert {c["check"] for c in report["checks"]} == {"manifest", "license"}
    assert any(c["findings"] for c in report["checks"])


def test_kept_bytes_are_capped_for_the_whole_archive() -> None:
    limits = Limits(keep_content=1 << 10, max_kept=4 << 10)
    members = [tar_member(f"{TOP}/m{i}", b"x" * 1000) for i in range(10)]
    archive = read_archive_bytes("demo-1.0.tar.gz", tar_gz(members), limits)
    assert not archive.problems
    kept = [m.content is not None for m in archive.members]
    assert kept == [True] * 4 + [False] * 6
    assert all(m.sha256 and m.head == b"x" * 1000 for m in archive.members)
    everything = read_archive_bytes("demo-1.0.tar.gz", tar_gz(members), limits.keeping_everything())
    assert all(m.content == b"x" * 1000 for m in everything.members)
