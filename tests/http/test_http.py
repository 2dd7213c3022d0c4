"""The one HTTP client: User-Agent, timeout, and credentials that stay with their origin.

Two real HTTP servers on loopback (two ports, so two origins): the credential's own
server redirects to, or links to, the other one, which records what it was sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import requests

from releasegate._internal import http
from releasegate._internal.publish.registries.base import RegistryContext
from releasegate._internal.publish.registries.pypi import PypiRegistry
from releasegate._internal.publish.retry import RetryPolicy
from releasegate._internal.publish.scrub import Scrubber
from releasegate._internal.publish.settings import Kind, RegistrySpec

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

SECRET = "s3cret-password"
FILE = b"wheel bytes"


@dataclass
class Server:
    """A loopback server: ``routes`` maps a path to (status, headers, body)."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    seen: list[dict[str, str]] = field(default_factory=list)
    url: str = ""


def _handler(server: Server) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.seen.append(
                {"path": self.path, **{k.lower(): v for k, v in self.headers.items()}}
            )
            status, headers, body = server.routes.get(self.path.split("?")[0], (404, {}, b""))
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server]]:
    started = []
    for _ in range(2):
        state = Server()
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
        state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append((state, httpd))
    yield started[0][0], started[1][0]
    for _, httpd in started:
        httpd.shutdown()
        httpd.server_close()


def test_a_redirect_to_another_port_does_not_carry_the_credential(
    servers: tuple[Server, Server],
) -> None:
    home, other = servers
    home.routes["/start"] = (302, {"Location": f"{other.url}/landed"}, b"")
    other.routes["/landed"] = (200, {}, b"ok")
    credential = http.Credential.basic("user", SECRET, [home.url])
    response = http.session(credential).get(f"{home.url}/start")
    assert response.status_code == 200
    assert home.seen[0]["authorization"].startswith("Basic ")
    assert "authorization" not in other.seen[0]


def test_a_session_sends_its_credential_only_to_its_own_origin(
    servers: tuple[Server, Server],
) -> None:
    home, other = servers
    session = http.session(http.Credential("Bearer " + SECRET, [home.url]))
    session.get(f"{home.url}/x")
    session.get(f"{other.url}/x")
    assert home.seen[0]["authorization"] == "Bearer " + SECRET
    assert "authorization" not in other.seen[0]


@pytest.mark.parametrize(
    ("old", "new", "strip"),
    [
        ("http://index.example/a", "https://index.example/b", True),  # requests keeps it
        ("https://index.example/a", "https://index.example:443/b", False),
        ("https://index.example/a", "https://INDEX.example/b", False),
        ("https://index.example/a", "https://index.example:8443/b", True),
        ("https://index.example/a", "https://cdn.example/b", True),
    ],
)
def test_any_change_of_scheme_host_or_port_strips_the_credential(
    old: str, new: str, strip: bool
) -> None:
    should_strip: Callable[[str, str], bool] = http.session().should_strip_auth
    assert should_strip(old, new) is strip


def test_user_agent_and_default_timeout(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = servers
    http.session().get(f"{home.url}/x")
    assert home.seen[0]["user-agent"].startswith("releasegate/")
    # A peer that accepts and never answers: the default timeout ends the wait.
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setattr(http, "TIMEOUT_SECONDS", 0.3)
        with pytest.raises(requests.Timeout):
            http.session().get(f"http://127.0.0.1:{silent.getsockname()[1]}/")


def test_the_pypi_adapter_keeps_its_password_from_file_links_on_other_hosts(
    servers: tuple[Server, Server], tmp_path: Path
) -> None:
    index, cdn = servers
    page = {
        "meta": {"api-version": "1.0"},
        "name": "demo",
        "files": [
            {"filename": "demo-1.0-py3-none-any.whl", "url": f"{cdn.url}/f.whl", "hashes": {}}
        ],
    }
    index.routes["/simple/demo/"] = (
        200,
        {"Content-Type": "application/vnd.pypi.simple.v1+json"},
        json.dumps(page).encode(),
    )
    cdn.routes["/f.whl"] = (200, {}, FILE)
    spec = RegistrySpec(
        "private",
        Kind("pypi"),
        f"{index.url}/",
        required=True,
        trusted_publishing=False,
        tag_format="v{version}",
        username_env="USER",
        password_env="PASS",
    )
    context = RegistryContext(
        spec,
        "demo",
        "1.0",
        tmp_path,
        {"USER": "me", "PASS": SECRET},
        RetryPolicy(retries=0, backoff=1.0, backoff_max=60.0, timeout=5, deadline=300.0),
        Scrubber(),
    )
    holdings = PypiRegistry(context).holdings()
    assert holdings == {"demo-1.0-py3-none-any.whl": hashlib.sha256(FILE).hexdigest()}
    assert index.seen[0]["authorization"].startswith("Basic ")
    assert "authorization" not in cdn.seen[0]


def test_no_module_but_the_factory_makes_a_session_or_a_bare_request() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "releasegate"
    bare = re.compile(r"requests\.(Session|get|post|put|request|head)\(|urllib\.request|urlopen")
    offenders = [
        path.relative_to(source).as_posix()
        for path in source.rglob("*.py")
        if bare.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_an_index_the_checkout_names_gets_no_netrc_credential(
    servers: tuple[Server, Server], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The job's ~/.netrc holds a password for the host; a checkout that names an index there
    # (or one redirecting there) must not make releasegate send it (issue 27).
    home, other = servers
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login job password {SECRET}\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    home.routes["/simple/x/"] = (302, {"Location": f"{other.url}/landed"}, b"")
    other.routes["/landed"] = (200, {}, b"ok")
    untrusted = http.session(netrc=False)
    assert untrusted.get(f"{home.url}/simple/x/").status_code == 200
    assert [s for s in home.seen + other.seen if "authorization" in s] == []
    # The URL's own user:password is the checkout's to give; it goes to its own origin only.
    home.routes["/own"] = (302, {"Location": f"{other.url}/landed"}, b"")
    untrusted.get(f"http://u:p@{home.url.removeprefix('http://')}/own")
    assert home.seen[-1]["authorization"].startswith("Basic ")
    assert "authorization" not in other.seen[-1]
    # The job's own sessions keep requests' behaviour (an index from PIP_INDEX_URL).
    http.session().get(f"{other.url}/landed")
    assert other.seen[-1]["authorization"].startswith("Basic ")
