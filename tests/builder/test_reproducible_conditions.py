"""The hash-seed and locale variations vary on this machine (issue 16).

This machine has only the C, C.utf8 and POSIX locales. reprotest's fr_CH.UTF-8 is not
installed here, and a locale that is not installed does not vary a build, it breaks it:
``locale.setlocale(LC_ALL, "")`` raised in the second build only, and the gate reported a build
failure. The second build now takes fr_CH.UTF-8 where it is installed, else another installed
UTF-8 locale, else POSIX.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.builder.conditions import FALLBACK_LOCALE, OTHER_LOCALE, other_locale
from releasegate._internal.builder.reproducibility import VerifyOptions, VerifyResult, verify
from tests.repro_support import conditions_project

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


def _verify(make_repo: Callable[..., GitRepo], *vary: str) -> VerifyResult:
    repo = make_repo(conditions_project())
    options = VerifyOptions(isolated=False, vary=frozenset(vary), from_sdist=False)
    return verify(repo.root, options)


def _differing_members(result: VerifyResult) -> str:
    return " ".join(f.message for f in result.findings if f.rule == "content")


def test_the_hash_seed_variation_is_caught(make_repo: Callable[..., GitRepo]) -> None:
    result = _verify(make_repo, "hashseed")
    assert {v.kind: v.reproducible for v in result.verdicts} == {"sdist": True, "wheel": False}
    assert "demo_conditions/words.txt" in _differing_members(result)
    assert "demo_conditions/locale.txt" not in _differing_members(result)
    assert any("PYTHONHASHSEED=0 vs 1" in said for said in result.conditions)


def test_the_locale_variation_is_caught_not_a_build_failure(
    make_repo: Callable[..., GitRepo],
) -> None:
    result = _verify(make_repo, "locale")
    rules = {f.rule for f in result.findings}
    assert "build-failed" not in rules
    assert {v.kind: v.reproducible for v in result.verdicts} == {"sdist": True, "wheel": False}
    assert "demo_conditions/locale.txt" in _differing_members(result)
    assert "demo_conditions/words.txt" not in _differing_members(result)
    assert any(f"LANG=C.UTF-8 vs LANG={other_locale()}" in s for s in result.conditions)


def test_neither_varies_without_its_variation(make_repo: Callable[..., GitRepo]) -> None:
    result = _verify(make_repo, "path", "umask", "tz")
    assert result.reproducible, [f.message for f in result.findings]


def test_the_other_locale_is_installed_here() -> None:
    import subprocess

    installed = {
        n.lower().replace("-", "")
        for n in subprocess.run(
            ["locale", "-a"], capture_output=True, text=True, check=False
        ).stdout.split()
    }
    chosen = other_locale()
    assert chosen == FALLBACK_LOCALE or chosen.lower().replace("-", "") in installed
    if OTHER_LOCALE.lower().replace("-", "") in installed:
        assert chosen.lower().replace("-", "") == OTHER_LOCALE.lower().replace("-", "")


def test_a_machine_without_another_locale_says_the_locale_was_not_varied(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from releasegate._internal.builder.conditions import describe, pair

    first, second = pair(tmp_path, frozenset({"locale"}))
    said = describe(first, replace(second, locale=FALLBACK_LOCALE))
    assert any(s.startswith("locale not varied") for s in said), said
    assert not any(s.startswith("LANG=") for s in said)
    if second.locale != FALLBACK_LOCALE:  # CI installs fr_CH.UTF-8 (.ci/run): varied for real
        assert f"LANG=C.UTF-8 vs LANG={second.locale}" in describe(first, second)
