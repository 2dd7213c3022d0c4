"""Hostile strings in every field of a finding, through every output releasegate writes (issue 27).

Findings are generated with hostile text in every field a checkout or a fork's report can reach
(check and member names, rule, message, path, hint, summary) and rendered in every format: text
(plain and on a terminal), JSON, SARIF, GitHub workflow commands and the job summary, markdown,
the PR comment, the check run, a commit status, backend output and error lines. Whatever the
strings, no line starts a workflow command releasegate did not write, no raw control character
is written, and no line is over the bound. The same checks run through real gates on generated
checkouts in test_hostile_output_gates.py.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from releasegate._internal.display import FIELD_LIMIT, display, display_lines
from releasegate._internal.findings import Finding, GateResult, Report, Severity
from releasegate._internal.report import OutputFormat, markdown, render
from releasegate._internal.report import github as github_report
from tests.hostile_output_support import HOSTILE, hostile_text, json_problems, problems

if TYPE_CHECKING:
    from pathlib import Path


class Terminal(io.StringIO):
    """A stream that says it is a terminal, so the text renderer paints with rich."""

    def isatty(self) -> bool:
        return True


_maybe = st.one_of(st.none(), hostile_text)


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    return Finding(
        check=draw(st.one_of(st.just("metadata"), hostile_text)),
        rule=draw(st.one_of(st.just("unknown-key"), hostile_text)),
        message=draw(hostile_text),
        severity=draw(st.sampled_from(list(Severity))),
        path=draw(_maybe),
        line=draw(st.one_of(st.none(), st.integers(1, 10**6))),
        hint=draw(_maybe),
    )


@st.composite
def reports(draw: st.DrawFn) -> Report:
    results = []
    for _ in range(draw(st.integers(1, 3))):
        check = draw(st.one_of(st.just("lockfile"), hostile_text))
        results.append(
            GateResult(
                check,
                tuple(draw(st.lists(findings(), max_size=3))),
                summary=draw(_maybe),
                member=draw(_maybe),
            )
        )
    return Report.of(results, ".")


def _rendered(report: Report, fmt: OutputFormat, stream: io.StringIO | None = None) -> str:
    out = stream if stream is not None else io.StringIO()
    render(report, fmt, out)
    return out.getvalue()


_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_SETTINGS
@given(report=reports())
def test_text_github_and_markdown_carry_no_foreign_command_or_control_character(
    report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.unlink(missing_ok=True)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    outputs = {
        "text": _rendered(report, OutputFormat.TEXT),
        "terminal": _rendered(report, OutputFormat.TEXT, Terminal()),
        "github": _rendered(report, OutputFormat.GITHUB),
        "job summary": summary.read_text(encoding="utf-8"),
        "markdown": _rendered(report, OutputFormat.MARKDOWN),
        "markdown, limited": markdown.render(report, 65_000),
    }
    for name, text in outputs.items():
        assert problems(text, terminal=name == "terminal") == [], name
    # Every command in the log is one releasegate wrote: a group per gate and an annotation per
    # finding, and nothing else, whatever the findings said.
    commands = [line for line in outputs["github"].split("\n") if line.lstrip().startswith("::")]
    assert len(commands) == 2 * len(report.results) + len(list(report.findings()))


@_SETTINGS
@given(report=reports())
def test_json_and_sarif_hold_no_control_character_in_any_string(report: Report) -> None:
    for fmt in (OutputFormat.JSON, OutputFormat.SARIF):
        assert json_problems(_rendered(report, fmt)) == [], fmt


@_SETTINGS
@given(report=reports())
def test_the_pr_comment_and_check_runs_carry_only_displayed_text(report: Report) -> None:
    from releasegate._internal.github import comment, statuses

    assert problems(comment.body_of(report, "https://github.com/o/r/actions/runs/1")) == []
    for result in report.results:
        assert problems(statuses.describe(result)) == []
        output = statuses._output(result, "")
        assert problems(output["summary"]) == []
        for annotation in output["annotations"]:
            # The API takes the message as JSON; our own "\nHint:" is the only line break.
            for line in annotation["message"].split("\nHint: "):
                assert problems(line) == [], annotation
            assert problems(annotation["path"] + annotation["title"]) == []


@st.composite
def fork_reports(draw: st.DrawFn) -> str:
    """The JSON a fork's job writes: real gate names (else it is refused), hostile text in every
    other string, and now and then a key of its own choosing."""
    results = []
    for gate in draw(st.lists(st.sampled_from(["semver", "lockfile", "metadata"]), unique=True)):
        chosen = draw(st.lists(findings(), max_size=3))
        own = tuple(
            Finding(gate, f.rule, f.message, f.severity, f.path, f.line, f.hint) for f in chosen
        )
        results.append(GateResult(gate, own, summary=draw(_maybe)))
    document = json.loads(_rendered(Report.of(results), OutputFormat.JSON))
    if draw(st.booleans()):
        document[draw(hostile_text)] = draw(hostile_text)
    return json.dumps(document)


@_SETTINGS
@given(document=fork_reports())
def test_a_fork_report_read_back_renders_safe(document: str, tmp_path: Path) -> None:
    """``report --from``: the JSON a fork's job wrote is rendered in the job holding the token."""
    from releasegate._internal.github.untrusted import UntrustedReportError, load_report

    path = tmp_path / "report.json"
    path.write_text(document, encoding="utf-8")
    refused = None
    try:
        read = load_report(path)
    except UntrustedReportError as exc:  # refused (an unknown key): the error line is displayed
        refused = f"releasegate: error: {display_lines(exc.diagnostics())}"
    if refused is not None:
        assert problems(refused) == []
        return
    for fmt in OutputFormat:
        text = _rendered(read, fmt)
        if fmt in (OutputFormat.JSON, OutputFormat.SARIF):
            assert json_problems(text) == [], fmt
        else:
            assert problems(text) == [], fmt


