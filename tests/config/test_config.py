from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.config import load
from releasegate._internal.errors import ConfigError
from releasegate._internal.project import Project
from releasegate._internal.schema import config_schema
from releasegate._internal.schemacheck import validate

if TYPE_CHECKING:
    from pathlib import Path


def write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def test_no_configuration_gives_defaults(tmp_path: Path) -> None:
    config = load(tmp_path)
    assert config.source is None
    assert config.section("semver")["tag-format"] == "auto"
    assert config.value("fail-on") == "error"


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.releasegate]\nfail-on = "never"\nchekcs = ["semver"]\n'
        "[tool.releasegate.semver]\ntag-formt = 'v{version}'\nrequire-bump = 'yes'\n",
    )
    with pytest.raises(ConfigError) as raised:
        Project(tmp_path)
    problems = raised.value.problems
    assert len(problems) == 4
    assert (
        "pyproject.toml:5: tool.releasegate.fail-on: expected one of 'error', 'warning'"
        in problems[0]
    )
    assert "pyproject.toml:6" in problems[1]
    assert "did you mean 'checks'" in problems[1]
    assert "pyproject.toml:8" in problems[2]
    assert "did you mean 'tag-format'" in problems[2]
    assert "pyproject.toml:9: tool.releasegate.semver.require-bump: expected boolean" in problems[3]


def test_releasegate_toml_wins_over_pyproject(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.releasegate]\nfail-on = 'warning'\n")
    write(tmp_path, "releasegate.toml", "fail-on = 'error'\n[semver]\ntag-format = 'r{version}'\n")
    project = Project(tmp_path)
    assert project.config.value("fail-on") == "error"
    assert project.config.section("semver")["tag-format"] == "r{version}"
    assert project.config.source == "releasegate.toml"


def test_releasegate_toml_problems_name_that_file(tmp_path: Path) -> None:
    write(tmp_path, "releasegate.toml", "\n[semver]\nlabels = []\n")
    with pytest.raises(ConfigError) as raised:
        Project(tmp_path)
    assert raised.value.problems == ["releasegate.toml:3: semver.labels: needs at least 1 item(s)"]


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\nversion = \n')
    with pytest.raises(ConfigError) as raised:
        Project(tmp_path)
    assert raised.value.problems[0].startswith("pyproject.toml:3: not valid TOML")


def test_non_utf8_pyproject_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "\xff"\n')
    with pytest.raises(ConfigError) as raised:
        Project(tmp_path)
    assert "pyproject.toml:2: not valid UTF-8" in raised.value.problems[0]


def test_shipped_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(config_schema())


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
_keys = st.sampled_from(["checks", "skip", "fail-on", "severity", "semver", "unknown"])
_section_keys = st.sampled_from(
    ["tag-format", "labels", "require-bump", "version-files", "tag-form", "x"]
)
_configs = st.dictionaries(
    _keys, _json | st.dictionaries(_section_keys, _json, max_size=4), max_size=5
)


@pytest.mark.slow  # over 1 s: 300 examples
@settings(max_examples=300, deadline=None)
@given(_configs)
def test_small_validator_agrees_with_jsonschema(config: dict[str, Any]) -> None:
    ours = validate(config, config_schema())
    reference = list(jsonschema.Draft202012Validator(config_schema()).iter_errors(config))
    assert bool(ours) == bool(reference), (ours, [e.message for e in reference])


def test_rejected_values_never_show_url_credentials(tmp_path: Path) -> None:
    write(
        tmp_path,
        "releasegate.toml",
        '[semver]\ntag-form = "https://user:s3cret@example.invalid/x"\n'
        'tag-format = ["https://token@example.invalid/simple"]\n',
    )
    with pytest.raises(ConfigError) as raised:
        Project(tmp_path)
    text = "\n".join(raised.value.problems)
    assert "s3cret" not in text
    assert "token@" not in text
    assert "https://***@example.invalid" in text
