"""Removing what the base release deprecated: one finding under strict SemVer, a minor
release under ``policy = "deprecate-then-remove"`` (issue 28)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.api_support import errors, gate, release_pair

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

POLICY = '\n[tool.releasegate.api]\npolicy = "deprecate-then-remove"\n'

# Each way a release deprecates something, as Pallets, urllib3 and anyio do it.
DEPRECATED = """\
import warnings

from typing_extensions import deprecated


@deprecated("use new_api")
def marked() -> None: ...


def warned() -> None:
    warnings.warn("warned is deprecated", DeprecationWarning, stacklevel=2)


def pending() -> None:
    warnings.warn("going away", category=PendingDeprecationWarning)


class OldSerializer:
    def __init__(self) -> None:
        warnings.warn("JWS support is deprecated", FutureWarning, stacklevel=2)


class TimedOldSerializer(OldSerializer):
    def __init__(self, max_age: int = 0) -> None:
        super().__init__()


def freeze(no_etag: bool | None = None) -> None:
    if no_etag is not None:
        warnings.warn("The 'no_etag' parameter is deprecated", DeprecationWarning)


def kept() -> None: ...
"""
REMOVED = "def freeze() -> None: ...\n\n\ndef kept() -> None: ...\n"
NAMES = (
    "demo.marked",
    "demo.warned",
    "demo.pending",
    "demo.OldSerializer",
    "demo.TimedOldSerializer",
    "demo.freeze(no_etag)",
)


def test_strict_policy_folds_every_deprecated_removal_into_one_finding(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = release_pair(
        make_repo,
        {"demo.py": DEPRECATED + "\n\ndef plain() -> None: ...\n"},
        {"demo.py": REMOVED},
        "1.1.0",
    )
    found = errors(gate(repo, release=True))
    assert sorted(f.rule for f in found) == ["deprecated-removed", "object-removed"]
    folded = next(f for f in found if f.rule == "deprecated-removed")
    assert folded.message.startswith(f"{len(NAMES)} deprecated object(s) removed")
    assert all(name in folded.message for name in NAMES), folded.message
    assert 'policy = "deprecate-then-remove"' in (folded.hint or "")
    plain = next(f for f in found if f.rule == "object-removed")
    assert plain.message.startswith("demo.plain:")


def test_deprecate_then_remove_allows_deprecated_removals_in_a_minor(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = release_pair(
        make_repo, {"demo.py": DEPRECATED}, {"demo.py": REMOVED}, "1.1.0", tool=POLICY
    )
    assert errors(gate(repo, release=True)) == []


def test_deprecate_then_remove_still_needs_a_major_for_what_was_not_deprecated(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = release_pair(
        make_repo,
        {"demo.py": DEPRECATED + "\n\ndef plain() -> None: ...\n"},
        {"demo.py": REMOVED},
        "1.1.0",
        tool=POLICY,
    )
    found = errors(gate(repo, release=True))
    assert [(f.rule, f.message.split(":")[0]) for f in found] == [("object-removed", "demo.plain")]


def test_deprecate_then_remove_is_not_a_patch(make_repo: Callable[..., GitRepo]) -> None:
    repo = release_pair(
        make_repo, {"demo.py": DEPRECATED}, {"demo.py": REMOVED}, "1.0.1", tool=POLICY
    )
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["deprecated-removed"]
    assert "need a minor bump" in found[0].message


def test_a_module_whose_every_object_is_deprecated_is_deprecated(
    make_repo: Callable[..., GitRepo],
) -> None:
    """itsdangerous 2.1.0 removed the jws module, whose serializers warned since 2.0."""
    jws = (
        "import warnings\n\n\nclass JSONWebSignatureSerializer:\n"
        "    def __init__(self) -> None:\n"
        "        warnings.warn('JWS support is deprecated', DeprecationWarning)\n"
    )
    before = {"demo/__init__.py": "", "demo/jws.py": jws, "demo/core.py": "X = 1\n"}
    after = {"demo/__init__.py": "", "demo/core.py": "X = 1\n"}
    repo = release_pair(make_repo, before, after, "1.1.0", tool=POLICY)
    assert errors(gate(repo, release=True)) == []


def test_a_logged_deprecation_counts(make_repo: Callable[..., GitRepo]) -> None:
    """werkzeug 2.0's ``python -m werkzeug.serving`` CLI said so through its logger."""
    before = {"demo.py": 'def main() -> None:\n    _log("warning", "This CLI is deprecated.")\n'}
    repo = release_pair(make_repo, before, {"demo.py": "X = 1\n"}, "1.1.0", tool=POLICY)
    assert errors(gate(repo, release=True)) == []


@pytest.mark.parametrize("policy", ["strict", "deprecate-then-remove"])
def test_the_policy_is_a_known_setting(make_repo: Callable[..., GitRepo], policy: str) -> None:
    tool = f'\n[tool.releasegate.api]\npolicy = "{policy}"\n'
    repo = release_pair(make_repo, {"demo.py": "X = 1\n"}, {"demo.py": "X = 1\n"}, tool=tool)
    assert gate(repo, release=True) == []


def test_an_unknown_policy_is_a_configuration_error(make_repo: Callable[..., GitRepo]) -> None:
    from tests.conftest import run_cli

    tool = '\n[tool.releasegate.api]\npolicy = "lenient"\n'
    repo = release_pair(make_repo, {"demo.py": "X = 1\n"}, {"demo.py": "X = 1\n"}, tool=tool)
    result = run_cli("check", "api", cwd=repo.root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "policy" in result.stderr + result.stdout


def test_another_name_for_a_deprecated_class_is_deprecated(
    make_repo: Callable[..., GitRepo],
) -> None:
    """jinja 3.1.0 removed ``ext.with_ = WithExtension``, deprecated in 3.0."""
    before = {
        "demo.py": "import warnings\n\n\nclass WithExtension:\n    def __init__(self) -> None:\n"
        "        warnings.warn('The with extension is deprecated', DeprecationWarning)\n\n\n"
        "with_ = WithExtension\n"
    }
    repo = release_pair(make_repo, before, {"demo.py": "X = 1\n"}, "1.1.0")
    found = errors(gate(repo, release=True))
    assert [f.rule for f in found] == ["deprecated-removed"], [f.message for f in found]
    assert "demo.with_" in found[0].message


def test_a_documented_deprecation_counts(make_repo: Callable[..., GitRepo]) -> None:
    """blinker 1.7's global ``receiver_connected = Signal('''... .. deprecated:: 1.2 ...''')``."""
    before = {
        "demo.py": "class Signal:\n    def __init__(self, doc: str) -> None: ...\n\n\n"
        'receiver_connected = Signal("""Sent on connect.\n\n.. deprecated:: 1.2\n""")\n\n\n'
        "def old() -> None:\n"
        '    """Do it.\n\n    .. deprecated:: 1.5\n        Use new.\n    """\n'
    }
    after = {"demo.py": "class Signal:\n    def __init__(self, doc: str) -> None: ...\n"}
    repo = release_pair(make_repo, before, after, "1.1.0", tool=POLICY)
    assert errors(gate(repo, release=True)) == []
