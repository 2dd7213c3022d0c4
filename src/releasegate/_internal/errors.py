"""The one exception root of releasegate.

A problem in the user's project is a Finding, not an exception. Exceptions are for
usage and configuration mistakes (exit 2) and for environments the tool cannot work
in (exit 1 via ``FatalError``). Anything else is a bug (exit 3).
"""

from __future__ import annotations


class ReleasegateError(Exception):
    """Root of every error releasegate raises on purpose; exported as ``releasegate.ReleasegateError``.

    Raised when releasegate cannot do the work asked of it (as opposed to finding problems in
    the project, which are findings in the returned ``Report``). ``message`` says what
    happened, ``hint`` (may be None) what to do; ``diagnostics()`` joins them for display.
    Catch this one class to handle every deliberate failure of ``run_checks``, ``publish`` and
    ``load_config``; anything else that escapes them is a bug to report.
    """

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def diagnostics(self) -> str:
        """What happened and, when known, what to do about it."""
        if self.hint:
            return f"{self.message}\nTip: {self.hint}"
        return self.message


class FatalError(ReleasegateError):
    """The environment does not allow the work: no git, no network, no credentials.

    Raised when a command cannot start or go on (``publish`` with no dists or no registries,
    a git that is missing); the CLI exits 1. What to do: fix the environment as ``hint`` says
    and run again.
    """


class UsageError(ReleasegateError):
    """The command line asks for something that does not exist.

    Raised for an unknown gate or registry name or options that contradict each other; the
    CLI exits 2. What to do: correct the call (``releasegate --help`` lists what exists).
    """

    exit_code = 2


class ConfigError(UsageError):
    """The configuration is malformed; exported as ``releasegate.ConfigError``.

    Raised by ``load_config``, ``run_checks`` and ``publish`` when ``[tool.releasegate]`` (or
    ``releasegate.toml``) or a TOML file the project owns cannot be read or breaks the schema;
    the CLI exits 2. ``problems`` lists every problem found, each as ``file:line: what``, not
    only the first. What to do: fix each listed line; nothing ran.
    """

    def __init__(self, problems: list[str], *, hint: str | None = None) -> None:
        self.problems = problems
        super().__init__(
            "invalid configuration:\n" + "\n".join(f"  {p}" for p in problems), hint=hint
        )


class TomlError(ConfigError):
    """A TOML file that cannot be read, decoded or parsed, as data: no message to re-parse."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        """The file as shown to the user (root-relative)."""
        self.line = line
        """1-based; None when the problem is not on one line (an unreadable file)."""
        self.reason = reason
        super().__init__([f"{path}:{line}: {reason}" if line else f"{path}: {reason}"])
