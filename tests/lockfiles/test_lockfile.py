"""The lockfile gate on lockfiles written by real pip-compile and uv (and Poetry's format)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.findings import Finding, Severity
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from tests.conftest import run_cli
from tests.lockfile_support import PYPROJECT, REQUIREMENTS_IN, Generated, wheel_sha256

# The session fixtures (index, wheelhouse, generated) are a plugin shared by both lockfile
# test modules, so that the index starts and the lockers run once per session.
pytest_plugins = ("tests.lockfile_support",)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


FILES = {
    "requirements": "requirements.txt",
    "uv": "uv.lock",
    "pylock": "pylock.toml",
    "poetry": "poetry.lock",
}
FORMATS = tuple(FILES)
INICONFIG_HASH = wheel_sha256("iniconfig", "1.1.1")


def original(gen: Generated, fmt: str) -> str:
    return {
        "requirements": gen.requirements,
        "uv": gen.uv_lock,
        "pylock": gen.pylock,
        "poetry": gen.poetry_lock,
    }[fmt]


LOOPBACK_INDEX = re.compile(r'(?:registry|index) = "(http://127\.0\.0\.1:\d+/simple/)"')


def declare_index(lock: str) -> str:
    """The project declares the loopback index its uv.lock / pylock.toml were locked from, as a
    project on a private index does; an undeclared index is a finding (index-not-allowed)."""
    found = LOOPBACK_INDEX.search(lock)
    return f'\n[[tool.uv.index]]\nname = "local"\nurl = "{found[1]}"\n' if found else ""


def write_project(
    root: Path, fmt: str, lock: str, pyproject: str = PYPROJECT, config: str = ""
) -> None:
    (root / "pyproject.toml").write_text(pyproject + config + declare_index(lock))
    if fmt == "requirements":
        (root / "requirements.in").write_text(REQUIREMENTS_IN)
    (root / FILES[fmt]).write_text(lock)


def check(root: Path, *, resolve: bool = False) -> list[Finding]:
    context = CheckContext(Project(root), CheckOptions(resolve=resolve))
    return list(run_checks(["lockfile"], context).findings())


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def the(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert matching, f"no {rule} in {[(f.rule, f.message) for f in findings]}"
    return matching[0]


def package_block(fmt: str, text: str, name: str) -> int:
    """Line of the entry for ``name`` as the format writes it."""
    if fmt == "requirements":
        return line_of(text, f"\n{name}") + 1
    header = "[[packages]]" if fmt == "pylock" else "[[package]]"
    return line_of(text, f'{header}\nname = "{name}"')


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_lockfile_is_clean(generated: Generated, tmp_path: Path, fmt: str) -> None:
    write_project(tmp_path, fmt, original(generated, fmt))
    assert check(tmp_path) == []


# ---- exact pins -------------------------------------------------------------------------------

UNPIN: dict[str, Callable[[str], str]] = {
    "requirements": lambda t: t.replace("iniconfig==1.1.1", "iniconfig>=1.1"),
    "uv": lambda t: t.replace('name = "iniconfig"\nversion = "1.1.1"\n', 'name = "iniconfig"\n'),
    "pylock": lambda t: t.replace(
        'name = "iniconfig"\nversion = "1.1.1"\n', 'name = "iniconfig"\n'
    ),
    "poetry": lambda t: t.replace(
        'name = "iniconfig"\nversion = "1.1.1"\n', 'name = "iniconfig"\n'
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_unpinned_entry(generated: Generated, tmp_path: Path, fmt: str) -> None:
    text = UNPIN[fmt](original(generated, fmt))
    assert text != original(generated, fmt)
    write_project(tmp_path, fmt, text)
    found = the(check(tmp_path), "not-pinned")
    assert (found.path, found.line) == (FILES[fmt], package_block(fmt, text, "iniconfig"))
    assert "iniconfig" in found.message
    assert found.hint
    assert "==" in found.hint


EXAMPLE = "https://example.invalid/thing"
POETRY_HEAD = (
    '\n[[package]]\nname = "thing"\nversion = "1.0"\ndescription = ""\noptional = false\n'
    'python-versions = "*"\ngroups = ["main"]\nfiles = []\n'
)
UV_HEAD = '\n[[package]]\nname = "thing"\nversion = "1.0"\n'
PYLOCK_HEAD = '\n[[packages]]\nname = "thing"\n'
THING = {
    "editable": {
        "requirements": "-e ./vendored/thing\n",
        "uv": UV_HEAD + 'source = { editable = "vendored/thing" }\n',
        "pylock": PYLOCK_HEAD + 'directory = { path = "vendored/thing", editable = true }\n',
        "poetry": POETRY_HEAD
        + 'develop = true\n\n[package.source]\ntype = "directory"\nurl = "vendored/thing"\n',
    },
    "url-without-hash": {
        "requirements": f"thing @ {EXAMPLE}-1.0-py3-none-any.whl\n",
        "uv": UV_HEAD + f'source = {{ url = "{EXAMPLE}-1.0.tar.gz" }}\n',
        "pylock": PYLOCK_HEAD + f'archive = {{ url = "{EXAMPLE}-1.0.tar.gz", hashes = {{}} }}\n',
        "poetry": POETRY_HEAD + f'\n[package.source]\ntype = "url"\nurl = "{EXAMPLE}-1.0.tar.gz"\n',
    },
    "vcs-not-pinned": {
        "requirements": f"thing @ git+{EXAMPLE}.git@main\n",
        "uv": UV_HEAD + f'source = {{ git = "{EXAMPLE}.git?branch=main" }}\n',
        "pylock": PYLOCK_HEAD
        + f'vcs = {{ type = "git", url = "{EXAMPLE}.git", requested-revision = "main" }}\n',
        "poetry": POETRY_HEAD
        + f'\n[package.source]\ntype = "git"\nurl = "{EXAMPLE}.git"\nreference = "main"\n',
    },
}


def _insert(fmt: str, text: str, extra: str) -> str:
    if fmt == "poetry":  # entries come before [metadata]
        head, _, tail = text.partition("\n[metadata]")
        return head + extra + "\n[metadata]" + tail
    return text + extra


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("rule", sorted(THING))
def test_refused_sources(generated: Generated, tmp_path: Path, fmt: str, rule: str) -> None:
    text = _insert(fmt, original(generated, fmt), THING[rule][fmt])
    write_project(tmp_path, fmt, text)
    found = the(check(tmp_path), rule)
    assert found.path == FILES[fmt]
    first_line = next(line for line in THING[rule][fmt].splitlines() if line.strip())
    assert found.line == text[: text.rindex("\n" + first_line + "\n")].count("\n") + 2
    assert found.hint
    assert found.severity is Severity.ERROR


def test_full_commit_vcs_reference_is_pinned(generated: Generated, tmp_path: Path) -> None:
    sha = "a" * 40
    text = generated.requirements + f"thing @ git+https://example.invalid/thing.git@{sha}\n"
    write_project(tmp_path, "requirements", text)
    assert "vcs-not-pinned" not in rules(check(tmp_path))


# ---- hashes -----------------------------------------------------------------------------------

DROP_HASH: dict[str, Callable[[str], str]] = {
    "requirements": lambda t: re.sub(
        r"iniconfig==1.1.1 \\\n    --hash=sha256:[0-9a-f]+\n", "iniconfig==1.1.1\n", t
    ),
    "uv": lambda t: t.replace(f', hash = "sha256:{INICONFIG_HASH}"', ""),
    "pylock": lambda t: t.replace(f'sha256 = "{INICONFIG_HASH}"', ""),
    "poetry": lambda t: re.sub(r'files = \[\n    \{file = "iniconfig[^\n]*\n\]', "files = []", t),
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_hash(generated: Generated, tmp_path: Path, fmt: str) -> None:
    text = DROP_HASH[fmt](original(generated, fmt))
    assert text != original(generated, fmt)
    write_project(tmp_path, fmt, text)
    found = the(check(tmp_path), "missing-hash")
    assert (found.path, found.line) == (FILES[fmt], package_block(fmt, text, "iniconfig"))


@pytest.mark.parametrize("fmt", ["requirements", "uv", "poetry"])
def test_missing_hash_allowed_by_config(generated: Generated, tmp_path: Path, fmt: str) -> None:
    text = DROP_HASH[fmt](original(generated, fmt))
    write_project(
        tmp_path, fmt, text, config="\n[tool.releasegate.lockfile]\nrequire-hashes = false\n"
    )
    found = rules(check(tmp_path))
    # pip's hash-checking mode is all-or-nothing: a half-hashed requirements file cannot install.
    assert ("missing-hash" in found) is (fmt == "requirements")


@pytest.mark.parametrize("fmt", FORMATS)
def test_malformed_hash(generated: Generated, tmp_path: Path, fmt: str) -> None:
    text = original(generated, fmt).replace(INICONFIG_HASH, INICONFIG_HASH[:60])
    write_project(tmp_path, fmt, text)
    found = the(check(tmp_path), "bad-hash")
    assert found.path == FILES[fmt]
    assert "64" in found.message
    assert found.line == package_block(fmt, text, "iniconfig")


def test_unknown_hash_algorithm(generated: Generated, tmp_path: Path) -> None:
    text = generated.requirements.replace(f"sha256:{INICONFIG_HASH}", "md5:" + "0" * 32)
    write_project(tmp_path, "requirements", text)
    assert "md5" in the(check(tmp_path), "bad-hash").message


def test_inconsistent_hashes_in_duplicates(generated: Generated, tmp_path: Path) -> None:
    other = "f" * 64
    (tmp_path / "requirements-extra.txt").write_text(
        f"iniconfig==1.1.1 \\\n    --hash=sha256:{other}\n"
    )
    text = generated.requirements + "-r requirements-extra.txt\n"
    write_project(tmp_path, "requirements", text)
    found = the(check(tmp_path), "hash-mismatch")
    assert (found.path, found.line) == ("requirements-extra.txt", 1)


def test_inconsistent_hashes_across_lockfiles(generated: Generated, tmp_path: Path) -> None:
    write_project(tmp_path, "uv", generated.uv_lock.replace(INICONFIG_HASH, "e" * 64))
    (tmp_path / "requirements.txt").write_text(generated.requirements)
    (tmp_path / "requirements.in").write_text(REQUIREMENTS_IN)
    found = the(check(tmp_path), "hash-mismatch")
    assert "iniconfig 1.1.1" in found.message


def test_conflicting_pins(generated: Generated, tmp_path: Path) -> None:
    text = generated.requirements + f"iniconfig==2.0.0 \\\n    --hash=sha256:{'1' * 64}\n"
    write_project(tmp_path, "requirements", text)
    assert "conflicting-pins" in rules(check(tmp_path))


# ---- index options ----------------------------------------------------------------------------


def test_index_options_written_by_pip_compile(generated: Generated, tmp_path: Path) -> None:
    from tests.lockfile_support import pip_compile

    write_project(tmp_path, "requirements", "")
    done = pip_compile(
        tmp_path,
        generated.index,
        "--generate-hashes",
        "--emit-index-url",
        "--extra-index-url",
        generated.index.url.replace("://", "://user:s3cret@"),
        "--find-links",
        str(tmp_path),
        "-o",
        "requirements.txt",
        "requirements.in",
        "--no-header",
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "requirements.txt").read_text()
    findings = [f for f in check(tmp_path) if f.rule == "index-option"]
    options = {f.message.split(" ", 1)[0] for f in findings}
    assert options == {"--index-url", "--extra-index-url", "--find-links"}
    extra = next(f for f in findings if f.message.startswith("--extra-index-url"))
    assert extra.line == line_of(text, "--extra-index-url")
    assert "dependency confusion" in extra.message
    assert all("s3cret" not in f.message for f in findings)


def test_allowed_index_is_accepted(generated: Generated, tmp_path: Path) -> None:
    text = f"--index-url {generated.index.url}\n" + generated.requirements
    config = f'\n[tool.releasegate.lockfile]\nallowed-indexes = ["{generated.index.url}"]\n'
    write_project(tmp_path, "requirements", text, config=config)
    assert "index-option" not in rules(check(tmp_path))
    write_project(tmp_path, "requirements", text)
    assert "index-option" in rules(check(tmp_path))


# ---- sync with the declaration -----------------------------------------------------------------

DECLARE_MORE = PYPROJECT.replace('"iniconfig<2"]', '"iniconfig<2", "extra-thing>=1"]')
DECLARE_NEWER = PYPROJECT.replace('"iniconfig<2"', '"iniconfig>=2"')


def _in_file(pyproject: str) -> str:
    deps = re.search(r"dependencies = \[(.*?)\]", pyproject)
    assert deps is not None
    return "\n".join(d.strip().strip('"') for d in deps.group(1).split(",")) + "\n"


def _write_declared(root: Path, fmt: str, lock: str, pyproject: str) -> None:
    write_project(root, fmt, lock, pyproject=pyproject)
    if fmt == "requirements":
        (root / "requirements.in").write_text(_in_file(pyproject))


@pytest.mark.parametrize("fmt", FORMATS)
def test_declared_but_not_locked(generated: Generated, tmp_path: Path, fmt: str) -> None:
    _write_declared(tmp_path, fmt, original(generated, fmt), DECLARE_MORE)
    found = the(check(tmp_path), "not-locked")
    assert "extra-thing" in found.message
    expected = ("requirements.in", 3) if fmt == "requirements" else ("pyproject.toml", 5)
    assert (found.path, found.line) == expected


@pytest.mark.parametrize("fmt", FORMATS)
def test_locked_version_no_longer_satisfies(generated: Generated, tmp_path: Path, fmt: str) -> None:
    text = original(generated, fmt)
    _write_declared(tmp_path, fmt, text, DECLARE_NEWER)
    found = the(check(tmp_path), "version-drift")
    assert "iniconfig is locked at 1.1.1" in found.message
    assert ">=2" in found.message
    assert (found.path, found.line) == (FILES[fmt], package_block(fmt, text, "iniconfig"))


LEFTOVER_WHEEL = "https://example.invalid/leftover-1.0-py3-none-any.whl"
STALE: dict[str, Callable[[str], str]] = {
    "requirements": lambda t: (
        t.replace("    # via -r requirements.in\n", "    # via -r requirements.in\n", 1)
        + f"leftover==1.0 \\\n    --hash=sha256:{'2' * 64}\n    # via -r requirements.in\n"
    ),
    "uv": lambda t: (
        t + '\n[[package]]\nname = "leftover"\nversion = "1.0"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        f'wheels = [\n    {{ url = "{LEFTOVER_WHEEL}", hash = "sha256:{"2" * 64}" }},\n]\n'
    ),
    "poetry": lambda t: _insert(
        "poetry",
        t,
        '\n[[package]]\nname = "leftover"\nversion = "1.0"\ndescription = ""\n'
        f'optional = false\npython-versions = "*"\ngroups = ["main"]\nfiles = [\n'
        f'    {{file = "leftover-1.0.tar.gz", hash = "sha256:{"2" * 64}"}},\n]\n',
    ),
}


@pytest.mark.parametrize("fmt", sorted(STALE))
def test_stale_entry(generated: Generated, tmp_path: Path, fmt: str) -> None:
    text = STALE[fmt](original(generated, fmt))
    write_project(tmp_path, fmt, text)
    found = the(check(tmp_path), "stale-entry")
    assert "leftover" in found.message
    assert (found.path, found.line) == (FILES[fmt], package_block(fmt, text, "leftover"))


def test_stale_after_input_dropped_a_requirement(generated: Generated, tmp_path: Path) -> None:
    """requirements.in no longer lists iniconfig: its pin (and nothing else) is stale."""
    write_project(tmp_path, "requirements", generated.requirements)
    (tmp_path / "requirements.in").write_text("python-dateutil>=2.8\n")
    found = [f for f in check(tmp_path) if f.rule == "stale-entry"]
    assert [f.message.split(" ", 1)[0] for f in found] == ["iniconfig"]


def test_pylock_without_graph_reports_no_stale(generated: Generated, tmp_path: Path) -> None:
    # uv's pylock export records no dependency edges, so staleness cannot be judged there.
    text = (
        generated.pylock + '\n[[packages]]\nname = "leftover"\nversion = "1.0"\n'
        f'wheels = [{{ url = "{LEFTOVER_WHEEL}", hashes = {{ sha256 = "{"2" * 64}" }} }}]\n'
    )
    write_project(tmp_path, "pylock", text)
    assert check(tmp_path) == []


DYNAMIC = PYPROJECT.replace(
    'dependencies = ["python-dateutil>=2.8", "iniconfig<2"]', 'dynamic = ["dependencies"]'
)


@pytest.mark.parametrize("fmt", ["uv", "pylock", "poetry"])
@pytest.mark.parametrize(
    ("setting", "severity"),
    [("", Severity.WARNING), ('undecidable = "fail"\n', Severity.ERROR)],
)
def test_undecidable_is_never_silent(
    generated: Generated, tmp_path: Path, fmt: str, setting: str, severity: Severity
) -> None:
    config = f"\n[tool.releasegate.lockfile]\n{setting}" if setting else ""
    write_project(tmp_path, fmt, original(generated, fmt), pyproject=DYNAMIC, config=config)
    found = the(check(tmp_path), "sync-undecidable")
    assert found.severity is severity
    assert found.path == FILES[fmt]
    assert "dynamic" in found.message


def test_undecidable_setup_py_input(generated: Generated, tmp_path: Path) -> None:
    text = generated.requirements.replace("requirements.in\n#\n", "setup.py\n#\n", 1)
    assert text != generated.requirements
    write_project(tmp_path, "requirements", text)
    assert "setup.py" in the(check(tmp_path), "sync-undecidable").message


def test_markers_that_do_not_apply_are_not_required(generated: Generated, tmp_path: Path) -> None:
    pyproject = DECLARE_MORE.replace(
        '"extra-thing>=1"', "\"extra-thing>=1; sys_platform == 'nonexistent'\""
    )
    write_project(tmp_path, "uv", generated.uv_lock, pyproject=pyproject)
    assert "not-locked" not in rules(check(tmp_path))


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("sys_platform == 'nonexistent'", set()),
        ("python_version >= '3' and sys_platform != 'nonexistent'", {"version-drift"}),
        ("python_version < '3' or (os_name != 'x' and extra == 'never')", set()),
        ("python_version < '3' or (os_name != 'x' and python_version > '3.1')", {"version-drift"}),
    ],
)
def test_a_marker_decides_whether_a_failed_item_counts(
    generated: Generated, tmp_path: Path, marker: str, expected: set[str]
) -> None:
    """Plain markers are evaluated only when the lock fails the item: the answer is the same."""
    pyproject = DECLARE_NEWER.replace('"iniconfig>=2"', f'"iniconfig>=2; {marker}"')
    assert pyproject != DECLARE_NEWER
    write_project(tmp_path, "uv", generated.uv_lock, pyproject=pyproject)
    assert rules(check(tmp_path)) & {"version-drift", "not-locked"} == expected


# ---- build-system and curation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "severity"), [("", Severity.WARNING), ('build-requires = "error"\n', Severity.ERROR)]
)
def test_build_requires_unpinned(
    generated: Generated, tmp_path: Path, config: str, severity: Severity
) -> None:
    pyproject = PYPROJECT.replace('"hatchling==1.27.0"', '"hatchling>=1.20"')
    section = f"\n[tool.releasegate.lockfile]\n{config}" if config else ""
    write_project(tmp_path, "uv", generated.uv_lock, pyproject=pyproject, config=section)
    found = the(check(tmp_path), "build-requires-unpinned")
    assert (found.path, found.line, found.severity) == (
        "pyproject.toml",
        line_of(pyproject, "requires ="),
        severity,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_denied_package_with_reason(generated: Generated, tmp_path: Path, fmt: str) -> None:
    config = (
        "\n[tool.releasegate.lockfile]\n"
        'deny = [{name = "Python_Dateutil", reason = "use stdlib zoneinfo"}]\n'
    )
    text = original(generated, fmt)
    write_project(tmp_path, fmt, text, config=config)
    found = the(check(tmp_path), "denied-package")
    assert "use stdlib zoneinfo" in found.message
    assert (found.path, found.line) == (FILES[fmt], package_block(fmt, text, "python-dateutil"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_allow_list(generated: Generated, tmp_path: Path, fmt: str) -> None:
    config = '\n[tool.releasegate.lockfile]\nallow = ["six", "python-dateutil"]\n'
    write_project(tmp_path, fmt, original(generated, fmt), config=config)
    found = [f for f in check(tmp_path) if f.rule == "not-allowed"]
    assert [f.message.split(" ", 1)[0] for f in found] == ["iniconfig"]


# ---- malformed input and the CLI ---------------------------------------------------------------

BROKEN = {
    "requirements": "iniconfig (((\n",
    "uv": "version = 1\n[[package]\n",
    "pylock": 'lock-version = "9.0"\n',
    "poetry": "[[package]]\nname = 1\n",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_malformed_lockfile_is_a_finding(tmp_path: Path, fmt: str) -> None:
    write_project(tmp_path, fmt, BROKEN[fmt])
    found = [f for f in check(tmp_path) if f.rule == "parse-error"]
    assert found
    assert all(f.path == FILES[fmt] and f.hint for f in found)


def test_missing_include(generated: Generated, tmp_path: Path) -> None:
    write_project(tmp_path, "requirements", "-r nowhere.txt\n" + generated.requirements)
    found = the(check(tmp_path), "missing-include")
    assert (found.path, found.line) == ("requirements.txt", 1)


def test_configured_path_missing(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        "uv",
        "version = 1\n",
        config='\n[tool.releasegate.lockfile]\npaths = ["locks/uv.lock"]\n',
    )
    assert "missing-lockfile" in rules(check(tmp_path))


def test_cli_exit_codes(generated: Generated, tmp_path: Path) -> None:
    write_project(tmp_path, "requirements", generated.requirements)
    good = run_cli("check", "lockfile", cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr
    (tmp_path / "requirements.txt").write_text(UNPIN["requirements"](generated.requirements))
    bad = run_cli("check", "lockfile", "--format", "json", cwd=tmp_path)
    assert bad.returncode == 1
    assert '"lockfile/not-pinned"' in bad.stdout
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT + '\n[tool.releasegate.lockfile]\nundecidable = "maybe"\n'
    )
    wrong = run_cli("check", "lockfile", cwd=tmp_path)
    assert wrong.returncode == 2
    assert "undecidable" in wrong.stderr


def test_uv_workspace_members_are_the_project(generated: Generated, tmp_path: Path) -> None:
    member = (
        '\n[[package]]\nname = "demo-lib"\nversion = "0.1.0"\nsource = { editable = "libs/lib" }\n'
    )
    manifest = '\n[manifest]\nmembers = ["demo", "demo-lib"]\n'
    text = generated.uv_lock.replace("\n[[package]]", manifest + "\n[[package]]", 1) + member
    write_project(tmp_path, "uv", text)
    assert "editable" not in rules(check(tmp_path))
    write_project(tmp_path, "uv", generated.uv_lock + member)
    assert "editable" in rules(check(tmp_path))


POETRY_ONLY = """\
[tool.poetry]
name = "demo"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.10"
python-dateutil = "^2.8"
iniconfig = "{iniconfig}"

