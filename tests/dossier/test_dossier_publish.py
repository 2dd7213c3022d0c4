"""The dossier of a real release: a project built and verified by ``releasegate build
--verify``, its API checked against the previous tag, an SBOM made, published to two real
pypiservers, their served bytes downloaded by ``verify-mirrors``; then the dossier from those
records alone."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from tests.conftest import run_cli
from tests.dossier.test_dossier import validate
from tests.dossier_support import SIGSTORE, assert_safe_page
from tests.publish_support import (
    PYPROJECT,
    USER,
    Server,
    build_project,
    start_pypiserver,
    wait_http,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow

PACKAGING = (
    "packaging==25.0 \\\n"
    "    --hash=sha256:29572ef2b1f17581046b3a2227d5c611fb25ec70ca1ba8554b24b0e69331a484\n"
)


@pytest.fixture(scope="module")
def two_registries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    base = tmp_path_factory.mktemp("dossier-registries")
    servers = [start_pypiserver(base / f"r{i}", f"reg{i}", f"pw-{i}-Dq4") for i in range(2)]
    try:
        for server in servers:
            wait_http(server.index_url, server.process)
        yield servers
    finally:
        for server in servers:
            server.stop()


def _config(servers: list[Server]) -> str:
    lines = []
    for s in servers:
        env = s.name.upper()
        lines += ["[[registries]]", f'name = "{s.name}"', 'kind = "pypi"', f'url = "{s.upload_url}"',
                  f'index-url = "{s.index_url}"', f'username-env = "RG_USER_{env}"',
                  f'password-env = "RG_PASS_{env}"', ""]  # fmt: skip
    return "\n".join(lines)


def _pyproject(version: str) -> str:
    text = PYPROJECT.format(name="rgdossier", version=version, module="rgdossier")
    requires = 'requires-python = ">=3.8"\n'
    return text.replace(requires, requires + 'dependencies = ["packaging>=24"]\n')


def _release(make_repo: Callable[..., GitRepo], servers: list[Server]) -> GitRepo:
    """0.9.0 with ``old()``, then 1.0.0 without it (a removal in a major bump)."""
    files = {
        "pyproject.toml": _pyproject("0.9.0"),
        "src/rgdossier/__init__.py": "def old() -> int:\n    return 1\n",
        "releasegate.toml": _config(servers),
        "requirements.txt": PACKAGING,
        ".gitignore": "dist/\n.releasegate/\n*.json\nsite/\n",
    }
    repo = make_repo(files, tag="v0.9.0")
    new = {
        "pyproject.toml": _pyproject("1.0.0"),
        "src/rgdossier/__init__.py": "def new() -> int:\n    return 2\n",
    }
    repo.commit(new, tag="v1.0.0")
    return repo


def test_the_dossier_of_a_release_published_to_two_registries(
    make_repo: Callable[..., GitRepo], two_registries: list[Server], tmp_path: Path
) -> None:
    servers = two_registries
    repo = _release(make_repo, servers)
    root = repo.root
    env = {f"RG_USER_{s.name.upper()}": USER for s in servers}
    env |= {f"RG_PASS_{s.name.upper()}": s.password for s in servers}
    summary = tmp_path / "summary.md"
    steps = [
        ("build", "--verify", "--no-isolation", "--format", "json", "--output", "build.json"),
        ("check", "semver", "api", "--format", "json", "--output", "check.json"),
        ("sbom", "--offline", "--lockfile", "requirements.txt"),
    ]
    for step in steps:
        result = run_cli(*step, cwd=root)
        assert result.returncode == 0, (step, result.stdout[-2000:], result.stderr[-2000:])
    wheel = next(p.name for p in (root / "dist").iterdir() if p.name.endswith(".whl"))
    (root / "dist" / f"{wheel}.sigstore.json").write_bytes(
        (SIGSTORE / "bundle_v3_github.whl.sigstore").read_bytes()
    )
    actions = {**env, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    # As the Action runs it: GitHub's format, the job summary written (with its diagrams).
    published = run_cli("publish", "--format", "github", cwd=root, env=actions)
    assert published.returncode == 0, published.stdout[-3000:] + published.stderr[-3000:]
    mirrors = run_cli(
        "verify-mirrors", "--format", "json", "--output", "mirrors.json", cwd=root, env=env
    )
    assert mirrors.returncode == 0, mirrors.stdout[-3000:] + mirrors.stderr[-3000:]

    reports = [a for name in ("build", "check", "mirrors") for a in ("--report", f"{name}.json")]
    made = run_cli("dossier", *reports, "--out-dir", "site", cwd=root)
    assert made.returncode == 0, made.stderr[-3000:]
    dossier = json.loads((root / "site" / "dossier.json").read_text(encoding="utf-8"))
    validate(dossier)

    # Every record was made; only the sdist was not signed (sigstore signs in real Actions only).
    assert [(g["record"], g["detail"]) for g in dossier["gaps"]] == [
        ("signatures", "no bundle beside rgdossier-1.0.0.tar.gz (`releasegate sign`)")
    ]
    shas = {a["filename"]: a["sha256"] for a in dossier["artifacts"]}
    assert len(shas) == 2
    assert {a["sha256sums"] for a in dossier["artifacts"]} == {"same"}
    assert [r["name"] for r in dossier["registries"]] == ["reg0", "reg1"]
    for registry in dossier["registries"]:
        for file in registry["files"]:  # the bytes each registry serves, downloaded and hashed
            assert file["served_sha256"] == shas[file["filename"]], (registry["name"], file)
            assert file["verified"]
            assert file["state"] == "uploaded"
    assert dossier["build"]["reproducible"] is True
    assert dossier["build"]["rebuild_command"] == (
        f"releasegate rebuild rgdossier==1.0.0 --index-url {servers[0].index_url} "
        "--buildinfo BUILDINFO.json"
    )
    assert dossier["api"]["base"] == {
        "tag": "v0.9.0",
        "version": "0.9.0",
        "commit": dossier["api"]["base"]["commit"],
        "ancestor": True,
    }
    changes = {(c["kind"], c["target"]) for c in dossier["api"]["changes"]}
    assert changes == {("object-removed", "rgdossier.old"), ("object-added", "rgdossier.new")}
    assert dossier["api"]["findings"] == []  # a major bump covers the removal
    assert [c["name"] for c in dossier["sbom"]["components"]] == ["packaging"]
    assert "GitHub Actions" in dossier["signatures"][0]["identity"]
    gates = {g["check"]: g["passed"] for g in dossier["gates"]}
    assert gates["reproducible"]
    assert gates["verify-mirrors"]
    assert sorted(b["registry"] for b in dossier["timeline"]) == ["reg0", "reg1"]
    assert all(b["completed"] for b in dossier["timeline"])

    page = (root / "site" / "dossier.html").read_text(encoding="utf-8")
    reader = assert_safe_page(page)
    assert reader.tags.count("rect") == 2  # a bar per registry
    text = " ".join(reader.text)
    for sha in shas.values():
        assert text.count(sha) >= 3  # the artifact and each registry's served bytes

    drawn = summary.read_text(encoding="utf-8")
    assert "```mermaid\ngantt" in drawn
    assert "    section publish reg0" in drawn
    assert "    section publish reg1" in drawn


def test_a_failed_publish_reports_each_registry_and_file_and_the_dossier_shows_it(
    two_registries: list[Server], tmp_path: Path
) -> None:
    """One registry refuses the upload (a wrong password): the publish report still says which
    registry got which file and why the other did not, and the dossier shows it (before, no
    report was kept and the dossier said the publish report was "unreadable")."""
    servers = two_registries
    root = tmp_path / "project"
    build_project(root, "rgfailed", "1.0.0", data_size=2000)
    (root / "releasegate.toml").write_text(_config(servers), encoding="utf-8")
    wrong = "wrong-Pw-7Hx2Kq"
    env = {f"RG_USER_{s.name.upper()}": USER for s in servers}
    env |= {"RG_PASS_REG0": servers[0].password, "RG_PASS_REG1": wrong}
    published = run_cli("publish", "--json-report", "reports/publish.json", cwd=root, env=env)
    assert published.returncode == 1, published.stdout[-3000:] + published.stderr[-3000:]

    written = (root / "reports" / "publish.json").read_text(encoding="utf-8")
    assert wrong not in written
    assert servers[0].password not in written
    data = {c["data"]["registry"]: c["data"] for c in json.loads(written)["checks"]}
    files = sorted(p.name for p in (root / "dist").iterdir())
    assert data["reg0"]["completed"] is True
    assert data["reg0"]["outcome"] == data["reg1"]["outcome"] == "failed"
    assert [(f["filename"], f["state"], f["verified"]) for f in data["reg0"]["files"]] == [
        (name, "uploaded", True) for name in files
    ]
    assert data["reg1"]["completed"] is False
    refused = [(f["filename"], f["state"]) for f in data["reg1"]["files"]]
    assert refused == [(name, "failed") for name in files]
    assert all("403" in f["error"] for f in data["reg1"]["files"]), data["reg1"]

    made = run_cli("dossier", "--report", "reports/publish.json", "--out-dir", "site", cwd=root)
    assert made.returncode == 0, made.stderr[-3000:]
    dossier = json.loads((root / "site" / "dossier.json").read_text(encoding="utf-8"))
    validate(dossier)
    assert not [g for g in dossier["gaps"] if g["record"] == "report"]
    assert dossier["publish"] == {
        "outcome": "failed",
        "runs": [{"member": None, "outcome": "failed", "error": None}],
    }
    registries = {r["name"]: r for r in dossier["registries"]}
    assert registries["reg0"]["completed"] is True
    assert [(f["state"], f["verified"]) for f in registries["reg0"]["files"]] == [
        ("uploaded", True)
    ] * len(files)
    assert registries["reg1"]["completed"] is False
    assert [(f["state"], f["verified"]) for f in registries["reg1"]["files"]] == [
        ("failed", False)
    ] * len(files)
    assert all("403" in (f["error"] or "") for f in registries["reg1"]["files"])
    assert {b["registry"]: b["completed"] for b in dossier["timeline"]} == {
        "reg0": True,
        "reg1": False,
    }

    page = (root / "site" / "dossier.html").read_text(encoding="utf-8")
    assert wrong not in page
    text = " ".join(" ".join(assert_safe_page(page).text).split())
    assert "The publish run: ✗ failed" in text
    assert "reg1 did not complete" in text
    assert text.count("not verified") == len(files)


def test_a_workspace_release_gets_one_dossier_per_member_from_one_publish_report(
    tmp_path: Path,
) -> None:
    """A uv workspace published to two real pypiservers, one refusing (a wrong password): the
    dossier at the root writes each member's page from the one workspace publish report, with
    that member's files only, where each went, and the members never started said."""
    from tests.workspace.test_workspace_publish import built_workspace
    from tests.workspace_support import MEMBERS

    base = tmp_path / "servers"
    servers = [start_pypiserver(base / f"r{i}", f"r{i}", f"pw-{i}-Kx") for i in range(2)]
    try:
        for server in servers:
            wait_http(server.index_url, server.process)
        root = tmp_path / "ws"
        env = built_workspace(root, servers) | {"P_R1": "wrong-Pw-4Zt"}
        published = run_cli("publish", "--json-report", "publish.json", cwd=root, env=env)
    finally:
        for server in servers:
            server.stop()
    assert published.returncode == 1, published.stdout[-3000:] + published.stderr[-3000:]

    made = run_cli("dossier", "--report", "publish.json", "--out-dir", "site", cwd=root)
    assert made.returncode == 0, made.stderr[-3000:]
    assert sorted(p.name for p in (root / "site").iterdir()) == sorted(MEMBERS)
    dossiers = {}
    for member in MEMBERS:
        dossier = json.loads((root / "site" / member / "dossier.json").read_text("utf-8"))
        validate(dossier)
        assert dossier["release"]["name"] == member
        assert {a["filename"].split("-")[0] for a in dossier["artifacts"]} == {member}
        assert len(dossier["artifacts"]) == 2
        dossiers[member] = dossier
    # core and util (the first wave) went to r0 and not to r1; api and cli never started.
    for member in ("core", "util"):
        dossier = dossiers[member]
        assert dossier["publish"]["outcome"] == "failed"
        states = {r["name"]: {f["state"] for f in r["files"]} for r in dossier["registries"]}
        assert states == {"r0": {"uploaded"}, "r1": {"failed"}}, member
        assert [r["completed"] for r in dossier["registries"]] == [True, False]
        gates = {g["check"] for g in dossier["gates"]}
        assert gates == {f"{member}/publish r0", f"{member}/publish r1"}
    for member in ("api", "cli"):
        assert dossiers[member]["publish"]["outcome"] == "not-started"
        (gate,) = dossiers[member]["gates"]
        assert "did not complete" in gate["findings"][0]["message"]
    page = (root / "site" / "api" / "dossier.html").read_text(encoding="utf-8")
    assert "✗ not-started" in " ".join(assert_safe_page(page).text)

    # One member (a workflow's matrix job per member): its page alone.
    one = run_cli(
        "dossier", "--report", "publish.json", "--package", "core", "--out-dir", "one", cwd=root
    )
    assert one.returncode == 0, one.stderr[-3000:]
    assert [p.name for p in (root / "one").iterdir()] == ["core"]
    unknown = run_cli("dossier", "--package", "nope", "--out-dir", "x", cwd=root)
    assert unknown.returncode == 2
    assert "no workspace member named nope" in unknown.stderr
