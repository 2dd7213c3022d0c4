"""Trusted publishing in `releasegate publish`: the OIDC exchange feeds the pypi adapter."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.github.test_github_oidc import BEARER, MINTED, Endpoints
from tests.repro_support import wheel_bytes

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def endpoints() -> Iterator[Endpoints]:
    with Endpoints() as stand_in:
        yield stand_in


def project(root: Path, url: str) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0.0"\n'
        "[[tool.releasegate.registries]]\n"
        f'name = "pypi"\nkind = "pypi"\nurl = "{url}/legacy/"\nindex-url = "{url}/simple/"\n'
        "trusted-publishing = true\n",
        encoding="utf-8",
    )
    (root / "dist").mkdir()
    (root / "dist" / "demo-1.0.0-py3-none-any.whl").write_bytes(wheel_bytes(b"wheel bytes"))


def test_minted_token_authenticates_the_index_and_is_masked(
    endpoints: Endpoints, tmp_path: Path
) -> None:
    project(tmp_path, endpoints.url)
    env = {**endpoints.environ(), "GITHUB_ACTIONS": "true"}
    result = run_cli("publish", "--dry-run", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "upload" in result.stdout
    # The index was read with the minted token (Basic auth as __token__).
    reads = [r for r in endpoints.requests("GET") if r.path.startswith("/simple/")]
    assert reads
    assert all(r.headers.get("authorization", "").startswith("Basic ") for r in reads)
    # The token shows up once, in the runner's mask command, and nowhere else.
    lines = (result.stdout + result.stderr).splitlines()
    assert [line for line in lines if MINTED in line] == [f"::add-mask::{MINTED}"]
    assert BEARER not in result.stdout + result.stderr


def test_without_an_oidc_identity_the_error_says_so(endpoints: Endpoints, tmp_path: Path) -> None:
    project(tmp_path, endpoints.url)
    result = run_cli("publish", "--dry-run", cwd=tmp_path)
    assert result.returncode == 1
    assert "trusted publishing to pypi" in result.stdout + result.stderr
    assert "no OIDC identity" in result.stdout + result.stderr
