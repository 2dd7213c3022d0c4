"""A lock that contradicts itself, on real uv.lock / pylock.toml / poetry.lock files.

The uv.lock verdicts are compared with ``uv lock --check`` (the anchor) on the same
tampered file, against the loopback index the lock was made with.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.findings import Severity
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from tests.lockfile_support import PYPROJECT, Generated, uv

if TYPE_CHECKING:
    from releasegate._internal.findings import Finding

pytest_plugins = ("tests.lockfile_support",)

FIXTURES = Path(__file__).parents[1] / "fixtures" / "lockfiles"
SIX_WHEEL = "six-1.17.0-py2.py3-none-any.whl"


def errors(root: Path) -> list[Finding]:
    context = CheckContext(Project(root), CheckOptions())
    found = run_checks(["lockfile"], context).findings()
    return [f for f in found if f.severity is Severity.ERROR]


def rules(root: Path) -> list[str]:
    return [f.rule for f in errors(root)]


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def declared(gen: Generated) -> str:
    return f'{PYPROJECT}\n[[tool.uv.index]]\nname = "local"\nurl = "{gen.index.url}"\n'


def uv_project(gen: Generated, root: Path, lock: str = "uv.lock") -> Path:
    (root / "pyproject.toml").write_text(declared(gen))
    (root / lock).write_text(gen.uv_lock if lock == "uv.lock" else gen.pylock)
    return root


def uv_check(gen: Generated, root: Path, cache: Path) -> int:
    return uv(root, gen.index, cache, "lock", "--check", "--offline").returncode


def six_block(gen: Generated) -> str:
    start = gen.uv_lock.index('[[package]]\nname = "six"')
    return gen.uv_lock[start:]


# (what is changed in uv.lock, the text, its replacement, releasegate's rule)
UV_TAMPERS = {
    "version disagrees with its wheel": ('version = "1.17.0"', 'version = "1.16.0"'),
    "wheel of another version": (SIX_WHEEL, "six-1.16.0-py2.py3-none-any.whl"),
    "edge to a package not locked": ('dependencies = [\n    { name = "six" },', None),
    "registry outside the declared index": (None, "https://evil.example/simple/"),
}
UV_RULES = {
    "version disagrees with its wheel": "artifact-mismatch",
    "wheel of another version": "artifact-mismatch",
    "edge to a package not locked": "unlocked-dependency",
    "registry outside the declared index": "index-not-allowed",
}


def test_real_uv_lock_agrees_with_uv(
    generated: Generated, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = uv_project(generated, tmp_path)
    assert uv_check(generated, root, tmp_path_factory.mktemp("uv")) == 0
    assert errors(root) == []


@pytest.mark.parametrize("case", sorted(UV_TAMPERS))
def test_tampered_uv_lock_agrees_with_uv(
    generated: Generated, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, case: str
) -> None:
    root = uv_project(generated, tmp_path)
    old, new = UV_TAMPERS[case]
    if old is None:  # the registry of six only
        old = six_block(generated).split("\n")[3]
        new = f'source = {{ registry = "{new}" }}'
    elif new is None:
        new = old.replace('"six"', '"sixx"')
    replace(root / "uv.lock", old, new)
    assert uv_check(generated, root, tmp_path_factory.mktemp("uv")) != 0, case
    assert rules(root) == [UV_RULES[case]]


def test_wheel_of_another_project_uv_accepts(
    generated: Generated, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """uv checks only the version in a wheel's name: a lock that lists ``sux``'s wheel for
    six passes ``uv lock --check``, and uv would install sux under six's name. A
    disagreement with the anchor where releasegate is right."""
    root = uv_project(generated, tmp_path)
    replace(root / "uv.lock", f"/packages/{SIX_WHEEL}", "/packages/sux-1.17.0-py2.py3-none-any.whl")
    assert uv_check(generated, root, tmp_path_factory.mktemp("uv")) == 0
    (finding,) = errors(root)
    assert finding.rule == "artifact-mismatch"
    assert "a file of sux" in finding.message
    text = (root / "uv.lock").read_text()
    assert finding.line == text[: text.index('[[package]]\nname = "six"')].count("\n") + 1


def test_undeclared_index_is_one_finding_per_index(generated: Generated, tmp_path: Path) -> None:
    """The same lock in a project that does not declare the index it came from."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "uv.lock").write_text(generated.uv_lock)
    (finding,) = errors(tmp_path)
    assert finding.rule == "index-not-allowed"
    assert "3 packages (iniconfig, python-dateutil, six)" in finding.message
    (tmp_path / "pyproject.toml").write_text(
        f'{PYPROJECT}\n[tool.releasegate.lockfile]\nallowed-indexes = ["{generated.index.url}"]\n'
    )
    assert errors(tmp_path) == []


