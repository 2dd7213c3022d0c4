"""The manifest gate on real builds, and the built-archive checks on real archives made
by hand to be broken or hostile."""

from __future__ import annotations

import io
import tarfile
import zipfile
from typing import TYPE_CHECKING

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from releasegate._internal import archives as archive
from releasegate._internal.artifacts import shared_dists
from releasegate._internal.metadata import distcheck
from releasegate._internal.project import Project
from tests.metadata_support import findings, line_of, project_files, verdict

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo


@pytest.mark.slow  # real sdist and wheel builds
def test_sdist_completeness_against_git(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files[".gitignore"] = str(files[".gitignore"]) + "notes/\n"
    repo = make_repo(files)
    # Tracked although ignored: hatch leaves it out of the sdist without a word.
    repo.write({"notes/design.txt": "tracked, but the sdist leaves it out\n"})
    repo.git("add", "-f", "notes/design.txt")
    repo.commit(message="notes")
    (repo.root / "scratch.txt").write_text("never committed\n", encoding="utf-8")
    code, found = findings(repo.root, "manifest")
    assert code == 1
    assert verdict(found) == [
        ("manifest/missing-from-sdist", "notes/design.txt", 0),
        ("manifest/untracked-in-sdist", "scratch.txt", 0),
    ]


@pytest.mark.slow  # real sdist and wheel builds
def test_ignore_config_and_check_manifest_table(make_repo: Callable[..., GitRepo]) -> None:
    files = project_files("hatchling")
    files["notes/design.txt"] = "left out on purpose\n"
    files["pyproject.toml"] = str(files["pyproject.toml"]) + (
        '\n[tool.hatch.build.targets.sdist]\nexclude = ["notes"]\n'
        '[tool.check-manifest]\nignore = ["notes/*"]\n'
    )
    repo = make_repo(files)
    assert findings(repo.root, "manifest") == (0, [])


# Tracked files litestar, hatch and flit projects keep out of their sdists on purpose.
LEFT_OUT = {
    ".editorconfig": "root = true\n",
    ".readthedocs.yaml": "version: 2\n",
    ".devcontainer/devcontainer.json": "{}\n",
    "tests/test_demo.py": "def test_nothing() -> None:\n    pass\n",
    "docs/_build/index.html": "<p>built</p>\n",
    "docs/index.md": "# Demo\n",
}


@pytest.mark.slow  # real sdist and wheel builds
@pytest.mark.parametrize(
    ("backend", "settings"),
    [
        # litestar's [tool.hatch.build.targets.sdist] include = ['docs/PYPI_README.md', '/litestar']
        ("hatchling", '[tool.hatch.build.targets.sdist]\ninclude = ["/src", "docs/index.md"]\n'),
        ("hatchling", '[tool.hatch.build.targets.sdist]\nonly-include = ["src", "docs"]\n'
         'exclude = ["docs/_build"]\n'),
        ("hatchling", '[tool.hatch.build]\nexclude = ["/.*", "/tests", "/docs/_build"]\n'),
        ("flit-core", '[tool.flit.sdist]\ninclude = ["docs/"]\nexclude = ["docs/_build/"]\n'),
    ],
)  # fmt: skip
def test_files_the_backends_sdist_settings_leave_out_are_not_missing(
    make_repo: Callable[..., GitRepo], backend: str, settings: str
) -> None:
    """Dotfiles and folders the backend is told not to ship do not block every push (issue 26).

    check-manifest expects every tracked file its default ignore list does not name
    (setuptools' MANIFEST.in model); for these backends their own settings are the project's
    statement of what its sdist holds."""
    files = {**project_files(backend), **LEFT_OUT}
    files["pyproject.toml"] = str(files["pyproject.toml"]) + "\n" + settings
    repo = make_repo(files)
    assert findings(repo.root, "manifest") == (0, [])


@pytest.mark.slow  # real builds
def test_backend_refusal_is_a_finding_at_build_system(make_repo: Callable[..., GitRepo]) -> None:
    # setuptools refuses a License :: classifier beside an expression; hatchling builds it.
    classifier = '    "License :: OSI Approved :: MIT License",\n'
    files = project_files("setuptools", classifiers=classifier)
    repo = make_repo(files)
    code, found = findings(repo.root, "manifest")
    assert code == 1
    assert [f["rule"] for f in found] == ["manifest/build-failed"]
    assert found[0]["line"] == line_of(str(files["pyproject.toml"]), "[build-system]")
    assert "License" in str(found[0]["message"])


@pytest.mark.slow  # real sdist and wheel builds
def test_dists_are_built_once_per_project(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project_files("flit-core"))
    project = Project(repo.root, run_backend=True)  # the job named the gate: it trusts the build
    first = shared_dists(project)
    assert first[0].name == "demo-1.0.0.tar.gz"
    assert first[1].name == "demo-1.0.0-py3-none-any.whl"
    assert shared_dists(project) is first


# --- hand-made archives ---------------------------------------------------------------------

METADATA = "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nLicense-Expression: MIT\n"


def make_wheel(path: Path, members: dict[str, bytes], links: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, data in members.items():
            wheel.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16
            wheel.writestr(info, "/etc/passwd")
    return path


def make_sdist(path: Path, members: dict[str, bytes], symlink: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink:
            info = tarfile.TarInfo(symlink)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            tar.addfile(info)
    return path


def rules_of(built: archive.Archive, kind: str) -> list[str]:
    return [p.rule for p in distcheck.check(built, kind)]


def test_license_file_declared_but_missing_from_wheel(tmp_path: Path) -> None:
    meta = METADATA + "License-File: LICENSE\nLicense-File: NOTICE\n"
    wheel = make_wheel(
        tmp_path / "demo-1.0-py3-none-any.whl",
        {
            "demo/__init__.py": b"",
            "demo-1.0.dist-info/METADATA": meta.encode(),
            "demo-1.0.dist-info/licenses/LICENSE": b"MIT",
        },
    )
    problems = distcheck.check(archive.read_archive(wheel), "wheel")
    assert [p.rule for p in problems] == ["license-file-missing"]
    assert "NOTICE" in problems[0].message


def test_metadata_that_packaging_refuses(tmp_path: Path) -> None:
    meta = "Metadata-Version: 2.4\nName: demo\nVersion: not-a-version\nLicense-Expression: MIT OR\n"
    sdist = make_sdist(tmp_path / "demo-1.0.tar.gz", {"demo-1.0/PKG-INFO": meta.encode()})
    assert rules_of(archive.read_archive(sdist), "sdist") == [
        "metadata-invalid",
        "metadata-invalid",
    ]


def test_long_description_that_does_not_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))
    meta = METADATA + "Description-Content-Type: text/x-rst\n\nTitle\n=====\n\n*unclosed\n"
    sdist = make_sdist(tmp_path / "demo-1.0.tar.gz", {"demo-1.0/PKG-INFO": meta.encode()})
    assert rules_of(archive.read_archive(sdist), "sdist") == ["long-description"]


def test_hostile_members_are_never_followed_or_read(tmp_path: Path) -> None:
    sdist = make_sdist(
        tmp_path / "demo-1.0.tar.gz",
        {"demo-1.0/PKG-INFO": METADATA.encode(), "../../escape.txt": b"x", "/abs.txt": b"y"},
        symlink="demo-1.0/link",
    )
    built = archive.read_archive(sdist)
    assert [(p.rule, p.member) for p in built.problems] == [
        ("path-traversal", "../../escape.txt"),
        ("absolute-path", "/abs.txt"),
        ("symlink", "demo-1.0/link"),
    ]
    assert built.by_name()["demo-1.0/link"].kind == "symlink"
    assert built.read("demo-1.0/link") is None
    assert rules_of(built, "sdist") == ["archive-unsafe"]
    assert not (tmp_path.parent / "escape.txt").exists()
    wheel = make_wheel(
        tmp_path / "w-1.0-py3-none-any.whl",
        {"w-1.0.dist-info/METADATA": METADATA.encode()},
        links=("w/link",),
    )
    assert archive.read_archive(wheel).read("w/link") is None


def test_limits_and_garbage(tmp_path: Path) -> None:
    big = make_sdist(
        tmp_path / "big-1.0.tar.gz", {"big-1.0/a": b"0" * 5000, "big-1.0/b": b"0" * 5000}
    )
    built = archive.read_archive(big, archive.Limits(max_total=8000))
    assert [p.message for p in built.problems] == ["more than 8000 bytes uncompressed"]
    assert rules_of(built, "sdist") == ["archive-unsafe"]
    many = make_wheel(tmp_path / "m-1.0-py3-none-any.whl", {f"m/{i}.py": b"" for i in range(30)})
    built = archive.read_archive(many, archive.Limits(max_members=20))
    assert [p.message for p in built.problems] == ["30 members declared, more than 20"]
    garbage = tmp_path / "g-1.0.tar.gz"
    garbage.write_bytes(b"\x1f\x8b not really gzip")
    built = archive.read_archive(garbage)
    assert [p.rule for p in built.problems] == ["corrupt"]
    assert "not a readable tar" in built.problems[0].message
    assert rules_of(built, "sdist") == ["archive-unreadable"]


_SEGMENT = st.sampled_from(["a", "b", "docs", ".hidden", "x.py", "y.pyc", "_build"])
_GLOB = st.sampled_from(["a", "docs", "*.py", "*.py[cdo]", ".*", "?", "**", "_build", "x.py"])


@settings(max_examples=150, deadline=None)
@given(
    patterns=st.lists(
        st.tuples(
            st.sampled_from(["", "!"]),
            st.sampled_from(["", "/"]),
            st.lists(_GLOB, min_size=1, max_size=3),
            st.sampled_from(["", "/"]),
        ),
        min_size=1,
        max_size=4,
    ),
    path=st.lists(_SEGMENT, min_size=1, max_size=4),
)
def test_hatch_patterns_are_read_as_pathspec_reads_them(
    patterns: list[tuple[str, str, list[str], str]], path: list[str]
) -> None:
    """hatchling matches its include/exclude with pathspec's GitIgnoreSpec; so does the gate."""
    pathspec = pytest.importorskip("pathspec")
    from releasegate._internal.metadata.sdistselect import compile_patterns, matches

    lines = [neg + lead + "/".join(parts) + trail for neg, lead, parts, trail in patterns]
    name = "/".join(path)
    expected = pathspec.GitIgnoreSpec.from_lines(lines).match_file(name)
    assert matches(compile_patterns(lines), name) == expected, (lines, name)


@pytest.mark.slow  # real sdist and wheel builds
def test_the_version_file_a_vcs_version_writes_is_not_untracked(
    make_repo: Callable[..., GitRepo],
) -> None:
    """black and hatch ship ``src/_black_version.py``, written by hatch-vcs at build time (here
    pdm-backend's scm source, findpython's settings): rightly untracked (issue 26)."""
    files = project_files("pdm-backend")
    files["pyproject.toml"] = str(files["pyproject.toml"]).replace(
        'version = "1.0.0"', 'dynamic = ["version"]'
    ) + (
        '\n[tool.pdm.version]\nsource = "scm"\nwrite_to = "demo/_version.py"\n'
        'write_template = "__version__ = \\"{}\\"\\n"\n[tool.pdm.build]\npackage-dir = "src"\n'
    )
    repo = make_repo(files, tag="1.0.0")
    assert findings(repo.root, "manifest") == (0, [])


@given(line=st.text(max_size=30))
@example(line="[z-a]")
@example(line="/docs/[\\")
def test_any_sdist_pattern_is_read_without_a_traceback(line: str) -> None:
    """The checkout's pyproject.toml is hostile input: a pattern that is no glob is skipped."""
    from releasegate._internal.metadata.sdistselect import compile_patterns, matches

    assert matches(compile_patterns([line]), "a/b.py") in (True, False)
