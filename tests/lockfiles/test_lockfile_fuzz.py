"""Arbitrary bytes and near-miss text as each lockfile format: a finding at worst, never a crash."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.checks.base import CheckContext
from releasegate._internal.errors import ConfigError
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks

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


REQUIREMENT_PIECES = (
    "six",
    "six>=1",
    "six==1.17.0",
    "iniconfig<2",
    "demo[x]",
    "a @ https://x/a.whl",
    "b; extra == 'x'",
    'c; python_full_version ~= "3"',
    "d; python_version > 'abc'",
    "e>=1,<",
    "===",
    "f[",
    "g ; os_name",
)
requirements = st.lists(
    st.one_of(st.sampled_from(REQUIREMENT_PIECES), st.text(max_size=15)), max_size=6
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    main=requirements,
    extra=requirements,
    group=requirements,
    lock=st.sampled_from(("uv.lock", "poetry.lock", "requirements.txt")),
)
def test_any_declaration_never_crashes(
    main: list[str], extra: list[str], group: list[str], lock: str
) -> None:
    def array(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    pyproject = (
        f'[project]\nname = "demo"\nversion = "1"\ndependencies = {array(main)}\n'
        f"[project.optional-dependencies]\nx = {array(extra)}\n"
        f"[dependency-groups]\ndev = {array(group)}\n"
    )
    contents = {
        "uv.lock": 'version = 1\n[[package]]\nname = "six"\nversion = "1.17.0"\n',
        "poetry.lock": '[[package]]\nname = "six"\nversion = "1.17.0"\n'
        '[metadata]\nlock-version = "2.1"\n',
        "requirements.txt": "six==1.17.0\n    # via -r requirements.in\n",
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8", errors="surrogatepass")
        (root / "requirements.in").write_text(
            "\n".join(main), encoding="utf-8", errors="surrogatepass"
        )
        (root / lock).write_text(contents[lock])
        try:
            project = Project(root)
        except ConfigError:
            return  # not TOML after all (e.g. a lone surrogate): the CLI reports it, exit 2
        findings = list(run_checks(["lockfile"], CheckContext(project)).findings())
        assert all(f.check == "lockfile" for f in findings)
