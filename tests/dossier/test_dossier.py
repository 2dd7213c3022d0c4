"""``releasegate dossier``: the release's records gathered into one page and its JSON.

The records are written by releasegate's own writers (ledger, audit log, SHA256SUMS,
BUILDINFO.json, the JSON report) and real Sigstore material; the page is read back by a real
HTML parser. A real publish to real registries is in test_dossier_publish.py.
"""

from __future__ import annotations

import functools
import json
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.display import display
from releasegate._internal.dossier.gather import Registry, Sources, gather
from releasegate._internal.dossier.page import render
from tests.conftest import run_cli
from tests.dossier_support import (
    SCHEMA,
    SDIST,
    WHEEL,
    assert_safe_page,
    gate_reports,
    make_dists,
    publish_records,
    read_page,
    sbom,
    sign,
)
from tests.hostile_output_support import hostile_text

if TYPE_CHECKING:
    from pathlib import Path

REGISTRIES = ["pypi-a", "pypi-b"]


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate(dossier: dict[str, Any]) -> None:
    errors = list(_validator().iter_errors(dossier))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors][:5]


def full_sources(root: Path) -> Sources:
    shas = make_dists(root / "dist")
    sign(root / "dist")
    publish_records(root, shas, REGISTRIES)
    return Sources(
        dist_dir=root / "dist",
        reports=tuple(gate_reports(root, shas, REGISTRIES)),
        sbom=sbom(root / "sbom.cdx.json"),
        ledger=root / ".releasegate/publish-ledger.json",
        audit_log=root / ".releasegate/publish-audit.jsonl",
        registries=tuple(
            Registry(n, "pypi", f"http://127.0.0.1:1/{n}/simple/") for n in REGISTRIES
        ),
    )


def test_every_record_shows_in_the_page_and_the_json_matches_its_schema(tmp_path: Path) -> None:
    dossier = gather(full_sources(tmp_path))
    validate(dossier)
    assert dossier["gaps"] == []
    assert dossier["release"]["name"] == "demo"
    assert dossier["release"]["version"] == "1.0.0"
    shas = {a["filename"]: a["sha256"] for a in dossier["artifacts"]}
    assert {a["sha256sums"] for a in dossier["artifacts"]} == {"same"}
    for registry in dossier["registries"]:
        for file in registry["files"]:
            assert file["verified"]
            assert file["served_sha256"] == shas[file["filename"]]
    assert dossier["build"]["reproducible"] is True
    assert dossier["build"]["rebuild_command"] == (
        "releasegate rebuild demo==1.0.0 --index-url http://127.0.0.1:1/pypi-a/simple/ "
        "--buildinfo BUILDINFO.json"
    )
    identities = {s["subject"]: s["identity"] for s in dossier["signatures"]}
    assert "trailofbits/rfc8785.py" in identities[WHEEL]
    assert identities[SDIST] == "jku@goto.fi via https://github.com/login/oauth"
    assert [b["registry"] for b in dossier["timeline"]] == REGISTRIES

    page = render(dossier)
    reader = assert_safe_page(page)
    text = " ".join(reader.text)
    for sha in shas.values():
        assert text.count(sha) >= 1 + len(REGISTRIES)  # the artifact, and each registry's bytes
    expected = ("GHSA-xxxx-yyyy-zzzz (high)", "MIT OR Apache-2.0", "demo.old was removed", "v0.9.0",
                "demo.new_thing", "hatchling==1.27.0", "umask 022 vs 002", "✓ reproducible")  # fmt: skip
    for shown in expected:
        assert shown in text, shown
    assert reader.tags.count("rect") == len(REGISTRIES)  # one bar per registry in the SVG
    assert reader.tags.count("line") > 2 * len(REGISTRIES)  # the axis, grid and a tick per file


