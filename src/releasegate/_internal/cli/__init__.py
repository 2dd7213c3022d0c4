"""The command line: parses arguments and dispatches to one module per subcommand.

This is the only layer that prints to the user and chooses exit codes:
0 clean, 1 findings at the ``fail-on`` level (or a fatal environment problem), 2 usage or
configuration error, 3 internal error, 130 interrupted, 141 stdout closed by its reader.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import TYPE_CHECKING, Protocol, cast

from releasegate import __version__
from releasegate._internal.cli.helpformat import HelpFormatter
from releasegate._internal.display import display, display_lines
from releasegate._internal.errors import ReleasegateError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.project import Project

# The explicit registry of subcommands: adding one is a module plus one line here.
COMMANDS: dict[str, str] = {
    "check": "releasegate._internal.cli.check",
    "plan": "releasegate._internal.cli.plan",
    "version": "releasegate._internal.cli.version",
    "build": "releasegate._internal.cli.build",
    "rebuild": "releasegate._internal.cli.rebuild",
    "promote": "releasegate._internal.cli.promote",
    "sign": "releasegate._internal.cli.sign",
    "verify": "releasegate._internal.cli.verify",
    "sbom": "releasegate._internal.cli.sbom",
    "publish": "releasegate._internal.cli.publish",
    "verify-mirrors": "releasegate._internal.cli.verify_mirrors",
    "dossier": "releasegate._internal.cli.dossier",
    "yank": "releasegate._internal.cli.yank",
    "rollback": "releasegate._internal.cli.rollback",
    "commit-msg": "releasegate._internal.cli.commit_msg",
    "report": "releasegate._internal.cli.report",
    "action": "releasegate._internal.cli.action",
    "install-hooks": "releasegate._internal.cli.install_hooks",
    "config-schema": "releasegate._internal.cli.config_schema",
    "rules": "releasegate._internal.cli.rules",
}

EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
# 128 + SIGPIPE, what a shell reports for `cat` killed by a closed pipe, in the same
# 128 + signal convention as 130 for Ctrl-C. Not 1: that means "findings", and a reader
# that stopped early (`| head`) says nothing about the project.
EXIT_BROKEN_PIPE = 141


class Command(Protocol):
    HELP: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted both before and after the subcommand name."""
    default = argparse.SUPPRESS if suppress else None
    parser = argparse.ArgumentParser(add_help=False, formatter_class=HelpFormatter)
    parser.add_argument("--config", metavar="PATH", default=default, help="configuration file")
    parser.add_argument(
        "-C",
        "--root",
        metavar="DIR",
        default=argparse.SUPPRESS if suppress else ".",
        help="project directory (default: current directory)",
    )
    parser.add_argument(
        "--format",
        choices=["text", "json", "sarif", "github", "markdown"],
        default=default,
        help="output format (default: github under GitHub Actions, text elsewhere)",
    )
    parser.add_argument(
        "--output", metavar="PATH", default=default, help="write the report to PATH"
    )
    parser.add_argument(
        "--allow-backend",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="ask the project's build backend for a dynamic version no file states: runs the "
        "checkout's build code (only on a trusted commit; --release and tag builds imply it)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="no network at all: what needs an index is reported as not checked",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if suppress else False,
        help="more detail, and tracebacks of internal errors",
    )
    return parser


def backend_allowed(args: argparse.Namespace) -> bool:
    """The job trusts this commit to run its build backend: asked for, or a release.

    Never from the checkout's configuration. A tag build under GitHub Actions is a release
    (a maintainer pushed the tag); a pull request's ref never is.
    """
    release = bool(getattr(args, "release", False))
    tagged = os.environ.get("GITHUB_REF", "").startswith("refs/tags/")
    return bool(getattr(args, "allow_backend", False)) or release or tagged


def open_project(args: argparse.Namespace, *, run_backend: bool | None = None) -> Project:
    """The project of ``--root`` / ``--config``; the backend may run as ``backend_allowed``."""
    from pathlib import Path

    from releasegate._internal.project import Project

    allowed = backend_allowed(args) if run_backend is None else run_backend
    return Project(Path(args.root), Path(args.config) if args.config else None, run_backend=allowed)