[tool.poetry.group.dev.dependencies]
six = {{ version = ">=1.16" }}

[build-system]
requires = ["poetry-core==2.1.3"]
build-backend = "poetry.core.masonry.api"
"""


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^1.1", set()),
        ("~1.1", set()),
        ("1.1.1", set()),
        ("^2.0", {"version-drift"}),
        ("^1.1 || ^2.0", {"sync-undecidable"}),
    ],
)
def test_poetry_tables_are_compared(
    generated: Generated, tmp_path: Path, constraint: str, expected: set[str]
) -> None:
    pyproject = POETRY_ONLY.format(iniconfig=constraint)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "poetry.lock").write_text(generated.poetry_lock)
    assert rules(check(tmp_path)) == expected


def test_multi_parent_via_keeps_shared_dependency(generated: Generated, tmp_path: Path) -> None:
    """pip-compile writes ``# via`` over several lines when two things need a package."""
    from tests.lockfile_support import pip_compile

    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements.in").write_text(REQUIREMENTS_IN + "six\n")
    done = pip_compile(
        tmp_path,
        generated.index,
        "--generate-hashes",
        "--no-emit-index-url",
        "-o",
        "requirements.txt",
        "requirements.in",
    )
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "requirements.txt").read_text()
    assert "# via\n    #   -r requirements.in\n    #   python-dateutil" in text
    assert check(tmp_path) == []
    (tmp_path / "requirements.in").write_text(REQUIREMENTS_IN)  # six is still needed by dateutil
    assert check(tmp_path) == []
    (tmp_path / "requirements.in").write_text("iniconfig<2\nsix\n")  # dateutil is not
    stale = [f for f in check(tmp_path) if f.rule == "stale-entry"]
    assert [f.message.split(" ", 1)[0] for f in stale] == ["python-dateutil"]


