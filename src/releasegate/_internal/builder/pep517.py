"""The one builder every part of releasegate uses: pypa/build's library API, one environment.

An isolated environment is created ONCE per ``BuildEnvironment`` and reused for the
sdist, the wheel and, in verification, for both builds: creating the venv and
installing the backend costs more than the builds themselves.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from releasegate._internal.errors import FatalError
from releasegate._internal.findings import BACKEND_OUTPUT
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from types import TracebackType

    from build import ProjectBuilder

    from releasegate._internal.builder.isolation import IsolatedEnvironment

Distribution = Literal["sdist", "wheel"]
Installer = Literal["auto", "pip", "uv"]
_T = TypeVar("_T")
SUMS_FILE = "SHA256SUMS"
_LOG_TAIL = 12  # the reason is at the end; a finding is no place for a whole traceback


@dataclass(frozen=True)
class BuiltDists:
    """The two distributions of one build."""

    sdist: Path
    wheel: Path

    def paths(self) -> tuple[Path, Path]:
        return (self.sdist, self.wheel)


class BuildFailed(FatalError):
    """The backend failed on the project; the message carries the tail of its output."""

    output: str = ""
    """Everything the backend printed before it failed (shown with ``--verbose``)."""


OUTPUT_KEY = BACKEND_OUTPUT


def backend_output(log: Sequence[str]) -> str:
    """What the backend printed, one process after another (empty when it printed nothing)."""
    return "\n".join(text.rstrip("\n") for text in log if text.strip())


@dataclass(frozen=True)
class BuildSettings:
    """How one backend process runs: extra environment, variables to drop, umask, log."""

    env: Mapping[str, str] = field(default_factory=dict)
    unset: tuple[str, ...] = ()
    umask: int | None = None
    log: list[str] = field(default_factory=list, compare=False)


def write_sha256sums(outdir: Path, files: Sequence[Path] | None = None) -> Path:
    """Write ``SHA256SUMS`` (``sha256sum -c`` format) for ``files`` or every dist in ``outdir``."""
    chosen = (
        files
        if files is not None
        else sorted(
            p
            for p in outdir.iterdir()
            if p.is_file() and p.name.endswith((".whl", ".tar.gz", ".zip"))
        )
    )
    lines = [f"{sha256_file(p)}  {p.name}\n" for p in sorted(chosen, key=lambda p: p.name)]
    target = outdir / SUMS_FILE
    partial = target.with_name(SUMS_FILE + ".partial")
    partial.write_text("".join(lines), encoding="utf-8")
    partial.replace(target)
    return target


def commit_time(source: Path) -> int | None:
    """The last commit's time of the repository holding ``source``, or None outside git."""
    from releasegate._internal.git import Git, GitMissing

    try:
        return Git(source).commit_time()
    except GitMissing:
        return None


def epoch_environment(
    source: Path, source_date_epoch: int | None, *, set_epoch: bool = True
) -> dict[str, str]:
    """``SOURCE_DATE_EPOCH``: explicit, else the last commit time, else the caller's own value."""
    if not set_epoch:
        return {}
    epoch = source_date_epoch if source_date_epoch is not None else commit_time(source)
    if epoch is None:
        inherited = os.environ.get("SOURCE_DATE_EPOCH")
        return {"SOURCE_DATE_EPOCH": inherited} if inherited else {}
    return {"SOURCE_DATE_EPOCH": str(epoch)}


class _Runner:
    """A pyproject-hooks runner that captures output and applies the umask and environment."""

    def __init__(self, settings: BuildSettings) -> None:
        self.settings = settings

    def __call__(
        self,
        cmd: Sequence[str],
        cwd: str | None = None,
        extra_environ: Mapping[str, str] | None = None,
    ) -> None:
        from releasegate._internal.childenv import child_environment

        # The backend is the project's code: it gets the build's own settings, never secrets.
        extra = {**(extra_environ or {}), **self.settings.env}
        env = child_environment(extra, tools=("build",), unset=self.settings.unset)
        umask = self.settings.umask if self.settings.umask is not None else -1
        completed = subprocess.run(
            list(cmd),
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            umask=umask,
        )
        self.settings.log.append(completed.stdout + completed.stderr)
        if completed.returncode != 0:
            raise subprocess.CalledProcessError(
                completed.returncode, cmd, completed.stdout, completed.stderr
            )


_PIP_SETTINGS = (
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_FIND_LINKS",
    "PIP_NO_INDEX",
    "PIP_CONFIG_FILE",
    "PIP_TRUSTED_HOST",
    "PIP_CERT",
    "PIP_CLIENT_CERT",
    "PIP_CONSTRAINT",
)
_PIP_CONFIG_FILES = (
    "~/.config/pip/pip.conf",
    "~/.pip/pip.conf",
    "/etc/pip.conf",
    "/etc/xdg/pip/pip.conf",
)


