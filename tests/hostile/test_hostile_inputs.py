"""Hostile values in the checkout end with findings, never exit 3 (issue 21).

Each case is one reproducer from the security review, through the real CLI.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow  # the real CLI in a subprocess

BIG = "1." + "9" * 5000
"""A version part longer than the 4300 digits int() converts: ValueError, not InvalidVersion."""
PYPROJECT = '[project]\nname = "demo"\nversion = "{version}"\n'


def _check(repo: GitRepo) -> list[str]:
    done = run_cli("check", "semver", "lockfile", "metadata", "--format", "json", cwd=repo.root)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    report = json.loads(done.stdout)
    return [f["message"] for gate in report["checks"] for f in gate["findings"]]


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": PYPROJECT.format(version=BIG)},
        {"pyproject.toml": PYPROJECT.format(version="1.0.0"), "CHANGELOG.md": f"## {BIG}\n"},
        {"pyproject.toml": PYPROJECT.format(version="1.0.0"), "requirements.txt": f"pkg=={BIG}\n"},
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.0"),
            "src/demo/__init__.py": f'__version__ = "{BIG}"\n',
        },
    ],
    ids=["version", "changelog", "pin", "version-file"],
)
def test_a_version_part_beyond_int_limits_is_a_finding(
    make_repo: Callable[..., GitRepo], files: dict[str, str]
) -> None:
    messages = _check(make_repo(files, tag="v1.0.0"))
    assert messages
    assert all(len(m) < 2000 for m in messages if "[project].version" in m), messages


def test_an_exponential_version_files_pattern_is_stopped_with_a_finding(
    make_repo: Callable[..., GitRepo],
) -> None:
    config = (
        "[[tool.releasegate.semver.version-files]]\n"
        "path = 'src/demo/__init__.py'\npattern = '(a+)+$'\n"
    )
    repo = make_repo(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.0") + config,
            "src/demo/__init__.py": "a" * 40 + "b\n",  # 2**40 ways to fail: hours
        }
    )
    done = run_cli("check", "semver", "--format", "json", cwd=repo.root)
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads(done.stdout)
    messages = [f["message"] for gate in report["checks"] for f in gate["findings"]]
    assert any("ran over 2 s" in m for m in messages), messages


LONG = "a" * 300  # one path component over the 255 bytes file systems allow: ENAMETOOLONG


def test_a_path_component_over_255_bytes_is_a_finding(make_repo: Callable[..., GitRepo]) -> None:
    config = (
        f"readme = '{LONG}.md'\n"
        f"[tool.releasegate.semver]\nchangelog = '{LONG}.md'\n"
        f"[[tool.releasegate.semver.version-files]]\npath = '{LONG}.py'\npattern = 'x'\n"
        f"[tool.releasegate.lockfile]\npaths = ['requirements.txt', '{LONG}.txt']\n"
    )
    repo = make_repo(
        {
            "pyproject.toml": PYPROJECT.format(version="1.0.0") + config,
            "requirements.txt": f"-r {LONG}.txt\n-c {LONG}/x.txt\n",
        },
        tag="v1.0.0",
    )
    for gate in ("semver", "lockfile", "metadata", "license"):
        done = run_cli("check", gate, "--format", "json", cwd=repo.root)
        assert done.returncode in (0, 1), (gate, done.stderr[-2000:])


def test_a_build_requirement_pip_cannot_install_is_a_build_failed_finding(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    pyproject = (
        '[build-system]\nrequires = ["no-such-package-releasegate-test==1.0"]\n'
        'build-backend = "nothing"\n\n' + PYPROJECT.format(version="1.0.0")
    )
    repo = make_repo({"pyproject.toml": pyproject})
    empty = tmp_path / "no-wheels"
    empty.mkdir()
    # pip (chosen because it is configured) with no index: it can only fail, offline.
    env = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(empty)}
    done = run_cli("check", "manifest", "--format", "json", cwd=repo.root, env=env)
    assert done.returncode == 1, done.stderr[-2000:]
    report = json.loads(done.stdout)
    rules = [f["rule"] for gate in report["checks"] for f in gate["findings"]]
    assert rules == ["manifest/build-failed"]
