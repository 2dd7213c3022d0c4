"""Which declaration a lockfile is compared with.

uv and Poetry lock every extra and group of pyproject.toml; a pylock must hold at
least the main dependencies; a pip-tools lockfile is compared with the inputs its
header command names, else the ``.in`` file next to it, else the ``-r`` files its
``# via`` annotations name, else pyproject.toml.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from releasegate._internal.lockfiles.declared import (
    Declarations,
    from_pyproject,
    from_requirements_in,
)

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.lockfiles.model import Lockfile
    from releasegate._internal.tomldoc import TomlDocument

_SETUP = ("setup.py", "setup.cfg")

# Options that leave a package out of the written lock (pip-compile, `uv pip compile`).
_OMITS = ("--unsafe-package", "--no-emit-package")
# Options of pip-compile and `uv pip compile` that take a value as the next argument: the value
# is not an input file (`--python-version 3.10`, `--extra dev`, `-c constraints.txt`).
_TAKES_VALUE = frozenset(
    {
        "--annotation-style", "--build-constraint", "--build-constraints", "--cache-dir",
        "--config-file", "--constraint", "--custom-compile-command", "--exclude-newer",
        "--extra-index-url", "--find-links", "--group", "--index", "--index-strategy",
        "--index-url", "--keyring-provider", "--no-binary", "--only-binary", "--override",
        "--pip-args", "--prerelease", "--python", "--python-platform", "--python-version",
        "--resolution", "--upgrade-package", "-P", "-c", "-f", "-i", "-p",
        *_OMITS,
    }
)  # fmt: skip


def declarations(lock: Lockfile, root: Path, pyproject: TomlDocument | None) -> Declarations:
    if lock.format == "pdm" and lock.groups is not None:
        # pdm.lock says which groups it covers; "default" is [project].dependencies.
        chosen = tuple(lock.groups)
        return from_pyproject(pyproject, optional_required=True, extras=chosen, groups=chosen)
    if lock.format != "requirements":
        found = from_pyproject(pyproject, optional_required=lock.covers_optional)
        for member in _workspace_members(lock, root):
            found.extend(from_pyproject(member, optional_required=lock.covers_optional))
        return found
    sources, extras = compile_sources(lock, root)
    # A recorded command says exactly what was compiled: the main dependencies and the extras
    # it names, nothing else. Without one, every extra is compared where it is locked.
    recorded = bool(sources)
    if not sources:
        sources = _fallback_sources(lock, root)
    found = Declarations()
    for source in sources:
        found.extend(_one_source(source, root, pyproject, extras if recorded else None))
    return found


def compile_sources(lock: Lockfile, root: Path) -> tuple[list[str], tuple[str, ...]]:
    """Input files (root-relative) and extras from the recorded ``pip-compile`` command.

    The header repeats the paths as typed, relative to where pip-compile ran: often the
    lockfile's own directory (sigstore-python compiles ``install/requirements.in`` inside
    ``install/``), sometimes the root.
    """
    sources: list[str] = []
    extras: list[str] = []
    output = None
    args = iter(lock.command[1:])
    for arg in args:
        if arg == "--all-extras":
            extras.append("*")
        elif arg.startswith("--extra="):
            extras.extend(e.strip() for e in arg.split("=", 1)[1].split(","))
        elif arg == "--extra":
            extras.extend(e.strip() for e in (next(args, None) or "").split(",") if e.strip())
        elif arg.startswith(("--output-file=", "-o")) and arg not in ("-o", "--output-file"):
            output = arg.split("=", 1)[1] if arg.startswith("--") else arg[2:]
        elif arg in ("-o", "--output-file"):
            output = next(args, None)
        elif arg in _TAKES_VALUE:
            next(args, None)
        elif not arg.startswith("-"):
            sources.append(arg)
    base = _compile_dir(lock.path, output, sources, root)
    return [_join(base, s) for s in sources], tuple(extras)


def omitted_packages(command: tuple[str, ...]) -> set[str]:
    """Packages the recorded command leaves out of the lock on purpose (normalised names).

    ``--unsafe-package=aiohttp`` keeps the project itself out of its own test locks while a
    test plugin still pulls it in: what it needs stays locked, "via aiohttp" (issue 26).
    """
    from releasegate._internal.lockfiles.reqline import normalize

    found: set[str] = set()
    args = iter(command[1:])
    for arg in args:
        option, equals, value = arg.partition("=")
        if option in _OMITS:
            found.add(normalize(value if equals else next(args, "")))
    return found - {""}


def _compile_dir(lock_path: str, output: str | None, sources: list[str], root: Path) -> str:
    """The root-relative directory pip-compile ran in ("" for the root)."""
    folder = PurePosixPath(lock_path).parent.as_posix()
    if folder == ".":
        return ""
    if output is not None:
        written = output[2:] if output.startswith("./") else output
        if lock_path.endswith("/" + written):
            return lock_path[: -len(written) - 1]
        if lock_path == written:
            return ""
    # No --output-file to go by: where the inputs exist.
    if all((root / folder / s).exists() for s in sources):
        return folder
    return ""


def _join(base: str, source: str) -> str:
    return (PurePosixPath(base) / source).as_posix() if base else source


def _fallback_sources(lock: Lockfile, root: Path) -> list[str]:
    sibling = PurePosixPath(lock.path).with_suffix(".in").as_posix()
    if (root / sibling).is_file():
        return [sibling]
    if lock.declared_in:
        return list(lock.declared_in)
    return ["pyproject.toml"]


def _one_source(
    source: str, root: Path, pyproject: TomlDocument | None, extras: tuple[str, ...] | None
) -> Declarations:
    """The declarations of one input; ``extras`` None: not known, every extra where locked."""
    name = PurePosixPath(source).name
    if name == "pyproject.toml":
        doc = (
            pyproject
            if source in ("pyproject.toml", "./pyproject.toml")
            else read_other(root / source, root)
        )
        if extras is None:
            return from_pyproject(doc, optional_required=False)
        return from_pyproject(doc, optional_required=True, extras=extras, only_selected=True)
    if name in _SETUP:
        return Declarations(
            undecidable=[
                f"the dependencies are declared in {source}, which only runs at build time"
            ]
        )
    path = root / source
    if not path.is_file():
        return Declarations(undecidable=[f"the lockfile's input {source} does not exist"])
    return from_requirements_in(path, root)


def _workspace_members(lock: Lockfile, root: Path) -> list[TomlDocument]:
    """pyproject.toml of each workspace member the lock builds from a folder of its own.

    uv locks every member's dependencies, extras and groups, so each is a declaration too.
    A folder outside the project is not read.
    """
    found = []
    for entry in lock.entries:
        if not entry.is_project or not entry.url or entry.url in (".", "./"):
            continue
        folder = (root / entry.url).resolve()
        if folder.is_relative_to(root.resolve()):
            document = read_other(folder / "pyproject.toml", root)
            if document is not None:
                found.append(document)
    return found


def read_other(path: Path, root: Path) -> TomlDocument | None:
    from releasegate._internal.errors import ConfigError
    from releasegate._internal.tomldoc import read_toml

    try:
        return read_toml(path, root=root) if path.is_file() else None
    except ConfigError:
        return None
