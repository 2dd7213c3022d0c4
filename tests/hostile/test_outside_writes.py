"""Paths from the checkout's configuration stay inside the project (issue 21).

A pull request may change ``[tool.releasegate]``; a release job then runs ``publish`` with
tokens. Its configured ledger, audit log, dist directory and directory registries must not
make releasegate write (or read dists) outside the repository. The job's own command line and
environment may point elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.repro_support import wheel_bytes

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow  # the real CLI in a subprocess

PYPROJECT = '[project]\nname = "demo"\nversion = "1.2.0"\n'
LOCAL = '[[tool.releasegate.registries]]\nname = "local"\nkind = "directory"\nurl = "index"\n'
WHEEL = "demo-1.2.0-py3-none-any.whl"


def _project(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "project"
    (root / "dist").mkdir(parents=True)
    (root / "dist" / WHEEL).write_bytes(wheel_bytes(version="1.2.0"))
    (root / "pyproject.toml").write_text(PYPROJECT + config, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ledger", "../ledger.json"),
        ("audit-log", "{outside}/audit.jsonl"),
        ("dist-dir", "../dist"),
    ],
)
def test_a_configured_publish_path_outside_the_project_is_refused(
    tmp_path: Path, key: str, value: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / WHEEL).write_bytes(wheel_bytes(version="1.2.0"))
    setting = f'[tool.releasegate.publish]\n{key} = "{value.format(outside=outside)}"\n'
    root = _project(tmp_path, LOCAL + setting)
    done = run_cli("publish", cwd=root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "outside the project" in done.stderr
    assert not (tmp_path / "ledger.json").exists()
    assert list(outside.iterdir()) == []
    assert not (root / "index").exists()  # nothing published either


def test_a_directory_registry_outside_the_project_needs_the_jobs_permission(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "mirror"
    config = f'[[tool.releasegate.registries]]\nname = "m"\nkind = "directory"\nurl = "{outside}"\n'
    root = _project(tmp_path, config)
    refused = run_cli("publish", cwd=root)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    assert "RELEASEGATE_DIRECTORY_REGISTRY_ROOTS" in refused.stderr
    assert not outside.exists()
    allowed = {"RELEASEGATE_DIRECTORY_REGISTRY_ROOTS": str(tmp_path)}
    done = run_cli("publish", cwd=root, env=allowed)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (outside / "simple" / "demo" / WHEEL).exists()


def test_the_command_lines_dist_dir_may_be_anywhere(tmp_path: Path) -> None:
    root = _project(tmp_path, LOCAL)
    elsewhere = tmp_path / "built"
    elsewhere.mkdir()
    (root / "dist" / WHEEL).rename(elsewhere / WHEEL)
    done = run_cli("publish", "--dist-dir", str(elsewhere), cwd=root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (root / "index" / "simple" / "demo" / WHEEL).exists()
