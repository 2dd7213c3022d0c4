"""Real registries on loopback for the publish tests and benchmark.

pypiserver (htpasswd authentication) and devpi-server, started as subprocesses
on ephemeral ports and waited for; a fault-injecting HTTP proxy (500, 429 with
Retry-After, connection resets, stalls, added latency, whole outage); and a
tiny hatchling project built with ``python -m build --no-isolation``.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

BIN = Path(sys.executable).parent
USER = "uploader"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_http(
    url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers: good enough
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout}s")


@dataclass
class Server:
    """A registry process: ``upload_url`` for publishing, ``index_url`` for pip and reading."""

    name: str
    upload_url: str
    index_url: str
    password: str
    process: subprocess.Popen[bytes]
    packages: Path | None = None
    """pypiserver's package directory (tests may place files there directly)."""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_pypiserver(base: Path, name: str, password: str) -> Server:
    with warnings.catch_warnings():
        # passlib imports the stdlib crypt module, deprecated since 3.11.
        warnings.simplefilter("ignore", DeprecationWarning)
        from passlib.apache import HtpasswdFile  # type: ignore[import-untyped]

    base.mkdir(parents=True, exist_ok=True)
    packages = base / "packages"
    packages.mkdir(exist_ok=True)
    htpasswd = HtpasswdFile(str(base / "htpasswd"), new=True)
    htpasswd.set_password(USER, password)
    htpasswd.save()
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "-p",
            str(port),
            "-i",
            "127.0.0.1",
            "-a",
            "update",
            "-P",
            str(base / "htpasswd"),
            "--disable-fallback",
            "--hash-algo",
            "sha256",
            "--log-stream",
            "none",
            "--backend",
            "simple-dir",
            str(packages),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    return Server(name, url, url + "simple/", password, process, packages)


def start_devpi(base: Path, password: str) -> Server:
    serverdir = base / "devpi"
    subprocess.run(
        [str(BIN / "devpi-init"), "--serverdir", str(serverdir), "--no-root-pypi"],
        check=True,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "devpi-server"),
            "--serverdir",
            str(serverdir),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--offline-mode",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    root = f"http://127.0.0.1:{port}"
    return Server("devpi", f"{root}/{USER}/dev/", f"{root}/{USER}/dev/+simple/", password, process)


def _devpi_request(method: str, url: str, body: dict[str, object], auth: str | None = None) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    if auth:
        request.add_header("X-Devpi-Auth", auth)
    with urllib.request.urlopen(request, timeout=30):
        pass


