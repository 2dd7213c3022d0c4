"""The metadata rules in process: every schema error in one run, agreement with
validate-pyproject, field rules, readme rendering, and fuzzing that never crashes."""

from __future__ import annotations

import json
import string
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.checks import metadata as gate
from releasegate._internal.checks.base import CheckContext
from releasegate._internal.errors import ConfigError
from releasegate._internal.metadata import projectschema, rules, spdx
from releasegate._internal.project import Project

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from releasegate._internal.findings import Finding


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))


def run_gate(root: Path, text: str, files: dict[str, str] | None = None) -> list[Finding]:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    for name, content in (files or {}).items():
        (root / name).write_text(content, encoding="utf-8")
    return list(gate.run(CheckContext(Project(root))))


BROKEN = """\
[project]
name = "not valid!"
version = "one"
description = 5
requires-python = ">=3.10,<"
license = "mit"
authors = [{ name = "A", email = "no-at-sign" }, { nam = "typo" }]
classifiers = ["Programming Language :: Pythn", "Natural Language :: Ukranian"]
dependencies = ["requests >= 2 ;; junk"]
urls = { Home = "example.org" }
"""


def test_every_error_in_one_run_with_lines(tmp_path: Path) -> None:
    found = {(f.rule, f.line) for f in run_gate(tmp_path, BROKEN)}
    assert ("schema", 2) in found  # name
    assert ("schema", 3) in found  # version
    assert ("schema", 4) in found  # description type
    assert ("schema", 7) in found  # author email, and the author with neither name nor email
    assert ("schema", 9) in found  # dependency
    assert ("requires-python-invalid", 5) in found
    assert ("license-not-canonical", 6) in found
    assert ("classifier-unknown", 8) in found
    assert ("classifier-deprecated", 8) in found
    assert ("url-invalid", 10) in found
    assert ("missing-field", 1) in found  # readme is missing


def test_canonical_license_hint_and_classifier_suggestions(tmp_path: Path) -> None:
    by_rule = {f.rule: f for f in run_gate(tmp_path, BROKEN)}
    assert by_rule["license-not-canonical"].hint == 'write license = "MIT"'
    assert "Natural Language :: Ukrainian" in str(by_rule["classifier-deprecated"].hint)
    assert "Programming Language :: Python" in str(by_rule["classifier-unknown"].hint)


VALIDATE_PYPROJECT_CASES = [
    {"name": "ok", "version": "1.0"},
    {"name": "ok", "dynamic": ["version"]},
    {"name": "bad name!", "version": "1.0"},
    {"name": "ok"},
    {"name": "ok", "version": "1.0", "description": 3},
    {"name": "ok", "version": "1.0", "authors": [{"name": "x", "email": "x@example.org"}]},
    {"name": "ok", "version": "1.0", "authors": [{"nam": "x"}]},
    {
        "name": "ok",
        "version": "1.0",
        "dependencies": ["requests>=2", "x[extra]; python_version<'3.12'"],
    },
    {"name": "ok", "version": "1.0", "dependencies": ["requests>>2"]},
    {"name": "ok", "version": "1.0", "optional-dependencies": {"test": ["pytest"]}},
    {"name": "ok", "version": "1.0", "optional-dependencies": {"te st": ["pytest"]}},
    {"name": "ok", "version": "1.0", "readme": {"file": "R.md", "content-type": "text/markdown"}},
    {"name": "ok", "version": "1.0", "readme": {"file": "R.md"}},
    {"name": "ok", "version": "1.0", "license": {"text": "MIT"}, "license-files": ["L"]},
    {"name": "ok", "version": "1.0", "scripts": {"demo": "demo.cli:main"}},
    {"name": "ok", "version": "1.0", "scripts": {"demo": "demo cli"}},
    {"name": "ok", "version": "1.0", "entry-points": {"g.x": {"n": "a.b:c"}}},
    {"name": "ok", "version": "1.0", "unknown-key": 1},
    {"name": "ok", "version": "1.0", "keywords": "not-a-list"},
]


@pytest.mark.parametrize("project", VALIDATE_PYPROJECT_CASES)
def test_agrees_with_validate_pyproject(project: dict[str, Any]) -> None:
    from validate_pyproject import api, errors

    data = {
        "build-system": {"requires": ["hatchling"], "build-backend": "hatchling.build"},
        "project": project,
    }
    try:
        api.Validator(plugins=[])(data)
        theirs = True
    except errors.ValidationError:
        theirs = False
    assert (not projectschema.validate(data)) == theirs


def test_required_fields_follow_config(tmp_path: Path) -> None:
    text = (
        '[project]\nname = "x"\nversion = "1"\n'
        '[tool.releasegate.metadata]\nrequired = ["keywords"]\n'
    )
    assert [(f.rule, f.message) for f in run_gate(tmp_path, text)] == [
        ("missing-field", "[project] has no keywords")
    ]
    dynamic = text.replace('version = "1"', 'version = "1"\ndynamic = ["keywords"]')
    assert run_gate(tmp_path / "dynamic", dynamic) == []


