"""The job summary's Mermaid diagrams: the publish timeline and a workspace's release waves."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.findings import Finding, GateResult, Report, Severity
from releasegate._internal.report import github, markdown, mermaid
from tests.hostile_output_support import hostile_text

if TYPE_CHECKING:
    from pathlib import Path

    import pytest

# Every line a diagram may hold: its own keywords, and labels of plain characters.
_SAFE = r"[A-Za-z0-9 ._/-]+"
_LINE = re.compile(
    rf"^(```(mermaid)?|gantt|flowchart LR|    title Publish timeline|    dateFormat x"
    rf"|    axisFormat %M:%S|    section {_SAFE}"
    rf"|    (complete|incomplete) [0-9.]+s : (done|crit), [0-9]+, [0-9]+"
    rf'|    subgraph w[0-9]+\["wave [0-9]+"\]|        m[0-9]+\["{_SAFE} (✓|✗ not released)"\]'
    rf"|    end|    w[0-9]+ --> w[0-9]+)$"
)


def publish_result(name: str, started: str, seconds: float, *, failed: bool = False) -> GateResult:
    findings = (Finding("publish", "registry-failed", "down", Severity.ERROR),) if failed else ()
    data = {"registry": name, "started": started, "seconds": seconds, "completed": not failed}
    return GateResult(f"publish {name}", findings, seconds, data=data)


def assert_well_formed(lines: list[str]) -> None:
    for line in lines:
        if line:
            assert _LINE.match(line), line


def test_the_publish_timeline_has_a_bar_per_registry_from_the_run_s_start() -> None:
    report = Report.of(
        [
            publish_result("pypi", "2026-01-01T10:00:00Z", 2.5),
            publish_result("mirror", "2026-01-01T10:00:00Z", 0.2),
            publish_result("internal", "2026-01-01T10:00:03Z", 1.0, failed=True),
        ]
    )
    lines = mermaid.timeline(report)
    assert_well_formed(lines)
    assert lines[1] == "gantt"
    assert "    section publish pypi" in lines
    assert "    complete 2.5s : done, 0, 2500" in lines
    assert "    incomplete 1.0s : crit, 3000, 4000" in lines  # started 3 s later, and failed


def test_the_release_waves_group_members_and_say_which_were_not_released() -> None:
    results = [
        publish_result("pypi", "2026-01-01T10:00:00Z", 1.0).of_member("core", "core/"),
        publish_result("pypi", "2026-01-01T10:00:02Z", 1.0, failed=True).of_member("cli", "cli/"),
        publish_result("mirror", "2026-01-01T10:00:02Z", 1.0).of_member("cli", "cli/"),
    ]
    waves = {"core": 0, "cli": 1}
    report = Report.of(
        [
            GateResult(
                r.check, r.findings, data={**r.data, "wave": waves[r.member or ""]}, member=r.member
            )
            for r in results
        ]
    )
    lines = mermaid.waves(report)
    assert_well_formed(lines)
    text = "\n".join(lines)
    assert 'subgraph w0["wave 1"]\n        m1["core ✓"]' in text
    assert 'subgraph w1["wave 2"]\n        m0["cli ✗ not released"]' in text
    assert "    w0 --> w1" in lines


def test_other_reports_get_no_diagram() -> None:
    report = Report.of([GateResult("semver", (), data={"seconds": 3, "wave": 1})])
    assert mermaid.diagrams(report) == []


@settings(max_examples=150, deadline=None)
@given(name=hostile_text, started=hostile_text, seconds=st.floats(allow_nan=True))
def test_names_from_a_fork_s_report_cannot_leave_a_label(
    name: str, started: str, seconds: float
) -> None:
    """A registry or member name is text in a label, whatever it holds; a bad time or duration
    leaves its bar out instead of failing."""
    good = publish_result(name, "2026-01-01T10:00:00Z", 1.0)
    odd = GateResult(f"publish {name}", (), data={"started": started, "seconds": seconds})
    member = GateResult(good.check, (), data={**good.data, "wave": 2}, member=name)
    lines = mermaid.diagrams(Report.of([good, odd, member]))
    assert_well_formed(lines)
    assert sum(1 for line in lines if line.startswith("    section ")) in (2, 3)


def test_the_job_summary_draws_them_beside_the_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    report = Report.of([publish_result("pypi", "2026-01-01T10:00:00Z", 2.0)])
    github.write_summary(report)
    text = summary.read_text(encoding="utf-8")
    assert text.index("| check |") < text.index("```mermaid\ngantt") < text.index("**Passed**")
    assert "```mermaid" not in markdown.render(report)  # PR comments and check runs: tables only