def setup_devpi(server: Server) -> None:
    """A user and a non-volatile index without bases, through devpi's HTTP API."""
    root = server.upload_url.split(f"/{USER}/")[0]
    wait_http(root + "/+api", server.process)
    _devpi_request(
        "PUT", f"{root}/{USER}", {"password": server.password, "email": "u@example.invalid"}
    )
    login = urllib.request.Request(
        f"{root}/+login",
        method="POST",
        data=json.dumps({"user": USER, "password": server.password}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    with urllib.request.urlopen(login, timeout=30) as response:
        token = json.load(response)["result"]["password"]
    auth = base64.b64encode(f"{USER}:{token}".encode()).decode()
    _devpi_request("PUT", f"{root}/{USER}/dev", {"bases": [], "volatile": False}, auth)


# ---------------------------------------------------------------- projects

PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "{name}"
version = "{version}"
description = "A tiny project published by the releasegate tests."
requires-python = ">=3.8"

[tool.hatch.build.targets.wheel]
packages = ["src/{module}"]
"""


def build_project(
    root: Path, name: str, version: str, data_size: int = 2_000_000, seed: int = 0
) -> Path:
    """A hatchling project with a binary data file, built into ``root/dist``; returns dist/."""
    import random

    module = name.replace("-", "_")
    package = root / "src" / module
    package.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        PYPROJECT.format(name=name, version=version, module=module), encoding="utf-8"
    )
    (package / "__init__.py").write_text(f'__version__ = "{version}"\n', encoding="utf-8")
    (package / "data.bin").write_bytes(random.Random(seed).randbytes(data_size))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            "--outdir",
            str(root / "dist"),
            str(root),
        ],
        check=True,
        capture_output=True,
    )
    return root / "dist"


# ---------------------------------------------------------------- fault proxy

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "proxy-authorization",
    "proxy-authenticate",
}


@dataclass
class FaultPlan:
    """What the proxy does to the next requests; faults are consumed in order."""

    faults: list[str] = field(default_factory=list)
    """Each one of: "500", "429", "reset", "stall", "lost"; applied to requests matching
    ``methods``. "lost" forwards the request, then resets the connection instead of
    answering: the registry stored the upload, the client never heard."""
    methods: tuple[str, ...] = ("POST",)
    down: bool = False
    """Reset every connection (the registry is unreachable)."""
    latency: float = 0.0
    stall_seconds: float = 5.0
    retry_after: str = "1"
    echo_auth: bool = False
    """Quote the request's Authorization header in injected error bodies (a hostile server)."""
    tamper: bool = False
    """Serve other bytes for every file download (a GET of a path not ending in "/"),
    while the index pages, with their genuine hashes, pass through: a lying mirror."""
    landed: Callable[[str], None] | None = None
    """Called with the request path after a "lost" request reached the registry."""
    rewrite_page: Callable[[bytes], bytes] | None = None
    """Applied to every index page (a GET of a path ending in "/") the registry serves."""
    serve: dict[str, bytes] = field(default_factory=dict)
    """Paths the proxy answers itself (a GET, 200 with these bytes), as a mirror that keeps
    files of its own elsewhere."""
    before: Callable[[str, str], None] | None = None
    """Called with the method and path of every request before it is answered or forwarded
    (another uploader acting between a client's plan and its upload)."""
    seen: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    """"METHOD /path" of every request, in order of arrival: the round trips a client made."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self, method: str, path: str = "") -> str | None:
        with self.lock:
            self.seen.append(method)
            self.requests.append(f"{method} {path}")
            if self.down:
                return "reset"
            if method in self.methods and self.faults:
                return self.faults.pop(0)
        return None


def _reset(handler: BaseHTTPRequestHandler) -> None:
    # SO_LINGER with a zero timeout makes close() send RST: a connection reset.
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.close_connection = True
    handler.connection.close()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # The headers and the body of an answer leave in two writes. With Nagle's algorithm
    # the body waits for the client to acknowledge the headers, and clients delay that
    # acknowledgement by up to 40 ms: a small answer (an index page, an upload's reply)
    # took ~90 ms at latency=0.05 instead of ~50. Real servers (nginx, gunicorn) set
    # TCP_NODELAY; so does this proxy, so that latency means what it says.
    disable_nagle_algorithm = True
    server: _ProxyServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002 - the base class names them
        return

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _fail(self, status: int, headers: dict[str, str]) -> None:
        echo = f" for {self.headers.get('Authorization')}" if self.server.plan.echo_auth else ""
        body = f"injected {status}{echo}".encode()
        self.send_response(status)
        for key, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self) -> None:
        plan = self.server.plan
        body = self._body()
        fault = plan.next_fault(self.command, self.path)
        if plan.before is not None:
            plan.before(self.command, self.path)
        if plan.latency:
            time.sleep(plan.latency)
        if fault is None and self.command == "GET" and self.path in plan.serve:
            return self._answer(plan.serve[self.path], [])
        if fault == "reset":
            return _reset(self)
        if fault == "stall":
            time.sleep(plan.stall_seconds)
            return _reset(self)
        if fault in ("500", "429"):
            extra = {"Retry-After": plan.retry_after} if fault == "429" else {}
            return self._fail(int(fault), extra)
        if fault == "lost":
            self._upstream(body)
            if plan.landed is not None:
                plan.landed(self.path)
            return _reset(self)
        return self._forward(body)

    def _upstream(self, body: bytes) -> tuple[http.client.HTTPResponse, bytes]:
        upstream = http.client.HTTPConnection(
            self.server.upstream_host, self.server.upstream_port, timeout=60
        )
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream.request(self.command, self.path, body=body or None, headers=headers)
        response = upstream.getresponse()
        payload = response.read()
        upstream.close()
        return response, payload

    def _forward(self, body: bytes) -> None:
        response, payload = self._upstream(body)
        plan = self.server.plan
        if plan.tamper and self.command == "GET" and not self.path.endswith("/"):
            payload = b"tampered" + payload[8:]
        if plan.rewrite_page and self.command == "GET" and self.path.endswith("/"):
            payload = plan.rewrite_page(payload)
        self._answer(payload, response.getheaders(), response.status, response.reason)

    def _answer(
        self,
        payload: bytes,
        headers: list[tuple[str, str]],
        status: int = 200,
        reason: str | None = None,
    ) -> None:
        self.send_response(status, reason)
        for key, value in headers:
            if key.lower() not in _HOP_BY_HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, plan: FaultPlan) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        host_port = upstream.split("://", 1)[1].split("/", 1)[0]
        host, port = host_port.rsplit(":", 1)
        self.upstream_host, self.upstream_port = host, int(port)
        self.plan = plan

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that stops reading (publish ends an early download once it has more bytes
        # than its file) resets the connection: normal here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def fault_proxy(upstream: str, plan: FaultPlan | None = None) -> Iterator[tuple[str, FaultPlan]]:
    """A proxy in front of ``upstream`` (scheme://host:port); yields its base URL and plan."""
    plan = plan or FaultPlan()
    server = _ProxyServer(upstream, plan)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", plan
    finally:
        server.shutdown()
        server.server_close()


def via(proxy: str, url: str) -> str:
    """``url`` with its scheme://host:port replaced by the proxy's."""
    rest = url.split("://", 1)[1].split("/", 1)[1]
    return f"{proxy}/{rest}"


def pip_install(index_url: str, requirement: str, target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-cache-dir",
            "--disable-pip-version-check",
            "--quiet",
            "--target",
            str(target),
            "--index-url",
            index_url,
            requirement,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
    )


def copy_into(server: Server, path: Path, name: str | None = None) -> None:
    assert server.packages is not None
    shutil.copyfile(path, server.packages / (name or path.name))


# ---------------------------------------------------------------- registries that never answer


@contextlib.contextmanager
def silent_server(trickle: float | None = None) -> Iterator[str]:
    """A loopback HTTP server that accepts and never answers (``trickle`` None), or that
    sends a status line and headers, then one body byte every ``trickle`` seconds, forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            conn.recv(65536)
            if trickle is None:
                stop.wait()
                return
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000000\r\n\r\n"
            )
            while not stop.wait(trickle):
                conn.sendall(b" ")

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
