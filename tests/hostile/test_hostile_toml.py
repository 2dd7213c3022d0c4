"""Hostile TOML and long values in a checkout end in a clear error, fast, never exit 3."""

from __future__ import annotations

import contextlib
import io
import time
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.cli import main
from releasegate._internal.lockfiles.redact import redact
from releasegate._internal.tomldoc import MAX_BYTES
from releasegate._internal.tomlpos import key_lines

if TYPE_CHECKING:
    from pathlib import Path


def run(root: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-C", str(root), *args])
    return code, out.getvalue() + err.getvalue()


@pytest.mark.parametrize(
    "nested",
    [
        "x = " + "[" * 600 + "]" * 600,
        "x = " + "{a = " * 600 + "1" + "}" * 600,
        "x = " + "[" * 150 + "]" * 150,  # parses, but deeper than any later walk should go
    ],
)
def test_deeply_nested_pyproject_is_a_config_error(tmp_path: Path, nested: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nversion = "1.0.0"\n{nested}\n', encoding="utf-8"
    )
    code, output = run(tmp_path, "check", "metadata")
    assert code == 2, output
    assert "pyproject.toml: nested more than 100 levels deep" in output


def test_the_line_scanner_survives_deep_nesting() -> None:
    text = "x = " + "[" * 5000 + "]" * 5000 + "\ny = 1\n"
    assert key_lines(text)[("y",)] == 2


@pytest.mark.parametrize("config", ["pyproject.toml", "releasegate.toml"])
def test_a_toml_file_linked_to_dev_zero_is_not_read(tmp_path: Path, config: str) -> None:
    (tmp_path / config).symlink_to("/dev/zero")
    started = time.monotonic()
    code, output = run(tmp_path, "check", "metadata", "lockfile")
    assert time.monotonic() - started < 5
    assert code in (0, 1, 2), output


def test_a_toml_lockfile_over_the_size_bound_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0"\n')
    with (tmp_path / "uv.lock").open("wb") as sparse:
        sparse.truncate(MAX_BYTES + 1)  # sparse: nothing is written, a reader sees 64 MiB + 1
    code, output = run(tmp_path, "sbom", "--output", "-")
    assert code == 1, output
    assert "uv.lock: error: cannot read: larger than 64 MiB" in output


def test_redaction_is_linear_on_a_long_value() -> None:
    started = time.monotonic()
    for value in ("a" * 100_000, "a1+" * 40_000, "x://" + "b" * 100_000):
        redact(value)
    assert time.monotonic() - started < 0.5


def test_redaction_still_hides_credentials() -> None:
    text = "from https://user:tok3n@example.org/simple and git+ssh://git@github.com/o/r"
    assert redact(text) == "from https://***@example.org/simple and git+ssh://***@github.com/o/r"
