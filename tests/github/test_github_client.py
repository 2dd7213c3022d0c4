"""The one PyGithub factory: one User-Agent, timeout and retry layer, against a stand-in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from github import GithubException

from releasegate._internal.github.api import RETRIES, client
from tests.github_support import Reply, StandIn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.github_support import Received

TOKEN = "ghs_factoryTOKEN"


@pytest.fixture
def github() -> Iterator[StandIn]:
    with StandIn() as stand_in:
        yield stand_in


def _flaky(failures: int) -> Callable[[Received, re.Match[str]], Reply]:
    left = [failures]

    def reply(_request: Received, _match: re.Match[str]) -> Reply:
        if left[0] > 0:
            left[0] -= 1
            return Reply(502, {"message": "bad gateway"})
        return Reply(200, {"id": 1, "full_name": "acme/demo", "name": "demo"})

    return reply


def test_the_client_names_releasegate_and_sends_the_token(github: StandIn) -> None:
    github.route("GET", "/repos/acme/demo", _flaky(0))
    assert client(github.url, TOKEN).get_repo("acme/demo").full_name == "acme/demo"
    (request,) = github.requests("GET")
    assert request.headers["user-agent"].startswith("releasegate/")
    assert request.headers["authorization"] == f"token {TOKEN}"


def test_transient_failures_are_retried_in_the_client_by_default(github: StandIn) -> None:
    github.route("GET", "/repos/acme/demo", _flaky(2))
    assert client(github.url, TOKEN).get_repo("acme/demo").name == "demo"
    assert len(github.requests("GET")) == 3


def test_retries_are_capped(github: StandIn) -> None:
    github.route("GET", "/repos/acme/demo", _flaky(100))
    # Exhausted retries surface as requests' RetryError, an OSError that api.call() reports.
    with pytest.raises(OSError, match="too many 502"):
        client(github.url, TOKEN).get_repo("acme/demo")
    assert len(github.requests("GET")) == RETRIES + 1


def test_a_caller_that_retries_itself_gets_no_transport_retries(github: StandIn) -> None:
    github.route("GET", "/repos/acme/demo", _flaky(1))
    with pytest.raises(GithubException):
        client(github.url, TOKEN, transport_retries=False).get_repo("acme/demo")
    assert len(github.requests("GET")) == 1


def test_no_module_but_the_factory_builds_a_github_client() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "releasegate"
    builders = [
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if re.search(r"\bGithub\(", path.read_text(encoding="utf-8"))
    ]
    assert builders == ["_internal/github/api.py"]
