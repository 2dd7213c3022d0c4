"""The suite itself: hermetic (fixtures inside the repository, the network only when marked)."""

from __future__ import annotations

import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.sign_support import SIGSTORE_FIXTURES

# A documentation address (RFC 5737): never routed, so no test here ever reaches anyone.
UNROUTED = ("192.0.2.1", 443)


def test_sigstore_fixtures_are_tracked_inside_the_repository() -> None:
    assert SIGSTORE_FIXTURES.resolve().is_relative_to(REPO_ROOT)
    tracked = subprocess.run(
        ["git", "ls-files", "--", str(SIGSTORE_FIXTURES)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert any(name.endswith(".whl.sigstore") for name in tracked), tracked


def test_no_test_reads_files_beside_the_repository() -> None:
    outside = ("../" + "shared", 'parent / "' + 'shared"')
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {needle}"
        for path in sorted((REPO_ROOT / "tests").glob("*.py"))
        for needle in outside
        if needle in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_an_unmarked_test_cannot_connect_beyond_loopback() -> None:
    # pytest-socket refuses before any packet leaves: it warns (an error under our filterwarnings)
    # and raises a RuntimeError, not the OSError a real attempt would give.
    with (
        pytest.raises(RuntimeError, match=r"192\.0\.2\.1"),
        pytest.warns(UserWarning, match="socket.connect"),
    ):
        socket.create_connection(UNROUTED, timeout=0.5)


def test_an_unmarked_test_can_use_a_loopback_server() -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - no access log
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as conn:
            conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert conn.recv(64).startswith(b"HTTP/1.0 204")
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.online
def test_an_online_test_gets_the_real_network() -> None:
    # The kernel, not pytest-socket, answers: a timeout or "unreachable", both OSErrors.
    with pytest.raises(OSError):  # noqa: PT011 - which OSError depends on the machine's routes
        socket.create_connection(UNROUTED, timeout=0.2)


def test_ci_runs_the_readmes_test_command_step_by_step() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("Run the test suite:", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0]
    ci_lines = {
        line.replace(" -q ", " ").strip()
        for line in (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    }
    steps = [step.strip() for step in block.split("&&")]
    assert steps[0] == "python3 -m venv .venv"
    assert [step for step in steps if step not in ci_lines] == []
