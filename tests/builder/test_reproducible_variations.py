"""The second build's variations really vary, on this machine's own filesystem (issue 16)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from releasegate._internal.archives import read_archive
from releasegate._internal.builder.diff import Comparison, explain
from releasegate._internal.builder.pep517 import build_dists
from releasegate._internal.builder.reproducibility import VerifyOptions, verify
from tests.repro_support import listing_project, project_files

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow


def test_a_backend_that_ships_a_directory_listing_is_caught(
    make_repo: Callable[..., GitRepo],
) -> None:
    # On ext4 (this machine's /tmp) listing order follows a hash of the names, so writing the
    # copy in reverse order alone changes nothing; the shim reverses what the backend lists.
    repo = make_repo(listing_project())
    result = verify(
        repo.root, VerifyOptions(isolated=False, vary=frozenset({"order"}), from_sdist=False)
    )
    verdicts = {v.kind: v.reproducible for v in result.verdicts}
    assert verdicts == {"sdist": True, "wheel": False}
    content = [f for f in result.findings if f.rule == "content"]
    assert content
    assert "demo_listing/listing.txt" in content[0].message
    assert any("directory listings reversed" in said for said in result.conditions)


def test_the_same_backend_passes_when_order_is_not_varied(
    make_repo: Callable[..., GitRepo],
) -> None:
    repo = make_repo(listing_project())
    result = verify(
        repo.root, VerifyOptions(isolated=False, vary=frozenset({"path"}), from_sdist=False)
    )
    assert result.reproducible, [f.message for f in result.findings]


def test_a_crlf_checkout_is_classified_as_line_endings(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    # What a Windows runner's checkout (core.autocrlf) does to the matrix build.
    files = project_files("hatchling")
    crlf = {
        name: text.replace("\n", "\r\n") if name.endswith(".py") and isinstance(text, str) else text
        for name, text in files.items()
    }
    unix = build_dists(make_repo(files).root, tmp_path / "lf", isolated=False)
    windows = build_dists(make_repo(crlf).root, tmp_path / "crlf", isolated=False)
    comparison = Comparison("wheel", read_archive(unix.wheel), read_archive(windows.wheel))
    rules = {f.rule for f in explain(comparison)}
    assert "line-endings" in rules
    endings = next(f for f in explain(comparison) if f.rule == "line-endings")
    assert "demo_hatchling/__init__.py" in endings.message