def build_parser(command: str | None = None, *, lazy: bool = False) -> argparse.ArgumentParser:
    """The whole parser; with ``lazy``, only ``command`` gets its module and its options.

    Importing every subcommand module and building its options cost a hook about as much as
    its gate (issue 22); the other subcommands are then bare names, enough for argparse to
    dispatch and to list the choices in an error.
    """
    parser = argparse.ArgumentParser(
        prog="releasegate",
        description="Release-safety gates for Python packages.",
        parents=[_common_options(suppress=False)],
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"releasegate {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        if lazy and name != command:
            subparsers.add_parser(name, add_help=False, formatter_class=HelpFormatter)
            continue
        loaded = cast("Command", importlib.import_module(module))
        sub = subparsers.add_parser(
            name,
            help=loaded.HELP,
            description=loaded.HELP,
            parents=[_common_options(suppress=True)],
            formatter_class=HelpFormatter,
        )
        loaded.add_arguments(sub)
        sub.set_defaults(_module=module)
    return parser


# Options before the subcommand that take a value: the word after them is not a command.
_VALUE_OPTIONS = ("--config", "--root", "--format", "--output")


def named_command(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names, as argparse will find it; None for help or no command.

    A guess that only decides which subparser is built in full: ``parse_args`` checks it.
    """
    takes_value = False
    for word in argv:
        if takes_value:
            takes_value = False
        elif word in ("-h", "--help", "--"):
            return None
        elif word.startswith("--"):
            # argparse accepts unique prefixes (`--conf PATH`) and `--config=PATH`.
            takes_value = "=" not in word and any(o.startswith(word) for o in _VALUE_OPTIONS)
        elif word.startswith("-") and word != "-":
            takes_value = word.endswith("C")  # -C DIR, or a cluster ending in it (-vC DIR)
        else:
            return word if word in COMMANDS else None
    return None


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Arguments parsed with only the named subcommand built; the whole parser when in doubt."""
    words = list(sys.argv[1:] if argv is None else argv)
    command = named_command(words)
    if command is not None or not any(w in ("-h", "--help") for w in words):
        args, extra = build_parser(command, lazy=True).parse_known_args(words)
        if not extra and command is not None and getattr(args, "command", None) == command:
            return args
    # Help, a guess argparse disagreed with, or an error: the full parser says it properly.
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    verbose = bool(getattr(args, "verbose", False))
    try:
        command = cast("Command", importlib.import_module(args._module))
        code = command.run(args)
        # Flush here, not at interpreter exit, so a closed pipe is caught below.
        sys.stdout.flush()
    except BrokenPipeError:
        return _broken_pipe()
    except ReleasegateError as exc:
        # A configuration error quotes the checkout's keys and values: each line displayed.
        print(f"releasegate: error: {display_lines(exc.diagnostics())}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("releasegate: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence: exit 3, never a bare traceback
        missing = _missing_extra(exc)
        if missing is not None:
            print(f"releasegate: error: {missing.diagnostics()}", file=sys.stderr)
            return missing.exit_code
        if verbose or os.environ.get("RELEASEGATE_DEBUG"):
            import traceback

            # A traceback quotes values too (a key, a path): each line displayed.
            print(display_lines(traceback.format_exc().rstrip("\n")), file=sys.stderr)
        print(
            f"releasegate: internal error: {type(exc).__name__}: {display(str(exc))}\n"
            f"This is a bug in releasegate; {_crash_log(exc, getattr(args, 'command', None))}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


def _crash_log(exc: Exception, command: str | None) -> str:
    """Where the crash log for the bug report is, said in a sentence (``crashlog.py``)."""
    from releasegate._internal.cli import crashlog

    path = crashlog.write(exc, command)
    if path is None:
        return "run again with --verbose for the traceback."
    return (
        f"please report it with the crash log written to {display(str(path))} "
        "(versions and the traceback; or run again with --verbose)."
    )


def _missing_extra(exc: Exception) -> ReleasegateError | None:
    """An import that failed because an extra is not installed: said as such, not as a bug."""
    if not isinstance(exc, ImportError):
        return None
    from releasegate._internal.extras import missing_extra

    return missing_extra(exc)


def entry() -> int:
    """The ``releasegate`` command (console script and ``python -m``): ``main``, then exit.

    The heap is frozen before the interpreter shuts down, so that its last collection does
    not walk every object the run made: ~6 ms of a lockfile hook (issue 22). Only the
    process's own entry does this; ``main`` called in-process leaves the collector alone.
    """
    try:
        return main()
    finally:
        import gc

        gc.freeze()


def _broken_pipe() -> int:
    """The reader of stdout went away (`| head`): stop quietly, as pip and pre-commit do.

    Python's "Note on SIGPIPE": point stdout at devnull so that the flush at interpreter
    exit does not raise again and print "Exception ignored".
    """
    import contextlib

    devnull = os.open(os.devnull, os.O_WRONLY)
    # A stdout without a descriptor (captured, embedded) has nothing to redirect.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_BROKEN_PIPE
