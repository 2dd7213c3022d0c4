"""``releasegate publish`` against real pypiserver and devpi-server instances on loopback."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.publish_support import (
    USER,
    FaultPlan,
    Server,
    build_project,
    copy_into,
    fault_proxy,
    pip_install,
    setup_devpi,
    start_devpi,
    start_pypiserver,
    via,
    wait_http,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow

FAST_RETRIES = {"retries": 8, "backoff": 0.05, "backoff-max": 2.0, "timeout": 2.0, "concurrency": 8}


@pytest.fixture(scope="session")
def registries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    """Three pypiservers with htpasswd authentication and one devpi-server, started at once."""
    base = tmp_path_factory.mktemp("registries")
    servers: list[Server] = []
    try:
        servers = [start_pypiserver(base / f"pypi{i}", f"pypi{i}", f"pw-{i}-Zq8") for i in range(3)]
        servers.append(start_devpi(base, "pw-devpi-Zq8"))
        for server in servers[:3]:
            wait_http(server.index_url, server.process)
        setup_devpi(servers[3])
        yield servers
    finally:
        for server in servers:
            server.stop()


@dataclass
class Project:
    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def sha(self, filename: str) -> str:
        return hashlib.sha256((self.dist / filename).read_bytes()).hexdigest()

    def files(self) -> list[str]:
        return sorted(p.name for p in self.dist.iterdir() if p.name.endswith((".whl", ".tar.gz")))

    def publish(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("publish", *args, cwd=self.root, env=self.env)

    def ledger(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(
            (self.root / ".releasegate/publish-ledger.json").read_text()
        )
        return data

    def audit(self) -> list[dict[str, Any]]:
        lines = (self.root / ".releasegate/publish-audit.jsonl").read_text().splitlines()
        return [json.loads(line) for line in lines]


def registry_toml(
    name: str, url: str, index_url: str | None = None, required: bool = True, kind: str = "pypi"
) -> str:
    lines = ["[[registries]]", f'name = "{name}"', f'kind = "{kind}"', f'url = "{url}"']
    if index_url:
        lines.append(f'index-url = "{index_url}"')
    if kind == "pypi":
        env = name.upper().replace("-", "_")
        lines += [f'username-env = "RG_USER_{env}"', f'password-env = "RG_PASS_{env}"']
    lines.append(f"required = {str(required).lower()}")
    return "\n".join(lines) + "\n"


def make_project(
    tmp_path: Path,
    version: str,
    servers: list[Server],
    *,
    urls: dict[str, tuple[str, str]] | None = None,
    extra: str = "",
    seed: int = 0,
) -> Project:
    """A built project configured with ``servers`` (URLs overridable) and a directory."""
    root = tmp_path / "project"
    build_project(root, "rgdemo", version, seed=seed)
    project = Project(root)
    parts = ["[publish]\n" + "".join(f"{k} = {v}\n" for k, v in FAST_RETRIES.items())]
    for server in servers:
        upload, index = (urls or {}).get(server.name, (server.upload_url, server.index_url))
        parts.append(registry_toml(server.name, upload, index))
        env = server.name.upper()
        project.env[f"RG_USER_{env}"] = USER
        project.env[f"RG_PASS_{env}"] = server.password
    parts.append(registry_toml("mirror", "mirror", kind="directory"))
    (root / "releasegate.toml").write_text("\n".join(parts) + extra, encoding="utf-8")
    return project


def served(index_url: str, filename: str) -> str | None:
    """sha256 of ``filename`` as downloaded from the index (read independently of releasegate)."""
    page_url = f"{index_url.rstrip('/')}/rgdemo/"
    request = urllib.request.Request(page_url, headers={"Accept": "text/html"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            page = response.read().decode()
            base = response.url
    except urllib.error.HTTPError:
        return None
    for href in re.findall(r'href="([^"]+)"', page):
        if href.split("#")[0].rsplit("/", 1)[-1] == filename:
            with urllib.request.urlopen(urllib.parse.urljoin(base, href), timeout=30) as file:
                return hashlib.sha256(file.read()).hexdigest()
    return None


def assert_everywhere(project: Project, servers: list[Server]) -> None:
    for server in servers:
        for filename in project.files():
            assert served(server.index_url, filename) == project.sha(filename), (
                server.name,
                filename,
            )
    for filename in project.files():
        assert (
            project.sha(filename)
            == hashlib.sha256(
                (project.root / "mirror/simple/rgdemo" / filename).read_bytes()
            ).hexdigest()
        )


def test_publish_to_every_registry_then_pip_installs_from_each(
    registries: list[Server], tmp_path: Path
) -> None:
    project = make_project(tmp_path, "1.0.0", registries)
    wheel = next(project.dist.glob("*.whl")).name
    # A signature bundle and a PEP 740 attestation beside the wheel travel with it.
    (project.dist / f"{wheel}.sigstore.json").write_text('{"mediaType": "bundle"}')
    (project.dist / f"{wheel}.publish.attestation").write_text('{"version": 1}')

    planned = project.publish("--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert planned.stdout.count("upload") >= 10  # 5 registries x 2 files
    assert all(served(s.index_url, f) is None for s in registries for f in project.files())

    first = project.publish()
    assert first.returncode == 0, first.stdout + first.stderr
    assert_everywhere(project, registries)
    mirrored = project.root / "mirror/simple/rgdemo"
    for suffix in (".sigstore.json", ".publish.attestation"):
        assert (mirrored / f"{wheel}{suffix}").read_bytes() == (
            project.dist / f"{wheel}{suffix}"
        ).read_bytes()
    for name in ("pypi0", "pypi1", "pypi2", "devpi", "mirror"):
        assert re.search(rf"{name}\s.*completed\s.*\b2\b.*\b0\b.*\b0\b", first.stdout), first.stdout

    # Content-addressed: a second run, without any ledger, skips everything.
    (project.root / ".releasegate/publish-ledger.json").unlink()
    second = project.publish()
    assert second.returncode == 0, second.stderr
    assert "plan: 0 upload, 2 skip, 0 conflict" in second.stdout

    record = project.audit()[-1]
    assert record["commit"] is None or isinstance(record["commit"], str)
    assert {a["filename"] for a in record["artifacts"]} == set(project.files())
    assert all(r["completed"] for r in record["registries"])

    indexes = [s.index_url for s in registries] + [(project.root / "mirror/simple").as_uri()]

    def install(pair: tuple[int, str]) -> subprocess.CompletedProcess[str]:
        target = tmp_path / f"site{pair[0]}"
        done = pip_install(pair[1], "rgdemo==1.0.0", target)
        if done.returncode == 0:
            return subprocess.run(
                [sys.executable, "-c", "import rgdemo; print(rgdemo.__version__)"],
                env={"PYTHONPATH": str(target)},
                capture_output=True,
                text=True,
                check=False,
            )
        return done

    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(install, enumerate(indexes)))
    for index, result in zip(indexes, results, strict=True):
        assert result.returncode == 0, (index, result.stderr)
        assert result.stdout.strip() == "1.0.0"


def test_faults_in_front_of_one_registry_are_retried_until_everything_is_there(
    registries: list[Server], tmp_path: Path
) -> None:
    target = registries[0]
    plan = FaultPlan(
        faults=["500", "429", "reset", "stall", "500", "reset"],
        methods=("POST", "GET"),
        stall_seconds=3.0,
        retry_after="1",
    )
    with fault_proxy(target.upload_url.rstrip("/"), plan) as (proxy, _):
        urls = {target.name: (via(proxy, target.upload_url), via(proxy, target.index_url))}
        project = make_project(tmp_path, "1.1.0", registries, urls=urls)
        result = project.publish()
    assert result.returncode == 0, result.stdout + result.stderr
    assert plan.faults == []  # every injected fault was met
    assert "retry" in result.stdout
    assert "Retry-After" not in result.stdout  # the 429 wait is shown as a delay, not a header dump
    assert_everywhere(project, registries)


def test_a_registry_down_for_the_whole_run_fails_alone_and_resume_completes_it(
    registries: list[Server], tmp_path: Path
) -> None:
    target = registries[1]
    plan = FaultPlan(down=True)
    with fault_proxy(target.upload_url.rstrip("/"), plan) as (proxy, _):
        urls = {target.name: (via(proxy, target.upload_url), via(proxy, target.index_url))}
        project = make_project(tmp_path, "1.2.0", registries, urls=urls)
        project.root.joinpath("releasegate.toml").write_text(
            project.root.joinpath("releasegate.toml")
            .read_text()
            .replace("retries = 8", "retries = 2")
        )
        down = project.publish()
        assert down.returncode == 1, down.stdout + down.stderr
        assert re.search(r"pypi1\s.*FAILED", down.stdout), down.stdout
        others = [s for s in registries if s is not target]
        assert_everywhere(project, others)
        ledger = project.ledger()["registries"]
        assert "pypi1" not in ledger or not any(f["verified"] for f in ledger["pypi1"].values())

        mirrors = run_cli("verify-mirrors", cwd=project.root, env=project.env)
        assert mirrors.returncode == 1
        assert "pypi1: " in mirrors.stdout
        assert "[verify-mirrors/unreachable]" in mirrors.stdout

        plan.down = False
        resumed = project.publish("--resume")
        mirrors = run_cli("verify-mirrors", "--version", "1.2.0", cwd=project.root, env=project.env)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "completed (from ledger)" in resumed.stdout
    assert re.search(r"pypi1\s.*completed\s.*\b2\b", resumed.stdout), resumed.stdout
    assert_everywhere(project, registries)
    outcomes = {r["name"]: r for r in project.audit()[-1]["registries"]}
    assert outcomes["pypi1"]["files"]["rgdemo-1.2.0.tar.gz"]["state"] == "uploaded"
    assert outcomes["pypi0"]["resumed"] is True
    assert mirrors.returncode == 0, mirrors.stdout
    assert "5 registries, version 1.2.0, 2 files: 0 problem(s)" in mirrors.stdout


def test_a_conflict_stops_the_release_everywhere_and_never_makes_a_mixed_release(
    registries: list[Server], tmp_path: Path
) -> None:
    other = build_project(tmp_path / "impostor", "rgdemo", "1.3.0", data_size=1000, seed=7)
    wheel, sdist = "rgdemo-1.3.0-py3-none-any.whl", "rgdemo-1.3.0.tar.gz"
    copy_into(registries[2], other / wheel)
    impostor_sha = hashlib.sha256((other / wheel).read_bytes()).hexdigest()

    project = make_project(tmp_path, "1.3.0", registries)
    assert project.sha(wheel) != impostor_sha
    # Default: the plan is complete before the first byte moves; a conflict stops it all.
    result = project.publish("--format", "json", "--output", "report.json")
    assert result.returncode == 1
    assert re.search(r"pypi2\s.*FAILED", result.stdout), result.stdout
    # The text says why: the file and both hashes.
    assert f"{wheel} (served sha256 {impostor_sha}, ours {project.sha(wheel)})" in result.stdout
    assert served(registries[2].index_url, wheel) == impostor_sha  # untouched
    report = json.loads((project.root / "report.json").read_text())
    rules = [f["rule"] for r in report["checks"] for f in r["findings"]]
    assert "publish/conflict" in rules
    for server in registries:
        assert served(server.index_url, sdist) is None, server.name
    assert not (project.root / "mirror/simple/rgdemo").exists()

    # Asked for: the others publish; the conflicting registry gets nothing of the version.
    (project.root / "releasegate.toml").write_text(
        (project.root / "releasegate.toml")
        .read_text()
        .replace("[publish]\n", '[publish]\non-conflict = "stop-registry"\n'),
        encoding="utf-8",
    )
    result = project.publish()
    assert result.returncode == 1, result.stdout
    assert_everywhere(project, [registries[0], registries[1], registries[3]])
    assert served(registries[2].index_url, sdist) is None  # no mixed release on pypi2
    assert served(registries[2].index_url, wheel) == impostor_sha

    (project.root / "mirror/simple/rgdemo/rgdemo-1.3.0.tar.gz").unlink()
    mirrors = run_cli("verify-mirrors", "--format", "json", cwd=project.root, env=project.env)
    assert mirrors.returncode == 1
    found = [f for r in json.loads(mirrors.stdout)["checks"] for f in r["findings"]]
    assert sorted((f["rule"], f["message"].split(":")[0]) for f in found) == [
        ("verify-mirrors/mismatch", "pypi2"),
        ("verify-mirrors/missing", "mirror"),
        ("verify-mirrors/missing", "pypi2"),
    ]


def test_secrets_never_appear_in_output_report_ledger_or_audit_even_on_401_and_500(
    registries: list[Server], tmp_path: Path
) -> None:
    from tests.publish_github_standin import github_standin

    token = "ghp_LEAKCANARY0123456789abcdefABCDEF"
    refused, failing = registries[0], registries[1]
    plan = FaultPlan(faults=["500"] * 50, methods=("POST",), echo_auth=True)
    with (
        fault_proxy(failing.upload_url.rstrip("/"), plan) as (proxy, _),
        github_standin("octo/demo", token) as (api, state),
    ):
        state.fail_uploads = 50
        urls = {failing.name: (via(proxy, failing.upload_url), via(proxy, failing.index_url))}
        project = make_project(
            tmp_path,
            "1.4.0",
            [refused, failing],
            urls=urls,
            extra=(
                f'\n[[registries]]\nname = "gh"\nkind = "github-release"\nurl = "{api}"\n'
                f'repository = "octo/demo"\ntoken-env = "RG_GH_TOKEN"\n'
                f'\n[[registries]]\nname = "gh-bad"\nkind = "github-release"\nurl = "{api}"\n'
                f'repository = "octo/demo"\ntoken-env = "RG_GH_OLD_TOKEN"\n'
            ),
        )
        toml = project.root / "releasegate.toml"
        toml.write_text(toml.read_text().replace("retries = 8", "retries = 1"))
        wrong = "wrong-Passw0rd-CANARY"
        old_token = "ghp_OLDCANARY9876543210zyxwvuZYXWVU"
        project.env.update(
            {
                "RG_PASS_PYPI0": wrong,
                "RG_GH_TOKEN": token,
                "GITHUB_ACTIONS": "true",
                "RG_GH_OLD_TOKEN": old_token,
                "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
            }
        )
        result = project.publish("-v", "--format", "json", "--output", "report.json")
    assert result.returncode == 1
    assert "::group::releasegate publish pypi0" in result.stdout
    assert (
        "HTTP 403 (credentials refused)" in result.stdout
    )  # pypiserver's answer to a bad password
    assert "HTTP 401 (credentials refused)" in result.stdout  # GitHub's answer to a bad token
    assert "HTTP 500" in result.stdout

    secrets = {token, old_token, wrong, failing.password}
    derived = {base64.b64encode(f"{USER}:{s}".encode()).decode() for s in secrets}
    derived |= {base64.b64encode(s.encode()).decode() for s in secrets}
    places = {
        "stdout": result.stdout,
        "stderr": result.stderr,
        "report": (project.root / "report.json").read_text(),
        "ledger": (project.root / ".releasegate/publish-ledger.json").read_text(),
        "audit": (project.root / ".releasegate/publish-audit.jsonl").read_text(),
        "summary": (tmp_path / "summary.md").read_text()
        if (tmp_path / "summary.md").exists()
        else "",
    }
    for where, text in places.items():
        for secret in secrets | derived:
            assert secret not in text, f"a secret leaked into {where}"


def test_dists_over_the_in_memory_limit_are_streamed_from_disk(
    registries: list[Server], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from releasegate._internal.publish.artifacts import discover
    from releasegate._internal.publish.registries import upload_form
    from releasegate._internal.publish.registries.base import RegistryContext
    from releasegate._internal.publish.registries.pypi import PypiRegistry
    from releasegate._internal.publish.retry import RetryPolicy
    from releasegate._internal.publish.scrub import Scrubber
    from releasegate._internal.publish.settings import Kind, RegistrySpec

    monkeypatch.setattr(upload_form, "IN_MEMORY_LIMIT", 1000)
    server = registries[0]
    dist = build_project(tmp_path / "big", "rgdemo", "1.5.0", data_size=200_000)
    spec = RegistrySpec(
        server.name,
        Kind.PYPI,
        server.upload_url,
        required=True,
        trusted_publishing=False,
        tag_format="v{version}",
        index_url=server.index_url,
        username_env="U",
        password_env="P",
    )
    context = RegistryContext(
        spec,
        "rgdemo",
        "1.5.0",
        tmp_path,
        {"U": USER, "P": server.password},
        RetryPolicy(retries=5, backoff=1.0, backoff_max=60.0, timeout=30, deadline=300.0),
        Scrubber(),
    )
    registry = PypiRegistry(context)
    artifacts = discover(dist)
    for artifact in artifacts:
        form = context.forms.prepare(artifact)
        assert form.body is None  # streamed
        registry.upload(artifact)
    held = {name: sha for name, sha in registry.holdings().items() if "1.5.0" in name}
    assert held == {a.filename: a.sha256 for a in artifacts}
    for artifact in artifacts:
        assert served(server.index_url, artifact.filename) == artifact.sha256
