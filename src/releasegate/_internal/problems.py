"""The one conversion of a library's problem into a gate's Finding.

Library packages (metadata, lockfiles, api, reuse, version sources) describe what is
wrong as data: a rule, a message, a hint, and where they know it, a file and line.
Gates place them (check name, severity, and a file and line when the library only
knows a key) through ``to_finding``, so no gate builds a Finding field by field from
a problem, nor splits a ``"path: message"`` string to recover where it is.
"""

from __future__ import annotations

from typing import NamedTuple, Protocol

from releasegate._internal.findings import REGISTERED, Finding, Severity


class ProblemLike(Protocol):
    """What every library problem has (``metadata.problem.Problem``, ``lockfiles.model.Problem``...)."""

    @property
    def rule(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def hint(self) -> str | None: ...


class FileProblem(NamedTuple):
    """A problem in one file, for libraries that have no problem type of their own."""

    rule: str
    message: str
    path: str
    line: int | None = None
    hint: str | None = None


def to_finding(
    check: str,
    problem: ProblemLike,
    *,
    path: str | None = None,
    line: int | None = None,
    severity: Severity | None = None,
    hint: str | None = None,
) -> Finding:
    """``problem`` as a Finding of ``check``; ``path``/``line`` fall back to the problem's own.

    ``hint`` is used when the problem has none; ``severity`` defaults to the problem's own (where
    the library decides it: a lockfile's hash policy), else to the rule's default in the rule
    registry (``rules.py``).
    """
    own_path = getattr(problem, "path", None)
    own_line = getattr(problem, "line", None)
    own_severity = getattr(problem, "severity", None)
    if severity is None and isinstance(own_severity, Severity):
        severity = own_severity
    subject = getattr(problem, "subject", None)  # what it is about, where the library knows
    return Finding(
        check,
        problem.rule,
        problem.message,
        REGISTERED if severity is None else severity,
        path if path is not None else own_path if isinstance(own_path, str) else None,
        line if line is not None else own_line if isinstance(own_line, int) else None,
        problem.hint or hint,
        subject if isinstance(subject, str) else None,
    )