def test_constraints_file_entries_are_not_installs(generated: Generated, tmp_path: Path) -> None:
    (tmp_path / "constraints.txt").write_text("six>=1.0\nattrs\n")
    write_project(tmp_path, "requirements", "-c constraints.txt\n" + generated.requirements)
    assert check(tmp_path) == []


@pytest.mark.parametrize(
    "section",
    [
        'deny = [{name = "six"}]',
        'undecidable = "maybe"',
        'build-requires = "loud"',
        'index-url = "https://user:pw@example.invalid/simple"',
        "paths = 3",
        "unknown = 1",
    ],
)
def test_bad_configuration_is_refused(tmp_path: Path, section: str) -> None:
    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT + f"\n[tool.releasegate.lockfile]\n{section}\n"
    )
    done = run_cli("check", "lockfile", cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "lockfile" in done.stderr
    assert "pw@" not in done.stderr


def test_layered_lockfiles_each_compared_with_their_own_inputs(
    generated: Generated, tmp_path: Path
) -> None:
    """requirements-dev.txt includes requirements.txt; each has its own .in file."""
    from tests.lockfile_support import pip_compile

    write_project(tmp_path, "requirements", generated.requirements)
    (tmp_path / "requirements-dev.in").write_text("-r requirements.txt\nsix>=1.16\n")
    done = pip_compile(
        tmp_path,
        generated.index,
        "--generate-hashes",
        "--no-emit-index-url",
        "-o",
        "requirements-dev.txt",
        "requirements-dev.in",
    )
    assert done.returncode == 0, done.stderr
    assert check(tmp_path) == []
    (tmp_path / "requirements.in").write_text("python-dateutil>=2.8\n")
    stale = [(f.rule, f.path) for f in check(tmp_path) if f.rule == "stale-entry"]
    assert stale == [("stale-entry", "requirements.txt")]


def test_entries_of_an_included_lockfile_are_not_stale_in_the_includer(
    generated: Generated, tmp_path: Path
) -> None:
    base = f"leftover==1.0 \\\n    --hash=sha256:{'2' * 64}\n    # via -r base.in\n"
    (tmp_path / "requirements-base.txt").write_text(base)
    (tmp_path / "base.in").write_text("leftover\n")
    write_project(tmp_path, "requirements", "-r requirements-base.txt\n" + generated.requirements)
    assert check(tmp_path) == []
    (tmp_path / "base.in").write_text("six\n")  # the base lock itself is now stale
    stale = [(f.path, f.line) for f in check(tmp_path) if f.rule == "stale-entry"]
    assert stale == [("requirements-base.txt", 1)]


def test_hook_with_unrelated_changed_files_does_nothing(
    generated: Generated, tmp_path: Path
) -> None:
    write_project(tmp_path, "requirements", UNPIN["requirements"](generated.requirements))
    context = CheckContext(Project(tmp_path), CheckOptions(files=("README.md", "src/x.py")))
    assert list(run_checks(["lockfile"], context).findings()) == []
    context = CheckContext(Project(tmp_path), CheckOptions(files=("requirements.txt",)))
    assert "not-pinned" in rules(list(run_checks(["lockfile"], context).findings()))


@pytest.mark.parametrize(
    ("name", "matches"),
    [
        ("requirements.txt", True),
        ("requirements/dev.txt", False),
        ("requirements-dev.in", True),
        ("sub/requirements-test.txt", True),
        ("pylock.toml", True),
        ("pylock.dev.toml", True),
        ("uv.lock", True),
        ("poetry.lock", True),
        ("pyproject.toml", True),
        ("README.md", False),
        ("src/uv.lock.py", False),
    ],
)
def test_hook_files_pattern(name: str, matches: bool) -> None:
    import yaml

    from tests.conftest import REPO_ROOT

    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "releasegate-lockfile")
    assert hook["entry"] == "releasegate check lockfile"
    assert hook["pass_filenames"] is False
    assert bool(re.search(hook["files"], name)) is matches