def test_the_governance_decision_shows_when_publish_wrote_one(tmp_path: Path) -> None:
    shas = make_dists(tmp_path / "dist")
    assert gather(Sources(dist_dir=tmp_path / "dist"))["governance"] is None
    record = {
        "format": 1, "action": "publish", "allowed": True,
        "policy": "origin/main:pyproject.toml", "policy_digest": "sha256:" + "ab" * 32,
        "run": "r1", "commit": "c" * 40, "artifacts": shas, "buildinfo_sha256": None,
        "claims": {"repository": "acme/demo", "repository_id": "42"},
        "verdicts": [{"condition": "publisher", "verdict": "passed", "detail": "acme/demo"}],
    }  # fmt: skip
    (tmp_path / "dist" / "GOVERNANCE.json").write_text(json.dumps(record), encoding="utf-8")
    dossier = gather(Sources(dist_dir=tmp_path / "dist"))
    validate(dossier)
    governance = dossier["governance"]
    assert (governance["allowed"], governance["covers_artifacts"]) == (True, True)
    assert governance["claims"] == {"repository": "acme/demo", "repository_id": "42"}
    text = " ".join(assert_safe_page(render(dossier)).text)
    for shown in ("✓ allowed", "origin/main:pyproject.toml", "repository_id", "acme/demo"):
        assert shown in text, shown
    # A record of other bytes (a stale one left in dist/) is said not to cover this release.
    record["artifacts"] = dict.fromkeys(shas, "0" * 64)
    (tmp_path / "dist" / "GOVERNANCE.json").write_text(json.dumps(record), encoding="utf-8")
    assert gather(Sources(dist_dir=tmp_path / "dist"))["governance"]["covers_artifacts"] is False


def test_partial_records_say_what_is_missing_and_every_section_is_there(tmp_path: Path) -> None:
    make_dists(tmp_path / "dist")
    (tmp_path / "dist" / "SHA256SUMS").unlink()
    dossier = gather(Sources(dist_dir=tmp_path / "dist"))
    validate(dossier)
    missing = {g["record"] for g in dossier["gaps"]}
    assert {"reports", "SHA256SUMS", "signatures", "SBOM", "API changes",
            "reproducibility verdict", "served hashes"} <= missing  # fmt: skip
    assert dossier["sbom"] is None
    assert dossier["api"] is None
    assert dossier["signatures"] == []
    reader = assert_safe_page(render(dossier))
    text = " ".join(reader.text)
    assert "No SBOM was given or found." in text
    assert "absent" in text


def test_unreadable_records_are_warnings_never_a_traceback(tmp_path: Path) -> None:
    shas = make_dists(tmp_path / "dist")
    (tmp_path / "dist" / "BUILDINFO.json").write_text("[1, 2", encoding="utf-8")
    (tmp_path / "dist" / "SHA256SUMS").write_text("not a sums file\n", encoding="utf-8")
    (tmp_path / "dist" / f"{WHEEL}.sigstore.json").write_text('{"verificationMaterial": 3}')
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"checks": [{"check": 5, "findings": [7, {"line": "x"}]}]}))
    (tmp_path / "ledger.json").write_text('{"registries": []}')
    (tmp_path / "audit.jsonl").write_text(
        f'{{"phase": "finished", "artifacts": [{{"sha256": "{shas[WHEEL]}"}}], "registries": '
        '[{"name": "r", "seconds": -1e999, "files": {"x": 3}}]}\n{"half'
    )
    (tmp_path / "sbom.json").write_text('{"bomFormat": "SPDX"}')
    (tmp_path / "corrupt.json").write_text('{"checks": [{"check": "publish r"', encoding="utf-8")
    dossier = gather(
        Sources(
            dist_dir=tmp_path / "dist",
            reports=(report, tmp_path / "absent.json", tmp_path / "corrupt.json"),
            sbom=tmp_path / "sbom.json",
            ledger=tmp_path / "ledger.json",
            audit_log=tmp_path / "audit.jsonl",
        )
    )
    validate(dossier)
    states = {(g["record"], g["state"]) for g in dossier["gaps"]}
    assert ("SBOM", "unreadable") in states
    # A report that is not there (its step did not run) is missing; one that is corrupt is
    # unreadable: the two say different things about the release.
    reports = [
        (g["state"], g["detail"].split(":")[0]) for g in dossier["gaps"] if g["record"] == "report"
    ]
    assert reports == [("missing", "absent.json"), ("unreadable", "corrupt.json")]
    assert dossier["signatures"][0]["error"] == "no certificate in it"
    assert dossier["timeline"][0]["seconds"] == 0.0
    assert_safe_page(render(dossier))


