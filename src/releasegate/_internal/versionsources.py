"""Every place a project states its version, read without building anything.

Static ``[project].version``; dynamic versions through each backend's own
configuration (hatch, setuptools, flit, pdm, poetry) or VCS tags; ``__version__``
in the package; extra files from config (the changelog is ``changelogs.py``'s). Only when
none of these names the version is the build backend asked for its metadata.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import quoted
from releasegate._internal.paths import is_dir, is_file, read_text_inside
from releasegate._internal.problems import FileProblem

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from releasegate._internal.project import Project
    from releasegate._internal.tomldoc import TomlDocument

_ASSIGNMENT = re.compile(
    r"""^(?P<name>__version__|VERSION|version)\s*(?::\s*[\w.\[\]]+\s*)?=\s*"""
    r"""(?P<q>['"])(?P<version>[^'"\n]*)(?P=q)[ \t]*(?:\#.*)?$""",
    re.MULTILINE,
)
MAX_VERSION_FILE = 4 * 1024 * 1024
"""Far above any module that states a version; a larger file (or a link to /dev/zero) is not
read, and a user's pattern never runs over more than this."""
_VCS_BACKEND_HINTS = (
    "setuptools_scm",
    "setuptools-scm",
    "hatch-vcs",
    "hatch_vcs",
    "pdm-backend",
    "versioningit",
)


@dataclass(frozen=True)
class StatedVersion:
    source: str
    """What states it, e.g. ``[project].version`` or ``__version__``."""
    text: str
    path: str | None
    line: int | None

    def where(self) -> str:
        if self.path is None:
            return self.source
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class VersionFile:
    path: str
    pattern: str


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_assignment(project: Project, relative: str, source: str) -> StatedVersion | None:
    """``__version__ = "..."`` (or ``VERSION``) in a Python file."""
    path = project.root / relative
    try:
        text = read_text_inside(project.root, path, MAX_VERSION_FILE)
    except OSError:
        return None
    match = _ASSIGNMENT.search(text)
    if match is None:
        return None
    return StatedVersion(source, match.group("version"), relative, _line_at(text, match.start()))


def import_name(project: Project) -> str | None:
    name = project.name
    return re.sub(r"[-.]+", "_", name).lower() if name else None


def package_files(project: Project, explicit: str | None) -> list[str]:
    """Candidate files holding ``__version__``: the package's __init__ and its usual siblings."""
    if explicit:
        base = project.root / explicit
        if is_dir(base):
            return [(Path(explicit) / "__init__.py").as_posix()]
        return [explicit]
    name = import_name(project)
    if name is None:
        return []
    for parent in ("src", "."):
        package = project.root / parent / name
        if is_file(package / "__init__.py"):
            prefix = Path(parent, name) if parent != "." else Path(name)
            return [
                (prefix / f).as_posix()
                for f in ("__init__.py", "__about__.py", "_version.py", "version.py")
            ]
        module = project.root / parent / f"{name}.py"
        if is_file(module):
            return [
                (Path(parent, f"{name}.py") if parent != "." else Path(f"{name}.py")).as_posix()
            ]
    return []


def _module_file(project: Project, dotted: str) -> str | None:
    """The file of a dotted module path, looked up under src/ and the root."""
    parts = dotted.split(".")
    for parent in ("src", "."):
        base = Path(parent) if parent != "." else Path()
        package = base.joinpath(*parts) / "__init__.py"
        if is_file(project.root / package):
            return package.as_posix()
        module = base.joinpath(*parts[:-1], parts[-1] + ".py")
        if is_file(project.root / module):
            return module.as_posix()
    return None


def uses_vcs_version(project: Project) -> bool:
    """Whether the version is derived from git tags at build time."""
    doc = project.pyproject
    if doc is None:
        return False
    tool = doc.get("tool") or {}
    if not isinstance(tool, dict):
        return False
    if "setuptools_scm" in tool or "versioningit" in tool or "uv-dynamic-versioning" in tool:
        return True
    hatch_source = doc.get("tool", "hatch", "version", "source")
    pdm_source = doc.get("tool", "pdm", "version", "source")
    # uv-dynamic-versioning is the uv ecosystem's plugin (pydantic-ai, the MCP SDK): issue 30.
    hatch_vcs = hatch_source in ("vcs", "uv-dynamic-versioning")
    return bool(hatch_vcs or pdm_source == "scm") or _vcs_plugin_required(doc)


# Build requirements that take the version from git tags, however they are configured (hatch.toml,
# setup.cfg, setup.py): the builds must then get the history (issue 16).
_VCS_PLUGINS = frozenset(
    {
        "setuptools-scm",
        "hatch-vcs",
        "versioningit",
        "dunamai",
        "poetry-dynamic-versioning",
        "uv-dynamic-versioning",
    }
)


# The name a PEP 508 requirement starts with. Matched first, so that packaging's requirement
# parser (~15 ms to import, most of the semver hook's start-up) loads only for a VCS plugin.
_LEADING_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


def _vcs_plugin_required(doc: TomlDocument) -> bool:
    requires = doc.get("build-system", "requires")
    for item in requires if isinstance(requires, list) else ():
        match = _LEADING_NAME.match(str(item))
        if match is None or re.sub(r"[-_.]+", "-", match.group(1)).lower() not in _VCS_PLUGINS:
            continue
        from packaging.requirements import InvalidRequirement, Requirement

        try:
            Requirement(str(item))  # only a valid requirement counts, as before
        except InvalidRequirement:
            continue
        return True
    return False


def dynamic_sources(project: Project) -> Iterator[StatedVersion]:
    """The version of a project with ``dynamic = ["version"]``, from the backend's own config."""
    doc = project.pyproject
    if doc is None:
        return
    hatch_path = doc.get("tool", "hatch", "version", "path")
    if isinstance(hatch_path, str):
        found = read_assignment(project, hatch_path, "hatch version path")
        if found:
            yield found
    setuptools = doc.get("tool", "setuptools", "dynamic", "version")
    if isinstance(setuptools, dict):
        attr, file = setuptools.get("attr"), setuptools.get("file")
        if isinstance(attr, str) and "." in attr:
            module = _module_file(project, attr.rsplit(".", 1)[0])
            found = read_assignment(project, module, "setuptools attr") if module else None
            if found:
                yield found
        if isinstance(file, str) or (isinstance(file, list) and file and isinstance(file[0], str)):
            first = file if isinstance(file, str) else file[0]
            yield from _plain_file(project, first, "setuptools file")
    pdm = doc.get("tool", "pdm", "version")
    if isinstance(pdm, dict) and pdm.get("source") == "file" and isinstance(pdm.get("path"), str):
        found = read_assignment(project, pdm["path"], "pdm version file")
        if found:
            yield found


def _plain_file(project: Project, relative: str, source: str) -> Iterator[StatedVersion]:
    try:
        text = read_text_inside(project.root, project.root / relative, MAX_VERSION_FILE)
    except OSError:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield StatedVersion(source, line.strip(), relative, number)
            return


def _entry_problem(entry: VersionFile, message: str) -> FileProblem:
    return FileProblem(
        "version-file", message, entry.path, hint="fix [tool.releasegate.semver] version-files"
    )


PATTERN_SECONDS = 2.0
"""How long a user's version-files pattern may run on one file."""


class _PatternTimeout(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Interrupt a runaway user regex after ``seconds``.

    ``re`` checks for signals while it backtracks (that is how Ctrl-C stops it), so a SIGALRM
    whose handler raises ends an exponential match without a process per pattern (a hook's
    budget) and without a thread (sre never lets one go). Where there is no timer signal
    (Windows, a worker thread) the input size bound (MAX_VERSION_FILE) is what remains.
    """
    import signal
    import threading

    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def expired(_signum: int, _frame: object) -> None:
        raise _PatternTimeout

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def configured_files(
    project: Project, files: list[VersionFile]
) -> Iterator[StatedVersion | FileProblem]:
    """Versions in config-listed files, and a problem for each entry that states none."""
    from releasegate._internal.paths import inside

    for entry in files:
        inside(project.root, entry.path, "[tool.releasegate.semver] version-files path")
        try:
            text = read_text_inside(project.root, project.root / entry.path, MAX_VERSION_FILE)
        except OSError:
            yield _entry_problem(entry, "listed in version-files but cannot be read")
            continue
        try:
            pattern = re.compile(entry.pattern, re.MULTILINE)
        except re.error as exc:
            message = f"version-files pattern is not a valid regular expression: {exc}"
            yield _entry_problem(entry, message)
            continue
        try:
            with _deadline(PATTERN_SECONDS):
                matches = list(pattern.finditer(text))
        except _PatternTimeout:
            message = (
                f"version-files pattern {quoted(entry.pattern)} ran over {PATTERN_SECONDS:g} s "
                "(nested repeats such as (a+)+ backtrack exponentially)"
            )
            yield _entry_problem(entry, message)
            continue
        if not matches:
            message = f"version-files pattern {quoted(entry.pattern)} matches nothing"
            yield _entry_problem(entry, message)
        for match in matches:
            group = "version" if "version" in pattern.groupindex else (1 if pattern.groups else 0)
            yield StatedVersion(
                "version-files", match.group(group), entry.path, _line_at(text, match.start())
            )


def _backend_runner(
    cmd: Sequence[str], cwd: str | None = None, extra_environ: Mapping[str, str] | None = None
) -> None:
    """pyproject-hooks' quiet runner, with the child environment instead of ``os.environ``."""
    import subprocess

    from releasegate._internal.childenv import child_environment

    env = child_environment(extra_environ, tools=("build",))
    subprocess.run(list(cmd), cwd=cwd, env=env, capture_output=True, check=True)


def backend_skipped(project: Project, wanted: bool) -> bool:
    """Whether a dynamic version would have been asked of the backend, had the run allowed it."""
    dynamic = project.metadata.get("dynamic")
    return (
        wanted
        and not project.run_backend
        and isinstance(dynamic, list)
        and "version" in dynamic
        and not uses_vcs_version(project)
    )


def backend_version(project: Project) -> StatedVersion | None:
    """Ask the build backend (without isolation) for the metadata version; None when it cannot.

    The backend is the checkout's code (``backend-path``, ``setup.py``, build hooks): only a
    run that trusts the commit asks it (``Project.run_backend``: ``--release`` or
    ``--allow-backend``), and even then it gets the allowlisted environment, never the job's
    secrets.
    """
    if not project.run_backend:
        return None
    try:
        from build.util import project_wheel_metadata
    except ImportError:
        return None
    try:
        metadata: Mapping[str, Any] = project_wheel_metadata(  # type: ignore[assignment]
            project.root, isolated=False, runner=_backend_runner
        )
    except Exception:  # noqa: BLE001 - any backend failure just means "not known"
        return None
    version = metadata.get("Version")
    return (
        StatedVersion("build backend metadata", str(version), "pyproject.toml", None)
        if version
        else None
    )
