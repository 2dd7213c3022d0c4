"""Give the action a Python environment with releasegate's locked dependencies (stdlib only).

action.yml runs this file with the runner's Python (or the one setup-python chose)
before releasegate is importable, so it imports nothing from releasegate.

    python bootstrap.py ACTION_PATH CACHE_DIR [full|no-deps]
    python bootstrap.py --key ACTION_PATH CACHE_DIR [full|no-deps]

- ``full`` installs the dependencies from ``requirements/action.txt``, the hashed lock that
  ships with the action (``--require-hashes``): pinning the action by SHA then pins every
  package it runs, not only releasegate (issue 17: 76 unpinned, unhashed packages per use).
- ``no-deps`` installs nothing and lets the environment see the calling Python's packages:
  for runners (and tests) whose Python already has the dependencies.

releasegate itself is not built or installed: a ``.pth`` line puts the action's ``src/`` on
the path, so the code that runs is exactly the pinned ref's. The environment lives under
``CACHE_DIR/<key>``, the key hashing the lock, the action path (its ref) and the Python: a
second ``uses:`` in the same job (or a later job on a self-hosted runner) reuses it in well
under a second. ``uv`` is used when on PATH, pip otherwise. A virtual environment keeps all
this away from the system Python, which recent runner images mark externally managed (PEP 668).

``--key`` installs nothing: it writes the outputs of the step before actions/cache (issue 30:
~40 s a matrix job on a hosted runner): ``path``, the folder the environment is built in, and
``key``, naming the runner, the Python version and the lock's sha256 and ending in the folder's
own key (the action's ref and the Python's path too: the environment holds both), so a restored
environment is exactly the one this job would build; ``use``, from ``RELEASEGATE_CACHE``
(auto, true, false) and ``RELEASEGATE_COMMAND``: auto caches every command but those whose jobs
hold release credentials, which never run an environment another job could have saved.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import venv
from pathlib import Path

MODES = ("full", "no-deps")
LOCK = Path("requirements") / "action.txt"
READY = "releasegate-ready"
"""Written last: an environment without it was interrupted and is built again."""
CREDENTIAL_COMMANDS = ("publish", "sign", "promote")
"""Their jobs hold release credentials: never an environment from the Actions cache."""


def child_environment() -> dict[str, str]:
    """``childenv.child_environment`` for pip and uv, loaded by path (nothing is importable yet).

    The installers run in the job that holds the tokens: they get the allowlist, not them.
    """
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "releasegate_childenv", Path(__file__).resolve().parents[1] / "childenv.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    env: dict[str, str] = module.child_environment(tools=("pip", "uv"))
    return env


def venv_python(target: Path) -> Path:
    return target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def cache_key(action_path: Path, mode: str) -> str:
    lock = action_path / LOCK
    digest = hashlib.sha256()
    for part in (str(action_path.resolve()), sys.executable, sys.version, mode):
        digest.update(part.encode() + b"\0")
    digest.update(lock.read_bytes() if lock.is_file() else b"")
    return digest.hexdigest()[:20]


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    out = subprocess.run(
        [str(python), "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=child_environment(),
    )
    return Path(out.stdout.strip())


def create(target: Path, uv: str | None) -> Path:
    if uv:
        command = [uv, "venv", "-q", "--python", sys.executable, str(target)]
        subprocess.run(command, check=True, env=child_environment())
    else:
        # pip >= 22.3 installs into another environment (``--python``): no pip of its own.
        venv.EnvBuilder(with_pip=False).create(target)
    return venv_python(target)


def install_locked(python: Path, lock: Path, uv: str | None) -> None:
    if uv:
        command = [uv, "pip", "install", "-q", "--python", str(python)]
    else:
        command = [sys.executable, "-m", "pip", "--python", str(python), "install"]
        command += ["--disable-pip-version-check", "--quiet", "--no-deps"]
    subprocess.run(
        [*command, "--require-hashes", "-r", str(lock)], check=True, env=child_environment()
    )


def build(action_path: Path, target: Path, mode: str) -> Path:
    """A complete environment at ``target``, made in a sibling and renamed into place."""
    uv = shutil.which("uv")
    partial = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    python = create(partial, uv)
    lines = [str((action_path / "src").resolve())]
    if mode == "no-deps":
        paths = sysconfig.get_paths()
        lines += dict.fromkeys((paths["purelib"], paths["platlib"]))
    else:
        install_locked(python, action_path / LOCK, uv)
    site = site_packages(python)
    (site / "_releasegate_action.pth").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (partial / READY).write_text("ok\n", encoding="utf-8")
    try:
        partial.rename(target)
    except OSError:  # another job on this runner finished first: use theirs
        shutil.rmtree(partial, ignore_errors=True)
    return venv_python(target)


def install(action_path: Path, cache: Path, mode: str) -> tuple[Path, bool]:
    """The environment's Python, and whether it was reused."""
    target = cache / cache_key(action_path, mode)
    if (target / READY).is_file() and venv_python(target).exists():
        return venv_python(target), True
    shutil.rmtree(target, ignore_errors=True)
    cache.mkdir(parents=True, exist_ok=True)
    return build(action_path, target, mode), False


def write_output(python: Path, reused: bool) -> None:
    _outputs({"python": str(python)})
    how = "reused" if reused else "installed"
    print(f"releasegate {how}: {python.parent.parent}")


def _outputs(values: dict[str, str]) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.writelines(f"{name}={value}\n" for name, value in values.items())


def cache_entry(action_path: Path, cache: Path, mode: str) -> dict[str, str]:
    """What actions/cache needs to keep the environment ``install`` builds: path, key, use."""
    import platform

    folder = cache_key(action_path, mode)
    lock = action_path / LOCK
    lock_hash = hashlib.sha256(lock.read_bytes() if lock.is_file() else b"").hexdigest()
    runner = f"{os.environ.get('RUNNER_OS', os.name)}-{os.environ.get('RUNNER_ARCH', '')}"
    key = f"releasegate-env-{runner}-py{platform.python_version()}-{lock_hash[:16]}-{folder}"
    wanted = (os.environ.get("RELEASEGATE_CACHE") or "auto").strip().lower()
    command = (os.environ.get("RELEASEGATE_COMMAND") or "check").strip().lower()
    use = wanted == "true" or (wanted == "auto" and command not in CREDENTIAL_COMMANDS)
    return {"path": str(cache / folder), "key": key, "use": "true" if use else "false"}


def main(argv: list[str]) -> int:
    if argv[:1] == ["--key"] and len(argv) in (3, 4):
        entry = cache_entry(Path(argv[1]), Path(argv[2]), (argv[3:] or ["full"])[0] or "full")
        _outputs(entry)
        print(f"releasegate environment cache: {entry['key']} (used: {entry['use']})")
        return 0
    mode = (argv[2] if len(argv) == 3 else "") or "full"  # an empty action input means the default
    if len(argv) not in (2, 3) or mode not in MODES:
        print(f"usage: bootstrap.py ACTION_PATH CACHE_DIR [{'|'.join(MODES)}]", file=sys.stderr)
        return 2
    try:
        python, reused = install(Path(argv[0]), Path(argv[1]), mode)
    except subprocess.CalledProcessError as exc:
        print(
            f"releasegate: error: installing the action failed (exit {exc.returncode})",
            file=sys.stderr,
        )
        return 1
    write_output(python, reused)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
