"""A TOML file that cannot be read is an error carrying data (path, line, reason).

The lockfile reader once split the error's message on ``": "`` to recover the line,
which broke on any path holding ``": "`` (issue 12).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.errors import ConfigError, TomlError
from releasegate._internal.lockfiles.model import Lockfile
from releasegate._internal.lockfiles.tomlformat import load
from releasegate._internal.tomldoc import read_toml

if TYPE_CHECKING:
    from pathlib import Path


def test_syntax_error_carries_path_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "uv.lock"
    path.write_text("version = 1\n\n[[package]]\nname = \n", encoding="utf-8")
    with pytest.raises(TomlError) as raised:
        read_toml(path, "sub/uv.lock")
    error = raised.value
    assert (error.path, error.line) == ("sub/uv.lock", 4)
    assert error.reason.startswith("not valid TOML: ")
    assert isinstance(error, ConfigError)  # callers that catch ConfigError still do
    assert error.problems == [f"sub/uv.lock:4: {error.reason}"]


def test_undecodable_and_unreadable_files(tmp_path: Path) -> None:
    path = tmp_path / "pylock.toml"
    path.write_bytes(b'lock-version = "1.0"\nname = "\xff"\n')
    with pytest.raises(TomlError) as raised:
        read_toml(path)
    assert (raised.value.path, raised.value.line) == ("pylock.toml", 2)
    with pytest.raises(TomlError) as raised:
        read_toml(tmp_path / "missing.toml")
    assert raised.value.line is None
    assert raised.value.reason.startswith("cannot read")


def test_lockfile_problem_keeps_a_path_with_a_colon_and_space(tmp_path: Path) -> None:
    path = tmp_path / "uv.lock"
    path.write_text("version = 1\nrequires-python = \n", encoding="utf-8")
    shown = "vendor: old/uv.lock"
    lock = load(path, shown, "uv", tmp_path)
    assert isinstance(lock, Lockfile)
    (problem,) = lock.problems
    assert (problem.path, problem.line) == (shown, 2)
    assert problem.message.startswith("not valid TOML: ")
