"""Hostile strings in every field a checkout controls, through the real gates and commands.

Generated checkouts put hostile text (``\\n::stop-commands::x``, OSC 52, OSC 8, ``ESC[2J``, C1,
100,000 characters, ``%0A``...) in project fields and keys, URLs, dependencies, lockfile names,
versions and sources, changelog headings, tag names, committed file names, configuration keys,
report keys and workspace member names. ``check`` (GitHub and text formats, stdout and stderr,
the job summary), ``version``, ``report --from`` and ``plan`` run on them in-process: no
foreign workflow command, no raw control character, no line over the bound (issue 27). The
renderers alone are covered field by field in test_hostile_output.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.cli import main
from tests.conftest import GIT_ENV
from tests.hostile_output_support import hostile_text, json_problems, problems

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow  # real gates on 40 generated checkouts

EXAMPLES = int(os.environ.get("RELEASEGATE_HOSTILE_EXAMPLES", "40"))
"""Raised locally for a longer run; CI runs this bounded part."""


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: every character kept, control characters as escapes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return (
        '"'
        + "".join(
            c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else f"\\u{ord(c):04x}"
            for c in escaped
            if not 0xD800 <= ord(c) <= 0xDFFF
        )
        + '"'
    )


# Tags git accepts (no control character, space, ~ ^ : ? * [ \ or ..) that still carry payloads.
_tags = st.sampled_from(
    ["v1.0.0", "v1.0.0%0A%3A%3Aerror%3A%3Ax", "v1.0.0-##x", "v1.0.0-\u00e9", "v" + "1" * 200]
)


def _file_name(text: str) -> str:
    """A name a file system takes: no '/' or NUL, at most 200 bytes, not '.' or '..'."""
    name = text.replace("/", "_").replace("\0", "_")
    while len(name.encode("utf-8", "surrogatepass")) > 200:
        name = name[: len(name) // 2]
    name = "".join(c for c in name if not 0xD800 <= ord(c) <= 0xDFFF)
    return name if name.strip(".") else "x" + name


@st.composite
def checkouts(draw: st.DrawFn) -> dict[str, str]:
    h = draw
    key, urlkey, extra = h(hostile_text), h(hostile_text), h(hostile_text)
    pyproject = [
        "[project]",
        f"name = {toml_string(h(st.one_of(st.just('demo'), hostile_text)))}",
        f"version = {toml_string(h(st.one_of(st.just('1.2.0'), hostile_text)))}",
        f"description = {toml_string(h(hostile_text))}",
        f"dependencies = [{toml_string(h(hostile_text))}, {toml_string(h(hostile_text))}]",
        f"{toml_string(key)} = {toml_string(h(hostile_text))}",
        "[project.urls]",
        f"{toml_string(urlkey)} = {toml_string(h(hostile_text))}",
        "[project.optional-dependencies]",
        f"{toml_string(extra)} = [{toml_string(h(hostile_text))}]",
    ]
    if h(st.integers(0, 3)) == 0:  # a misspelt configuration key: an error on stderr
        pyproject += ["[tool.releasegate]", f"{toml_string(h(hostile_text))} = 1"]
    files = {"pyproject.toml": "\n".join(pyproject) + "\n"}
    if h(st.booleans()):
        files["uv.lock"] = (
            'version = 1\nrequires-python = ">=3.10"\n\n[[package]]\n'
            f"name = {toml_string(h(hostile_text))}\n"
            f"version = {toml_string(h(hostile_text))}\n"
            f"source = {{ registry = {toml_string(h(hostile_text))} }}\n"
        )
    if h(st.booleans()):
        files["requirements.txt"] = h(hostile_text) + "\n" + h(hostile_text) + "==1.0\n"
    if h(st.booleans()):
        files["CHANGELOG.md"] = f"## {h(hostile_text)}\n\n## 1.2.0\n"
    if h(st.booleans()):  # REUSE set up: every committed file is checked, its name quoted
        files["LICENSES/MIT.txt"] = "MIT License\n"
        files[_file_name(h(hostile_text)) + ".py"] = "x = 1\n"
    return files


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "commit", "-q", "--allow-empty", "-m", "initial")
    return root


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _prepare(root: Path, files: dict[str, str], tag: str) -> None:
    for child in root.iterdir():
        if child.name == ".git":
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
    _git(root, "add", "-A")
    tags = subprocess.run(
        ["git", "tag"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    if tags:
        _git(root, "tag", "-d", *tags)
    _git(root, "tag", tag)


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Under Actions, the job summary going to a file we read (the gates run --offline)."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    return summary


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=checkouts(), tag=_tags)
def test_hostile_checkouts_reach_no_output_raw(
    repo: Path, offline: Path, files: dict[str, str], tag: str
) -> None:
    _prepare(repo, files, tag)
    gates = ["semver", "lockfile", "metadata", "license", "--offline"]
    report = repo.parent / "report.json"
    offline.unlink(missing_ok=True)
    runs = {
        "github": _run(["-C", str(repo), "check", *gates, "--format", "github"]),
        "json": _run(
            ["-C", str(repo), "check", *gates, "--format", "json", "--output", str(report)]
        ),
        "version": _run(["-C", str(repo), "version"]),
    }
    if report.exists():
        runs["report --from"] = _run(
            ["-C", str(repo), "report", "--from", str(report), "--format", "github"]
        )
        assert json_problems(report.read_text(encoding="utf-8")) == []
        report.unlink()
    for name, (code, out, err) in runs.items():
        assert code in (0, 1, 2), (name, err[-2000:])
        assert problems(out) == [], (name, "stdout")
        assert problems(err) == [], (name, "stderr")
    if offline.exists():
        assert problems(offline.read_text(encoding="utf-8")) == [], "job summary"


@settings(
    max_examples=max(10, EXAMPLES // 2),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(name=hostile_text, version=hostile_text)
def test_hostile_member_names_never_reach_the_matrix(
    tmp_path_factory: pytest.TempPathFactory, name: str, version: str
) -> None:
    """A member name or version that is no PEP 508 name / plain version is an error, not output."""
    root = tmp_path_factory.mktemp("workspace")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "root"\nversion = "1.0.0"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
        encoding="utf-8",
    )
    member = root / "packages" / "a"
    member.mkdir(parents=True)
    (member / "pyproject.toml").write_text(
        f"[project]\nname = {toml_string(name)}\nversion = {toml_string(version)}\n",
        encoding="utf-8",
    )
    _git(root, "init", "-q", "-b", "main")
    for fmt in ("github-matrix", "json", "text"):
        code, out, err = _run(["-C", str(root), "plan", "--format", fmt])
        assert code in (0, 2), err[-2000:]
        assert problems(out) == []
        assert problems(err) == []
        if code == 0:
            # What reaches the matrix is a plain name and version, or nothing.
            assert all(c.isalnum() or c in '{}[]":,._-+!/ \n' for c in out), out[:300]
    code, out, err = _run(["-C", str(root), "check", "semver", "--format", "github"])
    assert code in (0, 1, 2), err[-2000:]
    assert problems(out) == []
    assert problems(err) == []


GATES = ("semver", "lockfile", "metadata", "license")
PAYLOAD = "\n::stop-commands::pwned\x1b]52;c;aGk=\x07\x1b[2J\x9b" + "k" * 20_000
"""Each way in the issue names, alone: a workflow command, OSC 52, a screen clear, C1, a long key."""
_P = toml_string(PAYLOAD)
NAMED_SOURCES = {
    "misspelt configuration key": {
        "pyproject.toml": f'[project]\nname = "demo"\nversion = "1.0.0"\n[tool.releasegate]\n{_P} = 1\n'
    },
    "unknown [project] key": {
        "pyproject.toml": f'[project]\nname = "demo"\nversion = "1.0.0"\n{_P} = 1\n'
    },
    "[project.urls] key": {
        "pyproject.toml": f'[project]\nname = "demo"\nversion = "1.0.0"\n[project.urls]\n{_P} = "https://x"\n'
    },
    "dependency string": {
        "pyproject.toml": f'[project]\nname = "demo"\nversion = "1.0.0"\ndependencies = [{_P}]\n'
    },
    "uv.lock name, version and registry": {
        "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\ndependencies = ["pkg"]\n',
        "uv.lock": f"version = 1\n\n[[package]]\nname = {_P}\nversion = {_P}\n"
        f"source = {{ registry = {_P} }}\n",
    },
    "changelog heading": {
        "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\n',
        "CHANGELOG.md": f"## {PAYLOAD}\n",
    },
    "committed file name (REUSE)": {
        "pyproject.toml": '[project]\nname = "demo"\nversion = "1.0.0"\nlicense = "MIT"\n',
        "LICENSES/MIT.txt": "MIT License\n",
        _file_name("\x1b]52;c;aGk=\x07\n::error::x\x9b") + ".py": "x = 1\n",
    },
}


@pytest.mark.parametrize("files", list(NAMED_SOURCES.values()), ids=list(NAMED_SOURCES))
def test_each_named_way_in_reaches_no_output_raw(
    repo: Path, offline: Path, files: dict[str, str]
) -> None:
    """The places the issue found checkout text raw, each alone, in GitHub format and as text."""
    _prepare(repo, files, "v1.0.0")
    for fmt in ("github", "text"):
        code, out, err = _run(["-C", str(repo), "check", *GATES, "--offline", "--format", fmt])
        assert code in (0, 1, 2), err[-2000:]
        assert problems(out) == [], fmt
        assert problems(err) == [], fmt