GOOD_HEAD = (
    '[project]\nname = "x"\nversion = "1"\ndescription = "d"\nrequires-python = ">=3.10"\n'
    'license = "MIT"\nauthors = [{name = "A"}]\nurls = {Home = "https://example.org"}\n'
)


def test_rst_readme_that_does_not_render_points_at_its_line(tmp_path: Path) -> None:
    readme = "Title\n=====\n\nSome *unclosed emphasis\n"
    found = run_gate(tmp_path, GOOD_HEAD + 'readme = "README.rst"\n', {"README.rst": readme})
    assert [(f.rule, f.path, f.line) for f in found] == [("readme-render", "README.rst", 4)]
    # The verdict is cached by content: the same text gives the same answer from the cache.
    assert [
        (f.rule, f.line) for f in run_gate(tmp_path, GOOD_HEAD + 'readme = "README.rst"\n')
    ] == [("readme-render", 4)]
    (tmp_path / "README.rst").write_text("Title\n=====\n\nFine *now*.\n", encoding="utf-8")
    assert run_gate(tmp_path, GOOD_HEAD + 'readme = "README.rst"\n') == []


def test_missing_readme_and_unknown_content_type(tmp_path: Path) -> None:
    found = run_gate(tmp_path, GOOD_HEAD + 'readme = "README.md"\n')
    assert [(f.rule, f.line) for f in found] == [("readme-missing", 9)]
    found = run_gate(
        tmp_path / "b", GOOD_HEAD + 'readme = {text = "x", content-type = "text/html"}\n'
    )
    assert [f.rule for f in found] == ["readme-render"]


def test_text_verdict_cache_is_used_and_keyed_by_text(tmp_path: Path) -> None:
    data = {"project": {"name": "x", "version": "1", "license": "mit"}}
    first = rules.cached_text_problems("A", data)
    assert [p.rule for p in first] == ["license-not-canonical"]
    # Same text -> the cached verdict although the data differs: the cache answered.
    assert rules.cached_text_problems("A", {"project": {"name": "x", "version": "1"}}) == first
    assert rules.cached_text_problems("B", {"project": {"name": "x", "version": "1"}}) == []


@pytest.mark.parametrize(
    ("declared", "used", "ok"),
    [
        ("MIT", "MIT", True),
        ("MIT", "GPL-3.0-only", False),
        ("MIT", "MIT OR GPL-3.0-only", True),
        ("MIT AND BSD-3-Clause", "BSD-3-Clause", True),
        ("MIT", "MIT AND BSD-3-Clause", False),
        ("Apache-2.0 OR MIT", "(MIT)", True),
        (
            "GPL-2.0-only WITH Classpath-exception-2.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            True,
        ),
    ],
)
def test_license_coverage(declared: str, used: str, ok: bool) -> None:
    assert spdx.covered(declared, used) is ok


# --- fuzz: arbitrary pyproject.toml contents never crash -------------------------------------

KEYS = [
    "name",
    "version",
    "description",
    "readme",
    "requires-python",
    "license",
    "license-files",
    "authors",
    "maintainers",
    "keywords",
    "classifiers",
    "urls",
    "scripts",
    "gui-scripts",
    "entry-points",
    "dependencies",
    "optional-dependencies",
    "dynamic",
    "import-names",
]
_scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "MIT",
            "mit or x",
            "../L",
            "/abs",
            "*",
            "README.md",
            "a.rst",
            ">=3",
            "https://x.org",
            "License :: OSI Approved :: MIT License",
            "[",
            "**",
            "a/**/b",
            "LICEN?E",
            "C:/x",
            "text/x-rst",
            "",
        ]
    ),
    st.integers(-5, 5),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["file", "text", "content-type", "name", "email", "x", "Home"])
            | st.text(max_size=5),
            inner,
            max_size=3,
        )
    ),
    max_leaves=8,
)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def never_crashes(root: Path, text: str) -> Iterator[Finding]:
    try:
        yield from run_gate(root, text)
    except ConfigError:
        return


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(KEYS) | st.text(string.ascii_lowercase + "-", min_size=1, max_size=8),
        _values,
        max_size=6,
    )
)
def test_fuzz_project_tables_give_findings_not_crashes(
    tmp_path: Path, project: dict[str, object]
) -> None:
    text = "[project]\n" + "".join(
        f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in project.items()
    )
    for finding in never_crashes(tmp_path / "fuzz", text):
        assert finding.check == "metadata"
        assert finding.message


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text_gives_findings_or_config_error(tmp_path: Path, text: str) -> None:
    for finding in never_crashes(tmp_path / "text", text):
        assert finding.check == "metadata"
