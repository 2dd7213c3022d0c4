"""The inputs of action.yml turned into one releasegate command, and its step outputs.

action.yml hands every input over as an environment variable (never interpolated
into a script), and this module builds the argument list from them, runs the command
in-process and writes ``version``, ``result``, ``hashes`` and ``report-path`` for any
command, including those that know nothing about GitHub.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Mapping

COMMANDS = (
    "check",
    "build",
    "publish",
    "sign",
    "verify-mirrors",
    "report",
    "promote",
    "plan",
    "dossier",
)
PREFIX = "RELEASEGATE_"
REPORT_NAME = "releasegate-report.json"
PLAN_NAME = "releasegate-plan.json"
"""``command: plan`` writes its matrix here, beside the report, for the ``matrix`` output."""
_SELECTING = ("check", "publish", "plan")
AUTO, OFF = "auto", "off"
"""``new-since``: the base of a pull request or merge group; never."""
_CHECK_ONLY = ("report-statuses", "comment", "sarif-file", "checks")
# What `command: report` (posting a fork pull request's report) accepts of them.
_REPORT_TOO = ("report-statuses", "comment")
# Commands whose JSON report the action keeps at `report-path` (`--json-report`), for a later
# `command: dossier` to read; check writes its own through its GitHub feedback.
_JSON_REPORTING = ("build", "publish", "verify-mirrors")


@dataclass(frozen=True)
class ActionInputs:
    command: str
    checks: tuple[str, ...] = ()
    config: str = ""
    registries: tuple[str, ...] = ()
    dry_run: bool = False
    verify: bool = False
    report_statuses: str | None = None
    comment: bool = False
    sarif_file: str = ""
    working_directory: str = ""
    report_file: str = ""
    to: str = ""
    """promote: the version (or label, or final) to promote to."""
    source: str = ""
    """promote: the input ``from``, a pre-release downloaded from the one registry named."""
    packages: tuple[str, ...] = ()
    """check, publish and plan at a workspace root: only these members (``--package``)."""
    changed: bool = False
    """check, publish and plan: only members changed since their last release (``--changed``)."""
    new_since: str = AUTO
    """check: ``auto`` (a pull request's or merge group's base), ``off``, or a git revision."""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> ActionInputs:
        env = os.environ if environ is None else environ

        def get(name: str) -> str:
            return env.get(PREFIX + name.upper().replace("-", "_"), "").strip()

        command = get("command") or "check"
        if command not in COMMANDS:
            raise UsageError(
                f"input `command`: unknown command {command!r}",
                hint=f"one of: {', '.join(COMMANDS)}",
            )
        inputs = cls(
            command=command,
            checks=_names(get("checks")),
            config=get("config"),
            registries=_names(get("registries")),
            dry_run=_flag("dry-run", get("dry-run")),
            verify=_flag("verify", get("verify")),
            report_statuses=_statuses(get("report-statuses")),
            comment=_flag("comment", get("comment")),
            sarif_file=get("sarif-file"),
            working_directory=get("working-directory"),
            report_file=get("report-file"),
            to=get("to"),
            source=get("from"),
            packages=_names(get("package")),
            changed=_flag("changed", get("changed")),
            new_since=_new_since(get("new-since")),
        )
        inputs.refuse_misplaced()
        return inputs

    def refuse_misplaced(self) -> None:
        given = {
            "report-statuses": self.report_statuses,
            "comment": self.comment,
            "sarif-file": self.sarif_file,
            "checks": self.checks,
        }
        allowed = {"check": _CHECK_ONLY, "report": _REPORT_TOO}.get(self.command, ())
        misplaced = [name for name in _CHECK_ONLY if given[name] and name not in allowed]
        if misplaced:
            raise UsageError(f"input(s) {', '.join(misplaced)} apply only to `command: check`")
        if self.packages and self.command not in (*_SELECTING, "dossier"):
            raise UsageError(
                "input `package` applies only to `command: check`, `publish`, `plan` and `dossier`"
            )
        if self.changed and self.command not in _SELECTING:
            raise UsageError(
                "input `changed` applies only to `command: check`, `publish` and `plan`"
            )
        if self.new_since not in (AUTO, OFF) and self.command != "check":
            raise UsageError("input `new-since` applies only to `command: check`")
        if self.verify and self.command != "build":
            raise UsageError("input `verify` applies only to `command: build`")
        if (self.command == "report") and not self.report_file:
            raise UsageError("`command: report` needs the input `report-file`")
        if self.report_file and self.command not in ("report", "dossier"):
            raise UsageError(
                "input `report-file` goes with `command: report` (and `dossier`, for its reports)"
            )
        self._refuse_misplaced_promotion()

    def _refuse_misplaced_promotion(self) -> None:
        if (self.command == "promote") != bool(self.to):
            raise UsageError("input `to` goes with `command: promote`, and that command needs it")
        if self.source and self.command != "promote":
            raise UsageError("input `from` applies only to `command: promote`")
        if self.command == "promote" and len(self.registries) > 1:
            raise UsageError(
                "`command: promote` downloads from one registry: name one in `registries`"
            )


def _names(text: str) -> tuple[str, ...]:
    """Names separated by commas, spaces or newlines (a YAML block scalar works too)."""
    return tuple(name for name in re.split(r"[\s,]+", text) if name)


def _new_since(text: str) -> str:
    return text.lower() if text.lower() in (AUTO, OFF) else text or AUTO


def _flag(name: str, text: str) -> bool:
    value = text.lower()
    if value not in ("", "true", "false"):
        raise UsageError(f"input `{name}`: expected true or false, got {text!r}")
    return value == "true"


def _statuses(text: str) -> str | None:
    value = text.lower()
    if value in ("", "false"):
        return None
    if value in ("true", "status"):
        return "status"
    if value == "check-run":
        return "check-run"
    raise UsageError(
        f"input `report-statuses`: expected false, true, status or check-run, got {text!r}"
    )


def report_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("RUNNER_TEMP") or ".releasegate") / REPORT_NAME


def new_since_args(value: str, environ: Mapping[str, str] | None = None) -> list[str]:
    """``--new-since`` for a check run: on a pull request or in a merge queue, by default, the
    base the event names; never on a tag (a release run judges everything)."""
    env = os.environ if environ is None else environ
    if value == OFF or env.get("GITHUB_REF", "").startswith("refs/tags/"):
        return []
    if value != AUTO:
        return [f"--new-since={value}"]
    from releasegate._internal.github.env import PullBase

    base = PullBase.from_environ(env)
    if base is None or not (base.sha or base.branch):
        return []
    # The event's commit, not the branch's tip now: what this merge commit was made on.
    ref = base.sha or f"origin/{base.branch}"
    named = [f"--base-name={base.branch}"] if base.branch else []
    # auto: a base that cannot be found is said, and the whole project judged.
    return [f"--new-since={ref}", *named, "--new-since-fallback"]


def _feedback_args(inputs: ActionInputs) -> list[str]:
    """check and report: statuses or check runs, and the pull request comment."""
    argv = []
    if inputs.report_statuses:
        argv += ["--report-statuses", "--status-kind", inputs.report_statuses]
    argv += ["--comment"] if inputs.comment else []
    return argv


def _reports_args(inputs: ActionInputs, report: Path) -> list[str]:
    """The JSON report kept at report-path, or (dossier) the reports of earlier steps and jobs,
    whitespace-separated in ``report-file``."""
    if inputs.command in _JSON_REPORTING:
        return ["--json-report", str(report)]
    if inputs.command == "dossier":
        return [arg for path in inputs.report_file.split() for arg in ("--report", path)]
    return []


def argv_for(
    inputs: ActionInputs, report: Path, environ: Mapping[str, str] | None = None
) -> list[str]:
    argv = [inputs.command]
    if inputs.config:
        argv += ["--config", inputs.config]
    if inputs.command == "check":
        argv += [*inputs.checks, "--json-report", str(report)]
        argv += new_since_args(inputs.new_since, environ)
        argv += _feedback_args(inputs)
        argv += ["--sarif-file", inputs.sarif_file] if inputs.sarif_file else []
    if inputs.command == "report":
        argv += ["--from", inputs.report_file, *_feedback_args(inputs)]
    argv += _reports_args(inputs, report)
    if inputs.command == "promote":
        argv += ["--to", inputs.to, *(["--from", inputs.source] if inputs.source else [])]
    if inputs.verify:
        argv.append("--verify")
    for registry in inputs.registries:
        argv += ["--registry", registry]
    if inputs.command == "plan":
        argv += ["--format", "github-matrix", "--output", str(report.with_name(PLAN_NAME))]
    for package in inputs.packages:
        argv += ["--package", package]
    argv += ["--changed"] if inputs.changed else []
    if inputs.dry_run:
        argv.append("--dry-run")
    return argv
