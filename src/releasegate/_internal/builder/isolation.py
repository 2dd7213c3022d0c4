"""The isolated build environment: a venv that releasegate makes and fills itself.

pypa/build's ``DefaultIsolatedEnv`` creates the venv and installs the build requirements with
pip or uv started with the job's whole environment (``{**os.environ, ...}``): the installer, and
any sdist among the build requirements that it builds, would see the job's tokens. This one is
the same venv made the same way (uv: ``uv venv``; pip: ``venv`` without pip, then the running
pip with ``--python``), but every process it starts gets ``child_environment()`` (issue 27).
pypa/build needs only ``python_executable`` and ``make_extra_environ`` from it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from build.env import IsolatedEnv

from releasegate._internal.childenv import child_environment

if TYPE_CHECKING:
    from collections.abc import Collection
    from types import TracebackType


def uv_binary() -> str | None:
    """The uv releasegate's environment ships (the ``uv`` package), else one on PATH."""
    try:
        import uv  # type: ignore[import-not-found,unused-ignore]

        return str(uv.find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which(os.environ.get("UV") or "uv")


class IsolatedEnvironment(IsolatedEnv):
    """A fresh venv for one builder's lifetime (a context manager)."""

    def __init__(self, installer: Literal["pip", "uv"]) -> None:
        self.installer = installer
        self.path = Path()

    def __enter__(self) -> IsolatedEnvironment:
        self.path = Path(tempfile.mkdtemp(prefix="releasegate-build-env-")).resolve()
        try:
            self._create()
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    @property
    def scripts(self) -> Path:
        return self.path / ("Scripts" if os.name == "nt" else "bin")

    @property
    def python_executable(self) -> str:
        return str(self.scripts / ("python.exe" if os.name == "nt" else "python"))

    def make_extra_environ(self) -> dict[str, str]:
        path = os.environ.get("PATH")
        scripts = str(self.scripts)
        # An empty PYTHONPATH keeps the host's out of the backend (pypa/build does the same).
        return {"PATH": f"{scripts}{os.pathsep}{path}" if path else scripts, "PYTHONPATH": ""}

    def install(self, requirements: Collection[str]) -> None:
        """Install ``requirements`` into the venv; CalledProcessError when the installer fails."""
        if not requirements:
            return
        with tempfile.TemporaryDirectory(prefix="releasegate-build-reqs-") as folder:
            listed = Path(folder) / "requirements.txt"
            listed.write_text("\n".join(sorted(requirements)) + "\n", encoding="utf-8")
            if self.installer == "uv":
                command = [self._uv(), "pip", "install", "--python", self.python_executable]
            else:
                command = [sys.executable, "-m", "pip", "--python", self.python_executable]
                command += ["install", "--disable-pip-version-check", "--no-warn-script-location"]
                command += ["--no-compile", "--use-pep517"]
            self._run([*command, "-r", str(listed)])

    def _create(self) -> None:
        if self.installer == "uv":
            self._run([self._uv(), "venv", "-q", "--python", sys.executable, str(self.path)])
        else:
            import venv

            # No pip inside: the running pip installs into it (--python, pip >= 22.3).
            venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(self.path)

    def _uv(self) -> str:
        found = uv_binary()
        if found is None:
            raise FileNotFoundError("uv is not installed")
        return found

    def _run(self, command: list[str]) -> None:
        subprocess.run(
            command,
            capture_output=True,
            check=True,
            env=child_environment(tools=(self.installer,)),
        )
