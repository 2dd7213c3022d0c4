"""Loopback stand-ins for GitHub's REST API and the OIDC token endpoints.

Real HTTP on 127.0.0.1 with an ephemeral port, shaped on the documented request and
response bodies. Each server records every request it received so that tests assert
on what releasegate actually sent (method, path, body), not on mocks being called.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

FORBIDDEN = {
    "message": "Resource not accessible by integration",
    "documentation_url": "https://docs.github.com/rest",
    "status": "403",
}


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    """Sent as is instead of ``body`` (for malformed replies)."""


_Server = TypeVar("_Server", bound="StandIn")
Route = tuple[str, "re.Pattern[str]", "Callable[[Received, re.Match[str]], Reply]"]


class StandIn:
    """A threaded HTTP server dispatching on (method, path regex)."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.received: list[Received] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        # A short poll interval: shutdown() waits up to one interval, once per test.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def route(
        self, method: str, pattern: str, handler: Callable[[Received, re.Match[str]], Reply]
    ) -> None:
        self.routes.insert(0, (method, re.compile(pattern + "$"), handler))

    def dispatch(self, request: Received) -> Reply:
        self.received.append(request)
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                return handler(request, match)
        return Reply(404, {"message": "Not Found"})

    def requests(self, method: str | None = None) -> list[Received]:
        return [r for r in self.received if method is None or r.method == method]

    def __enter__(self: _Server) -> _Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            parts = urlsplit(self.path)
            request = Received(
                self.command,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
            reply = stand_in.dispatch(request)
            payload = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = _serve

        def log_message(self, format: str, *args: Any) -> None:
            del format, args

    return Handler


COMMENT_LIMIT = 65_536
"""GitHub's documented limits: a longer comment body, check-run summary or text, more
than 50 annotations per request, or a longer status description is refused with 422."""
SUMMARY_LIMIT = 65_535
ANNOTATIONS_PER_REQUEST = 50
DESCRIPTION_LIMIT = 140
MAX_PER_PAGE = 100


def _invalid(resource: str, field: str, message: str) -> Reply:
    return Reply(
        422,
        {
            "message": "Validation Failed",
            "errors": [
                {"resource": resource, "code": "custom", "field": field, "message": message}
            ],
            "documentation_url": "https://docs.github.com/rest",
            "status": "422",
        },
    )


def _check_run_refusal(body: dict[str, Any]) -> Reply | None:
    output = body.get("output") or {}
    for name in ("summary", "text"):
        supplied = len(output.get(name) or "")
        if supplied > SUMMARY_LIMIT:
            return _invalid(
                "CheckRun",
                f"output.{name}",
                f"Only {SUMMARY_LIMIT} characters are allowed; {supplied} were supplied.",
            )
    if len(output.get("annotations") or []) > ANNOTATIONS_PER_REQUEST:
        return _invalid("CheckRun", "output.annotations", "too many annotations")
    return None


class GitHubStandIn(StandIn):
    """Commit statuses, check runs and issue comments of one repository, with 403 on demand."""

    def __init__(self, repository: str = "acme/demo") -> None:
        super().__init__()
        self.repository = repository
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.pulls: list[dict[str, Any]] = []
        self.forbidden: set[str] = set()
        """Methods answered with 403, as for a token without write permission."""
        self.page_size = 2
        base = f"/repos/{re.escape(repository)}"
        self.route("POST", rf"{base}/statuses/(?P<sha>[0-9a-f]+)", self._status)
        self.route("POST", rf"{base}/check-runs", self._check_run)
        self.route("GET", rf"{base}/issues/(?P<number>\d+)/comments", self._list_comments)
        self.route("POST", rf"{base}/issues/(?P<number>\d+)/comments", self._create_comment)
        self.route("PATCH", rf"{base}/issues/comments/(?P<id>\d+)", self._edit_comment)
        self.route("GET", rf"{base}/pulls", self._list_pulls)
        # Read side, for governance: what GitHub says of a commit.
        self.statuses: dict[str, list[dict[str, Any]]] = {}
        self.check_runs: dict[str, list[dict[str, Any]]] = {}
        self.commit_pulls: dict[str, list[dict[str, Any]]] = {}
        self.reviews: dict[int, list[dict[str, Any]]] = {}
        commit = rf"{base}/commits/(?P<sha>[0-9a-f]+)"
        self.route("GET", rf"{commit}/status", self._combined_status)
        self.route("GET", rf"{commit}/check-runs", self._list_check_runs)
        self.route("GET", rf"{commit}/pulls", self._list_commit_pulls)
        self.route("GET", rf"{base}/pulls/(?P<number>\d+)/reviews", self._list_reviews)

    def dispatch(self, request: Received) -> Reply:
        if request.method in self.forbidden:
            self.received.append(request)
            return Reply(403, FORBIDDEN)
        return super().dispatch(request)

    def api(self, path: str) -> str:
        return f"{self.url}/repos/{self.repository}{path}"

    def _status(self, request: Received, match: re.Match[str]) -> Reply:
        body = dict(request.body)
        if len(body.get("description") or "") > DESCRIPTION_LIMIT:
            return _invalid("Status", "description", "description is too long")
        return Reply(
            201,
            {
                "id": len(self.received),
                "url": self.api(f"/statuses/{match['sha']}"),
                "state": body["state"],
                "description": body.get("description"),
                "target_url": body.get("target_url"),
                "context": body.get("context"),
                "created_at": "2026-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
            },
        )

    def _check_run(self, request: Received, match: re.Match[str]) -> Reply:
        del match
        body = dict(request.body)
        refusal = _check_run_refusal(body)
        if refusal is not None:
            return refusal
        number = len(self.received)
        return Reply(
            201,
            {
                "id": number,
                "url": self.api(f"/check-runs/{number}"),
                "name": body["name"],
                "head_sha": body["head_sha"],
                "status": body.get("status"),
                "conclusion": body.get("conclusion"),
            },
        )

    def seed_status(self, sha: str, context: str, state: str) -> None:
        """A commit status; newer first, as GitHub lists them."""
        entry = {"context": context, "state": state, "id": len(self.received) + 1}
        self.statuses.setdefault(sha, []).insert(0, entry)

    def seed_check_run(self, sha: str, name: str, conclusion: str | None) -> None:
        runs = self.check_runs.setdefault(sha, [])
        runs.append(
            {
                "id": 5000 + len(runs),
                "name": name,
                "head_sha": sha,
                "status": "completed" if conclusion else "in_progress",
                "conclusion": conclusion,
                "url": self.api(f"/check-runs/{5000 + len(runs)}"),
            }
        )

    def seed_merged_pull(self, sha: str, number: int, approvals: list[str]) -> None:
        """A pull request merged into main containing ``sha``, with approving reviews."""
        pull = {
            "number": number,
            "state": "closed",
            "merged_at": "2026-01-01T00:00:00Z",
            "url": self.api(f"/pulls/{number}"),
            "head": {"ref": f"feature-{number}", "sha": sha, "label": f"acme:feature-{number}"},
            "base": {"ref": "main", "repo": {"full_name": self.repository}},
        }
        self.commit_pulls.setdefault(sha, []).append(pull)
        self.reviews[number] = [
            {"id": i + 1, "state": "APPROVED", "user": {"login": login, "id": i + 1}}
            for i, login in enumerate(approvals)
        ] + [{"id": 99, "state": "COMMENTED", "user": {"login": "bystander", "id": 99}}]

    def _page(self, request: Received, items: list[Any]) -> tuple[list[Any], int] | Reply:
        """GitHub's pagination: ``per_page`` up to 100 (more is refused here, as a
        mistake would be silently capped there), ``page`` from 1."""
        per_page = int(request.query.get("per_page", ["30"])[0])
        if per_page > MAX_PER_PAGE:
            return _invalid("Pagination", "per_page", f"at most {MAX_PER_PAGE}")
        page = int(request.query.get("page", ["1"])[0])
        return items[(page - 1) * per_page : page * per_page], per_page

    def _link(self, path: str, request: Received, total: int, per_page: int) -> dict[str, str]:
        page = int(request.query.get("page", ["1"])[0])
        if page * per_page >= total:
            return {}
        extra = "".join(f"&{k}={v[0]}" for k, v in request.query.items() if k not in ("page",))
        return {"Link": f'<{self.url}{path}?page={page + 1}{extra}>; rel="next"'}

    def _combined_status(self, request: Received, match: re.Match[str]) -> Reply:
        latest: dict[str, dict[str, Any]] = {}
        for entry in self.statuses.get(match["sha"], []):
            latest.setdefault(entry["context"], entry)
        paged = self._page(request, list(latest.values()))
        if isinstance(paged, Reply):
            return paged
        chunk, _ = paged
        states = {e["state"] for e in latest.values()}
        state = "success" if states <= {"success"} and states else "pending"
        if states & {"failure", "error"}:
            state = "failure"
        body = {"state": state, "sha": match["sha"], "total_count": len(latest), "statuses": chunk}
        return Reply(200, body)

    def _list_check_runs(self, request: Received, match: re.Match[str]) -> Reply:
        runs = self.check_runs.get(match["sha"], [])
        name = request.query.get("check_name", [None])[0]
        runs = [r for r in runs if name is None or r["name"] == name]
        if request.query.get("filter", ["latest"])[0] == "latest":
            newest: dict[str, dict[str, Any]] = {}
            for run in runs:
                newest[run["name"]] = run  # later entries are newer
            runs = list(newest.values())
        paged = self._page(request, runs)
        if isinstance(paged, Reply):
            return paged
        chunk, per_page = paged
        headers = self._link(request.path, request, len(runs), per_page)
        return Reply(200, {"total_count": len(runs), "check_runs": chunk}, headers)

    def _list_commit_pulls(self, request: Received, match: re.Match[str]) -> Reply:
        pulls = self.commit_pulls.get(match["sha"], [])
        paged = self._page(request, pulls)
        if isinstance(paged, Reply):
            return paged
        chunk, per_page = paged
        return Reply(200, chunk, self._link(request.path, request, len(pulls), per_page))

    def _list_reviews(self, request: Received, match: re.Match[str]) -> Reply:
        reviews = self.reviews.get(int(match["number"]), [])
        paged = self._page(request, reviews)
        if isinstance(paged, Reply):
            return paged
        chunk, per_page = paged
        return Reply(200, chunk, self._link(request.path, request, len(reviews), per_page))

    def seed_comment(self, number: int, body: str) -> dict[str, Any]:
        comments = self.comments.setdefault(number, [])
        ident = 1000 + sum(len(c) for c in self.comments.values())
        comment = {
            "id": ident,
            "url": self.api(f"/issues/comments/{ident}"),
            "body": body,
            "user": {"login": "someone", "id": 1},
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "issue_url": self.api(f"/issues/{number}"),
            "html_url": f"https://github.com/{self.repository}/pull/{number}#issuecomment-{ident}",
        }
        comments.append(comment)
        return comment

    def seed_pull(self, number: int, head_repository: str, branch: str, sha: str) -> None:
        """An open pull request into this repository from ``head_repository:branch`` at ``sha``."""
        head_repo = {"full_name": head_repository, "name": head_repository.split("/")[1]}
        self.pulls.append(
            {
                "number": number,
                "state": "open",
                "url": self.api(f"/pulls/{number}"),
                "head": {
                    "label": f"{head_repository.split('/', maxsplit=1)[0]}:{branch}",
                    "ref": branch,
                    "sha": sha,
                    "repo": head_repo,
                },
                "base": {"ref": "main", "repo": {"full_name": self.repository}},
            }
        )

    def _list_pulls(self, request: Received, match: re.Match[str]) -> Reply:
        """GET /repos/{owner}/{repo}/pulls: ``state`` and ``head`` (``owner:branch``) filters."""
        del match
        state = request.query.get("state", ["open"])[0]
        head = request.query.get("head", [None])[0]
        pulls = [
            p
            for p in self.pulls
            if state in ("all", p["state"]) and (head is None or p["head"]["label"] == head)
        ]
        return Reply(200, pulls)

    def _list_comments(self, request: Received, match: re.Match[str]) -> Reply:
        number = int(match["number"])
        comments = self.comments.get(number, [])
        page = int(request.query.get("page", ["1"])[0])
        size = self.page_size
        chunk = comments[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(comments):
            # GitHub paginates with a Link header; PyGithub follows rel="next".
            headers["Link"] = (
                f'<{self.api(f"/issues/{number}/comments")}?page={page + 1}>; rel="next"'
            )
        return Reply(200, chunk, headers)

    def _create_comment(self, request: Received, match: re.Match[str]) -> Reply:
        body = dict(request.body)["body"]
        if len(body) > COMMENT_LIMIT:
            return _too_long_comment(body)
        return Reply(201, self.seed_comment(int(match["number"]), body))

    def _edit_comment(self, request: Received, match: re.Match[str]) -> Reply:
        if len(dict(request.body)["body"]) > COMMENT_LIMIT:
            return _too_long_comment(dict(request.body)["body"])
        for comment in (c for comments in self.comments.values() for c in comments):
            if comment["id"] == int(match["id"]):
                comment["body"] = dict(request.body)["body"]
                return Reply(200, comment)
        return Reply(404, {"message": "Not Found"})


def _too_long_comment(body: str) -> Reply:
    del body
    return _invalid(
        "IssueComment", "body", f"body is too long (maximum is {COMMENT_LIMIT} characters)"
    )


def all_comments(stand_in: GitHubStandIn) -> Iterator[dict[str, Any]]:
    for comments in stand_in.comments.values():
        yield from comments
