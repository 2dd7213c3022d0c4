"""A build backend that writes hostile archives: the verification reports them, never crashes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.builder.reproducibility import VerifyOptions, verify
from releasegate._internal.builder.requires import is_pinned, unpinned
from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

_EVIL_PYPROJECT = """\
[build-system]
requires = []
build-backend = "evil_backend"
backend-path = ["."]
"""

# An in-tree backend (backend-path) whose sdist climbs out with '..' and carries a symlink.
_EVIL_BACKEND = """
import io, tarfile, zipfile

def _add(archive, name, data=b"", kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data) if kind == tarfile.REGTYPE else 0
    archive.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)

def build_sdist(sdist_directory, config_settings=None):
    name = "evil-1.0.tar.gz"
    with tarfile.open(f"{sdist_directory}/{name}", "w:gz") as archive:
        _add(archive, "evil-1.0/pyproject.toml", b"[build-system]\\n")
        _add(archive, "evil-1.0/../../escaped.txt", b"owned")
        _add(archive, "evil-1.0/etc", kind=tarfile.SYMTYPE, link="/etc")
    return name

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    name = "evil-1.0-py3-none-any.whl"
    with zipfile.ZipFile(f"{wheel_directory}/{name}", "w") as archive:
        archive.writestr("evil/__init__.py", "")
    return name
"""


@pytest.mark.slow
def test_hostile_sdist_from_a_backend_is_a_finding(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(
        {
            "pyproject.toml": _EVIL_PYPROJECT,
            "evil_backend.py": _EVIL_BACKEND,
        }
    )
    result = verify(repo.root, VerifyOptions(isolated=False))
    unsafe = [f.message for f in result.findings if f.rule == "unsafe-archive"]
    assert any("path-traversal" in m for m in unsafe)
    assert any("symlink" in m for m in unsafe)
    assert not result.reproducible
    assert "wheel-from-sdist" not in {v.kind for v in result.verdicts}  # never extracted
    assert not (repo.root.parent / "escaped.txt").exists()
    # Even when nothing is unpacked and both builds agree, what would ship is checked.
    quiet = verify(repo.root, VerifyOptions(isolated=False, from_sdist=False, vary=frozenset()))
    assert "unsafe-archive" in {f.rule for f in quiet.findings}
    assert not quiet.reproducible


@pytest.mark.parametrize(
    ("text", "pinned"),
    [
        ("hatchling==1.27.0", True),
        ("hatchling===1.27.0", True),
        ("hatchling>=1.27", False),
        ("hatchling==1.*", False),
        ("hatchling", False),
        ("hatchling==1.27.0; python_version >= '3.8'", True),
        ("setuptools>=61,<70", False),
        (f"pkg @ https://example.invalid/pkg-1.0.tar.gz#sha256={'a' * 64}", True),
        ("pkg @ git+https://example.invalid/pkg@main", False),
        (f"pkg @ git+https://example.invalid/pkg@{'0' * 40}", True),
        ("not a requirement !!", None),
    ],
)
def test_pinning(text: str, pinned: bool | None) -> None:
    assert is_pinned(text) is pinned


def test_unpinned_lists_every_problem() -> None:
    found = unpinned(["hatchling==1.0", "wheel", 3, "!!"])
    assert [(u.requirement, u.reason) for u in found] == [
        ("wheel", "does not pin one version"),
        ("3", "is not a string"),
        ("!!", "is not a valid requirement"),
    ]
    assert unpinned(None)[0].reason == "is missing or not a list"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), st.integers(), st.none()), max_size=5))
def test_unpinned_never_crashes(requires: list[object]) -> None:
    for entry in unpinned(requires):
        assert entry.reason


def test_nothing_to_build_is_a_warning(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo({"README.md": "# not a python project\n"})
    result = run_cli("check", "reproducible", cwd=repo.root)
    assert result.returncode == 0, result.stderr
    assert "reproducible/not-buildable" in result.stdout


def test_bad_configuration_is_a_usage_error(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo({"releasegate.toml": '[reproducible]\nvary = ["umask", "moon-phase"]\n'})
    result = run_cli("check", "reproducible", cwd=repo.root)
    assert result.returncode == 2
    assert "releasegate.toml:2" in result.stderr


# The builder's reader missed duplicate tar members and allowed 50,000 members.
_DUPLICATE_BACKEND = _EVIL_BACKEND.replace(
    '_add(archive, "evil-1.0/etc", kind=tarfile.SYMTYPE, link="/etc")',
    '_add(archive, "evil-1.0/pyproject.toml", b"[project]\\\\n")',
).replace('_add(archive, "evil-1.0/../../escaped.txt", b"owned")', "pass")


@pytest.mark.slow
def test_duplicate_sdist_member_is_a_finding(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo({"pyproject.toml": _EVIL_PYPROJECT, "evil_backend.py": _DUPLICATE_BACKEND})
    result = verify(repo.root, VerifyOptions(isolated=False, vary=frozenset()))
    unsafe = [f.message for f in result.findings if f.rule == "unsafe-archive"]
    assert any("duplicate-member" in m for m in unsafe), result.findings
    assert "wheel-from-sdist" not in {v.kind for v in result.verdicts}  # never extracted
    assert not result.reproducible