def test_pylock_that_records_dependencies_finds_stale_entries(
    generated: Generated, tmp_path: Path
) -> None:
    def with_edges(text: str) -> str:
        text = re.sub(
            r'(\[\[packages\]\]\nname = "([^"]+)"\n)',
            lambda m: m.group(1) + "dependencies = []\n",
            text,
        )
        return text.replace(
            'name = "python-dateutil"\ndependencies = []',
            'name = "python-dateutil"\ndependencies = [{ name = "six" }]',
        )

    text = with_edges(generated.pylock)
    write_project(tmp_path, "pylock", text)
    assert check(tmp_path) == []
    leftover = with_edges(
        '\n[[packages]]\nname = "leftover"\nversion = "1.0"\n'
        f'wheels = [{{ url = "{LEFTOVER_WHEEL}", hashes = {{ sha256 = "{"2" * 64}" }} }}]\n'
    )
    write_project(tmp_path, "pylock", text + leftover)
    found = the(check(tmp_path), "stale-entry")
    assert (found.path, found.line) == (
        "pylock.toml",
        package_block("pylock", text + leftover, "leftover"),
    )


@pytest.mark.slow
@pytest.mark.parametrize("resolve", [False, True])
def test_compile_inputs_are_relative_to_where_pip_compile_ran(
    generated: Generated, tmp_path: Path, resolve: bool
) -> None:
    """sigstore-python compiles install/requirements.in inside install/: the header names
    ``requirements.in``, which is install/requirements.in, for the sync check and --resolve."""
    from tests.lockfile_support import pip_compile

    (tmp_path / "pyproject.toml").write_text(
        PYPROJECT + '\n[tool.releasegate.lockfile]\npaths = ["install/requirements.txt"]\n'
    )
    install = tmp_path / "install"
    install.mkdir()
    (install / "requirements.in").write_text(REQUIREMENTS_IN)
    done = pip_compile(
        install,
        generated.index,
        "--generate-hashes",
        "--no-emit-index-url",
        "--output-file=requirements.txt",
        "requirements.in",
    )
    assert done.returncode == 0, done.stderr
    if resolve:
        config = f'index-url = "{generated.index.url}"\n'
        (tmp_path / "pyproject.toml").write_text((tmp_path / "pyproject.toml").read_text() + config)
    assert [(f.rule, f.message) for f in check(tmp_path, resolve=resolve)] == []
    (install / "requirements.in").write_text(REQUIREMENTS_IN + "six<1.17\n")
    drift = the(check(tmp_path), "version-drift")
    # The hint repeats the command the header records, so the user re-locks the same way.
    assert "pip-compile --generate-hashes" in (drift.hint or "")
    assert (drift.hint or "").endswith(
        "--output-file=requirements.txt --strip-extras requirements.in"
    )


