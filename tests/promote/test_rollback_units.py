"""Which release a rollback restores and which version it releases, on a real index's shape.

The listing is setuptools-scm's on PyPI (December 2026): 18 versions yanked, among them
9.0.0 to 9.1.1. pip's own choice for ``setuptools-scm<BAD`` is the anchor: 8.3.1 for 9.0.0
and 9.1.1, 10.2.3 for 10.3.2, 9.2.2 for 10.0.1.
"""

from __future__ import annotations

import pytest
from packaging.version import Version

from releasegate._internal.promote.rollback import _good, next_free
from releasegate._internal.promote.versions import rollforward
from releasegate._internal.simple_index import IndexFile

YANKED = {"6.1.0", "6.1.1", "6.2.0", "6.3.0", "7.0.0", "8.0.0", "8.2.1", "9.0.0", "9.0.1"}
YANKED |= {"9.0.2", "9.0.3", "9.1.0", "9.1.1", "10.0.1", "10.3.0", "10.3.1", "10.3.2"}
YANKED.add("6.1.0.dev0")
SERVED = {"6.0.1", "6.3.2", "7.1.0", "8.0.4", "8.1.0", "8.2.0", "8.3.0", "8.3.1", "9.2.0"}
SERVED |= {"9.2.1", "9.2.2", "10.0.2", "10.0.5", "10.1.2", "10.2.3", "10.3.3", "10.3.4"}
SERVED |= {"1.14.0rc1", "1.15.1rc1"}


def _listing() -> list[IndexFile]:
    files = []
    for version in sorted(YANKED | SERVED):
        for name in (
            f"setuptools_scm-{version}-py3-none-any.whl",
            f"setuptools_scm-{version}.tar.gz",
        ):
            url = f"https://files.example/{name}"
            files.append(IndexFile(name, url, None, yanked=version in YANKED))
    return files


@pytest.mark.parametrize(
    ("bad", "good", "target"),
    [
        # 9.0.1 to 9.0.3 exist (yanked): the patch after 9.0.0 is 9.0.4, not 9.0.1.
        ("9.0.0", "8.3.1", "9.0.4"),
        ("9.1.1", "8.3.1", "9.1.2"),
        ("10.3.2", "10.2.3", "10.3.5"),
        ("10.0.1", "9.2.2", "10.0.6"),
    ],
)
def test_the_good_release_is_pips_choice_and_the_new_version_is_free(
    bad: str, good: str, target: str
) -> None:
    files = _listing()
    found = _good(files, Version(bad), None)
    assert str(found) == good
    assert rollforward(good, bad, next_free(files, Version(bad))).target == target


def test_an_asked_good_version_must_be_listed_and_below_the_bad_one() -> None:
    files = _listing()
    assert _good(files, Version("9.0.0"), "7.7.7") is None
    from releasegate._internal.errors import UsageError

    with pytest.raises(UsageError, match="below the bad one"):
        rollforward("10.2.3", "9.0.0")
    with pytest.raises(UsageError, match="not above the bad version"):
        rollforward("8.3.1", "9.0.0", "9.0.0")
