"""The vulnerability gate against real advisories (OSV records of their facts), real lockfiles."""

from __future__ import annotations

import dataclasses
import shutil
import zipfile
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from releasegate._internal.checks.base import CheckContext, CheckOptions
from releasegate._internal.project import Project
from releasegate._internal.runner import run_checks
from tests.conftest import run_cli
from tests.vulns_support import (
    BY_ID,
    EXPECTED_UV,
    FIXTURES,
    OsvStandIn,
    findings,
    write_database,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from releasegate._internal.findings import Finding
    from tests.conftest import GitRepo

PYPROJECT = (FIXTURES / "pyproject.toml").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def osv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The advisories as an on-disk OSV database (written once, read by every test)."""
    return write_database(tmp_path_factory.mktemp("osv"))


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))


def _project(root: Path, config: str = "", *locks: str, pyproject: str = PYPROJECT) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(
        pyproject + "\n[tool.releasegate.vulns]\nmax-age-days = 100000\n" + config, encoding="utf-8"
    )
    for lock in locks:
        shutil.copy(FIXTURES / lock, root / lock.rsplit("/", 1)[-1])
    return root


def _run(root: Path, database: Path | None) -> list[Finding]:
    options = CheckOptions(vulns_database=str(database) if database else None)
    report = run_checks(["vulns"], CheckContext(Project(root), options))
    return [f for result in report.results for f in result.findings]


def _vulnerable(found: list[Finding]) -> dict[tuple[str, str], str]:
    """(package, ids) -> the fixed version the hint names."""
    table = {}
    for f in found:
        if f.rule == "vulnerable-dependency":
            package, rest = f.message.split(" ", 1)
            ids = rest.split(" is affected by ", 1)[1].split(" (", 1)[0].split(", severity", 1)[0]
            table[package, ids] = (f.hint or "").split(" to ", 1)[1].split(" ", 1)[0]
    return table


def test_uv_lock_pins_are_reported_with_their_advisories_and_smallest_fix(
    tmp_path: Path, osv: Path
) -> None:
    found = _run(_project(tmp_path / "p", "", "uv.lock"), osv)
    assert _vulnerable(found) == EXPECTED_UV
    requests = next(f for f in found if f.message.startswith("requests 2.19.0 is affected by GHSA"))
    # PYSEC-2023-74 and GHSA-j8r2-6x86-q33q are one vulnerability (CVE-2023-32681): one finding,
    # with the GHSA record's CVSS vector scored.
    assert "(CVE-2023-32681)" in requests.message
    assert "medium (6.1, CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N)" in requests.message
    lines = (tmp_path / "p" / "uv.lock").read_text().splitlines()
    assert requests.path == "uv.lock"
    assert lines[(requests.line or 0)] == 'name = "requests"'


def test_the_library_surface_takes_the_database_and_refuses_a_misspelt_option(
    tmp_path: Path, osv: Path
) -> None:
    import releasegate

    root = _project(tmp_path / "p", "", "uv.lock")
    report = releasegate.run_checks(root, ["vulns"], vulns_database=osv, offline=True)
    found = [f for result in report.results for f in result.findings]
    assert _vulnerable(found) == EXPECTED_UV
    # A typed option: a typo is an error, not an option silently ignored.
    with pytest.raises(TypeError):
        releasegate.run_checks(root, ["vulns"], vulns_databse=osv)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        CheckOptions(vulns_databse=str(osv))  # type: ignore[call-arg]


def test_pip_compile_lock_points_at_the_pinning_line(tmp_path: Path, osv: Path) -> None:
    found = _run(_project(tmp_path / "p", "", "requirements.txt"), osv)
    assert _vulnerable(found) == EXPECTED_UV
    lines = (tmp_path / "p" / "requirements.txt").read_text().splitlines()
    for f in found:
        if f.rule == "vulnerable-dependency":
            name, version = f.message.split(" ")[:2]
            assert f.path == "requirements.txt"
            assert lines[(f.line or 0) - 1].startswith(f"{name}=={version}")


def test_markers_skip_pythons_the_project_excludes_but_keep_other_platforms(
    tmp_path: Path, osv: Path
) -> None:
    found = _vulnerable(_run(_project(tmp_path / "p", "", "requirements-markers.txt"), osv))
    packages = {name for name, _ in found}
    # urllib3 1.24.1 is locked only for python < 3.8; the project requires >= 3.10.
    assert packages == {"jinja2", "pywin32"}
    assert found["pywin32", "PYSEC-2021-112"] == "301"


def test_a_python_range_the_project_allows_keeps_the_package(tmp_path: Path, osv: Path) -> None:
    pyproject = PYPROJECT.replace('requires-python = ">=3.10"', 'requires-python = ">=3.7"')
    found = _vulnerable(
        _run(_project(tmp_path / "p", "", "requirements-markers.txt", pyproject=pyproject), osv)
    )
    assert "urllib3" in {name for name, _ in found}


def _requirements(root: Path, *pins: str) -> Path:
    _project(root)
    (root / "requirements.txt").write_text("".join(f"{pin}\n" for pin in pins))
    return root


def test_withdrawn_fixed_and_unaffected_versions_pass(tmp_path: Path, osv: Path) -> None:
    # redis 4.5.4 is listed in PYSEC-2023-73, which is withdrawn; the others are fixed versions.
    root = _requirements(tmp_path / "p", "redis==4.5.4", "requests==2.31.0", "urllib3==1.26.18")
    assert _run(root, osv) == []


def test_explicit_versions_and_last_affected_ranges_match(tmp_path: Path, osv: Path) -> None:
    # py: introduced 0, last_affected 1.11.0 (no fix); werkzeug: two ranges, one per branch.
    root = _requirements(tmp_path / "p", "py==1.11.0", "werkzeug==3.0.0", "werkzeug==2.3.8")
    found = [f for f in _run(root, osv) if f.rule == "vulnerable-dependency"]
    assert [f.message.split(" is ")[0] for f in found] == ["py 1.11.0", "werkzeug 3.0.0"]
    assert "no fixed version is known" in (found[0].hint or "")
    assert "upgrade werkzeug to 3.0.1 or later" in (found[1].hint or "")
    assert "high (7.5," in found[1].message


def test_explicit_versions_match_without_a_range(tmp_path: Path) -> None:
    # A record whose ranges name only commits (GIT, dropped) is matched by its versions list.
    versions_only = dataclasses.replace(BY_ID["PYSEC-2021-112"], ranges=())
    database = write_database(tmp_path / "osv", [versions_only])
    root = _requirements(tmp_path / "p", "pywin32==300", "pywin32==301")
    found = [f for f in _run(root, database) if f.rule == "vulnerable-dependency"]
    assert [f.message.split(" is ")[0] for f in found] == ["pywin32 300"]
    assert "no fixed version is known" in (found[0].hint or "")


def test_zip_database_gives_the_same_verdict(tmp_path: Path, osv: Path) -> None:
    archive = tmp_path / "osv.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(osv.rglob("*.*")):
            out.write(path, path.name)
    found = _run(_project(tmp_path / "p", "", "uv.lock"), archive)
    assert _vulnerable(found) == EXPECTED_UV


def test_no_database_and_online_off_fails_closed(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", "online = false\n", "uv.lock")
    found = _run(root, None)
    assert [(f.rule, f.severity.value) for f in found] == [("advisories-unavailable", "error")]
    assert "not checked" in found[0].message


def test_unreadable_databases_fail_closed(tmp_path: Path, osv: Path) -> None:
    root = _project(tmp_path / "p", "", "uv.lock")
    (tmp_path / "broken.zip").write_bytes(b"not a zip")
    for database in (tmp_path / "missing", tmp_path / "broken.zip", tmp_path / "p"):
        found = _run(root, database)
        assert [f.rule for f in found] == ["advisories-unavailable"], database
    corrupt = tmp_path / "corrupt"
    shutil.copytree(osv, corrupt)
    (corrupt / "requests" / "PYSEC-2023-74.yaml").write_text("id: [unclosed\n")
    found = _run(root, corrupt)
    assert "database-corrupt" in {f.rule for f in found}
    assert "PYSEC-2023-74.yaml" in next(f.message for f in found if f.rule == "database-corrupt")


def test_ignore_entries_need_a_reason_and_an_unexpired_date(tmp_path: Path, osv: Path) -> None:
    config = (
        "ignore = [\n"
        '  {id = "CVE-2023-32681", reason = "no proxies", expires = "2999-01-01"},\n'
        '  {id = "PYSEC-2018-28", reason = "same host only", expires = "2020-01-01"},\n'
        "]\n"
    )
    root = _project(tmp_path / "p", config, "uv.lock")
    found = _run(root, osv)
    table = _vulnerable(found)
    assert ("requests", "GHSA-j8r2-6x86-q33q / PYSEC-2023-74") not in table  # by its CVE alias
    assert ("requests", "PYSEC-2018-28") in table  # the expired entry ignores nothing
    expired = [f for f in found if f.rule == "ignore-expired"]
    assert len(expired) == 1
    lines = (root / "pyproject.toml").read_text().splitlines()
    assert expired[0].path == "pyproject.toml"
    assert "PYSEC-2018-28" in lines[(expired[0].line or 0) - 1]


@pytest.mark.parametrize("where", ["releasegate.toml", "ci/releasegate.toml"])
def test_an_expired_ignore_is_found_in_the_file_the_configuration_came_from(
    tmp_path: Path, osv: Path, where: str
) -> None:
    root = _project(tmp_path / "p", "", "uv.lock")
    config = root / where
    config.parent.mkdir(exist_ok=True)
    config.write_text(
        '[vulns]\nmax-age-days = 100000\nignore = [\n  {id = "x", reason = "r", expires = "2999-01-01"},'
        '\n  {id = "PYSEC-2018-28", reason = "old", expires = "2020-01-01"},\n]\n',
        encoding="utf-8",
    )
    explicit = config if where != "releasegate.toml" else None
    options = CheckOptions(vulns_database=str(osv))
    report = run_checks(["vulns"], CheckContext(Project(root, explicit), options))
    (expired,) = [f for r in report.results for f in r.findings if f.rule == "ignore-expired"]
    # The Config knows its document: no guess from its name (an explicit --config was not found).
    assert (expired.path, expired.line) == (where, 5)
    assert expired.message == (
        "ignore entry for PYSEC-2018-28 (old) expired on 2020-01-01, so it ignores nothing"
    )


def test_one_waiver_type_for_the_api_allow_and_the_vulns_ignore() -> None:
    from releasegate._internal.api.settings import ApiSettings
    from releasegate._internal.schema import config_schema
    from releasegate._internal.schemacheck import apply_defaults
    from releasegate._internal.vulns.settings import VulnsSettings
    from releasegate._internal.waivers import Waiver

    defaults = apply_defaults({}, config_schema())
    entry = {"reason": "r", "expires": "2020-02-31"}
    api = ApiSettings.from_config({**defaults["api"], "allow": [{"path": "a.b", **entry}]})
    vulns = VulnsSettings.from_config({**defaults["vulns"], "ignore": [{"id": "CVE-1", **entry}]})
    (allow,), (ignore,) = api.allow, vulns.ignore
    assert type(allow) is type(ignore) is Waiver
    assert (allow.subject, ignore.subject) == ("a.b", "CVE-1")
    assert allow.expires is ignore.expires is None  # one date parser: February has no 31st
    assert allow.expiry() == "has an invalid date '2020-02-31'"


def _ignoring(*ids: str) -> str:
    entries = "".join(
        f'  {{id = "{i}", reason = "reviewed", expires = "2999-01-01"}},\n' for i in ids
    )
    return f"ignore = [\n{entries}]\n"


@pytest.mark.parametrize(
    ("ignored", "left"),
    [
        # Ignoring one CVE hid the other, merged through the alias both records list.
        (("CVE-2021-32807",), "CVE-2021-32811"),
        (("PYSEC-2021-370",), "CVE-2021-32807"),
        # The shared alias is about two bugs: which one was meant cannot be told.
        (("GHSA-qcx9-j53g-ccgf",), "CVE-2021-32807, CVE-2021-32811"),
        (("CVE-2021-32807", "CVE-2021-32811"), None),
        (("PYSEC-2021-335", "GHSA-g4gq-j4p2-j8fr"), None),
    ],
)
def test_an_ignore_covers_a_finding_only_when_it_names_every_bug_in_it(
    tmp_path: Path, osv: Path, ignored: tuple[str, ...], left: str | None
) -> None:
    root = _project(tmp_path / "p", _ignoring(*ignored))
    (root / "requirements.txt").write_text("accesscontrol==5.1\n")
    found = [f for f in _run(root, osv) if f.rule == "vulnerable-dependency"]
    if left is None:
        assert found == []
        return
    (finding,) = found
    assert "PYSEC-2021-335 / PYSEC-2021-370" in finding.message
    assert f"does not cover {left}, still unaddressed" in finding.message


def test_a_truncated_record_is_a_corrupt_database_never_a_missing_advisory(
    tmp_path: Path, osv: Path
) -> None:
    """Cut short at any line, a YAML record is usually still valid YAML: whatever survives
    of it must be reported as unusable, or still be the advisory, never silently nothing."""
    import yaml

    from releasegate._internal.vulns.database import _decode
    from releasegate._internal.vulns.records import RecordError, parse

    whole = (osv / "urllib3" / "PYSEC-2023-192.yaml").read_bytes()
    lines = whole.splitlines(keepends=True)
    outcomes = set()
    for cut in range(len(lines)):
        try:
            advisory = parse(_decode("PYSEC-2023-192.yaml", b"".join(lines[:cut])))
        except (RecordError, yaml.YAMLError):
            outcomes.add("refused")
            continue
        assert advisory is not None, b"".join(lines[:cut]).decode()
        outcomes.add("advisory")
    assert outcomes == {"refused", "advisory"}

    truncated = whole.split(b"  ranges:", 1)[0]
    root = _requirements(tmp_path / "p", "urllib3==1.26.5")
    corrupt = tmp_path / "corrupt"
    shutil.copytree(osv, corrupt)
    (corrupt / "urllib3" / "PYSEC-2023-192.yaml").write_bytes(truncated)
    found = _run(root, corrupt)
    (problem,) = (f for f in found if f.rule == "database-corrupt")
    assert problem.severity.value == "error"
    assert (
        "urllib3/PYSEC-2023-192.yaml: the entry for urllib3 has no ECOSYSTEM range and no "
        "`versions`" in problem.message
    )


def test_a_record_edited_in_place_with_its_size_and_mtime_kept_is_read_again(
    tmp_path: Path, osv: Path
) -> None:
    """The warm index is keyed by the records' content: an edit that keeps the file's size and
    restores its mtime (a restored backup, a tool setting times) is noticed."""
    import os

    database = tmp_path / "osv"
    shutil.copytree(osv, database)
    root = _requirements(tmp_path / "p", "urllib3==1.26.5")
    assert ("urllib3", "PYSEC-2021-108") not in _vulnerable(_run(root, database))
    record = database / "urllib3" / "PYSEC-2021-108.yaml"
    before = record.stat()
    text = record.read_text(encoding="utf-8")
    assert "fixed: 1.26.5" in text
    record.write_text(text.replace("fixed: 1.26.5", "fixed: 1.26.6"), encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (record.stat().st_size, record.stat().st_mtime_ns) == (
        before.st_size,
        before.st_mtime_ns,
    )
    assert _vulnerable(_run(root, database))[("urllib3", "PYSEC-2021-108")] == "1.26.6"
    # The same content elsewhere (a copy, a restored CI cache) uses the index already built.
    indexes = sorted((tmp_path / "cache" / "vulns-index").glob("*.json"))
    shutil.copytree(database, tmp_path / "copy")
    assert _vulnerable(_run(root, tmp_path / "copy"))[("urllib3", "PYSEC-2021-108")] == "1.26.6"
    assert sorted((tmp_path / "cache" / "vulns-index").glob("*.json")) == indexes


def test_min_severity_drops_lower_ratings_but_never_unknown_ones(tmp_path: Path, osv: Path) -> None:
    root = _project(tmp_path / "p", 'min-severity = "high"\n', "uv.lock")
    table = _vulnerable(_run(root, osv))
    assert ("urllib3", "PYSEC-2023-192") in table  # high (8.1)
    assert ("urllib3", "PYSEC-2023-212") not in table  # medium (4.2)
    assert ("requests", "GHSA-j8r2-6x86-q33q / PYSEC-2023-74") not in table  # medium (6.1)
    assert ("requests", "PYSEC-2018-28") in table  # no severity stated


@pytest.mark.slow  # a loopback stand-in of OSV's API (the real one is not reachable here): ~2 s
def test_online_lookup_through_the_osv_api_shape(tmp_path: Path) -> None:
    with OsvStandIn(page_size=2) as osv:
        root = _project(tmp_path / "p", f'api-url = "{osv.url}"\n', "uv.lock")
        found = _run(root, None)
        assert _vulnerable(found) == EXPECTED_UV
        assert any("page" not in r and r.startswith("POST /v1/querybatch") for r in osv.requests)
        gets = [r for r in osv.requests if r.startswith("GET")]
        # Records are cached by id and modified: a second run asks only the batch endpoint.
        _run(root, None)
        assert [r for r in osv.requests if r.startswith("GET")] == gets
        osv.fail = True
        assert [f.rule for f in _run(root, None)] == ["advisories-unavailable"]


def test_cli_exit_codes_fail_closed_and_find(
    make_repo: Callable[..., GitRepo], tmp_path: Path, osv: Path
) -> None:
    root = _project(tmp_path / "files", "online = false\n", "uv.lock")
    repo = make_repo({p.name: p.read_text() for p in root.iterdir()})
    env = {"RELEASEGATE_CACHE_DIR": str(tmp_path / "cli-cache")}
    closed = run_cli("check", "vulns", "--format", "json", cwd=repo.root, env=env)
    assert closed.returncode == 1, closed.stderr
    assert [f["rule"] for f in findings(closed.stdout)] == ["vulns/advisories-unavailable"]
    found = run_cli(
        "check", "vulns", "--database", str(osv), "--format", "json", cwd=repo.root, env=env
    )
    assert found.returncode == 1, found.stderr
    assert (
        len([f for f in findings(found.stdout) if f["rule"] == "vulns/vulnerable-dependency"]) == 11
    )


_VERSIONS = st.sampled_from(["0", "1.0", "1.0.1", "1.1rc1", "1.1", "2.0.dev1", "2.0", "2.5", "3"])
_EVENTS = st.lists(
    st.tuples(st.sampled_from(["introduced", "fixed", "last_affected"]), _VERSIONS), max_size=6
)


@given(
    st.lists(_EVENTS.map(tuple), max_size=3),
    st.lists(st.sampled_from(["0", "1.0", "1.0.1", "1.1", "1.9", "2.0", "2.7", "9", "x"])),
)
def test_the_index_keeps_exactly_the_versions_no_range_affects(
    ranges: list[tuple[tuple[str, str], ...]], versions: list[str]
) -> None:
    """The index drops a record's explicit versions its ranges cover, with one walk of the
    events per range: it must agree with in_range, the matcher's own rule, version by version."""
    from releasegate._internal.vulns.matching import in_range, uncovered, version_of

    expected = [
        v
        for v in versions
        if (parsed := version_of(v)) is None or not any(in_range(parsed, r) for r in ranges)
    ]
    assert uncovered(versions, ranges) == expected
