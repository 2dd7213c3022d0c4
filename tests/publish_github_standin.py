"""A loopback stand-in for the GitHub REST release endpoints releasegate uses.

Shaped on GitHub's documented bodies (REST "Releases" and "Release assets"):
get a release by tag, list releases, create a release, list assets, upload an
asset to the release's ``upload_url``, update a release (draft -> published),
download an asset. PyGithub talks to it through ``base_url`` as it would to
GitHub Enterprise (``http://HOST/api/v3``, uploads under ``/api/uploads``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

STAMP = "2026-01-01T00:00:00Z"
USER = {"login": "octocat", "id": 1, "node_id": "MDQ6VXNlcjE=", "type": "User", "site_admin": False}


@dataclass
class Asset:
    id: int
    name: str
    data: bytes
    content_type: str
    state: str = "uploaded"


@dataclass
class Release:
    id: int
    tag_name: str
    name: str
    body: str
    draft: bool
    prerelease: bool
    assets: list[Asset] = field(default_factory=list)
    published_at: str | None = None


@dataclass
class GitHubState:
    repo: str
    token: str
    releases: list[Release] = field(default_factory=list)
    send_digest: bool = True
    """Newer GitHub returns ``digest: sha256:...`` on assets; older servers do not."""
    fail_uploads: int = 0
    """Answer this many uploads with 500 (echoing the Authorization header: a hostile server)."""
    ignore_edits: bool = False
    """Answer a release update with 200 and change nothing but ``draft`` (a registry that lies)."""
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_id: int = 100

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002 - the base class names them
        return

    # -- plumbing
    @property
    def state(self) -> GitHubState:
        return self.server.state

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status: int, message: str) -> None:
        self._send(
            status,
            {
                "message": message,
                "documentation_url": "https://docs.github.com/rest",
                "status": str(status),
            },
        )

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- shapes
    def _asset_json(self, release: Release, asset: Asset) -> dict[str, Any]:
        api = f"{self.root}/api/v3/repos/{self.state.repo}/releases/assets/{asset.id}"
        shape = {
            "url": api,
            "id": asset.id,
            "node_id": f"RA_{asset.id}",
            "name": asset.name,
            "label": "",
            "uploader": USER,
            "content_type": asset.content_type,
            "state": asset.state,
            "size": len(asset.data),
            "download_count": 0,
            "created_at": STAMP,
            "updated_at": STAMP,
            "browser_download_url": f"{self.root}/{self.state.repo}/releases/download/"
            f"{release.tag_name}/{asset.name}",
        }
        if self.state.send_digest:
            shape["digest"] = "sha256:" + hashlib.sha256(asset.data).hexdigest()
        return shape

    def _release_json(self, release: Release) -> dict[str, Any]:
        api = f"{self.root}/api/v3/repos/{self.state.repo}/releases/{release.id}"
        return {
            "url": api,
            "html_url": f"{self.root}/{self.state.repo}/releases/tag/{release.tag_name}",
            "assets_url": f"{api}/assets",
            "upload_url": f"{self.root}/api/uploads/repos/{self.state.repo}/releases/{release.id}"
            "/assets{?name,label}",
            "tarball_url": None,
            "zipball_url": None,
            "id": release.id,
            "node_id": f"RE_{release.id}",
            "tag_name": release.tag_name,
            "target_commitish": "main",
            "name": release.name,
            "body": release.body,
            "draft": release.draft,
            "prerelease": release.prerelease,
            "created_at": STAMP,
            "published_at": release.published_at,
            "author": USER,
            "assets": [self._asset_json(release, a) for a in release.assets],
        }

    def _release(self, release_id: str) -> Release | None:
        return next((r for r in self.state.releases if str(r.id) == release_id), None)

    # -- dispatch
    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        return header in (
            f"token {self.state.token}",
            f"Bearer {self.state.token}",
            f"bearer {self.state.token}",
        )

    def _dispatch(self) -> None:
        path = urlsplit(self.path).path
        with self.state.lock:
            self.state.requests.append((self.command, path))
        body = self._body()
        if not self._authorized():
            return self._error(401, "Bad credentials")
        repo = re.escape(self.state.repo)
        routes: list[tuple[str, str, Callable[..., None]]] = [
            ("GET", rf"/api/v3/repos/{repo}/releases/tags/(?P<tag>[^/]+)", self._get_by_tag),
            ("GET", rf"/api/v3/repos/{repo}/releases", self._list_releases),
            ("POST", rf"/api/v3/repos/{repo}/releases", self._create_release),
            ("GET", rf"/api/v3/repos/{repo}/releases/(?P<rid>\d+)/assets", self._list_assets),
            ("PATCH", rf"/api/v3/repos/{repo}/releases/(?P<rid>\d+)", self._update_release),
            ("POST", rf"/api/uploads/repos/{repo}/releases/(?P<rid>\d+)/assets", self._upload),
            ("GET", rf"/api/v3/repos/{repo}/releases/assets/(?P<aid>\d+)", self._get_asset),
            ("DELETE", rf"/api/v3/repos/{repo}/releases/assets/(?P<aid>\d+)", self._delete_asset),
        ]
        for method, pattern, handler in routes:
            match = re.fullmatch(pattern, path)
            if method == self.command and match:
                return handler(body, **match.groupdict())
        return self._error(404, "Not Found")

    do_GET = do_POST = do_PATCH = do_DELETE = _dispatch

    # -- endpoints
    def _get_by_tag(self, _body: bytes, tag: str) -> None:
        # As on GitHub: drafts are not found by tag.
        release = next((r for r in self.state.releases if r.tag_name == tag and not r.draft), None)
        if release is None:
            return self._error(404, "Not Found")
        return self._send(200, self._release_json(release))

    def _list_releases(self, _body: bytes) -> None:
        self._send(200, [self._release_json(r) for r in self.state.releases])

    def _create_release(self, body: bytes) -> None:
        data = json.loads(body)
        if any(r.tag_name == data["tag_name"] for r in self.state.releases):
            return self._error(422, "Validation Failed")
        release = Release(
            self.state.new_id(),
            data["tag_name"],
            data.get("name") or data["tag_name"],
            data.get("body") or "",
            bool(data.get("draft")),
            bool(data.get("prerelease")),
        )
        self.state.releases.append(release)
        return self._send(201, self._release_json(release))

    def _list_assets(self, _body: bytes, rid: str) -> None:
        release = self._release(rid)
        if release is None:
            return self._error(404, "Not Found")
        return self._send(200, [self._asset_json(release, a) for a in release.assets])

    def _update_release(self, body: bytes, rid: str) -> None:
        release = self._release(rid)
        if release is None:
            return self._error(404, "Not Found")
        data = json.loads(body)
        if "draft" in data:
            release.draft = bool(data["draft"])
            release.published_at = None if release.draft else STAMP
        if not self.state.ignore_edits:
            release.name = data.get("name", release.name)
            release.body = data.get("body", release.body)
            release.prerelease = bool(data.get("prerelease", release.prerelease))
        return self._send(200, self._release_json(release))

    def _upload(self, body: bytes, rid: str) -> None:
        release = self._release(rid)
        if release is None:
            return self._error(404, "Not Found")
        if self.state.fail_uploads > 0:
            self.state.fail_uploads -= 1
            return self._error(500, f"upload broke; you sent {self.headers.get('Authorization')}")
        name = parse_qs(urlsplit(self.path).query).get("name", [""])[0]
        if any(a.name == name for a in release.assets):
            return self._error(422, "Validation Failed: already_exists")
        asset = Asset(self.state.new_id(), name, body, self.headers.get("Content-Type", ""))
        release.assets.append(asset)
        return self._send(201, self._asset_json(release, asset))

    def _delete_asset(self, _body: bytes, aid: str) -> None:
        for release in self.state.releases:
            for asset in list(release.assets):
                if str(asset.id) == aid:
                    release.assets.remove(asset)
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
        return self._error(404, "Not Found")

    def _get_asset(self, _body: bytes, aid: str) -> None:
        for release in self.state.releases:
            for asset in release.assets:
                if str(asset.id) == aid:
                    if "octet-stream" in self.headers.get("Accept", ""):
                        return self._send(200, asset.data, "application/octet-stream")
                    return self._send(200, self._asset_json(release, asset))
        return self._error(404, "Not Found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: GitHubState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@contextlib.contextmanager
def github_standin(repo: str, token: str) -> Iterator[tuple[str, GitHubState]]:
    """Yields the API base URL (``.../api/v3``) and the server's state."""
    state = GitHubState(repo, token)
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v3", state
    finally:
        server.shutdown()
        server.server_close()