def test_pypi_needs_no_declaration(generated: Generated, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    lock = generated.uv_lock.replace(
        f'registry = "{generated.index.url}"', 'registry = "https://pypi.org/simple"'
    )
    assert lock != generated.uv_lock
    (tmp_path / "uv.lock").write_text(lock)
    assert errors(tmp_path) == []


def test_credentials_in_a_foreign_index_are_not_shown(generated: Generated, tmp_path: Path) -> None:
    root = uv_project(generated, tmp_path)
    old = six_block(generated).split("\n")[3]
    replace(
        root / "uv.lock", old, 'source = { registry = "https://bob:s3cret@evil.example/simple" }'
    )
    (finding,) = errors(root)
    assert "s3cret" not in finding.message
    assert "evil.example" in finding.message


PYLOCK_TAMPERS = {
    "version disagrees with its wheel": (
        'name = "six"\nversion = "1.17.0"',
        'name = "six"\nversion = "1.16.0"',
        "artifact-mismatch",
    ),
    "edge to a package not locked": (
        'name = "python-dateutil"\nversion = "2.9.0.post0"',
        'name = "python-dateutil"\nversion = "2.9.0.post0"\ndependencies = [{ name = "sixx" }]',
        "unlocked-dependency",
    ),
    "index outside the declared one": (
        'name = "six"\nversion = "1.17.0"\nindex = "',
        'name = "six"\nversion = "1.17.0"\nindex = "https://evil.example/simple/"\n# was "',
        "index-not-allowed",
    ),
}


@pytest.mark.parametrize("case", sorted(PYLOCK_TAMPERS))
def test_tampered_pylock(generated: Generated, tmp_path: Path, case: str) -> None:
    root = uv_project(generated, tmp_path, "pylock.toml")
    assert errors(root) == []
    old, new, rule = PYLOCK_TAMPERS[case]
    replace(root / "pylock.toml", old, new)
    assert rules(root) == [rule]


@pytest.mark.parametrize("name", ["poetry1", "poetry2"])
def test_poetry_legacy_source_must_be_declared(tmp_path: Path, name: str) -> None:
    """Poetry records a ``legacy`` source's URL per package; [[tool.poetry.source]] declares it."""
    for file in ("pyproject.toml", "poetry.lock"):
        shutil.copyfile(FIXTURES / name / file, tmp_path / file)
    assert errors(tmp_path) == []
    lock = tmp_path / "poetry.lock"
    text = lock.read_text()
    six = text.index('name = "six"')
    url = 'url = "http://127.0.0.1:18765/simple"'
    at = text.index(url, six)
    lock.write_text(text[:at] + 'url = "https://evil.example/simple"' + text[at + len(url) :])
    assert rules(tmp_path) == ["index-not-allowed"]
    lock.write_text(text)
    replace(tmp_path / "pyproject.toml", "[[tool.poetry.source]]", "[[tool.other.source]]")
    assert rules(tmp_path) == ["index-not-allowed"]


@pytest.mark.parametrize(
    ("files", "mismatch"),
    [
        (("foo_bar-1.0-py3-none-any.whl", "Foo.Bar-1.0.tar.gz"), None),  # letter for letter
        (("foo_bar-1.0.0-py3-none-any.whl",), None),  # the same version, written otherwise
        (("foo_bar-1.0-1-py3-none-any.whl", "foo_bar-1.0.zip"), None),  # a build tag; a zip
        (("foo_bar-1.1-py3-none-any.whl",), "a file of version 1.1"),
        (("foo_bar-1.0-py3-none-any.whl", "foo-bar-1.1.tar.gz"), "a file of version 1.1"),
        (("other-1.0-py3-none-any.whl",), "a file of other"),
        (("foo_bar-1.0-py3-none-any.tar.bz2",), None),  # an old sdist form: not judged
    ],
)
def test_file_names_are_compared_with_the_entry(
    files: tuple[str, ...], mismatch: str | None
) -> None:
    """Names that agree letter for letter are accepted without packaging; the rest is parsed."""
    from releasegate._internal.lockfiles.consistency import _mismatch
    from releasegate._internal.lockfiles.model import Entry

    entry = Entry("foo-bar", "==1.0", "uv.lock", 1, "1.0", (), None, files=files)
    found = _mismatch(entry)
    assert (found is None) == (mismatch is None)
    if mismatch is not None:
        assert found is not None
        assert mismatch in found