HTTPX_DEV = """\
# We're pinning our tooling, because it's an environment we can strictly control.
-e .[brotli,cli]

chardet==5.2.0
pytest==8.4.1
"""


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (HTTPX_DEV, "installs the project itself (line 2)"),
        ("pydantic<2\niniconfig==1.1.1\n", "pydantic is not pinned (line 1)"),
    ],
)
def test_requirements_input_is_not_a_lockfile(
    generated: Generated, tmp_path: Path, text: str, why: str
) -> None:
    """httpx's dev requirements.txt and spectree's requirements-legacy.txt are inputs."""
    write_project(tmp_path, "uv", generated.uv_lock)
    (tmp_path / "requirements-dev.txt").write_text(text)
    found = check(tmp_path)
    assert [f.rule for f in found if f.severity is not Severity.NOTE] == []
    note = the(found, "taken-as-input")
    assert note.path == "requirements-dev.txt"
    assert why in note.message
    assert "lockfiles checked: uv.lock" in note.message


def test_configured_requirements_file_is_a_lockfile(generated: Generated, tmp_path: Path) -> None:
    config = '\n[tool.releasegate.lockfile]\npaths = ["requirements-dev.txt"]\n'
    write_project(tmp_path, "uv", generated.uv_lock, config=config)
    (tmp_path / "requirements-dev.txt").write_text(HTTPX_DEV)
    found = check(tmp_path)
    assert "missing-hash" in rules(found)
    assert "taken-as-input" not in rules(found)
    # ``-e .[extras]`` is the project with extras, not a package named ``-[extras]``.
    assert not any("[" in f.message.split(" ", 1)[0] for f in found), found