@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_display_is_one_safe_bounded_line_and_idempotent(text: str) -> None:
    shown = display(text)
    assert len(shown) <= FIELD_LIMIT
    assert problems(shown) == []
    assert "\n" not in shown
    assert display(shown) == shown
    # Wherever it lands at the start of a line, with our own ": " after it, no command forms.
    assert problems(f"{shown}: error: {shown}") == []
    assert problems(f"  {shown}") == []


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=hostile_text, body=hostile_text)
def test_backend_output_is_displayed_line_by_line(
    title: str, body: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from releasegate._internal.cli.output import write_output

    for actions in ("true", ""):
        monkeypatch.setenv("GITHUB_ACTIONS", actions)
        out = io.StringIO()
        write_output(out, title, body, verbose=True)
        assert problems(out.getvalue()) == []


def test_each_hostile_fragment_is_escaped_not_dropped() -> None:
    """Escaped, so a reader sees that the value held it; the visible text stays."""
    assert display("\n::stop-commands::x") == "\\n::stop-commands::x"
    assert display("\x1b]52;c;aGk=\x07") == "\\x1b]52;c;aGk=\\x07"
    assert display("\x9b2J") == "\\x9b2J"
    assert display("::error::x") == "\\x3a:error::x"
    assert display(" ::error::x") == " \\x3a:error::x"
    assert display("##[error]x") == "##\\x5berror]x"
    assert display("%0A") == "%0A"  # not a control character here; encoded in commands
    cut = display("k" * 100_000)
    assert len(cut) == FIELD_LIMIT
    assert cut.endswith("... (100000 characters)")


def test_a_workflow_command_encodes_what_the_runner_decodes() -> None:
    """GitHub's encoding of data (%, CR, LF) and properties (also : and ,), after display."""
    finding = Finding("c", "r", "50% done\nnext", path="a:b,c.py", line=3, hint="h")
    line = github_report.annotation(Report.of([GateResult("c", (finding,))]).results[0].findings[0])
    assert line == "::error file=a%3Ab%2Cc.py,line=3,title=c/r::50% done\\nnext%0AHint: h".replace(
        "50% done", "50%25 done"
    )


@pytest.mark.parametrize("fragment", HOSTILE)
def test_every_fragment_in_every_field_renders_safe(fragment: str) -> None:
    """The fixed list, each alone in every field at once: the cases the issue names."""
    finding = Finding(fragment, fragment, fragment, path=fragment, line=1, hint=fragment)
    report = Report.of([GateResult(fragment, (finding,), summary=fragment, member=fragment)])
    for fmt in OutputFormat:
        text = _rendered(report, fmt)
        if fmt in (OutputFormat.JSON, OutputFormat.SARIF):
            assert json_problems(text) == [], fmt
            json.loads(text)
        else:
            assert problems(text) == [], fmt


@settings(max_examples=50, deadline=None)
@given(name=hostile_text, error=hostile_text, filename=hostile_text)
def test_publish_progress_shows_registry_replies_displayed(
    name: str, error: str, filename: str
) -> None:
    """A registry's error text and a file name reach the log as displayed lines, plain or grouped."""
    from releasegate._internal.publish.outcome import FileOutcome, RegistryOutcome
    from releasegate._internal.publish.progress import GithubEvents, PlainEvents

    outcome = RegistryOutcome(name, "pypi", required=True, error=error)
    outcome.files[filename] = FileOutcome(filename, "0" * 64, error=error)
    for events in (PlainEvents, GithubEvents):
        out = io.StringIO()
        sink = events(out)
        sink.retrying(name, filename, 2, 1.0, error)
        sink.file_done(name, outcome.files[filename])
        sink.registry_done(outcome)
        assert problems(out.getvalue()) == [], events.__name__
