"""``releasegate action``: what action.yml runs; inputs come from RELEASEGATE_* variables."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

HELP = "run the command the Action's inputs choose (RELEASEGATE_* variables); write its outputs"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # everything comes from the environment, as action.yml passes it


def _run_command(argv: list[str]) -> int:
    from releasegate._internal.cli import main

    try:
        return main(argv)
    except SystemExit as exc:  # argparse refusing the arguments: a usage error
        return exc.code if isinstance(exc.code, int) else 2


def _enter(directory: str) -> None:
    from releasegate._internal.errors import UsageError

    if not directory:
        return
    try:
        os.chdir(directory)
    except OSError as exc:
        message = f"input `working-directory`: cannot enter {directory!r}: {exc.strerror}"
        raise UsageError(message) from None


def run(args: argparse.Namespace) -> int:
    del args  # everything comes from the environment
    from releasegate._internal.errors import ReleasegateError
    from releasegate._internal.github.action import (
        PLAN_NAME,
        ActionInputs,
        argv_for,
        report_path,
    )
    from releasegate._internal.github.outputs import run_outputs, write_outputs

    try:
        inputs = ActionInputs.from_environ()
        _enter(inputs.working_directory)
    except ReleasegateError:
        # Later steps may branch on `result`: say the action itself could not start.
        empty = {"version": "", "hashes": "", "report-path": "", "matrix": ""}
        write_outputs({**empty, "result": "error"})
        raise
    report = report_path().resolve()
    # Their inputs may be reports written right there: `report`'s downloaded one, and the
    # reports `dossier` gathers (a verify-mirrors step before it in the same job).
    posting = inputs.command in ("report", "dossier")
    if not posting:
        report.unlink(missing_ok=True)  # a stale report must not pass for this run's
    argv = argv_for(inputs, report)
    print(f"releasegate: running: releasegate {shlex.join(argv)}", flush=True)
    code = _run_command(argv)
    config = Path(inputs.config) if inputs.config else None
    written = str(report) if report.is_file() and not posting else None
    outputs = run_outputs(Path(), config, code, written)
    if inputs.command == "plan":
        planned = report.with_name(PLAN_NAME)
        outputs["matrix"] = planned.read_text(encoding="utf-8").strip() if code == 0 else ""
    write_outputs(outputs)
    sys.stdout.flush()
    return code