def test_pip_compile_lock_is_still_gated(generated: Generated, tmp_path: Path) -> None:
    text = re.sub(r" \\\n\s+--hash=sha256:\w+", "", generated.requirements)
    write_project(tmp_path, "requirements", text)
    assert "missing-hash" in rules(check(tmp_path))


def test_build_requires_hint_names_the_backend_used(generated: Generated, tmp_path: Path) -> None:
    pyproject = PYPROJECT.replace('"hatchling==1.27.0"', '"flit_core >=3.2,<4"')
    write_project(tmp_path, "uv", generated.uv_lock, pyproject=pyproject)
    hint = the(check(tmp_path), "build-requires-unpinned").hint or ""
    assert "flit-core==<version>" in hint
    assert "hatchling" not in hint


# aiohttp's test locks: pytest-aiohttp pulls aiohttp itself from the index, and
# --unsafe-package=aiohttp keeps it out of the file while what it needs stays, "via aiohttp".
SELF_PULLED = """\
#
# This file is autogenerated by pip-compile with Python 3.10
# by the following command:
#
#    pip-compile {option}--output-file=requirements/test.txt requirements/test.in
#
pytest-demo==1.0
    # via -r requirements/test.in
six==1.17.0
    # via demo
"""


@pytest.mark.parametrize("option", ["--unsafe-package=demo ", "--no-emit-package demo "])
def test_the_projects_own_release_left_out_keeps_what_it_needs(tmp_path: Path, option: str) -> None:
    """pip-compile --dry-run keeps six: pytest-demo installs demo, which needs six (issue 26)."""
    (tmp_path / "pyproject.toml").write_text(PYPROJECT)
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements" / "test.in").write_text("pytest-demo\n")
    lock = tmp_path / "requirements" / "test.txt"
    lock.write_text(SELF_PULLED.format(option=option))
    assert [f.rule for f in check(tmp_path) if f.rule != "missing-hash"] == []
    # Nothing left out on purpose: six hangs from a package the lock does not hold.
    lock.write_text(SELF_PULLED.format(option=""))
    stale = [f.message.split(" ", 1)[0] for f in check(tmp_path) if f.rule == "stale-entry"]
    assert stale == ["six"]


