"""``releasegate install-hooks``: plain git hooks for repositories without pre-commit."""

from __future__ import annotations

import shlex
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError, UsageError

if TYPE_CHECKING:
    import argparse

HELP = "install releasegate's pre-commit, pre-push and commit-msg scripts into .git/hooks"
HOOK_NAMES = ("pre-commit", "pre-push", "commit-msg")
PYTHON_PLACEHOLDER = "@RELEASEGATE_PYTHON@"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="replace existing hooks")
    parser.add_argument(
        "--hook",
        action="append",
        choices=HOOK_NAMES,
        dest="hooks",
        help="install only this hook (repeatable; default: all)",
    )


def hook_sources() -> Path:
    """The hook scripts: shipped in the wheel, or ``hooks/`` of a source checkout."""
    packaged = Path(__file__).resolve().parents[2] / "_hooks"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[4] / "hooks"
    if checkout.is_dir():
        return checkout
    raise FatalError("the hook scripts are missing from this installation of releasegate")


def hooks_dir(root: Path) -> Path:
    from releasegate._internal.git import Git

    hooks = Git(root).git_path("hooks")
    if hooks is None:
        raise FatalError(f"{root} is not a git repository", hint="run `git init` first")
    return hooks


def hook_text(source: Path, python: str) -> str:
    """The hook script with the interpreter that installed it written in.

    Git GUIs and IDEs run hooks without the venv on PATH ("No module named releasegate"):
    the script uses this Python first, and PATH only when it is gone.
    """
    # Forward slashes: Git for Windows runs hooks with its sh, which takes C:/... paths.
    quoted = shlex.quote(Path(python).as_posix())
    return source.read_text(encoding="utf-8").replace(PYTHON_PLACEHOLDER, quoted)


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    target_dir = hooks_dir(root)
    names = args.hooks or list(HOOK_NAMES)
    existing = [name for name in names if (target_dir / name).exists()]
    if existing and not args.force:
        raise UsageError(
            f"hook(s) already present: {', '.join(str(target_dir / n) for n in existing)}",
            hint="pass --force to replace them",
        )
    source_dir = hook_sources()
    target_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = target_dir / name
        partial = target.with_name(name + ".releasegate-partial")
        partial.write_text(
            hook_text(source_dir / name, sys.executable), encoding="utf-8", newline="\n"
        )
        partial.chmod(partial.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        partial.replace(target)
        print(f"installed {target} (runs releasegate with {sys.executable})")
    return 0
