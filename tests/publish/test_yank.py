"""``releasegate yank``: real registries on loopback (a directory index, devpi-server,
pypiserver, the GitHub stand-in), and pip reading what they serve afterwards."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.publish_github_standin import github_standin
from tests.publish_support import (
    USER,
    Server,
    build_project,
    fault_proxy,
    pip_install,
    setup_devpi,
    silent_server,
    start_devpi,
    start_pypiserver,
    via,
    wait_http,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow

TOKEN = "ghp_standinTOKEN0123456789abcdef"
REASON = "1.4.1 breaks imports on Python 3.12"
FAST = "[publish]\nretries = 2\nbackoff = 0.01\ntimeout = 3\nrequest-deadline = 10\n"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """rgdemo 1.4.0 (good) and 1.4.1 (bad), each a real wheel and sdist."""
    base = tmp_path_factory.mktemp("yank-builds")
    return {
        version: build_project(base / version, "rgdemo", version, data_size=2000, seed=i)
        for i, version in enumerate(("1.4.0", "1.4.1"))
    }


@dataclass
class Project:
    root: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=self.root, env={**self.env, **env})

    def publish(self, version: str) -> None:
        done = self.run("publish", "--dist-dir", f"dist-{version}")
        assert done.returncode == 0, done.stdout + done.stderr

    def audit(self) -> list[dict[str, Any]]:
        lines = (self.root / ".releasegate/publish-audit.jsonl").read_text().splitlines()
        return [json.loads(line) for line in lines]

    def page(self) -> str:
        return (self.root / "idx/simple/rgdemo/index.html").read_text()


def make_project(tmp_path: Path, builds: dict[str, Path], registries: str = "") -> Project:
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(builds["1.4.1"].parent / "pyproject.toml", root / "pyproject.toml")
    for version, dist in builds.items():
        shutil.copytree(dist, root / f"dist-{version}")
    (root / "releasegate.toml").write_text(
        FAST + '\n[[registries]]\nname = "local"\nkind = "directory"\nurl = "idx"\n' + registries,
        encoding="utf-8",
    )
    return Project(root)


def pip_picks(index_url: str, requirement: str, target: Path) -> str | None:
    """The version pip installs for ``requirement`` from ``index_url`` (None: it refused)."""
    done = pip_install(index_url, requirement, target)
    if done.returncode != 0:
        return None
    found = subprocess.run(
        [sys.executable, "-c", "import importlib.metadata as m; print(m.version('rgdemo'))"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(target)},
    )
    shutil.rmtree(target)
    return found.stdout.strip()


# ------------------------------------------------------------------ a directory index


def test_a_directory_yank_is_marked_in_both_forms_and_pip_honours_it(
    tmp_path: Path, builds: dict[str, Path]
) -> None:
    project = make_project(tmp_path, builds)
    project.publish("1.4.0")
    project.publish("1.4.1")
    index = (project.root / "idx/simple").as_uri()
    assert pip_picks(index, "rgdemo>=1.4", tmp_path / "t0") == "1.4.1"

    done = project.run("yank", "1.4.1", "--reason", REASON)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "in effect" in done.stdout
    page = project.page()
    assert page.count(f'data-yanked="{REASON}"') == 2
    assert "rgdemo-1.4.0" in page
    assert page.count("data-yanked") == 2
    document = json.loads((project.root / "idx/simple/rgdemo/index.json").read_text())
    marks = {f["filename"]: f.get("yanked") for f in document["files"]}
    assert marks == {
        "rgdemo-1.4.0-py3-none-any.whl": None,
        "rgdemo-1.4.0.tar.gz": None,
        "rgdemo-1.4.1-py3-none-any.whl": REASON,
        "rgdemo-1.4.1.tar.gz": REASON,
    }
    # PEP 592: a range skips the yanked version; an exact pin still installs it.
    assert pip_picks(index, "rgdemo>=1.4", tmp_path / "t1") == "1.4.0"
    assert pip_picks(index, "rgdemo==1.4.1", tmp_path / "t2") == "1.4.1"

    # A later publish rewrites the page: the marks stay.
    project.publish("1.4.0")
    assert project.page().count(f'data-yanked="{REASON}"') == 2

    undone = project.run("yank", "1.4.1", "--undo")
    assert undone.returncode == 0, undone.stdout + undone.stderr
    assert "data-yanked" not in project.page()
    assert pip_picks(index, "rgdemo>=1.4", tmp_path / "t3") == "1.4.1"

    # Audited like a publish: intent before, outcome after, who, reason, per registry.
    entries = [e for e in project.audit() if e["tool"] == "releasegate yank"]
    assert [(e["action"], e["phase"]) for e in entries] == [
        ("yank", "started"),
        ("yank", "finished"),
        ("unyank", "started"),
        ("unyank", "finished"),
    ]
    assert entries[1]["reason"] == REASON
    assert entries[1]["who"]
    (local,) = entries[1]["registries"]
    assert local["name"] == "local"
    assert local["in_effect"] is True
    assert set(local["after"].values()) == {REASON}


def test_in_ci_a_yank_is_only_planned_unless_confirmed(
    tmp_path: Path, builds: dict[str, Path]
) -> None:
    project = make_project(tmp_path, builds)
    project.publish("1.4.1")
    planned = project.run("yank", "1.4.1", "--reason", REASON, CI="true")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "planned" in planned.stdout
    assert "--yes" in planned.stdout
    assert "data-yanked" not in project.page()
    done = project.run("yank", "1.4.1", "--reason", REASON, "--yes", CI="true")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "data-yanked" in project.page()


def test_usage_mistakes_are_usage_errors(tmp_path: Path, builds: dict[str, Path]) -> None:
    project = make_project(tmp_path, builds)
    assert project.run("yank", "1.4.1").returncode == 2  # no reason
    assert project.run("yank", "1.4.1", "--reason", "  ").returncode == 2
    assert project.run("yank", "1.4.1", "--undo", "--reason", "x").returncode == 2
    missing = project.run("yank", "9.9.9", "--reason", REASON)
    assert missing.returncode == 0, missing.stdout  # a warning: nothing serves it
    assert "serves no file of version 9.9.9" in missing.stdout


# ------------------------------------------------------------------ GitHub releases


def test_a_github_release_is_marked_visibly_and_restored_by_undo(
    tmp_path: Path, builds: dict[str, Path]
) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        gh = (
            f'[[registries]]\nname = "gh"\nkind = "github-release"\nurl = "{api}"\n'
            'repository = "octo/demo"\ntoken-env = "RG_GH_TOKEN"\n'
        )
        project = make_project(tmp_path, builds, gh)
        project.env["RG_GH_TOKEN"] = TOKEN
        project.publish("1.4.1")
        (release,) = state.releases
        release.body = "Notes of 1.4.1"
        assets = [a.name for a in release.assets]

        done = project.run("yank", "1.4.1", "--reason", REASON)
        assert done.returncode == 0, done.stdout + done.stderr
        assert release.name == "[yanked] v1.4.1"
        assert release.body.startswith("> [!WARNING]\n> **Yanked**: " + REASON)
        assert release.body.endswith("Notes of 1.4.1")
        assert release.prerelease is True
        assert [a.name for a in release.assets] == assets  # nothing removed

        undone = project.run("yank", "1.4.1", "--undo")
        assert undone.returncode == 0, undone.stdout + undone.stderr
        assert (release.name, release.body, release.prerelease) == (
            "v1.4.1",
            "Notes of 1.4.1",
            False,
        )

        # A registry that answers "done" and changes nothing is caught by reading it back.
        state.ignore_edits = True
        lied = project.run("yank", "1.4.1", "--reason", REASON)
        assert lied.returncode == 1, lied.stdout
        assert "yank/not-in-effect" in lied.stdout or "not-in-effect" in lied.stdout
        assert "gh: the yank was accepted, but the index serves not yanked" in lied.stdout
        assert "data-yanked" in project.page()  # the directory was still yanked


def test_a_missing_token_and_a_dead_registry_are_findings_and_the_rest_is_yanked(
    tmp_path: Path, builds: dict[str, Path]
) -> None:
    with silent_server() as dead:
        others = (
            '[[registries]]\nname = "gh"\nkind = "github-release"\nurl = "http://127.0.0.1:9/api/v3"\n'
            'repository = "octo/demo"\ntoken-env = "RG_NO_TOKEN"\n'
            f'[[registries]]\nname = "dead"\nkind = "pypi"\nurl = "{dead}"\n'
            'yank-url = "http://127.0.0.1:9/manage/{project}/{version}"\n'
        )
        project = make_project(tmp_path, builds, others)
        published = project.run("publish", "--dist-dir", "dist-1.4.1", "--registry", "local")
        assert published.returncode == 0, published.stdout + published.stderr
        done = project.run("yank", "1.4.1", "--reason", REASON, "--wait", "0", RG_NO_TOKEN="")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "gh: token of registry gh not set" in done.stdout
    assert "dead:" in done.stdout
    assert "registry-failed" in done.stdout
    assert "data-yanked" in project.page()
    record = project.audit()[-1]
    assert {r["name"]: r["error"] is None for r in record["registries"]} == {
        "local": True,
        "gh": False,
        "dead": False,
    }


# ------------------------------------------------------------------ indexes of kind pypi


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Server]]:
    base = tmp_path_factory.mktemp("yank-indexes")
    servers: list[Server] = []
    try:
        servers = [start_pypiserver(base / "pypi", "pypi", "pw-yank-1")]
        servers.append(start_devpi(base, "pw-yank-devpi"))
        wait_http(servers[0].index_url, servers[0].process)
        setup_devpi(servers[1])
        yield servers
    finally:
        for server in servers:
            server.stop()


def _pypi_table(server: Server, upload: str, index: str, extra: str = "") -> str:
    env = server.name.upper()
    return (
        f'[[registries]]\nname = "{server.name}"\nkind = "pypi"\nurl = "{upload}"\n'
        f'index-url = "{index}"\nusername-env = "RG_USER_{env}"\npassword-env = "RG_PASS_{env}"\n'
        + extra
    )


def _with_indexes(project: Project, servers: list[Server]) -> None:
    for server in servers:
        project.env[f"RG_USER_{server.name.upper()}"] = USER
        project.env[f"RG_PASS_{server.name.upper()}"] = server.password


def test_devpi_and_pypiserver_cannot_yank_and_are_reported_not_skipped(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    tables = "".join(_pypi_table(s, s.upload_url, s.index_url) for s in indexes)
    project = make_project(tmp_path, builds, tables)
    _with_indexes(project, indexes)
    project.publish("1.4.1")
    before = {s.name: _page(s.index_url) for s in indexes}

    done = project.run("yank", "1.4.1", "--reason", REASON)
    assert done.returncode == 1, done.stdout + done.stderr
    for server in indexes:
        assert f"{server.name}: this index has no yank" in done.stdout
    assert done.stdout.count("cannot-yank") >= 2
    assert "data-yanked" in project.page()  # the directory did it
    # Nothing else changed on them: their pages are as they were, the files still served.
    assert {s.name: _page(s.index_url) for s in indexes} == before
    for server in indexes:
        picked = pip_picks(server.index_url, "rgdemo>=1.4,<1.4.2", tmp_path / server.name)
        assert picked == "1.4.1"


def _page(index_url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(f"{index_url}rgdemo/", timeout=30) as response:
        return str(response.read().decode())


def test_a_manual_step_is_printed_and_waited_for_through_the_simple_api(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    """An index with a page for people (as PyPI): the step with its URL, then reads of the
    simple API until the mark shows. The person is played by a proxy that starts serving
    the mark after a few reads."""
    pypi = indexes[0]
    reads = {"n": 0}

    def person(page: bytes) -> bytes:
        reads["n"] += 1
        if reads["n"] < 3:
            return page
        return page.replace(b'href="', f'data-yanked="{REASON}" href="'.encode())

    with fault_proxy(pypi.upload_url) as (proxy, plan):
        manage = "https://index.example/manage/{project}/release/{version}/"
        table = _pypi_table(
            pypi,
            via(proxy, pypi.upload_url),
            via(proxy, pypi.index_url),
            f'yank-url = "{manage}"\n',
        )
        project = make_project(tmp_path, builds, table)
        _with_indexes(project, [pypi])
        project.publish("1.4.1")
        plan.rewrite_page = person
        done = project.run("yank", "1.4.1", "--reason", REASON, "--wait", "30")
        assert done.returncode == 0, done.stdout + done.stderr
        assert (
            "pypi: open https://index.example/manage/rgdemo/release/1.4.1/, Options beside 1.4.1 "
            "-> Yank, "
            f"reason: '{REASON}'" in done.stdout
        )
        assert reads["n"] >= 3

        # A mark without its reason is not the yank that was asked for.
        plan.rewrite_page = lambda page: page.replace(b'href="', b'data-yanked="" href="')
        bare = project.run("yank", "1.4.1", "--reason", REASON, "--wait", "0")
        assert bare.returncode == 1, bare.stdout
        assert "serves yanked (no reason)" in bare.stdout


# ------------------------------------------------------------------ verify-mirrors


def test_verify_mirrors_finds_a_mirror_that_lost_the_mark_or_its_reason(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    pypi = indexes[0]
    with fault_proxy(pypi.upload_url) as (proxy, plan):
        table = _pypi_table(pypi, via(proxy, pypi.upload_url), via(proxy, pypi.index_url))
        mirror = '[[registries]]\nname = "mirror"\nkind = "directory"\nurl = "mirror"\n'
        project = make_project(tmp_path, builds, table + mirror)
        _with_indexes(project, [pypi])
        project.publish("1.4.1")
        done = project.run("yank", "1.4.1", "--reason", REASON, "--registry", "local")
        assert done.returncode == 0, done.stdout + done.stderr
        consistent = project.run("yank", "1.4.1", "--reason", REASON, "--registry", "mirror")
        assert consistent.returncode == 0, consistent.stdout + consistent.stderr
        clean = project.run(
            "verify-mirrors", "--version", "1.4.1", "--registry", "local", "--registry", "mirror"
        )
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert f"yanked: {REASON}" in clean.stdout

        # The mirror keeps the mark and loses the reason (as devpi once did); pypiserver
        # serves the files plainly.
        page = tmp_path / "project/mirror/simple/rgdemo/index.html"
        page.write_text(page.read_text().replace(f'data-yanked="{REASON}"', 'data-yanked=""'))
        (page.parent / "index.json").unlink()
        summary = tmp_path / "summary.md"
        found = project.run(
            "verify-mirrors", "--version", "1.4.1", GITHUB_STEP_SUMMARY=str(summary)
        )
        assert found.returncode == 1, found.stdout + found.stderr
        out = found.stdout
        assert out.count("[verify-mirrors/yank-missing]") == 2, out  # wheel and sdist on pypi
        assert "pypi: serves rgdemo-1.4.1.tar.gz without its yank mark" in out
        assert out.count("[verify-mirrors/yank-reason]") == 2, out
        assert "mirror: rgdemo-1.4.1.tar.gz is yanked with no reason" in out
        table = summary.read_text()
        assert "| pypi | rgdemo-1.4.1.tar.gz | not yanked |" in table
        assert "| mirror | rgdemo-1.4.1.tar.gz | yanked: \\(no reason\\) |" in table
        assert plan.requests  # read over HTTP


# ------------------------------------------------------------------ rollback

REWRITE = '\n[promote]\nrewrite = ["src/rgdemo/__init__.py"]\n'


def _installed(index_url: str, requirement: str, target: Path) -> tuple[str, bytes]:
    """The version pip installs (read by importlib.metadata) and its data file's bytes."""
    done = pip_install(index_url, requirement, target)
    assert done.returncode == 0, done.stderr
    found = subprocess.run(
        [sys.executable, "-c", "import importlib.metadata as m; print(m.version('rgdemo'))"],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(target)},
    )
    return found.stdout.strip(), (target / "rgdemo" / "data.bin").read_bytes()


