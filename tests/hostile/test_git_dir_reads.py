"""``.git/`` is never project content, and the API gate reads no module linked out of the project.

actions/checkout keeps the job's token in ``.git/config`` (``http.<url>.extraheader``). Whatever
the checkout names (a version file, a lockfile include, a changelog, a readme, a committed
symlink), nothing under ``.git`` is read: a finding says it was refused, without its content
(issue 27). Run in-process, every format that carries messages.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.cli import main

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

SECRET = "ghs_extraheaderToken0123456789abcdefABCDEF"
PYPROJECT = """\
[project]
name = "demo"
version = "1.0.0"
readme = "README.md"
requires-python = ">=3.10"
dependencies = []

[tool.releasegate.license]
reuse = "never"
dependencies = false
"""


def _token_in_git_config(repo: GitRepo) -> None:
    header = f"AUTHORIZATION: basic {SECRET}"
    repo.git("config", "http.https://github.com/.extraheader", header)
    assert SECRET in (repo.root / ".git" / "config").read_text()


def _run(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> tuple[int, str]:
    code = main(["-C", str(root), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def _messages(output: str) -> list[str]:
    report = json.loads(output)
    return [f"{f['rule']}: {f['message']}" for g in report["checks"] for f in g["findings"]]


CASES = {
    "version-files": (
        {
            "pyproject.toml": PYPROJECT
            + '\n[tool.releasegate.semver]\nversion-files = [{path = ".git/config", pattern = "(?P<version>.+)"}]\n'
        },
        "semver",
    ),
    "requirements include": (
        {"pyproject.toml": PYPROJECT, "requirements.txt": "-r .git/config\n"},
        "lockfile",
    ),
    "changelog setting": (
        {"pyproject.toml": PYPROJECT + '\n[tool.releasegate.semver]\nchangelog = ".git/config"\n'},
        "semver",
    ),
}
LINKS = {"README.md": "metadata", "CHANGELOG.md": "semver", "requirements.txt": "lockfile"}


@pytest.mark.parametrize("case", list(CASES))
def test_a_configured_path_into_git_is_refused_without_its_content(
    make_repo: Callable[..., GitRepo], capsys: pytest.CaptureFixture[str], case: str
) -> None:
    files, gate = CASES[case]
    repo = make_repo({**files, "README.md": "# demo\n"})
    _token_in_git_config(repo)
    for fmt in ("json", "text", "github", "sarif", "markdown"):
        code, output = _run(capsys, repo.root, "check", gate, "--format", fmt)
        assert code in (1, 2), output
        assert SECRET not in output, fmt
        assert "extraheader" not in output, fmt
        assert ".git" in output, fmt  # the refusal names the path it refused


@pytest.mark.parametrize("link", list(LINKS))
def test_a_committed_symlink_into_git_is_not_read(
    make_repo: Callable[..., GitRepo], capsys: pytest.CaptureFixture[str], link: str
) -> None:
    repo = make_repo({"pyproject.toml": PYPROJECT, "README.md": "# demo\n"})
    (repo.root / link).unlink(missing_ok=True)
    (repo.root / link).symlink_to(".git/config")
    repo.commit(message="link")
    _token_in_git_config(repo)
    _, output = _run(capsys, repo.root, "check", LINKS[link], "--format", "json")
    assert SECRET not in output
    assert "extraheader" not in output
    assert any(".git" in m for m in _messages(output)), output


def test_the_api_gate_reads_no_module_linked_out_of_the_project(
    make_repo: Callable[..., GitRepo], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere.py"
    outside.write_text("def leaked_secret_function():\n    pass\n")
    files = {
        "pyproject.toml": PYPROJECT,
        "README.md": "# demo\n",
        "src/demo/__init__.py": "def kept():\n    pass\n",
    }
    repo = make_repo(files, tag="v1.0.0", name="checkout")
    (repo.root / "src" / "demo" / "linked.py").symlink_to(outside)
    repo.commit(
        {"pyproject.toml": PYPROJECT.replace('"1.0.0"', '"1.1.0"')}, message="a linked module"
    )
    code, output = _run(capsys, repo.root, "check", "api", "--format", "json")
    assert "leaked_secret_function" not in output
    messages = _messages(output)
    assert any(
        m.startswith("api/outside-project:") and "src/demo/linked.py" in m for m in messages
    ), messages
    assert code in (0, 1)
