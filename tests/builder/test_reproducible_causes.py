"""Each cause of a content difference is its own rule with its own fix (issue 31).

Real builds of small planted projects: a hatchling build hook writes one file into the wheel,
and what it writes changes with the clock, a random generator, the build path, the directory
listing order or the locale. ``build --verify`` must fail on each with that cause's hint, never
"pin the backend" (both builds share one) nor "the sdist misses a file" (the build itself varies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.builder.causes import classify
from releasegate._internal.builder.conditions import FALLBACK_LOCALE, other_locale
from releasegate._internal.builder.diff import HINTS
from releasegate._internal.builder.reproducibility import VerifyOptions, verify
from tests.repro_support import project_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo


@pytest.mark.parametrize(
    ("first", "second", "cause"),
    [
        ("built = '2026-12-06 21:18:02'\n", "built = '2026-12-07 22:19:03'\n", "build-time"),
        ("stamp = 1796591390.0939\n", "stamp = 1796591391.2\n", "build-time"),
        ("ID = 'b5a3c1e2f0d94f6e8a7b6c5d4e3f2a1b'\n", "ID = '0f1e2d3c4b5a6978'\n", "random-value"),
        ("root = '/tmp/v/a/src'\n", "root = '/tmp/v/b/a-longer/src'\n", "build-path"),
        ("one\ntwo\nthree\nfour\n", "four\nthree\ntwo\none\n", "listing-order"),
        ("A1\nB2\na\nb\nc\n", "a\nA1\nb\nB2\nc\n", "locale-sort"),
        ("x = ['A1', 'B2', 'a', 'b']\n", "x = ['a', 'A1', 'b', 'B2']\n", "locale-sort"),
        ("{'k', 'j', 'x', 'y'}\n", "{'x', 'k', 'y', 'j'}\n", "unordered-output"),
        # A version from VCS or an edited sentence is no build condition: the generic class.
        ("version = '1.0'\n", "version = '1.1.dev3'\n", None),
        ("hello world\n", "goodbye world\n", None),
        ("a\nb\n", "a\nb\nc\n", None),
        ("some_identifier_name\n", "another_identifier_x\n", None),
    ],
)
def test_classify(first: str, second: str, cause: str | None) -> None:
    assert classify(first, second) == cause


_HOOK = """\
import locale
import os
import time
import uuid
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def write(root):
    data = Path(root, "src", "demo_hatchling", "data")
{body}


class CustomHook(BuildHookInterface):
    def initialize(self, version, build_data):
        target = Path(self.root, "generated.txt")
        target.write_text(write(self.root) + "\\n", encoding="utf-8")
        build_data["force_include"][str(target)] = "demo_hatchling/generated.txt"
"""

_PLANTED = {
    "build-time": "    return time.strftime('%Y-%m-%d %H:%M:%S') + ' ' + repr(time.time())",
    "random-value": "    return uuid.uuid4().hex",
    "build-path": "    return 'ROOT = ' + repr(str(Path(root).resolve()))",
    "listing-order": "    return '\\n'.join(os.listdir(data))",
    "locale-sort": (
        "    locale.setlocale(locale.LC_ALL, '')\n"
        "    return '\\n'.join(sorted(['b', 'B2', 'a', 'A1', 'c'], key=locale.strxfrm))"
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("cause", sorted(_PLANTED))
def test_verify_names_the_planted_cause(make_repo: Callable[..., GitRepo], cause: str) -> None:
    if cause == "locale-sort" and other_locale() == FALLBACK_LOCALE:
        pytest.skip("no second locale is installed (.ci/run installs fr_CH.UTF-8)")
    files = project_files(
        "hatchling", extra_toml="\n[tool.hatch.build.targets.wheel.hooks.custom]\n"
    )
    files["hatch_build.py"] = _HOOK.format(body=_PLANTED[cause])
    for name in ("alpha", "beta", "gamma", "delta", "epsilon"):
        files[f"src/demo_hatchling/data/{name}.txt"] = f"{name}\n"
    repo = make_repo(files, name=cause)
    result = verify(repo.root, VerifyOptions(isolated=False))
    assert not result.reproducible
    wheel = [f for f in result.problems if f.message.startswith("wheel ")]
    causes = [f for f in wheel if "generated.txt" in f.message]
    assert causes, [f.message for f in result.problems]
    assert {f.rule for f in causes} == {cause}
    assert all(f.hint == HINTS[cause] for f in causes)
    for finding in result.problems:
        assert "pin the backend" not in (finding.hint or ""), finding
        assert "sdist misses" not in (finding.hint or ""), finding
    assert not any(f.rule == "content" for f in wheel)  # RECORD follows, it is no cause