def test_rollback_releases_the_good_files_above_the_bad_version_and_yanks_it(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    pypi = indexes[0]
    project = make_project(
        tmp_path, builds, _pypi_table(pypi, pypi.upload_url, pypi.index_url) + REWRITE
    )
    project.env["RG_USER_PYPI"] = USER
    project.env["RG_PASS_PYPI"] = pypi.password
    project.publish("1.4.0")
    project.publish("1.4.1")
    local = (project.root / "idx/simple").as_uri()
    good_version, good_data = _installed(local, "rgdemo==1.4.0", tmp_path / "good")
    assert good_version == "1.4.0"

    # In CI, only the plan: the good release found, the new version named, nothing changed.
    planned = project.run("rollback", "--bad", "1.4.1", "--reason", REASON, CI="true")
    assert planned.returncode == 0, planned.stdout + planned.stderr
    assert "1.4.0 is the last good release" in planned.stdout
    assert "release them as 1.4.2" in planned.stdout
    assert "1.4.2" not in project.page()

    done = project.run(
        "rollback", "--bad", "1.4.1", "--reason", REASON, "--from-registry", "pypi", "--yes"
    )
    # pypiserver cannot yank: said, and the rest of the rollback done.
    assert done.returncode == 1, done.stdout + done.stderr
    assert "pypi: this index has no yank" in done.stdout
    assert "[publish pypi] passed: completed: 2 uploaded" in done.stdout
    assert project.page().count(f'data-yanked="{REASON}"') == 2
    for index in (local, pypi.index_url):
        version, data = _installed(index, "rgdemo>=1.4", tmp_path / f"new{len(index)}")
        assert version == "1.4.2"
        assert data == good_data  # 1.4.0's payload, not rebuilt

    # The lineage record names the version it restores; verify proves the payload is 1.4.0's.
    wheel = project.root / "idx/simple/rgdemo/rgdemo-1.4.2-py3-none-any.whl"
    source = project.root / "dist-1.4.0/rgdemo-1.4.0-py3-none-any.whl"
    lineage = project.run("verify", str(wheel), "--promoted-from", str(source))
    assert lineage.returncode == 0, lineage.stdout + lineage.stderr
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        record = json.loads(archive.read("rgdemo-1.4.2.dist-info/releasegate-promotion.json"))
    assert record["restores"] == "1.4.0"
    assert record["replaces"] == "1.4.1"
    assert record["tool"] == "releasegate rollback"
    entries = [e for e in project.audit() if e["tool"] == "releasegate rollback"]
    # The rollback's intent, the promotion's record (restores / replaces), its outcome.
    assert [e.get("phase") for e in entries] == ["started", None, "finished"]
    assert entries[1]["restores"] == "1.4.0"
    assert entries[-1]["done"] is False  # pypiserver kept 1.4.1 unyanked


def test_rollback_refuses_good_files_that_do_not_hash_as_published(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    pypi = indexes[0]
    with fault_proxy(pypi.upload_url) as (proxy, plan):
        table = _pypi_table(pypi, via(proxy, pypi.upload_url), via(proxy, pypi.index_url))
        project = make_project(
            tmp_path, builds, table.replace('name = "pypi"', 'name = "lying"') + REWRITE
        )
        project.env["RG_USER_PYPI"] = USER
        project.env["RG_PASS_PYPI"] = pypi.password
        project.publish("1.4.0")
        project.publish("1.4.1")
        plan.tamper = True  # the index's page and hashes as published, other bytes served
        done = project.run(
            "rollback", "--bad", "1.4.1", "--reason", REASON, "--from-registry", "lying", "--yes"
        )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "the download's sha256 is" in done.stdout + done.stderr
    # Nothing released, nothing yanked.
    assert "1.4.2" not in project.page()
    assert "data-yanked" not in project.page()


def test_a_yank_killed_while_it_waits_for_a_person_leaves_its_intent_in_the_audit_log(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    import signal

    from tests.conftest import GIT_ENV, inherited_environment

    pypi = indexes[0]
    manual = 'yank-url = "https://index.example/manage/{project}/{version}/"\n'
    project = make_project(
        tmp_path, builds, _pypi_table(pypi, pypi.upload_url, pypi.index_url, manual)
    )
    _with_indexes(project, [pypi])
    project.publish("1.4.1")
    inherited = inherited_environment()
    with subprocess.Popen(
        [sys.executable, "-m", "releasegate", "yank", "1.4.1", "--reason", REASON, "--wait", "300"],
        cwd=project.root,
        env={**inherited, **GIT_ENV, **project.env},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        assert process.stdout is not None
        try:
            line = process.stdout.readline()  # the manual step: the run now waits for a person
            assert "pypi: open https://index.example/manage/rgdemo/1.4.1/" in line
            process.send_signal(signal.SIGKILL)
        finally:
            process.kill()
            process.wait(30)
    entries = [e for e in project.audit() if e["tool"] == "releasegate yank"]
    assert [e["phase"] for e in entries] == ["started"]
    assert entries[0]["reason"] == REASON
    assert entries[0]["registries"] == ["local", "pypi"]
    # The killed run held the lock with its process: the next run is not kept waiting.
    again = project.run("yank", "1.4.1", "--reason", REASON, "--wait", "0")
    assert "pypi: the yank was asked for by hand, but the index serves not yanked" in again.stdout


def test_a_rollback_run_again_after_a_registry_was_down_publishes_the_same_files(
    tmp_path: Path, builds: dict[str, Path], indexes: list[Server]
) -> None:
    """Promoted again, the files would differ (the record's time) from those the first run
    published: the registries that have them would refuse the rerun as a conflict."""
    pypi = indexes[0]
    with fault_proxy(pypi.upload_url) as (proxy, plan):
        table = _pypi_table(pypi, via(proxy, pypi.upload_url), via(proxy, pypi.index_url))
        table = table.replace('name = "pypi"', 'name = "flaky"')
        project = make_project(tmp_path, builds, table + REWRITE)
        project.env["RG_USER_PYPI"] = USER
        project.env["RG_PASS_PYPI"] = pypi.password
        project.publish("1.4.0")
        project.publish("1.4.1")
        args = ("rollback", "--bad", "1.4.1", "--reason", REASON, "--to", "1.4.7", "--yes")
        plan.down = True
        first = project.run(*args, "--from-registry", "local")
        assert first.returncode == 1, first.stdout + first.stderr
        assert "[publish local] passed: completed: 2 uploaded" in first.stdout
        assert "[publish flaky] failed" in first.stdout
        written = {
            p.name: p.read_bytes() for p in (project.root / ".releasegate/rollback/1.4.7").iterdir()
        }
        plan.down = False
        second = project.run(*args, "--from-registry", "local")
    assert "reusing the files an earlier rollback to 1.4.7 promoted" in second.stdout
    assert "[publish local] passed: completed: 0 uploaded, 2 skipped" in second.stdout
    assert "[publish flaky] passed: completed: 2 uploaded" in second.stdout
    for name, data in written.items():
        assert (project.root / "idx/simple/rgdemo" / name).read_bytes() == data


def test_rollback_publishes_a_github_release_and_marks_the_bad_one(
    tmp_path: Path, builds: dict[str, Path]
) -> None:
    with github_standin("octo/demo", TOKEN) as (api, state):
        gh = (
            f'[[registries]]\nname = "gh"\nkind = "github-release"\nurl = "{api}"\n'
            'repository = "octo/demo"\ntoken-env = "RG_GH_TOKEN"\n'
        )
        project = make_project(tmp_path, builds, gh + REWRITE)
        project.env["RG_GH_TOKEN"] = TOKEN
        project.publish("1.4.0")
        project.publish("1.4.1")
        done = project.run("rollback", "--bad", "1.4.1", "--reason", REASON, "--yes")
        assert done.returncode == 0, done.stdout + done.stderr
        releases = {r.tag_name: r for r in state.releases}
    assert sorted(releases) == ["v1.4.0", "v1.4.1", "v1.4.2"]
    assert releases["v1.4.1"].name == "[yanked] v1.4.1"
    assert releases["v1.4.1"].prerelease is True
    new = releases["v1.4.2"]
    assert new.draft is False
    assert sorted(a.name for a in new.assets) == [
        "rgdemo-1.4.2-py3-none-any.whl",
        "rgdemo-1.4.2.tar.gz",
    ]
    assert project.page().count(f'data-yanked="{REASON}"') == 2