def pip_is_configured() -> bool:
    """Whether pip has settings (an index, certificates) that uv would not read."""
    if any(os.environ.get(name) for name in _PIP_SETTINGS):
        return True
    return any(Path(name).expanduser().is_file() for name in _PIP_CONFIG_FILES)


def uv_available() -> bool:
    from releasegate._internal.builder.isolation import uv_binary

    return uv_binary() is not None


def choose_installer(requested: Installer = "auto") -> Literal["pip", "uv"]:
    """``auto`` picks uv (ten times less CPU than pip) unless pip has its own configuration."""
    if requested != "auto":
        return requested
    return "uv" if uv_available() and not pip_is_configured() else "pip"


class BuildEnvironment:
    """Where backends run: one isolated venv (created on entry) or the current interpreter.

    Use as a context manager; ``prepare(source)`` installs the project's build
    requirements (for sdist and wheel at once) the first time it sees them.
    """

    def __init__(self, *, isolated: bool = True, installer: Installer = "auto") -> None:
        self.isolated = isolated
        self.installer = choose_installer(installer) if isolated else "pip"
        self._env: IsolatedEnvironment | None = None
        self._installed: set[str] = set()
        self.stamped: list[str] = []
        """The sdists whose times were set to SOURCE_DATE_EPOCH after the backend wrote them."""

    def __enter__(self) -> BuildEnvironment:
        if self.isolated:
            from releasegate._internal.builder.isolation import IsolatedEnvironment

            env = IsolatedEnvironment(self.installer)
            with _build_errors("creating the isolated build environment"):
                self._env = env.__enter__()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._env is not None:
            self._env.__exit__(kind, value, traceback)
            self._env = None

    @property
    def python(self) -> str:
        return self._env.python_executable if self._env is not None else sys.executable

    def describe(self) -> str:
        if not self.isolated:
            return "no isolation (the current interpreter's backend)"
        return f"one isolated environment, installed with {self.installer}, shared by every build"

    def builder(self, source: Path, settings: BuildSettings) -> ProjectBuilder:
        from build import ProjectBuilder

        runner = _Runner(settings)
        with _build_errors(f"reading {source / 'pyproject.toml'}"):
            if self._env is not None:
                return ProjectBuilder.from_isolated_env(self._env, source, runner=runner)
            return ProjectBuilder(source, runner=runner)

    def prepare(self, source: Path, settings: BuildSettings | None = None) -> None:
        """Install build requirements (static, then the backend's dynamic ones for both dists)."""
        chosen = settings or BuildSettings()
        project = self.builder(source, chosen)
        if self._env is None:
            self._check_dependencies(project)
            return
        self._install(project.build_system_requires)
        with _build_errors("asking the backend what building requires", chosen.log):
            sdist, wheel = _both(project.get_requires_for_build)
        self._install(sdist | wheel)

    def _install(self, requirements: set[str]) -> None:
        missing = set(requirements) - self._installed
        if missing and self._env is not None:
            with _build_errors("installing build requirements " + ", ".join(sorted(missing))):
                self._env.install(missing)
            self._installed |= missing

    def _check_dependencies(self, project: ProjectBuilder) -> None:
        with _build_errors("checking the build requirements"):
            sdist, wheel = _both(project.check_dependencies)
            missing = sdist | wheel
        if missing:
            names = sorted(" -> ".join(chain) for chain in missing)
            raise FatalError(
                "build requirements are not installed: " + "; ".join(names),
                hint="install them, or build with isolation (without --no-isolation)",
            )

    def pin(self, versions: Mapping[str, str]) -> None:
        """Install exact versions first, so that ``prepare`` finds its requirements satisfied."""
        if self._env is not None and versions:
            self._install({f"{name}=={version}" for name, version in versions.items()})

    def installed(self) -> dict[str, str]:
        """Every distribution in the isolated environment and its version ({} without isolation).

        The backend's own dependencies are here too: what a rebuilder must install again.
        """
        if self._env is None:
            return {}
        code = (
            "import importlib.metadata as m, json; print(json.dumps("
            "{d.metadata['Name']: d.version for d in m.distributions() if d.metadata['Name']}))"
        )
        from releasegate._internal.childenv import child_environment

        done = subprocess.run(
            [self.python, "-c", code],
            capture_output=True,
            text=True,
            check=False,
            env=child_environment(),
        )
        if done.returncode != 0:
            return {}
        import json

        found = json.loads(done.stdout)
        return {str(k): str(v) for k, v in sorted(found.items(), key=lambda kv: kv[0].lower())}

    def build(
        self, source: Path, dist: Distribution, outdir: Path, settings: BuildSettings
    ) -> Path:
        """Build one distribution of ``source`` into ``outdir``.

        An sdist whose backend ignored ``SOURCE_DATE_EPOCH`` gets it stamped (``sdisttimes.py``).
        """
        from releasegate._internal.builder.sdisttimes import stamp_if_needed

        project = self.builder(source, settings)
        with _build_errors(f"building the {dist} of {source}", settings.log):
            built = Path(project.build(dist, outdir))
        value = settings.env.get("SOURCE_DATE_EPOCH", "")
        epoch = (
            int(value) if value.isdigit() and "SOURCE_DATE_EPOCH" not in settings.unset else None
        )
        if dist == "sdist" and stamp_if_needed(built, epoch):
            self.stamped.append(built.name)
        return built


