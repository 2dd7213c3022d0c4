"""Arbitrary bytes and near-miss text as each lockfile format: a finding at worst, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate.checks.base import CheckContext
from releasegate.project import Project
from releasegate.runner import run_checks

FILES = ("requirements.txt", "uv.lock", "pylock.toml", "poetry.lock")
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "1.0"\n'
    'dependencies = ["six>=1", "attrs; extra == \'x\'"]\n'
)

# Pieces of each format, so that the fuzzer reaches deep paths rather than only "not TOML".
FRAGMENTS = (
    "six==1.17.0 \\",
    "    --hash=sha256:" + "a" * 64,
    "    # via",
    "    #   six",
    "    # via -r requirements.in",
    "-r other.txt",
    "-c c.txt",
    "-e .",
    "--index-url http://x",
    "--extra-index-url=https://u:p@x/simple",
    "git+https://x/y.git@main#egg=y",
    "y @ https://x/y.whl#sha256=00",
    "a[b]>=1; python_version<'3'",
    "[[package]]",
    "[[packages]]",
    'name = "six"',
    'version = "1.0"',
    "version = 1",
    'lock-version = "1.0"',
    'created-by = "x"',
    "[metadata]",
    'lock-version = "2.1"',
    "[package.source]",
    'type = "git"',
    'source = { git = "https://x#abc" }',
    'source = { editable = "." }',
    "[package.dependencies]",
    'six = ">=1"',
    'dependencies = [{ name = "six" }]',
    'wheels = [{ url = "u", hash = "sha256:00" }]',
    'wheels = [{ name = "a-1-py3-none-any.whl", hashes = { sha256 = "00" } }]',
    'files = [{file = "f", hash = 1}]',
    'directory = { path = ".", editable = true }',
    'vcs = { type = "git", url = "u", commit-id = "c" }',
    "marker = \"python_version < '3'\"",
    "markers = 3",
    "\\",
    "#",
    "",
    "[",
    '"',
    "= =",
)
lines = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=40).map(
    "\n".join
)
contents = st.one_of(st.binary(max_size=3000), st.text(max_size=3000), lines)


def _check(name: str, content: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text(PYPROJECT)
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        findings = list(run_checks(["lockfile"], CheckContext(Project(root))).findings())
        assert all(f.check == "lockfile" for f in findings)


@pytest.mark.parametrize("name", FILES)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=contents)
def test_any_content_never_crashes(name: str, content: str | bytes) -> None:
    if isinstance(content, str) and any(0xD800 <= ord(c) <= 0xDFFF for c in content):
        content = content.encode("utf-8", "surrogatepass")
    _check(name, content)
