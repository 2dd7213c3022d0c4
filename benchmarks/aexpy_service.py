# mypy: ignore-errors
"""An AexPy service file: extract each release in a fresh venv instead of a conda env.

AexPy (https://github.com/StardustDL/aexpy) imports the package under test. Its ``extract
--temp`` builds that import environment with micromamba, mamba or conda, which this machine
cannot download; ``--no-temp`` would install every release into AexPy's own environment (and
replace its click, pydantic or typing-extensions with the release's). This file swaps in a
builder that makes a throwaway ``python -m venv`` with pydantic (what AexPy's API detector
needs, as its conda builder installs), into which AexPy then installs the release's wheel.

Loaded by AexPy itself (``AEXPY_SERVICE=benchmarks/aexpy_service.py``, which runs it after
``from aexpy.services import *``), not imported by releasegate: ``aexpy`` is not one of
releasegate's dependencies, hence no type checking here.

The venv's interpreter: AexPy picks the Python version of the release's wheel (3.12, or the
newest older one the release has a wheel for). ``AEXPY_ENV_PYTHON`` is an absolute glob for
interpreters with ``{pyversion}`` in it (``/root/.pyenv/versions/{pyversion}.*/bin/python``);
without it, or when nothing matches, the interpreter AexPy runs on.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from aexpy.environments import (
    ExecutionEnvironment,
    ExecutionEnvironmentBuilder,
    ExecutionEnvironmentRunner,
)
from aexpy.services import ServiceProvider


class VenvEnvironment(ExecutionEnvironment):
    def __init__(self, path, logger=None):
        super().__init__(logger=logger)
        self.path = Path(path)

    def runner(self):
        return ExecutionEnvironmentRunner(pythonName=str(self.path / "bin" / "python"))


class VenvEnvironmentBuilder(ExecutionEnvironmentBuilder):
    def build(self, pyversion="3.12", logger=None):
        pattern = os.environ.get("AEXPY_ENV_PYTHON", "").replace("{pyversion}", pyversion)
        found = sorted(Path("/").glob(pattern.lstrip("/"))) if pattern.startswith("/") else []
        python = str(found[-1]) if found else sys.executable
        path = Path(tempfile.mkdtemp(prefix="aexpy-env-")) / "venv"
        for command in (
            [python, "-m", "venv", str(path)],
            [str(path / "bin" / "python"), "-m", "pip", "install", "-q", "pydantic"],
        ):
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            self.logger.info(done.stdout + done.stderr)
            done.check_returncode()
        return VenvEnvironment(path, logger=logger)

    def clean(self, env):
        shutil.rmtree(env.path.parent, ignore_errors=True)


class VenvServiceProvider(ServiceProvider):
    def environmentBuilder(self, logger=None):
        return VenvEnvironmentBuilder(logger=logger)


def getService():
    return VenvServiceProvider()
