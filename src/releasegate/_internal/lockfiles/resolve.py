"""``--resolve``: re-resolve a requirements lockfile; report what it would change.

The lockfile is copied into a temporary directory and compiled there, so the resolver
keeps every pin that still fits (as it does for a user) and changes only what has
drifted; nothing the user owns is touched.

The resolution is for the project's target Python (``python-version``, else the floor of
``requires-python``), not the interpreter releasegate runs on: a lock made on 3.12 can
pin a release that 3.10 users cannot install. ``uv pip compile --python-version`` can
target another Python; pip-compile cannot, so it is used only without uv, and then a
note says the target was not honoured.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.childenv import child_environment
from releasegate._internal.lockfiles.inputs import compile_sources
from releasegate._internal.lockfiles.model import Problem
from releasegate._internal.lockfiles.redact import redact

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.lockfiles.model import Entry, Lockfile
    from releasegate._internal.lockfiles.settings import LockfileSettings
    from releasegate._internal.tomldoc import TomlDocument

TIMEOUT = 600


@dataclass(frozen=True)
class Resolver:
    name: str
    """``uv pip compile`` or ``pip-compile``, for messages."""
    argv: tuple[str, ...]
    python: str | None
    """The Python version it resolves for; None: the running interpreter's."""


def find_uv() -> str | None:
    """uv from the ``uv`` Python package of this environment, else from PATH."""
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return shutil.which("uv")
    try:
        return str(find_uv_bin())
    except FileNotFoundError:
        return shutil.which("uv")


def target_python(pyproject: TomlDocument | None, settings: LockfileSettings) -> str | None:
    """``python-version`` if configured, else the lowest X.Y ``requires-python`` admits."""
    if settings.python_version:
        return settings.python_version
    value = pyproject.get("project", "requires-python") if pyproject is not None else None
    if not isinstance(value, str):
        return None
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(value)
    except InvalidSpecifier:
        return None  # the metadata gate reports it
    for minor in range(40):
        if any(spec.contains(f"3.{minor}.{patch}") for patch in (0, 99)):
            return f"3.{minor}"
    return None


def _running() -> str:
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def resolver(target: str | None) -> Resolver:
    uv = find_uv()
    if uv is not None:
        # uv would otherwise pick whichever interpreter it finds first; the target (or,
        # without one, this interpreter's version) is what the resolution is for.
        argv = (uv, "pip", "compile", "--python", sys.executable)
        return Resolver("uv pip compile", argv, target or _running())
    return Resolver("pip-compile", (sys.executable, "-m", "piptools", "compile"), None)


def _command(
    lock: Lockfile,
    output: Path,
    sources: list[str],
    settings: LockfileSettings,
    chosen: Resolver,
) -> list[str]:
    argv = [*chosen.argv, "--quiet", "--no-header", "--output-file", str(output)]
    if chosen.python is not None:
        argv += ["--python-version", chosen.python]  # uv strips extras by default
    else:
        argv.append("--strip-extras")
    if any(e.hashes for e in lock.entries):
        argv.append("--generate-hashes")
    if settings.index_url:
        argv += ["--index-url", settings.index_url]
    return [*argv, *sources]


def _sources(lock: Lockfile, root: Path) -> list[str]:
    sources, extras = compile_sources(lock, root)
    if not sources:
        sibling = Path(lock.path).with_suffix(".in")
        sources = [sibling.as_posix()] if (root / sibling).is_file() else ["pyproject.toml"]
    return (
        [str(root / s) for s in sources]
        + [f"--extra={e}" for e in extras if e != "*"]
        + (["--all-extras"] if "*" in extras else [])
    )


def _compile(
    lock: Lockfile, root: Path, settings: LockfileSettings, chosen: Resolver
) -> Lockfile | Problem:
    from releasegate._internal.lockfiles.requirements import parse

    with tempfile.TemporaryDirectory(prefix="releasegate-resolve-") as tmp:
        output = Path(tmp) / "requirements.txt"
        shutil.copyfile(root / lock.path, output)
        try:
            completed = subprocess.run(
                _command(lock, output, _sources(lock, root), settings, chosen),
                cwd=root,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
                env=child_environment(
                    {"CUSTOM_COMPILE_COMMAND": "releasegate --resolve"}, tools=("pip", "uv")
                ),
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return _failed(lock, f"{chosen.name} did not run: {exc}")
        if completed.returncode != 0:
            tail = " | ".join(completed.stderr.strip().splitlines()[-3:])
            return _failed(lock, f"{chosen.name} failed: {redact(tail)}")
        return parse(output, Path(tmp))


def _failed(lock: Lockfile, message: str) -> Problem:
    return Problem(
        rule="resolve-failed",
        message=message,
        path=lock.path,
        line=None,
        hint="check the index (index-url) and the inputs; run the resolver by hand for details",
    )


def _by_name(entries: tuple[Entry, ...]) -> dict[str, Entry]:
    return {e.name: e for e in entries if not e.constraint}


def differences(lock: Lockfile, fresh: Lockfile) -> Iterator[Problem]:
    old, new = _by_name(lock.entries), _by_name(fresh.entries)
    hint = "re-lock (for the project's target Python) and commit the result"
    for name, entry in new.items():
        before = old.get(name)
        if before is None:
            yield Problem(
                rule="resolve-differs",
                message=f"re-resolving adds {name}=={entry.version}",
                path=lock.path,
                line=None,
                hint=hint,
            )
        elif before.version != entry.version:
            yield Problem(
                rule="resolve-differs",
                message=f"re-resolving moves {name} from {before.version} to {entry.version}",
                path=before.path,
                line=before.line,
                hint=hint,
            )
        elif before.hashes and set(before.hashes) != set(entry.hashes):
            yield Problem(
                rule="resolve-differs",
                message=f"the index serves other files for {name}=={entry.version} "
                "than the lockfile's hashes",
                path=before.path,
                line=before.line,
                hint="find out why the artifacts changed before re-locking",
            )
    for name, entry in old.items():
        if name not in new:
            yield Problem(
                rule="resolve-differs",
                message=f"re-resolving drops {name}",
                path=entry.path,
                line=entry.line,
                hint=hint,
            )


def _not_honoured(lock: Lockfile, target: str) -> Problem:
    running = _running()
    return Problem(
        rule="resolve-python-not-honoured",
        message=f"uv is not installed, so pip-compile re-resolved {lock.path} for Python {running} "
        f"(the interpreter releasegate runs on), not for the project's Python {target}",
        path=lock.path,
        line=None,
        hint=f"install uv next to releasegate (pip install uv), or run releasegate on Python {target}",
    )


def resolve_problems(
    lock: Lockfile, root: Path, settings: LockfileSettings, pyproject: TomlDocument | None
) -> Iterator[Problem]:
    if lock.format != "requirements":
        yield Problem(
            rule="resolve-unsupported",
            message=f"--resolve re-resolves pip-tools lockfiles only, not {lock.format}",
            path=lock.path,
            line=None,
            hint="use the locking tool's own check (uv lock --check, poetry check --lock)",
        )
        return
    target = target_python(pyproject, settings)
    chosen = resolver(target)
    if chosen.python is None and target is not None and target != _running():
        yield _not_honoured(lock, target)
    fresh = _compile(lock, root, settings, chosen)
    if isinstance(fresh, Problem):
        yield fresh
        return
    yield from differences(lock, fresh)
