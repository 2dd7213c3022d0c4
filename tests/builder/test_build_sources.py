"""Source copies (umask, order, mtimes, git vs walk) and the clock shift of the second build."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.builder.clock import clock_shift, find_libfaketime
from releasegate._internal.builder.conditions import describe, pair
from releasegate._internal.builder.sources import TreeLayout, copy_tree, source_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo


def test_git_tracked_files_only(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo({"pyproject.toml": "", "pkg/a.py": "", ".gitignore": "dist/\n"})
    repo.write({"dist/old.whl": "", "untracked.py": ""})
    files, origin = source_files(repo.root)
    assert origin == "git"
    assert files == [".gitignore", "pkg/a.py", "pyproject.toml"]


def test_walk_outside_git_skips_output_and_caches(tmp_path: Path) -> None:
    for name in (
        "pyproject.toml",
        "pkg/a.py",
        "dist/x.whl",
        "pkg/__pycache__/a.pyc",
        "x.egg-info/PKG-INFO",
        ".venv/bin/python",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    files, origin = source_files(tmp_path)
    assert origin == "walk"
    assert files == ["pkg/a.py", "pyproject.toml"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_copy_follows_umask_order_and_mtime_shift(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "pkg").mkdir(parents=True)
    (source / "pkg" / "a.py").write_text("a")
    (source / "run.sh").write_text("#!/bin/sh")
    (source / "run.sh").chmod(0o755)
    os.utime(source / "pkg" / "a.py", (1_700_000_000, 1_700_000_000))
    files = ["pkg/a.py", "run.sh"]
    copy_tree(source, files, tmp_path / "one", TreeLayout(0o022))
    copy_tree(source, files, tmp_path / "two", TreeLayout(0o002, reverse=True, mtime_shift=-100))
    assert (
        mode(tmp_path / "one/pkg/a.py"),
        mode(tmp_path / "one/run.sh"),
        mode(tmp_path / "one/pkg"),
    ) == (0o644, 0o755, 0o755)
    assert (
        mode(tmp_path / "two/pkg/a.py"),
        mode(tmp_path / "two/run.sh"),
        mode(tmp_path / "two/pkg"),
    ) == (0o664, 0o775, 0o775)
    assert (tmp_path / "one/pkg/a.py").stat().st_mtime == 1_700_000_000
    assert (tmp_path / "two/pkg/a.py").stat().st_mtime == 1_700_000_000 - 100


def test_conditions_describe_every_variation(tmp_path: Path) -> None:
    first, second = pair(
        tmp_path, frozenset({"path", "umask", "tz", "order", "mtime", "home", "clock"})
    )
    said = "; ".join(describe(first, second))
    for phrase in (
        "umask 022 vs 002",
        "TZ=UTC0 vs TZ=<+14>-14",
        "reverse order",
        "mtimes shifted",
        "another HOME",
        "clock shifted",
    ):
        assert phrase in said
    assert first.tree != second.tree
    plain = pair(tmp_path, frozenset())
    assert "umask" not in "; ".join(describe(*plain))
    assert plain[1].clock is None


_CLOCK = """\
import subprocess, sys, time
time.sleep(0.01)  # libfaketime must not break sleeping or subprocess timeouts
subprocess.run([sys.executable, "-c", "pass"], timeout=60, check=True)
print(time.time())
"""


def _clock_in(env: dict[str, str]) -> float:
    out = subprocess.run(
        [sys.executable, "-c", _CLOCK],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(out) - time.time()


def test_python_shim_shifts_the_clock_without_libfaketime(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEASEGATE_LIBFAKETIME", "")
    shift = clock_shift(tmp_path, 5000)
    assert shift.method == "python-shim"
    assert 4990 < _clock_in(dict(shift.env)) < 5010


@pytest.mark.skipif(
    find_libfaketime() is None, reason="libfaketime is not installed (apt-get install faketime)"
)
def test_libfaketime_shifts_the_clock(tmp_path: Path) -> None:
    shift = clock_shift(tmp_path, 7000)
    assert shift.method == "libfaketime"
    assert 6990 < _clock_in(dict(shift.env)) < 7010
