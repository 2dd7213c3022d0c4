"""Yank marks as each registry kind writes and reads them, and the mirrors' comparison."""

from __future__ import annotations

import pytest

from releasegate._internal import simple_index
from releasegate._internal.publish.mirrors import Served, compare_yanks
from releasegate._internal.publish.registries.directory import render_json, render_page
from releasegate._internal.publish.registries.github_release import yank_block, yank_state
from releasegate._internal.publish.settings import Kind, RegistrySpec
from releasegate._internal.publish.yank import Method, in_effect, manual_step, method_of

WHEEL = "rgdemo-1.4.1-py3-none-any.whl"


def _spec(kind: Kind, url: str, yank_url: str | None = None) -> RegistrySpec:
    return RegistrySpec("r", kind, url, True, False, "v{version}", yank_url=yank_url)


def test_how_each_registry_yanks() -> None:
    assert method_of(_spec(Kind.DIRECTORY, "idx")) == (Method.API, None)
    assert method_of(_spec(Kind.GITHUB_RELEASE, "https://api.github.com")) == (Method.API, None)
    pypi = method_of(_spec(Kind.PYPI, "https://upload.pypi.org/legacy/"))
    assert pypi == (Method.MANUAL, "https://pypi.org/manage/project/{project}/releases/")
    test = method_of(_spec(Kind.PYPI, "https://test.pypi.org/legacy/"))
    assert test[1] == "https://test.pypi.org/manage/project/{project}/releases/"
    assert method_of(_spec(Kind.PYPI, "http://127.0.0.1:3141/u/dev/")) == (Method.NONE, None)
    own = method_of(_spec(Kind.PYPI, "http://x/", "https://x/{project}/{version}"))
    assert own == (Method.MANUAL, "https://x/{project}/{version}")
    step = manual_step(pypi[1] or "", "rgdemo", "1.4.1", "broken")
    assert step == (
        "open https://pypi.org/manage/project/rgdemo/releases/, "
        "Options beside 1.4.1 -> Yank, reason: 'broken', and confirm"
    )


def test_in_effect_needs_every_file_with_the_very_reason() -> None:
    assert in_effect({"a": "r", "b": "r"}, "r")
    assert not in_effect({"a": "r", "b": None}, "r")
    assert not in_effect({"a": "", "b": "r"}, "r")  # the mark without the reason
    assert in_effect({"a": None}, None)
    assert not in_effect({"a": ""}, None)


@pytest.mark.parametrize("reason", ["broken", 'a "quoted" <reason> & more', ""])
def test_the_directory_page_round_trips_the_mark_in_both_forms(reason: str) -> None:
    links = {WHEEL: f"{WHEEL}#sha256={'a' * 64}", "other-1.0.tar.gz": "other-1.0.tar.gz"}
    html = simple_index.parse_html(render_page("t", links, {WHEEL: reason}).encode(), "file:///x/")
    data = simple_index.parse_json(
        render_json("rgdemo", links, {WHEEL: reason}).encode(), "file:///x/"
    )
    for files in (html, data):
        marks = {f.filename: (f.yanked, f.yanked_reason) for f in files}
        assert marks == {WHEEL: (True, reason or None), "other-1.0.tar.gz": (False, None)}


def test_a_pep_691_yank_without_a_reason_is_true() -> None:
    body = b'{"files": [{"filename": "a-1.0.tar.gz", "url": "a-1.0.tar.gz", "hashes": {}, "yanked": true}]}'
    (entry,) = simple_index.parse_json(body, "https://x/")
    assert (entry.yanked, entry.yanked_reason) == (True, None)


def test_the_github_mark_needs_title_notes_and_flag() -> None:
    body = yank_block("bad\nrelease", was_prerelease=False) + "notes"
    assert body.startswith("> [!WARNING]\n> **Yanked**: bad release\n")
    assert yank_state("[yanked] v1.4.1", body, prerelease=True) == "bad release"
    assert yank_state("v1.4.1", body, prerelease=True) is None  # title edited back by hand
    assert yank_state("[yanked] v1.4.1", body, prerelease=False) is None
    assert yank_state("[yanked] v1.4.1", "notes", prerelease=True) is None
    assert yank_state("[yanked] v1", yank_block("", was_prerelease=True), prerelease=True) == ""


def _served(name: str, state: str | None) -> Served:
    return Served(name, {WHEEL: "a" * 64}, yanked={WHEEL: state})


def test_mirrors_agree_on_the_mark_and_its_reason() -> None:
    assert compare_yanks([_served("a", "broken"), _served("b", "broken")]) == []
    assert compare_yanks([_served("a", None), _served("b", None)]) == []
    (missing,) = compare_yanks([_served("a", "broken"), _served("b", None)])
    assert missing.rule == "yank-missing"
    assert missing.message.startswith("b: serves rgdemo-1.4.1-py3-none-any.whl without")
    # The mirror that lost the reason is the odd one, not the one that kept it.
    (bare,) = compare_yanks([_served("a", "broken"), _served("b", "")])
    assert bare.rule == "yank-reason"
    assert bare.message.startswith("b: ")
    # An unreachable registry is reported as such, not as lacking the mark.
    assert compare_yanks([_served("a", "broken"), Served("b", None, "down")]) == []


def test_a_hostile_reason_stays_text_in_the_job_summary() -> None:
    from releasegate._internal.cli.verify_mirrors import summary_table

    table = summary_table([("idx", WHEEL, "yanked: @octocat <img src=x> | [a](http://x)\nrow")])
    line = next(row for row in table.splitlines() if row.startswith("| idx"))
    assert line.count(" | ") == 2  # the reason's | did not make a fourth column
    assert "<img" not in line
    assert "@octocat" not in line  # no mention notifies anyone
    assert line.endswith("row |")  # the reason's newline did not end the row
