"""publish and verify-mirrors never lose data, never leak, never report a false success.

Real pypiservers (the session fixture of test_publish_registries), directory
registries, a fault proxy (a lying mirror), loopback servers that never answer or
trickle, and real signals sent to the real CLI in a subprocess.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import GIT_ENV, run_cli
from tests.publish.test_publish_registries import (
    Project,
    make_project,
    registry_toml,
    served,
)
from tests.publish.test_publish_registries import (  # noqa: F401 - a fixture, shared per session
    registries as registries_fixture,
)
from tests.publish_support import (
    FaultPlan,
    Server,
    build_project,
    copy_into,
    fault_proxy,
    pip_install,
    silent_server,
    via,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow


@pytest.fixture
def servers(request: pytest.FixtureRequest) -> list[Server]:
    """Three pypiservers and a devpi-server, started once for the session."""
    started: list[Server] = request.getfixturevalue("registries_fixture")
    return started


def _directory_project(tmp_path: Path, version: str, url: str = "mirror") -> Project:
    root = tmp_path / "project"
    build_project(root, "rgdemo", version, data_size=2000)
    (root / "releasegate.toml").write_text(
        f'[[registries]]\nname = "mirror"\nkind = "directory"\nurl = "{url}"\n', encoding="utf-8"
    )
    return Project(root, {"CI": ""})


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_directory_keeps_foreign_entries_refuses_other_bundles_and_is_world_readable(
    tmp_path: Path,
) -> None:
    project = _directory_project(tmp_path, "2.1.0")
    page_dir = project.root / "mirror/simple/rgdemo"
    page_dir.mkdir(parents=True)
    (page_dir / "rgdemo-1.0.0.tar.gz").write_bytes(b"an older release")
    # Written by hand / another tool: no #sha256= fragments.
    (page_dir / "index.html").write_text(
        '<a href="rgdemo-1.0.0.tar.gz">rgdemo-1.0.0.tar.gz</a>\n'
        '<a href="https://files.example/rgdemo-0.9.tar.gz">rgdemo-0.9.tar.gz</a>\n',
        encoding="utf-8",
    )
    old = os.umask(0o022)
    try:
        result = project.publish()
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (page_dir / "index.html").read_text()
    assert f"rgdemo-1.0.0.tar.gz#sha256={_sha(b'an older release')}" in page
    assert 'href="https://files.example/rgdemo-0.9.tar.gz"' in page
    for path in (page_dir / "index.html", page_dir.parent / "index.html", *page_dir.glob("*.whl")):
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path
    installed = pip_install(
        (project.root / "mirror/simple").as_uri(), "rgdemo==2.1.0", tmp_path / "t"
    )
    assert installed.returncode == 0, installed.stderr

    # Another signature bundle for our sdist is a conflict, never silently replaced.
    bundle = "rgdemo-2.1.0.tar.gz.sigstore.json"
    (project.dist / bundle).write_text('{"ours": 1}', encoding="utf-8")
    (page_dir / bundle).write_text('{"theirs": 1}', encoding="utf-8")
    result = project.publish()
    assert result.returncode == 1, result.stdout
    theirs = _sha(b'{"theirs": 1}')
    assert f"{bundle} (served sha256 {theirs}" in result.stdout
    assert (page_dir / bundle).read_text() == '{"theirs": 1}'


def test_configuration_mistakes_of_every_registry_exit_2_before_anything_is_uploaded(
    servers: list[Server], tmp_path: Path
) -> None:
    broken = (
        '[[registries]]\nname = "nocred"\nkind = "pypi"\nurl = "http://127.0.0.1:1/"\n'
        'username-env = "RG_NOPE_USER"\npassword-env = "RG_NOPE_PASS"\n'
        '[[registries]]\nname = "badurl"\nkind = "pypi"\nurl = "127.0.0.1:8080/upload"\n'
        'token-env = "RG_T"\n'
        '[[registries]]\nname = "badport"\nkind = "pypi"\nurl = "http://127.0.0.1:99999/"\n'
        'token-env = "RG_T"\n'
        '[[registries]]\nname = "gh"\nkind = "github-release"\ntag-format = "v{version}-{flavor}"\n'
        'token-env = "RG_T"\n'
    )
    project = make_project(tmp_path, "2.2.0", servers[:1], extra=broken)
    project.env.update({"RG_T": "t0ken-value", "GITHUB_REPOSITORY": ""})
    result = project.publish()
    assert result.returncode == 2, result.stdout + result.stderr
    for expected in (
        "registry nocred: environment variable RG_NOPE_USER is empty or missing",
        "registry badurl: url '127.0.0.1:8080/upload' is not an http(s) URL",
        "registry badport: url 'http://127.0.0.1:99999/' has an invalid port",
        "registry gh: tag-format 'v{version}-{flavor}' cannot be filled",
        "registry gh: no repository",
    ):
        assert expected in result.stderr, result.stderr
    assert "KeyError" not in result.stderr.replace("(KeyError", "")
    assert served(servers[0].index_url, "rgdemo-2.2.0.tar.gz") is None
    assert not (project.root / "mirror").exists()


def test_in_ci_publishing_to_no_configured_registry_fails(tmp_path: Path) -> None:
    project = _directory_project(tmp_path, "2.2.1")
    (project.root / "releasegate.toml").write_text("", encoding="utf-8")
    result = run_cli("publish", cwd=project.root, env={"CI": "true"})
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no registry configured, and this is CI" in result.stderr
    assert not (project.root / ".releasegate/index").exists()
    # On a laptop the local index is the default; asked for explicitly, CI may use one too.
    assert run_cli("publish", cwd=project.root, env={"CI": ""}).returncode == 0
    (project.root / "releasegate.toml").write_text(
        '[[registries]]\nname = "local"\nkind = "directory"\nurl = ".releasegate/index"\n'
    )
    assert run_cli("publish", cwd=project.root, env={"CI": "true"}).returncode == 0


def test_a_mirror_serving_other_bytes_under_the_genuine_hash_fails_verification(
    servers: list[Server], tmp_path: Path
) -> None:
    target = servers[0]
    with fault_proxy(target.upload_url.rstrip("/"), FaultPlan(tamper=True)) as (proxy, _):
        urls = {target.name: (via(proxy, target.upload_url), via(proxy, target.index_url))}
        project = make_project(tmp_path, "2.3.0", [target], urls=urls)
        result = project.publish()
        assert result.returncode == 1, result.stdout
        assert "after upload the registry serves" in result.stdout
        mirrors = run_cli("verify-mirrors", "--format", "json", cwd=project.root, env=project.env)
    assert mirrors.returncode == 1, mirrors.stdout
    found = [f for r in json.loads(mirrors.stdout)["checks"] for f in r["findings"]]
    assert {(f["rule"], f["message"].split(":")[0]) for f in found} == {
        ("verify-mirrors/mismatch", "pypi0")
    }


def _proxied_project(
    target: Server, tmp_path: Path, version: str, proxy: str, retries: int = 8
) -> Project:
    urls = {target.name: (via(proxy, target.upload_url), via(proxy, target.index_url))}
    project = make_project(tmp_path, version, [target], urls=urls)
    config = project.root / "releasegate.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("retries = 8", f"retries = {retries}"),
        encoding="utf-8",
    )
    return project


def test_publishing_two_files_costs_one_plan_read_two_uploads_one_page_read_two_downloads(
    servers: list[Server], tmp_path: Path
) -> None:
    """The round trips of a publish (the benchmark's critical path): twine makes one POST per
    file; the plan, one page read for every file's verification and a download per file are
    what releasegate adds, and nothing more (a page read per file made it 7)."""
    target = servers[0]
    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        project = _proxied_project(target, tmp_path, "3.1.0", proxy)
        result = project.publish()
    assert result.returncode == 0, result.stdout + result.stderr
    files = project.files()
    assert len(files) == 2
    assert sorted(plan.requests) == sorted(
        ["GET /simple/rgdemo/", "POST /", "POST /", "GET /simple/rgdemo/"]
        + [f"GET /packages/{name}" for name in files]
    )
    assert {
        (f["state"], f["verified"]) for f in _files_of(project.audit()[-1], "pypi0").values()
    } == {("uploaded", True)}


def test_a_download_from_where_a_file_is_expected_counts_only_when_the_page_links_there(
    servers: list[Server], tmp_path: Path
) -> None:
    """Each file is downloaded from pypiserver's /packages/<name> as soon as it lands, beside
    the page read. Only the bytes at the URL the page links to are what pip installs: a page
    linking elsewhere is followed, whatever /packages/ holds."""
    target = servers[0]
    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        project = _proxied_project(target, tmp_path, "3.1.1", proxy)
        (sdist,) = (n for n in project.files() if n.endswith(".tar.gz"))
        (wheel,) = (n for n in project.files() if n.endswith(".whl"))
        plan.rewrite_page = lambda page: page.replace(
            f"/packages/{wheel}".encode(), f"/elsewhere/{wheel}".encode()
        ).replace(f"/packages/{sdist}".encode(), f"/moved/{sdist}".encode())
        # The page keeps pypiserver's genuine hashes; the wheel it links is an impostor.
        plan.serve[f"/elsewhere/{wheel}"] = b"impostor " + (project.dist / wheel).read_bytes()
        plan.serve[f"/moved/{sdist}"] = (project.dist / sdist).read_bytes()
        result = project.publish()
    assert result.returncode == 1, result.stdout + result.stderr
    impostor = _sha(b"impostor " + (project.dist / wheel).read_bytes())
    files = _files_of(project.audit()[-1], "pypi0")
    assert files[wheel]["verified"] is False
    assert f"the bytes served hash to {impostor}" in files[wheel]["error"]
    assert files[sdist]["verified"] is True
    # Both were downloaded where pypiserver serves them, and again where the page links.
    downloads = {r for r in plan.requests if r.startswith("GET /") and "/simple/" not in r}
    assert downloads == {
        f"GET /packages/{wheel}",
        f"GET /packages/{sdist}",
        f"GET /elsewhere/{wheel}",
        f"GET /moved/{sdist}",
    }


def test_genuine_bytes_under_a_wrong_stated_hash_fail_verification(
    servers: list[Server], tmp_path: Path
) -> None:
    """pip checks what it downloads against the hash the page states: a page stating another
    sha256 for our genuine bytes makes the file uninstallable, so it is not published."""
    target = servers[0]
    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        project = _proxied_project(target, tmp_path, "3.1.3", proxy, retries=1)
        (wheel,) = (n for n in project.files() if n.endswith(".whl"))
        genuine = _sha((project.dist / wheel).read_bytes())
        wrong = _sha(b"not the wheel")
        plan.rewrite_page = lambda page: page.replace(genuine.encode(), wrong.encode())
        result = project.publish()
        assert result.returncode == 1, result.stdout + result.stderr
        files = _files_of(project.audit()[-1], "pypi0")
        assert files[wheel]["verified"] is False
        assert (
            f"{wrong} (the index's sha256; the bytes served hash to {genuine})"
            in (files[wheel]["error"])
        )
        assert all(f["verified"] for name, f in files.items() if name != wheel)
        mirrors = run_cli("verify-mirrors", "--format", "json", cwd=project.root, env=project.env)
    assert mirrors.returncode == 1, mirrors.stdout
    found = [f for r in json.loads(mirrors.stdout)["checks"] for f in r["findings"]]
    assert [(f["rule"], wheel in f["message"]) for f in found] == [
        ("verify-mirrors/mismatch", True)
    ]


def test_a_directory_index_stating_a_wrong_hash_fails_verify_mirrors(tmp_path: Path) -> None:
    project = make_project(tmp_path, "3.1.4", [])
    assert project.publish().returncode == 0
    pages = (project.root / "mirror").rglob("index.html")
    page = next(p for p in pages if ".whl#sha256=" in p.read_text(encoding="utf-8"))
    genuine = page.read_text(encoding="utf-8").split(".whl#sha256=", 1)[1][:64]
    page.write_text(page.read_text(encoding="utf-8").replace(genuine, _sha(b"x")), encoding="utf-8")
    mirrors = run_cli("verify-mirrors", "--format", "json", cwd=project.root, env=project.env)
    assert mirrors.returncode == 1, mirrors.stdout
    found = [f for r in json.loads(mirrors.stdout)["checks"] for f in r["findings"]]
    assert [f["rule"] for f in found] == ["verify-mirrors/mismatch"]
    assert f"the bytes served hash to {genuine}" in found[0]["message"]


def test_a_file_the_page_does_not_list_is_not_verified_by_its_download(
    servers: list[Server], tmp_path: Path
) -> None:
    target = servers[0]
    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        project = _proxied_project(target, tmp_path, "3.1.2", proxy, retries=1)
        (wheel,) = (n for n in project.files() if n.endswith(".whl"))
        plan.rewrite_page = lambda page: re.sub(
            rb"<a [^>]*>" + re.escape(wheel.encode()) + rb"</a>", b"", page
        )
        result = project.publish()
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"GET /packages/{wheel}" in plan.requests  # downloaded, and our bytes: not enough
    files = _files_of(project.audit()[-1], "pypi0")
    assert files[wheel]["verified"] is False
    assert f"does not list {wheel}" in files[wheel]["error"]


class _Recorder(BaseHTTPRequestHandler):
    """A hand-written index (no hashes) linking its files on another origin."""

    server: _RecordingServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002 - base signature
        return

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Authorization")))
        body = self.server.pages.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, pages: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.pages = pages
        self.seen: list[tuple[str, str | None]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextlib.contextmanager
def _serving(server: _RecordingServer) -> Iterator[_RecordingServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_credentials_go_only_to_the_registrys_own_origin(tmp_path: Path) -> None:
    root = tmp_path / "project"
    dist = build_project(root, "rgdemo", "2.4.0", data_size=1000)
    files = {f"/files/{p.name}": p.read_bytes() for p in dist.iterdir()}
    cdn = _RecordingServer(files)
    with _serving(cdn) as host:
        links = "".join(f'<a href="{cdn.url}{path}">{path[7:]}</a>\n' for path in files)
        index = _RecordingServer({"/simple/rgdemo/": links.encode()})
        with _serving(index) as own:
            (root / "releasegate.toml").write_text(
                registry_toml("private", f"{own.url}/", f"{own.url}/simple/"), encoding="utf-8"
            )
            env = {"RG_USER_PRIVATE": "uploader", "RG_PASS_PRIVATE": "s3cret-pass"}
            result = run_cli("verify-mirrors", "--version", "2.4.0", cwd=root, env=env)
            assert result.returncode == 0, result.stdout + result.stderr
            assert all(auth and auth.startswith("Basic ") for _, auth in own.seen), own.seen
        assert sorted(path for path, _ in host.seen) == sorted(files)
        assert [auth for _, auth in host.seen] == [None] * len(files)


def test_verify_mirrors_reports_extra_files_blames_the_odd_one_and_fails_on_nothing(
    servers: list[Server], tmp_path: Path
) -> None:
    project = make_project(tmp_path, "2.5.0", servers[:2])
    assert project.publish().returncode == 0
    impostor = "rgdemo-2.5.0-py311-none-any.whl"
    copy_into(servers[1], project.dist / "rgdemo-2.5.0-py3-none-any.whl", impostor)
    # A trusted-publishing registry is read anonymously: no OIDC identity needed to read.
    with (project.root / "releasegate.toml").open("a") as config:
        config.write(
            f'[[registries]]\nname = "tp"\nkind = "pypi"\nurl = "{servers[0].upload_url}"\n'
            "trusted-publishing = true\n"
        )

    def rules(*args: str) -> list[tuple[str, str]]:
        out = run_cli(
            "verify-mirrors", "--format", "json", *args, cwd=project.root, env=project.env
        )
        assert out.returncode == 1, out.stdout + out.stderr
        found = [f for r in json.loads(out.stdout)["checks"] for f in r["findings"]]
        return sorted((f["rule"], f["message"].split(":")[0]) for f in found)

    assert rules() == [("verify-mirrors/extra", "pypi1")]
    for path in project.dist.iterdir():
        path.unlink()
    assert rules("--version", "2.5.0") == [("verify-mirrors/extra", "pypi1")]
    assert [r for r, _ in rules("--version", "9.9.9")] == ["verify-mirrors/nothing-compared"]


def test_resume_plans_a_registry_again_when_its_url_changed(tmp_path: Path) -> None:
    project = _directory_project(tmp_path, "2.6.0")
    assert project.publish().returncode == 0
    config = project.root / "releasegate.toml"
    config.write_text(
        config.read_text().replace('url = "mirror"', 'url = "moved"'), encoding="utf-8"
    )
    result = project.publish("--resume")
    assert result.returncode == 0, result.stdout
    assert "from ledger" not in result.stdout
    assert sorted(p.name for p in (project.root / "moved/simple/rgdemo").glob("rgdemo-*")) == (
        project.files()
    )


def _slow_project(servers: list[Server], tmp_path: Path, proxy: str, version: str) -> Project:
    target = servers[2]
    urls = {target.name: (via(proxy, target.upload_url), via(proxy, target.index_url))}
    project = make_project(tmp_path, version, [target], urls=urls)
    config = project.root / "releasegate.toml"
    config.write_text(
        config.read_text().replace("concurrency = 8", "concurrency = 1"), encoding="utf-8"
    )
    return project


def _start(project: Project) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    return subprocess.Popen(
        [sys.executable, "-m", "releasegate", "publish"],
        cwd=project.root,
        env={**env, **GIT_ENV, **project.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_post(plan: FaultPlan) -> None:
    ends = time.monotonic() + 60
    while "POST" not in plan.seen:
        assert time.monotonic() < ends, "no upload started"
        time.sleep(0.05)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_stops_new_uploads_lets_the_one_in_flight_end_and_is_audited(
    servers: list[Server], tmp_path: Path, sig: signal.Signals
) -> None:
    with fault_proxy(servers[2].upload_url.rstrip("/")) as (proxy, plan):
        plan.latency = 1.5
        project = _slow_project(servers, tmp_path, proxy, f"2.7.{int(sig)}")
        process = _start(project)
        _wait_for_post(plan)
        process.send_signal(sig)
        stdout, stderr = process.communicate(timeout=30)
        posts = plan.seen.count("POST")
    assert process.returncode == 130, stdout + stderr
    assert posts == 1  # the queued upload never started
    final = project.audit()[-1]
    assert final["phase"] == "finished"
    assert final["interrupted"] is True
    pypi2 = next(r for r in final["registries"] if r["name"] == "pypi2")
    assert [f["state"] for f in pypi2["files"].values()].count("uploaded") == 1


def test_a_second_signal_stops_at_once_and_still_leaves_the_report_and_audit_record(
    servers: list[Server], tmp_path: Path
) -> None:
    """The second Ctrl-C abandons the upload in flight; the report (``--json-report``, written
    whole) says the run was interrupted and what each file's state was, and the audit log
    holds the finished record."""
    with fault_proxy(servers[2].upload_url.rstrip("/")) as (proxy, plan):
        plan.latency = 1.5
        project = _slow_project(servers, tmp_path, proxy, "2.7.8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        process = subprocess.Popen(
            [sys.executable, "-m", "releasegate", "publish", "--json-report", "r.json"],
            cwd=project.root, env={**env, **GIT_ENV, **project.env},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        _wait_for_post(plan)
        process.send_signal(signal.SIGINT)
        time.sleep(0.3)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stdout + stderr
    assert not list(project.root.glob("*.partial"))
    report = json.loads((project.root / "r.json").read_text(encoding="utf-8"))
    data = {c["data"]["registry"]: c["data"] for c in report["checks"]}
    assert {d["outcome"] for d in data.values()} == {"interrupted"}
    assert data["pypi2"]["completed"] is False
    assert "interrupted" in data["pypi2"]["error"]
    assert sorted(f["filename"] for f in data["pypi2"]["files"]) == project.files()
    assert not any(f["verified"] for f in data["pypi2"]["files"])
    final = project.audit()[-1]
    assert final["phase"] == "finished"
    assert final["interrupted"] is True


def test_a_killed_run_leaves_its_intent_in_the_audit_log(
    servers: list[Server], tmp_path: Path
) -> None:
    with fault_proxy(servers[2].upload_url.rstrip("/")) as (proxy, plan):
        plan.latency = 1.5
        project = _slow_project(servers, tmp_path, proxy, "2.7.9")
        process = _start(project)
        _wait_for_post(plan)
        process.kill()
        process.communicate(timeout=30)
    (record,) = project.audit()
    assert record["phase"] == "started"
    assert record["registries"] == ["pypi2", "mirror"]
    assert sorted(a["filename"] for a in record["artifacts"]) == project.files()


def test_black_holed_and_trickling_registries_do_not_hold_the_others(
    servers: list[Server], tmp_path: Path
) -> None:
    with silent_server() as black_hole, silent_server(trickle=0.3) as trickle:
        extra = registry_toml("blackhole", black_hole, required=False) + registry_toml(
            "trickle", trickle, required=False
        )
        project = make_project(tmp_path, "2.8.0", servers[:1], extra=extra)
        for name in ("BLACKHOLE", "TRICKLE"):
            project.env.update({f"RG_USER_{name}": "u", f"RG_PASS_{name}": "p4ssword"})
        config = project.root / "releasegate.toml"
        config.write_text(
            config.read_text()
            .replace("retries = 8", "retries = 1")
            .replace("timeout = 2.0", "timeout = 1.0\nrequest-deadline = 2.0\nplan-deadline = 4.0"),
            encoding="utf-8",
        )
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "releasegate", "publish"],
            cwd=project.root,
            env={**os.environ, **GIT_ENV, **project.env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        took = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert took < 20, took
    assert "no complete answer within 2s" in result.stdout
    assert served(servers[0].index_url, "rgdemo-2.8.0.tar.gz") == project.sha("rgdemo-2.8.0.tar.gz")


def test_dry_run_json_is_the_plan_and_short_user_names_are_not_masked(
    servers: list[Server], tmp_path: Path
) -> None:
    project = make_project(tmp_path, "2.9.0", servers[:1])
    result = project.publish("--dry-run", "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = {r["registry"]: r for r in json.loads(result.stdout)["plan"]}
    assert {f["action"] for f in plan["pypi0"]["files"]} == {"upload"}
    assert {f["sha256"] for f in plan["mirror"]["files"]} == {
        project.sha(n) for n in project.files()
    }
    # A user name "1" is no secret: masking it would turn "HTTP 403" into "HTTP 403" with
    # every 1 gone ("retry ***", "HTTP 40***"); the password still never appears.
    project.env["RG_USER_PYPI0"] = "1"
    refused = project.publish()
    assert refused.returncode == 1
    assert "credentials refused" in refused.stdout
    assert "HTTP 40" in refused.stdout
    assert "HTTP 40***" not in refused.stdout
    assert servers[0].password not in refused.stdout + refused.stderr


def _lost_answer_project(
    server: Server, tmp_path: Path, version: str, plan: FaultPlan, proxy: str
) -> Project:
    """``server`` behind the proxy, one upload at a time: the first upload's answer is lost."""
    urls = {server.name: (via(proxy, server.upload_url), via(proxy, server.index_url))}
    project = make_project(tmp_path, version, [server], urls=urls)
    config = project.root / "releasegate.toml"
    config.write_text(
        config.read_text().replace("concurrency = 8", "concurrency = 1"), encoding="utf-8"
    )
    plan.faults.append("lost")
    return project


def _files_of(audit: dict[str, Any], registry: str) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = next(
        r["files"] for r in audit["registries"] if r["name"] == registry
    )
    return files


def test_an_upload_whose_answer_was_lost_is_uploaded_when_the_registry_serves_our_bytes(
    servers: list[Server], tmp_path: Path
) -> None:
    target = servers[1]
    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        project = _lost_answer_project(target, tmp_path, "3.0.0", plan, proxy)
        result = project.publish()
        posts = plan.seen.count("POST")
    assert result.returncode == 0, result.stdout + result.stderr
    assert posts == 3  # the lost upload, its retry (pypiserver: 409 already exists), the other
    files = _files_of(project.audit()[-1], target.name)
    assert sorted(f["attempts"] for f in files.values()) == [1, 2]
    assert {(f["state"], f["verified"], f["error"]) for f in files.values()} == {
        ("uploaded", True, None)
    }
    assert "already serves" not in result.stdout
    assert "HTTP 409" not in result.stdout
    for filename in project.files():
        assert served(target.index_url, filename) == project.sha(filename)


def test_an_upload_whose_answer_was_lost_is_a_conflict_when_other_bytes_landed(
    servers: list[Server], tmp_path: Path
) -> None:
    """Another uploader's file takes the name between the lost answer and the retry."""
    target = servers[1]
    assert target.packages is not None
    packages = target.packages
    replaced: list[str] = []

    def other_bytes_land(_path: str) -> None:
        (landed,) = (p for p in packages.iterdir() if p.name.startswith("rgdemo-3.0.1"))
        landed.write_bytes(b"someone else's " + landed.read_bytes())
        replaced.append(landed.name)

    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        plan.landed = other_bytes_land
        project = _lost_answer_project(target, tmp_path, "3.0.1", plan, proxy)
        result = project.publish("--format", "json")
        posts = plan.seen.count("POST")
    assert result.returncode == 1, result.stdout + result.stderr
    (name,) = replaced
    found = [f for r in json.loads(result.stdout)["checks"] for f in r["findings"]]
    conflicts = [f for f in found if f["rule"] == "publish/conflict"]
    assert [f["path"].rsplit("/", 1)[-1] for f in conflicts] == [name]
    assert project.sha(name) in conflicts[0]["message"]  # both hashes are named
    assert not [f for f in found if f["rule"] == "publish/upload-failed"]
    # A conflict on a registry starts no further upload of the version there.
    assert posts == 2
    files = _files_of(project.audit()[-1], target.name)
    assert files[name]["state"] == "conflict"
    (other,) = set(files) - {name}
    assert files[other]["state"] == "planned"


def _restate_version(wheel: Path, version: str) -> None:
    """The wheel rewritten with its METADATA stating ``version`` (a stale or mixed build)."""
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            stated = re.sub(rb"(?m)^Version: .*$", f"Version: {version}".encode(), data)
            archive.writestr(info, stated if info.filename.endswith("/METADATA") else data)


def test_a_wheel_whose_metadata_states_another_version_is_refused_before_any_upload(
    servers: list[Server], tmp_path: Path
) -> None:
    """A 1.6.0 release carrying a wheel whose METADATA says 1.5.9: pip refuses it as
    inconsistent, so nothing of the release goes anywhere."""
    target = servers[2]
    project = make_project(tmp_path, "1.6.0", [target])
    (wheel,) = (n for n in project.files() if n.endswith(".whl"))
    _restate_version(project.dist / wheel, "1.5.9")
    result = project.publish()
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout + result.stderr
    assert f"{wheel}: rgdemo-1.6.0.dist-info/METADATA says Version: 1.5.9" in out
    assert "nothing was published" in out
    for filename in project.files():
        assert served(target.index_url, filename) is None
    assert not (project.root / "mirror").exists()


FOREIGN_WHEEL = "rgdemo-{}-cp311-cp311-manylinux_2_17_x86_64.whl"


def test_a_foreign_wheel_of_the_version_on_one_registry_fails_the_publish_there(
    servers: list[Server], tmp_path: Path
) -> None:
    """pip on cp311/Linux installs the more specific foreign wheel instead of ours: the
    version as served is judged whole, as verify-mirrors does, not only our names."""
    project = make_project(tmp_path, "6.2.0", servers[:3])
    foreign = FOREIGN_WHEEL.format("6.2.0")
    (tmp_path / foreign).write_bytes(b"not our wheel")
    copy_into(servers[1], tmp_path / foreign)
    planned = project.publish("--dry-run")
    assert planned.returncode == 1, planned.stdout + planned.stderr
    assert f"pypi1: also serves {foreign}" in planned.stdout

    result = project.publish("--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    checks = {r["check"]: r["findings"] for r in json.loads(result.stdout)["checks"]}
    assert [(f["rule"], f["message"]) for f in checks["publish pypi1"]] == [
        (
            "publish/extra",
            f"pypi1: also serves {foreign} (sha256 {_sha(b'not our wheel')}) for this "
            "version, which is not part of the release",
        )
    ]
    assert checks["publish pypi0"] == checks["publish pypi2"] == checks["publish mirror"] == []
    # Our files are there and verified; the ledger does not let --resume trust the registry.
    assert all(f["verified"] for f in _files_of(project.audit()[-1], "pypi1").values())
    assert not any(f["verified"] for f in project.ledger()["registries"]["pypi1"].values())
    resumed = project.publish("--resume")
    assert resumed.returncode == 1, resumed.stdout
    assert foreign in resumed.stdout


def test_a_foreign_wheel_appearing_during_the_run_fails_the_publish(
    servers: list[Server], tmp_path: Path
) -> None:
    target = servers[0]
    foreign = FOREIGN_WHEEL.format("6.2.1")
    reads: list[bytes] = []

    def after_the_plan(page: bytes) -> bytes:
        reads.append(page)
        if len(reads) == 1:
            return page
        # Listed without a hash: the verification downloads it to say what it is.
        link = f'<a href="/foreign/{foreign}">{foreign}</a>'.encode()
        return page.replace(b"</body>", link + b"</body>")

    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        plan.rewrite_page = after_the_plan
        plan.serve[f"/foreign/{foreign}"] = b"uploaded meanwhile"
        project = _proxied_project(target, tmp_path, "6.2.1", proxy, retries=1)
        result = project.publish()
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"pypi0: also serves {foreign} (sha256 {_sha(b'uploaded meanwhile')})" in result.stdout
    assert len(reads) == 2


@contextlib.contextmanager
def _small_filesystem(where: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (root only: CI runs as root; skipped elsewhere)."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_a_full_disk_on_a_directory_registry_leaves_its_index_as_it_was(tmp_path: Path) -> None:
    """Disk full midway: a registry error naming the path and errno, not a releasegate bug;
    no temporary file left, and the page lists nothing of the release (files first, index
    last): pip never sees a version with only some of its files."""
    root = tmp_path / "project"
    build_project(root, "rgdemo", "7.0.0", data_size=48_000)  # random: neither file compresses
    sizes = sorted(p.stat().st_size for p in (root / "dist").iterdir())
    with _small_filesystem(tmp_path / "small", "1m") as small:
        page_dir = small / "simple" / "rgdemo"
        page_dir.mkdir(parents=True)
        (page_dir / "rgdemo-1.0.0.tar.gz").write_bytes(b"an older release")
        (page_dir / "index.html").write_text(
            '<a href="rgdemo-1.0.0.tar.gz">rgdemo-1.0.0.tar.gz</a>\n', encoding="utf-8"
        )
        before = (page_dir / "index.html").read_bytes()
        # Room for the smaller file and not for both.
        free = os.statvfs(small).f_bavail * os.statvfs(small).f_frsize
        (small / "filler").write_bytes(b"\0" * (free - sizes[0] - sizes[1] // 2))
        (root / "releasegate.toml").write_text(
            f'[publish]\nconcurrency = 1\n[[registries]]\nname = "small"\nkind = "directory"\n'
            f'url = "{small}"\n',
            encoding="utf-8",
        )
        env = {"CI": "", "RELEASEGATE_DIRECTORY_REGISTRY_ROOTS": str(small)}
        result = run_cli("publish", cwd=root, env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        out = result.stdout + result.stderr
        assert "releasegate bug" not in out
        assert re.search(
            rf"registry small: cannot write {re.escape(str(page_dir))}/rgdemo-7\.0\.0\S+: "
            r"No space left on device \(errno 28 ENOSPC\)",
            out,
        ), out
        assert not list(small.rglob(".tmp-*"))
        assert (page_dir / "index.html").read_bytes() == before

        # Room again: the next run places what is missing, then lists the whole release.
        (small / "filler").unlink()
        again = run_cli("publish", cwd=root, env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        page = (page_dir / "index.html").read_text(encoding="utf-8")
        assert all(p.name in page for p in (root / "dist").iterdir())
        assert "rgdemo-1.0.0.tar.gz" in page


def _slow_mirror_run(
    servers: list[Server], tmp_path: Path, version: str, settings: str
) -> tuple[subprocess.CompletedProcess[str], float]:
    """One real registry and an optional mirror that never answers, ``settings`` added."""
    with silent_server() as slow:
        extra = registry_toml("slow", slow, required=False)
        project = make_project(tmp_path, version, servers[:1], extra=extra)
        project.env.update({"RG_USER_SLOW": "u", "RG_PASS_SLOW": "p4ssword"})
        config = project.root / "releasegate.toml"
        config.write_text(
            config.read_text()
            .replace("retries = 8", "retries = 5")
            .replace("timeout = 2.0", f"timeout = 3.0\nrequest-deadline = 3.0\n{settings}"),
            encoding="utf-8",
        )
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "releasegate", "publish"],
            cwd=project.root,
            env={**os.environ, **GIT_ENV, **project.env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return result, time.monotonic() - started


def test_a_mirror_left_behind_at_the_plan_deadline_does_not_hold_the_run(
    servers: list[Server], tmp_path: Path
) -> None:
    """With stop-release, a registry without a plan at plan-deadline gets nothing: the run
    ends with the others instead of waiting out (retries + 1) x request-deadline (18 s)."""
    result, took = _slow_mirror_run(servers, tmp_path, "7.1.0", "plan-deadline = 2.0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert took < 12, (took, result.stdout)
    assert "slow: no plan within plan-deadline (2s)" in result.stdout


def test_retries_spend_a_budget_bounded_by_the_run_deadline(
    servers: list[Server], tmp_path: Path
) -> None:
    """stop-registry lets the slow mirror go on alone, within run-deadline: no retry starts
    that the budget cannot pay for, and the run ends by it."""
    settings = 'plan-deadline = 2.0\nrun-deadline = 7.0\non-conflict = "stop-registry"'
    result, took = _slow_mirror_run(servers, tmp_path, "7.1.1", settings)
    assert result.returncode == 0, result.stdout + result.stderr
    assert took < 12, (took, result.stdout)
    # Two attempts of 3 s; a third could not end by 7 s: the registry fails with its own error.
    assert "(not retried: the run-deadline leaves no time for it)" in result.stdout
    assert "no end within run-deadline" not in result.stdout


def test_two_publishes_on_one_ledger_take_turns_and_upload_each_file_once(
    servers: list[Server], tmp_path: Path
) -> None:
    """A re-run started while the first run still uploads: one run at a time per ledger.
    Told not to wait, the second stops naming the holder; waiting, it finds every file
    there and skips it."""
    with fault_proxy(servers[2].upload_url.rstrip("/")) as (proxy, plan):
        plan.latency = 1.0
        project = _slow_project(servers, tmp_path, proxy, "7.2.0")
        first = _start(project)
        _wait_for_post(plan)
        config = project.root / "releasegate.toml"
        waiting = config.read_text(encoding="utf-8")
        config.write_text(waiting.replace("[publish]\n", "[publish]\nlock-wait = 0\n"))
        refused = project.publish()
        config.write_text(waiting, encoding="utf-8")
        second = _start(project)
        out_first, err_first = first.communicate(timeout=120)
        out_second, err_second = second.communicate(timeout=120)
        posts = plan.seen.count("POST")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    holder = f"(pid {first.pid} on "
    assert "another publish holds" in refused.stderr + refused.stdout
    assert holder in refused.stderr + refused.stdout
    assert first.returncode == 0, out_first + err_first
    assert second.returncode == 0, out_second + err_second
    assert posts == 2  # each file once, by the first run
    finished = [e for e in project.audit() if e["phase"] == "finished"]
    states = [sorted(f["state"] for f in _files_of(e, "pypi2").values()) for e in finished]
    assert states == [["uploaded", "uploaded"], ["skipped", "skipped"]]
    ledger = project.ledger()["registries"]
    assert set(ledger) == {"pypi2", "mirror"}
    assert all(f["verified"] for f in ledger["pypi2"].values())


def test_a_file_another_run_uploaded_between_plan_and_upload_is_recorded_as_already_there(
    servers: list[Server], tmp_path: Path
) -> None:
    """Two machines (two ledgers) publishing at once: the loser's POST meets 409 over our
    own bytes. Not "uploaded" (it was not this run), not a failure: already there."""
    target = servers[1]
    landed: list[str] = []

    def other_run_uploads_first(method: str, path: str) -> None:
        if method == "POST" and not landed:
            (wheel,) = (p for p in project.dist.iterdir() if p.name.endswith(".whl"))
            copy_into(target, wheel)
            landed.append(wheel.name)

    with fault_proxy(target.upload_url.rstrip("/")) as (proxy, plan):
        plan.before = other_run_uploads_first
        project = _proxied_project(target, tmp_path, "7.2.1", proxy)
        config = project.root / "releasegate.toml"
        config.write_text(config.read_text().replace("concurrency = 8", "concurrency = 1"))
        result = project.publish()
    assert result.returncode == 0, result.stdout + result.stderr
    files = _files_of(project.audit()[-1], target.name)
    (wheel,) = landed
    assert files[wheel] == {
        "state": "already there (another run)",
        "verified": True,
        "attempts": 1,
        "error": None,
    }
    (sdist,) = set(files) - {wheel}
    assert files[sdist]["state"] == "uploaded"
    assert f"already there (another run) {wheel}" in result.stdout
