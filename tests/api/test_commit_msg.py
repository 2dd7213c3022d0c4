"""``releasegate commit-msg``: Conventional Commits validation, and the impact of a message."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.api.bumps import Impact
from releasegate._internal.api.commits import clean, impact, problems
from releasegate._internal.schema import config_schema
from tests.conftest import run_cli

if TYPE_CHECKING:
    from pathlib import Path

# The default types, from the schema (the one source of defaults).
COMMIT_TYPES: tuple[str, ...] = tuple(
    config_schema()["properties"]["api"]["properties"]["commit-types"]["default"]
)

GOOD = [
    "feat: add the api gate",
    "fix(cli): exit 2 on a bad flag\n\nThe flag was ignored.",
    "feat(api)!: drop Python 3.9",
    "refactor: split modules\n\nBREAKING CHANGE: shapes.core is private now",
    "Merge branch 'main' into topic",
    'Revert "feat: add the api gate"',
    "fixup! feat: add the api gate",
]
BAD = {
    "Added the api gate": "is not a Conventional Commit",
    "feature: add the api gate": "commit type 'feature' is not allowed",
    "feat(): add x": "the scope is empty",
    "feat: ": "the description is empty",
    "feat: add x\nmore text": "must be followed by a blank line",
    "": "the commit message is empty",
    "feat: " + "x" * 120: "characters long",
}


@pytest.mark.parametrize("message", GOOD)
def test_conventional_messages_pass(message: str) -> None:
    assert list(problems(message, COMMIT_TYPES)) == []


@pytest.mark.parametrize(("message", "expected"), list(BAD.items()))
def test_other_messages_fail_with_a_reason(message: str, expected: str) -> None:
    found = [text for _, text, _ in problems(message, COMMIT_TYPES)]
    assert any(expected in text for text in found), found


def test_comments_and_everything_below_the_scissors_are_ignored() -> None:
    message = (
        "feat: add x\n\n# Please enter the commit message\n"
        "# ------------------------ >8 ------------------------\ndiff --git a/x b/x\n"
    )
    assert clean(message) == "feat: add x"
    assert list(problems(clean("# only a comment\n"), COMMIT_TYPES))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("feat: x", Impact.ADDITION),
        ("feat!: x", Impact.BREAKING),
        ("fix(core)!: x", Impact.BREAKING),
        ("fix: x\n\nBREAKING CHANGE: y", Impact.BREAKING),
        ("chore: x\n\nBREAKING-CHANGE: y", Impact.BREAKING),
        ("fix: x", Impact.FIX),
        ("docs: x", Impact.FIX),
        ("Update README", None),
    ],
)
def test_impact_of_a_message(message: str, expected: Impact | None) -> None:
    assert impact(message) is expected


def test_cli_exit_codes_and_location(tmp_path: Path) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    good.write_text("feat(api): add the gate\n", encoding="utf-8")
    bad.write_text("wip\n", encoding="utf-8")
    assert run_cli("commit-msg", str(good), cwd=tmp_path).returncode == 0
    result = run_cli("commit-msg", str(bad), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{bad}:1:" in result.stdout
    assert "not a Conventional Commit" in result.stdout


def test_configured_types_are_honoured(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "1.0.0"\n\n'
        '[tool.releasegate.api]\ncommit-types = ["feat", "wip"]\n',
        encoding="utf-8",
    )
    message = tmp_path / "msg"
    message.write_text("wip: halfway\n", encoding="utf-8")
    assert run_cli("commit-msg", str(message), cwd=tmp_path).returncode == 0
    message.write_text("fix: halfway\n", encoding="utf-8")
    assert run_cli("commit-msg", str(message), cwd=tmp_path).returncode == 1


def test_unreadable_message_file_is_an_error(tmp_path: Path) -> None:
    result = run_cli("commit-msg", str(tmp_path / "missing"), cwd=tmp_path)
    assert result.returncode == 1
    assert "cannot read the commit message" in result.stderr


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_problems_or_none_never_a_crash(text: str) -> None:
    cleaned = clean(text)
    found = list(problems(cleaned, COMMIT_TYPES))
    assert all(line >= 1 and message for line, message, _ in found)
    impact(cleaned)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(COMMIT_TYPES),
    st.one_of(st.none(), st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)),
    st.booleans(),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.-]{0,60}", fullmatch=True),
)
def test_every_well_formed_header_passes(
    kind: str, scope: str | None, bang: bool, text: str
) -> None:
    header = f"{kind}{f'({scope})' if scope else ''}{'!' if bang else ''}: {text}"
    assert list(problems(header, COMMIT_TYPES)) == []
    expected = Impact.BREAKING if bang else Impact.ADDITION if kind == "feat" else Impact.FIX
    assert impact(header) is expected
