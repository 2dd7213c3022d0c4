"""Install the action's own releasegate into a fresh virtual environment (stdlib only).

action.yml runs this file with the runner's Python (or the one setup-python chose)
before releasegate is installed, so it imports nothing from releasegate. A virtual
environment keeps the install away from the system Python, which recent runner
images mark as externally managed (PEP 668).

    python bootstrap.py ACTION_PATH VENV_DIR [full|no-deps]

``no-deps`` installs releasegate alone and lets the environment see the calling
Python's packages: for runners (and tests) whose Python already has releasegate's
dependencies and build backend, so nothing is downloaded.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

MODES = ("full", "no-deps")
# ``pip --python`` (pip >= 22.3) lets the caller's pip install into an environment without
# its own pip, which saves creating one (seconds per job).
PIP_WITH_PYTHON_OPTION = (22, 3)


def venv_python(target: Path) -> Path:
    return target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def outer_pip_version() -> tuple[int, ...]:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return tuple(int(part) for part in version("pip").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return (0,)


def create(target: Path, with_pip: bool) -> Path:
    venv.EnvBuilder(clear=True, with_pip=with_pip).create(target)
    return venv_python(target)


def inherit_packages(python: Path) -> None:
    """A .pth line per site directory of the calling Python: its packages become visible."""
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    paths = dict.fromkeys((sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]))
    Path(site, "_releasegate_parent.pth").write_text("\n".join(paths) + "\n", encoding="utf-8")


def pip_command(python: Path, own_pip: bool) -> list[str]:
    if own_pip:
        return [str(python), "-m", "pip"]
    return [sys.executable, "-m", "pip", "--python", str(python)]


def install(action_path: Path, target: Path, mode: str) -> Path:
    own_pip = outer_pip_version() < PIP_WITH_PYTHON_OPTION
    python = create(target, with_pip=own_pip)
    extra: list[str] = []
    if mode == "no-deps":
        inherit_packages(python)
        extra = ["--no-deps", "--no-build-isolation"]
    command = [
        *pip_command(python, own_pip),
        "install",
        "--disable-pip-version-check",
        "--quiet",
        *extra,
    ]
    subprocess.run([*command, str(action_path)], check=True)
    return python


def write_output(python: Path) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(f"python={python}\n")
    print(f"releasegate installed in {python.parent.parent}")


def main(argv: list[str]) -> int:
    mode = (argv[2] if len(argv) == 3 else "") or "full"  # an empty action input means the default
    if len(argv) not in (2, 3) or mode not in MODES:
        print(f"usage: bootstrap.py ACTION_PATH VENV_DIR [{'|'.join(MODES)}]", file=sys.stderr)
        return 2
    try:
        python = install(Path(argv[0]), Path(argv[1]), mode)
    except subprocess.CalledProcessError as exc:
        print(
            f"releasegate: error: installing the action failed (exit {exc.returncode})",
            file=sys.stderr,
        )
        return 1
    write_output(python)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
