"""``build`` and ``publish`` inspect what they ship: a hostile member is never published.

The one archive reader's verdict applies before anything is written: ``publish`` refuses a
dist with a link, a ``..`` member, an absolute path or a duplicate before any plan (no
registry sees a request), and ``build`` writes nothing when a backend hands it such a file.
"""

from __future__ import annotations

import io
import stat
import warnings
import zipfile
from typing import TYPE_CHECKING

import pytest

from tests.archives.test_archives_hostile import _BACKEND, _PYPROJECT, hostile_tar, hostile_zip
from tests.conftest import run_cli
from tests.publish.test_publish_registries import make_project, served
from tests.publish.test_publish_registries import (  # noqa: F401 - a fixture, shared per session
    registries as registries_fixture,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo
    from tests.publish_support import Server

pytestmark = pytest.mark.slow  # real builds, a real pypiserver, the real CLI

_LINK = stat.S_IFLNK | 0o777


def _spoiled(wheel: bytes, axis: str) -> bytes:
    """The real wheel plus one hostile member; everything else unchanged."""
    source = zipfile.ZipFile(io.BytesIO(wheel))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        first = source.infolist()[0].filename
        name = {"symlink": "rgdemo/evil", "dotdot": "../../evil.pth", "absolute": "/tmp/evil"}
        info = zipfile.ZipInfo(name.get(axis, first), date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = (_LINK if axis == "symlink" else 0o100644) << 16
        archive.writestr(info, "/etc/passwd" if axis == "symlink" else "import os\n")
    return out.getvalue()


def test_publish_refuses_a_hostile_dist_before_any_registry_sees_it(
    registries_fixture: list[Server],  # noqa: F811 - the shared fixture, by its name
    tmp_path: Path,
) -> None:
    server = registries_fixture[0]
    project = make_project(tmp_path, "3.4.0", [server])
    (wheel,) = project.dist.glob("*.whl")
    clean = wheel.read_bytes()
    for axis in ("symlink", "dotdot", "absolute", "duplicate"):
        wheel.write_bytes(_spoiled(clean, axis))
        result = project.publish()
        assert result.returncode == 1, (axis, result.stdout, result.stderr)
        output = result.stdout + result.stderr
        assert "nothing was published" in output, (axis, output)
        assert wheel.name in output, (axis, output)
        assert not (project.root / "mirror").exists(), axis
        for dist in project.files():
            assert served(server.index_url, dist) is None, (axis, dist)


def test_build_writes_nothing_when_the_backend_hands_it_a_hostile_archive(
    make_repo: Callable[..., GitRepo],
) -> None:
    for axis in ("symlink", "duplicate"):
        repo = make_repo(
            {
                "pyproject.toml": _PYPROJECT,
                "hostile_backend.py": _BACKEND,
                "hostile.tar.gz.bin": hostile_tar(axis, "demo-1.0/evil"),
                "hostile.whl.bin": hostile_zip(axis, "demo/evil"),
            }
        )
        result = run_cli("build", "--no-isolation", cwd=repo.root)
        assert result.returncode == 1, (axis, result.stdout, result.stderr)
        assert "nothing was written" in result.stderr, (axis, result.stderr)
        assert "demo-1.0.tar.gz" in result.stderr
        assert "demo-1.0-py3-none-any.whl" in result.stderr
        assert not (repo.root / "dist").exists(), axis