def _both(ask: Callable[[Distribution], _T]) -> tuple[_T, _T]:
    """Ask the backend about the sdist and the wheel at once: two processes, half the wait."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=2) as pool:
        sdist, wheel = pool.submit(ask, "sdist"), pool.submit(ask, "wheel")
        return sdist.result(), wheel.result()


@contextlib.contextmanager
def _build_errors(doing: str, log: list[str] | None = None) -> Iterator[None]:
    """Turn pypa/build's exceptions into BuildFailed with the backend's last lines of output."""
    from build import BuildBackendException, BuildException, FailedProcessError

    try:
        yield
    # CalledProcessError: pip (or uv) failing to install a build requirement is raised by
    # pypa/build as is, not wrapped (a requirement no index has, a broken index).
    except (
        BuildBackendException,
        BuildException,
        FailedProcessError,
        OSError,
        subprocess.CalledProcessError,
    ) as error:
        failed = BuildFailed(
            f"{doing} failed: {_describe(error)}{_process_output(error) or _tail(log)}",
            hint="run with --verbose (or `python -m build` in the project) to see the "
            "backend's full output",
        )
        failed.output = backend_output(log or [])
        raise failed from None


def _describe(error: BaseException) -> str:
    if isinstance(error, subprocess.CalledProcessError):
        return f"the installer exited with status {error.returncode}"
    inner = getattr(error, "exception", None)
    if isinstance(inner, subprocess.CalledProcessError):
        return f"the backend exited with status {inner.returncode}"
    return str(error) or type(error).__name__


def _process_output(error: BaseException) -> str:
    """The failed backend process's own last lines, which usually say why."""
    inner = error if isinstance(error, subprocess.CalledProcessError) else None
    inner = inner or getattr(error, "exception", None)
    if not isinstance(inner, subprocess.CalledProcessError):
        return ""
    return _tail([_text(inner.stdout) + _text(inner.stderr)])


def _text(output: str | bytes | None) -> str:
    """A process's captured output; pypa/build captures the installer's as bytes."""
    if isinstance(output, bytes):
        return output.decode("utf-8", errors="replace")
    return output or ""


def _tail(log: list[str] | None) -> str:
    if not log:
        return ""
    lines = "".join(log[-1:]).strip().splitlines()[-_LOG_TAIL:]
    return "\n" + "\n".join(f"  | {line}" for line in lines) if lines else ""


def build_dists(
    source: Path,
    outdir: Path,
    *,
    isolated: bool = True,
    source_date_epoch: int | None = None,
    env: Mapping[str, str] | None = None,
    installer: Installer = "auto",
) -> BuiltDists:
    """Build the sdist and the wheel of ``source`` into ``outdir`` with one build environment.

    ``SOURCE_DATE_EPOCH`` is ``source_date_epoch``, else the last commit's time.
    ``env`` adds variables for the backend. ``installer`` fills the isolated environment
    (``auto``: uv when installed and pip has no configuration of its own, else pip).
    Raises BuildFailed when the backend fails.
    """
    with BuildEnvironment(isolated=isolated, installer=installer) as environment:
        return build_with(environment, source, outdir, source_date_epoch=source_date_epoch, env=env)


def build_with(
    environment: BuildEnvironment,
    source: Path,
    outdir: Path,
    *,
    source_date_epoch: int | None = None,
    env: Mapping[str, str] | None = None,
    set_epoch: bool = True,
) -> BuiltDists:
    """``build_dists`` inside an environment the caller already holds (to reuse it)."""
    epoch = epoch_environment(source, source_date_epoch, set_epoch=set_epoch)
    settings = BuildSettings(
        env={**epoch, **(env or {})}, unset=() if set_epoch else ("SOURCE_DATE_EPOCH",)
    )
    environment.prepare(source, settings)
    outdir.mkdir(parents=True, exist_ok=True)
    sdist = environment.build(source, "sdist", outdir, settings)
    wheel = environment.build(source, "wheel", outdir, settings)
    return BuiltDists(sdist, wheel)


def build_selected(
    source: Path,
    outdir: Path,
    dists: Sequence[Distribution] = ("sdist", "wheel"),
    *,
    isolated: bool = True,
    source_date_epoch: int | None = None,
    installer: Installer = "auto",
) -> list[Path]:
    """Build only the chosen distributions (``releasegate build --sdist``/``--wheel``)."""
    with BuildEnvironment(isolated=isolated, installer=installer) as environment:
        settings = BuildSettings(env=epoch_environment(source, source_date_epoch))
        environment.prepare(source, settings)
        return [environment.build(source, dist, outdir, settings) for dist in dists]
