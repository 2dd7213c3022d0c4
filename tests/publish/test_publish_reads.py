"""Reads a publish makes while it verifies: kept-alive connections, and page reads shared.

A loopback simple index (HTTP/1.1 keep-alive) counts the connections it accepts and
the page reads it serves; releasegate's pypi adapter reads it as it reads any registry.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.publish import workers
from releasegate._internal.publish.registries.base import RegistryContext
from releasegate._internal.publish.registries.pypi import PypiRegistry
from releasegate._internal.publish.retry import RetryPolicy
from releasegate._internal.publish.scrub import Scrubber
from releasegate._internal.publish.settings import Kind, RegistrySpec

if TYPE_CHECKING:
    from collections.abc import Iterator

FILES = {f"rgkeep-1.0.{i}.tar.gz": f"file {i}".encode() * 100 for i in range(8)}


class _Index(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    server: _CountingServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002 - base signature
        return

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def do_GET(self) -> None:
        if self.path == "/simple/rgkeep/":
            with self.server.lock:
                self.server.pages += 1
            time.sleep(self.server.page_delay)
            links = "".join(
                f'<a href="/files/{name}#sha256={hashlib.sha256(data).hexdigest()}">{name}</a>'
                for name, data in FILES.items()
            )
            body = f"<html><body>{links}</body></html>".encode()
        else:
            body = FILES[self.path.rsplit("/", 1)[-1]]
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Index)
        self.lock = threading.Lock()
        self.connections = 0
        self.pages = 0
        self.page_delay = 0.0


@contextlib.contextmanager
def _index() -> Iterator[_CountingServer]:
    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _registry(server: _CountingServer) -> PypiRegistry:
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    spec = RegistrySpec("keep", Kind.PYPI, url, True, False, "v{version}")
    policy = RetryPolicy(retries=0, backoff=1.0, backoff_max=60.0, timeout=5.0, deadline=10.0)
    return PypiRegistry(RegistryContext(spec, "rgkeep", "1.0.0", Path(), {}, policy, Scrubber()))


def test_verification_downloads_reuse_kept_alive_connections() -> None:
    with _index() as server:
        registry = _registry(server)
        for _ in range(3):
            held = registry.holdings(set(FILES), verify_bytes=True)
            assert held == {n: hashlib.sha256(d).hexdigest() for n, d in FILES.items()}
    # Three rounds of one page and eight parallel downloads: at most one connection per
    # parallel download, kept for the next round (a session per worker thread opened 19).
    assert server.connections <= 8, server.connections


def test_verifications_asking_during_a_read_share_the_next_read() -> None:
    with _index() as server:
        server.page_delay = 0.2
        registry = _registry(server)
        first = workers.start(registry.holdings, "first")
        time.sleep(0.05)  # the first read is in flight: it may predate what the others need
        others = [workers.start(registry.holdings, "other") for _ in range(6)]
        for thread in (first, *others):
            thread.join(10)
    # The first read and one more at once; the five that asked meanwhile share a third.
    assert server.pages == 3


def test_a_shared_read_is_fresh_and_its_failure_reaches_every_caller() -> None:
    reads: list[float] = []
    gate = threading.Event()

    def read() -> float:
        reads.append(time.monotonic())
        gate.wait(5)
        if len(reads) == 2:
            raise OSError("the second read failed")
        return reads[-1]

    fresh = workers.Fresh(read, at_once=1)
    results: dict[str, object] = {}

    def call(name: str) -> None:
        asked = time.monotonic()
        try:
            results[name] = fresh.get() >= asked
        except OSError as exc:
            results[name] = str(exc)

    first = workers.start(lambda: call("first"), "first")
    time.sleep(0.1)
    later = [workers.start(lambda n=n: call(n), n) for n in ("a", "b")]  # type: ignore[misc]
    time.sleep(0.1)
    gate.set()
    for thread in (first, *later):
        thread.join(5)
    assert len(reads) == 2
    assert results == {"first": True, "a": "the second read failed", "b": "the second read failed"}


@pytest.mark.parametrize("calls", [1, 5])
def test_reads_one_after_another_are_each_fresh(calls: int) -> None:
    count = iter(range(100))
    fresh = workers.Fresh(lambda: next(count))
    assert [fresh.get() for _ in range(calls)] == list(range(calls))
