"""Findings are the data every gate produces, and a Report is what renderers read."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, cast

from releasegate._internal.display import clean

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping


class Severity(str, enum.Enum):
    """How much a finding matters; a run fails at its ``fail-on`` severity or above (error)."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "note": 0}[self.value]


QUOTE_LIMIT = 200
"""The most characters of the checkout's own text a message quotes."""


def quoted(text: object, limit: int = QUOTE_LIMIT) -> str:
    """``repr(text)`` cut to about ``limit`` characters: what a message quotes of the input.

    A checkout's line may be a megabyte long; a message shows enough to find it, no more. A
    value that is not a string (a TOML table where a string belongs) is quoted as its repr.
    """
    if not isinstance(text, str):
        shown = repr(text)
        return shown if len(shown) <= limit else shown[:limit] + f"... ({len(shown)} characters)"
    if len(text) <= limit:
        return repr(text)
    return repr(text[:limit]) + f"... ({len(text)} characters)"


REGISTERED = cast("Severity", None)
"""A Finding made without a severity takes its rule's default from the registry (rules.py)."""


@dataclass(frozen=True)
class Finding:
    """One problem in the project being checked."""

    check: str
    """The gate that produced it, e.g. ``semver``."""
    rule: str
    """A stable identifier of the rule within the gate, e.g. ``version-mismatch``."""
    message: str
    """What is wrong, in one sentence."""
    severity: Severity = REGISTERED
    """Default: the rule's default severity in the rule registry (``releasegate rules``)."""
    path: str | None = None
    """File relative to the project root, POSIX separators; None for project-wide findings."""
    line: int | None = None
    """1-based line in ``path``, when the problem has one."""
    hint: str | None = None
    """How to fix it."""
    subject: str | None = None
    """What it is about within its file, stable across edits: a package name, a key path, an API
    object. With the rule and the path it names the finding across commits (``--new-since``,
    SARIF fingerprints); without one, the message stands in with its line numbers taken out."""
    baseline: str | None = None
    """Under ``--new-since`` only: ``new``, ``unchanged`` (already at the base, so a note) or
    ``updated`` (at the base too, but worse now); SARIF's ``baselineState``."""

    def __post_init__(self) -> None:
        if self.severity is REGISTERED:
            # Imported on the first finding: a clean hook run never loads the table.
            from releasegate._internal.rules import default_severity

            registered = Severity(default_severity(f"{self.check}/{self.rule}"))
            object.__setattr__(self, "severity", registered)

    @property
    def rule_id(self) -> str:
        return f"{self.check}/{self.rule}"

    def identity(self, *, loose: bool = False) -> str:
        """The finding across commits: rule, file and subject, never the line.

        ``loose`` also takes every number out of a message that stands in for the subject, so
        that ``requests==2.31.0`` still matches after a re-lock to ``2.32.0``.
        """
        import re  # only --new-since and SARIF ask: the hooks never pay for it

        about = self.subject
        if about is None:
            pattern = r"\d+" if loose else r"(?<=line )\d+|(?<=lines )\d+|(?<=:)\d+"
            about = re.sub(pattern, "#", self.message)
        return "\0".join((self.rule_id, self.path or "", about))

    def location(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else self.path


BACKEND_OUTPUT = "backend_output"
"""The ``GateResult.data`` key of build backends' output: ``[{"build": label, "output": text}]``;
``cli/output.py`` shows it with ``--verbose`` and folded under GitHub Actions. It lives here, with
the model, so that printing a report never imports the builder."""


@dataclass(frozen=True)
class GateResult:
    """What one gate reported, and how long it took."""

    check: str
    findings: tuple[Finding, ...]
    seconds: float = 0.0
    summary: str | None = None
    """An optional one-line verdict (e.g. ``version 1.2.0 (tag v1.2.0)``)."""
    fail_on: Severity = Severity.ERROR
    """The lowest severity that fails; a Report sets it on every result it holds."""
    data: Mapping[str, object] = field(default_factory=dict, hash=False)
    """Structured facts of the verdict for machines (JSON-serialisable, e.g. the sha256 of each
    artifact of each build): the JSON report carries them as ``data``, text formats do not."""
    member: str | None = None
    """The workspace member it is about (None for a single project); ``check`` then reads
    ``<member>/<gate>`` and the findings' paths are relative to the workspace root."""

    @property
    def failed(self) -> bool:
        """The one verdict rule: exit code, renderers, statuses and outputs all read it."""
        return any(f.severity.rank >= self.fail_on.rank for f in self.findings)

    def of_member(self, member: str, prefix: str) -> GateResult:
        """This result labelled as ``member``'s, its paths under the member's folder ``prefix``.

        The one place a workspace labels its results: statuses (``releasegate/<member>/<gate>``),
        summaries and every renderer read ``check``; annotations read the paths.
        """
        findings = tuple(
            replace(f, path=_under(prefix, f.path)) if f.path is not None and prefix else f
            for f in self.findings
        )
        return replace(self, check=f"{member}/{self.check}", findings=findings, member=member)


def _under(prefix: str, path: str) -> str:
    """``path`` of a member as seen from the workspace root: a shared file the member names
    (``../../common.txt``) is the root's ``common.txt``, not ``packages/a/../../common.txt``."""
    if not path.startswith("../"):
        return prefix + path
    import posixpath

    return posixpath.normpath(prefix + path)


@dataclass(frozen=True)
class Report:
    """Every gate's result for one run, in the order the gates ran."""

    results: tuple[GateResult, ...] = field(default_factory=tuple)
    root: str = "."
    fail_on: Severity = Severity.ERROR
    """The project's ``fail-on``: the lowest severity that fails the run."""
    baseline: str | None = None
    """Under ``--new-since``: the base the findings were compared with, e.g. ``main (1a2b3c4d5e6f)``;
    findings already there are notes."""

    def __post_init__(self) -> None:
        # One threshold per run: a result cannot pass in one renderer and fail in another.
        # And one escaping step: every string a finding or result holds (the checkout's keys,
        # names, versions, a fork's report) is displayed safe before any renderer, comment or
        # check run reads it (display.py says what that means).
        results = tuple(
            clean(r if r.fail_on is self.fail_on else replace(r, fail_on=self.fail_on))
            for r in self.results
        )
        object.__setattr__(self, "results", results)

    @property
    def failed(self) -> bool:
        return any(r.failed for r in self.results)

    def findings(self) -> Iterator[Finding]:
        for result in self.results:
            yield from result.findings

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings() if f.severity is severity)

    @classmethod
    def of(
        cls, results: Iterable[GateResult], root: str = ".", fail_on: Severity = Severity.ERROR
    ) -> Report:
        return cls(tuple(results), root, fail_on)
