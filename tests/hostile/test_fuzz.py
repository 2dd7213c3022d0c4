"""Arbitrary input never produces a traceback: a finding or a configuration error only."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.cli import main
from releasegate._internal.tomlpos import key_lines

_toml_fragments = st.lists(
    st.sampled_from(
        [
            "[project]\n",
            'name = "demo"\n',
            'version = "',
            '1.2.0"\n',
            "version = 1\n",
            'dynamic = ["version"]\n',
            "[tool.releasegate]\n",
            "[tool.releasegate.semver]\n",
            "tag-format = 'v{version}'\n",
            "[[tool.releasegate.semver.version-files]]\n",
            'path = "x"\n',
            'pattern = "("\n',
            "[tool.hatch.version]\n",
            'path = "../../etc"\n',
            '"""\n',
            "'''\n",
            "[\n",
            "]\n",
            "= =\n",
            "\x00",
            "\ufeff",
            "#",
            '"',
            "=",
            "labels = []\n",
            "fail-on = 3\n",
            "checks = ['semver']\n",
        ]
    ),
    max_size=12,
).map("".join)


def run_in(files: dict[str, bytes]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, content in files.items():
            (root / name).write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["-C", tmp, "check", "semver", "--format", "json"])
        return code, err.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_as_pyproject(data: bytes) -> None:
    code, err = run_in({"pyproject.toml": data})
    assert code in (0, 1, 2), err
    assert "internal error" not in err


@pytest.mark.slow  # over 1 s: 200 examples
@settings(max_examples=200, deadline=None)
@given(_toml_fragments, st.text(max_size=20))
def test_toml_shaped_pyproject_and_arbitrary_versions(document: str, version: str) -> None:
    files = {
        "pyproject.toml": document.encode("utf-8", "surrogatepass"),
        "CHANGELOG.md": f"## {version}\n".encode("utf-8", "surrogatepass"),
    }
    code, err = run_in(files)
    assert code in (0, 1, 2), err
    assert "internal error" not in err


@pytest.mark.slow  # over 1 s: 200 examples
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_arbitrary_version_strings_give_findings(version: str) -> None:
    escaped = version.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    document = f'[project]\nname = "demo"\nversion = "{escaped}"\n'
    code, err = run_in({"pyproject.toml": document.encode("utf-8", "surrogatepass")})
    assert code in (0, 1, 2), err
    assert "internal error" not in err


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_key_scanner_never_raises(text: str) -> None:
    lines = key_lines(text)
    assert all(line >= 1 for line in lines.values())