def test_the_projects_own_version_in_uv_lock_is_compared(
    generated: Generated, tmp_path: Path
) -> None:
    """[project].version moved on without a re-lock: `uv lock --check` fails, so must we."""
    from tests.lockfile_support import uv

    assert '\nname = "demo"\nversion = "0.1.0"\nsource = { editable = "." }' in generated.uv_lock
    write_project(tmp_path, "uv", generated.uv_lock)
    assert check(tmp_path) == []
    cache = tmp_path.parent / "uv-cache-own"
    done = uv(tmp_path, generated.index, cache, "lock", "--check")
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / "pyproject.toml").write_text(
        (tmp_path / "pyproject.toml").read_text().replace('version = "0.1.0"', 'version = "0.2.0"')
    )
    done = uv(tmp_path, generated.index, cache, "lock", "--check")
    assert done.returncode != 0, done.stdout + done.stderr  # the anchor agrees
    found = the(check(tmp_path), "version-drift")
    assert found.severity is Severity.ERROR
    assert (found.path, found.line) == ("uv.lock", package_block("uv", generated.uv_lock, "demo"))
    assert "demo 0.1.0" in found.message
    assert "'0.2.0'" in found.message


def test_a_dynamic_own_version_in_uv_lock_is_said_not_compared(
    generated: Generated, tmp_path: Path
) -> None:
    dynamic = PYPROJECT.replace('version = "0.1.0"', 'dynamic = ["version"]')
    write_project(tmp_path, "uv", generated.uv_lock, pyproject=dynamic)
    found = check(tmp_path)
    assert [(f.rule, f.severity) for f in found] == [("project-version-dynamic", Severity.NOTE)]