def test_json_report_is_written_besides_the_format_the_log_shows(tmp_path: Path) -> None:
    """What the Action passes to build, publish, verify-mirrors and dossier: the log keeps its
    annotations (github format) and the JSON report goes to report-path for the dossier."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0.0"\n')
    make_dists(tmp_path / "dist")
    kept = tmp_path / "kept" / "report.json"
    result = run_cli(
        "dossier", "--out-dir", str(tmp_path / "site"), "--format", "github",
        "--json-report", str(kept), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "::notice" in result.stdout
    assert not result.stdout.lstrip().startswith("{")
    checks = json.loads(kept.read_text(encoding="utf-8"))["checks"]
    assert {f["rule"] for c in checks for f in c["findings"]} == {"dossier/record-missing"}


def test_a_publish_that_stops_on_an_error_still_writes_its_report_and_the_dossier_shows_it(
    tmp_path: Path,
) -> None:
    """No dists to publish: the run stops before any registry is asked, and its report says so
    (before, nothing was written and the dossier said the publish report was unreadable).
    A secret the configuration names is redacted even where the error quotes it."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0.0"\n')
    (tmp_path / "releasegate.toml").write_text(
        '[[registries]]\nname = "inner"\nkind = "pypi"\nurl = "https://127.0.0.1:9/legacy/"\n'
        'username-env = "RG_U"\npassword-env = "RG_P"\n'
    )
    secret = "Qx7-secret-Vb2"
    env = {"RG_U": "bob", "RG_P": secret}
    report = tmp_path / "reports" / "publish.json"
    published = run_cli(
        "publish", "--dist-dir", f"built-{secret}", "--json-report", str(report),
        cwd=tmp_path, env=env,
    )  # fmt: skip
    assert published.returncode == 1, published.stderr
    written = report.read_text(encoding="utf-8")
    assert secret not in written
    (check,) = json.loads(written)["checks"]
    assert check["data"]["outcome"] == "error"
    assert [f["rule"] for f in check["findings"]] == ["publish/run-failed"]
    assert "built-***: no such directory" in check["findings"][0]["message"]

    make_dists(tmp_path / "dist")
    made = run_cli("dossier", "--report", str(report), "--out-dir", "site", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    dossier = json.loads((tmp_path / "site" / "dossier.json").read_text(encoding="utf-8"))
    validate(dossier)
    assert not [g for g in dossier["gaps"] if g["record"] == "report"]
    assert dossier["publish"]["outcome"] == "error"
    assert "no such directory" in dossier["publish"]["runs"][0]["error"]
    page = (tmp_path / "site" / "dossier.html").read_text(encoding="utf-8")
    assert secret not in page
    assert "no such directory" in " ".join(assert_safe_page(page).text)


def test_the_command_writes_both_files_and_notes_each_missing_record(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "1.0.0"\n')
    make_dists(tmp_path / "dist")
    out = tmp_path / "site"
    result = run_cli("dossier", "--out-dir", str(out), "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rules = {f["rule"] for c in json.loads(result.stdout)["checks"] for f in c["findings"]}
    assert rules == {"dossier/record-missing"}
    validate(json.loads((out / "dossier.json").read_text(encoding="utf-8")))
    assert_safe_page((out / "dossier.html").read_text(encoding="utf-8"))


def test_a_200_component_sbom_keeps_the_page_under_a_megabyte(tmp_path: Path) -> None:
    sources = full_sources(tmp_path)
    sbom(tmp_path / "sbom.cdx.json", components=200)
    page = render(gather(sources))
    assert len(page.encode()) < 1_000_000
    assert read_page(page).tags.count("tr") > 200


HOSTILE_MARKUP_VALUES = [
    "<script>alert(1)</script>",
    '"><img src=https://evil.example/x onerror=alert(1)>',
    "</style><script src=//evil.example/a.js></script>",
    "<svg onload=alert(1)>",
    "</td></tr></table><iframe src=http://evil.example/>",
    "<!-- a comment --><a href='javascript:alert(1)'>x</a>",
    "&lt;script&gt;",
    "</title><link rel=stylesheet href=http://evil.example/s.css>",
]
HOSTILE_MARKUP = st.sampled_from(HOSTILE_MARKUP_VALUES)
HOSTILE = st.lists(st.one_of(HOSTILE_MARKUP, hostile_text), min_size=1, max_size=3).map("".join)


def hostile_dossier(root: Path, value: str) -> dict[str, Any]:
    """``value`` wherever a record holds text: a fork's report, a registry's name, an SBOM, the
    ledger and the audit log."""
    root.mkdir(exist_ok=True)
    shas = make_dists(root / "dist")
    finding = {
        "severity": value,
        "rule": value,
        "message": value,
        "path": value,
        "line": 1,
        "hint": value,
    }
    change = dict.fromkeys(("kind", "impact", "target", "detail", "path", "line"), value)
    check = {"check": value, "passed": False, "summary": value, "findings": [finding],
             "data": {"base": {"tag": value, "commit": value}, "changes": [change], "reproducible": True,
                      "conditions": [value], "served": {value: {WHEEL: value}},
                      "artifacts": [{"name": value, "builds": [{"sha256": value}]}]}}  # fmt: skip
    for gate in ("api", "reproducible", "verify-mirrors"):
        (root / f"{gate}.json").write_text(json.dumps({"checks": [{**check, "check": gate}]}))
    # A failed publish's report: each registry's and file's text, a stopped run's error.
    published = {"registry": value, "kind": value, "outcome": "failed", "completed": False,
                 "error": value, "attached": {"GOVERNANCE.json": value},
                 "files": [{"filename": WHEEL, "sha256": shas[WHEEL], "state": value,
                            "verified": False, "error": value}]}  # fmt: skip
    stopped = {"check": "publish", "member": value, "data": {"outcome": "error", "error": value}}
    (root / "publish.json").write_text(json.dumps({"checks": [
        {**check, "check": "publish x", "data": published}, stopped]}))  # fmt: skip
    (root / "sbom.json").write_text(json.dumps({
        "bomFormat": "CycloneDX", "specVersion": value,
        "components": [{"bom-ref": "a", "name": value, "version": value,
                        "licenses": [{"expression": value}, {"license": {"name": value}}]}],
        "vulnerabilities": [{"id": value, "ratings": [{"severity": value}], "affects": [{"ref": "a"}]}],
    }))  # fmt: skip
    (root / "ledger.json").write_text(json.dumps({"registries": {value: {WHEEL: {
        "sha256": shas[WHEEL], "state": value, "verified": True, "updated": value, "error": value}}}}))  # fmt: skip
    (root / "audit.jsonl").write_text(json.dumps({
        "phase": "finished", "run": value, "started": "2026-01-01T00:00:00Z",
        "artifacts": [{"sha256": shas[WHEEL]}],
        "registries": [{"name": value, "seconds": 2, "files": {value: {"state": value}}}],
    }) + "\n")  # fmt: skip
    (root / "dist" / "GOVERNANCE.json").write_text(json.dumps({
        "action": value, "allowed": True, "policy": value, "policy_digest": value, "run": value,
        "commit": value, "artifacts": {value: value}, "claims": {value: value, "ref": value},
        "verdicts": [{"condition": value, "verdict": value, "detail": value}],
    }))  # fmt: skip
    return gather(
        Sources(
            dist_dir=root / "dist",
            reports=tuple(
                root / f"{g}.json" for g in ("api", "reproducible", "verify-mirrors", "publish")
            ),
            sbom=root / "sbom.json",
            ledger=root / "ledger.json",
            audit_log=root / "audit.jsonl",
            registries=(Registry(value, value, value),),
            name=value,
            version=value,
        )
    )


def assert_inert(dossier: dict[str, Any], value: str) -> None:
    validate(dossier)
    reader = assert_safe_page(render(dossier))
    assert "evil.example" not in " ".join(v for _, v in reader.attributes)
    if value.isprintable() and len(value) < 200:
        assert display(value) in " ".join(reader.text)  # shown as the text it is


@pytest.mark.parametrize("value", HOSTILE_MARKUP_VALUES)
def test_markup_in_a_record_is_shown_as_text(tmp_path: Path, value: str) -> None:
    assert_inert(hostile_dossier(tmp_path / "h", value), value)


@pytest.mark.slow
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=HOSTILE)
def test_hostile_record_text_never_becomes_markup_or_script(tmp_path: Path, value: str) -> None:
    assert_inert(hostile_dossier(tmp_path / "h", value), value)


@pytest.mark.parametrize("kind", ["bundle", "attestation"])
def test_a_certificate_that_is_not_one_is_said(tmp_path: Path, kind: str) -> None:
    from releasegate._internal.dossier.signatures import read_signature

    path = tmp_path / "x"
    if kind == "bundle":
        path.write_text(json.dumps({"verificationMaterial": {"certificate": {"rawBytes": "AAAA"}}}))
        entry = read_signature(path, "sigstore bundle")
    else:
        path.write_text(json.dumps({"verification_material": {"certificate": "!!"}}))
        entry = read_signature(path, "PEP 740 attestation")
    expected = "not a valid X.509" if kind == "bundle" else "not base64"
    assert expected in entry["error"]
