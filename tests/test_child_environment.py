"""Every child process gets ``childenv.child_environment()``: the code is walked to prove it.

A call that starts a process (``subprocess.*``, ``os.system``, ``os.exec*``, ``os.spawn*``,
``os.posix_spawn*``, ``os.popen``, ``pty.spawn``) must be a ``subprocess`` call whose ``env=``
is ``child_environment(...)`` or a name the same function assigned from it; the others are
refused outright. A library that starts processes itself is given a runner that does the same
(pyproject-hooks' ``runner=``); tests/hostile/test_untrusted_checkout.py records what really starts.
"""

from __future__ import annotations

import ast
from pathlib import Path

from releasegate._internal.childenv import child_environment, is_secret_name
from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "releasegate"
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
NEVER = {
    ("subprocess", "getoutput"),
    ("subprocess", "getstatusoutput"),
    ("os", "system"),
    ("os", "popen"),
    ("os", "startfile"),
    ("pty", "spawn"),
}
NEVER_PREFIXES = {"os": ("exec", "spawn", "posix_spawn", "fork")}
FACTORY = "child_environment"


def _is_factory(node: ast.expr | None, assigned: set[str]) -> bool:
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return name == FACTORY
    return isinstance(node, ast.Name) and node.id in assigned


def _assigned_from_factory(function: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _is_factory(node.value, set()):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif (
            isinstance(node, ast.AnnAssign)
            and _is_factory(node.value, set())
            and isinstance(node.target, ast.Name)
        ):
            names.add(node.target.id)
    return names


def _module_and_name(func: ast.expr) -> tuple[str, str] | None:
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    return None


def offending_calls(source: str) -> list[str]:
    """Each process start in ``source`` that does not take its env from the factory."""
    tree = ast.parse(source)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("subprocess", "os", "pty"):
            starters = [a.name for a in node.names if _starts(node.module, a.name)]
            problems += [f"line {node.lineno}: from {node.module} import {s}" for s in starters]
        if isinstance(node, ast.Import):
            renamed = [a for a in node.names if a.name == "subprocess" and a.asname]
            problems += [f"line {node.lineno}: import subprocess as {a.asname}" for a in renamed]
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)):
            continue
        assigned = _assigned_from_factory(function)
        for node in ast.walk(function):
            if not isinstance(node, ast.Call):
                continue
            called = _module_and_name(node.func)
            if called is None or not _starts(*called):
                continue
            env = next((k.value for k in node.keywords if k.arg == "env"), None)
            if called[0] != "subprocess" or called[1] not in SUBPROCESS_CALLS:
                problems.append(f"line {node.lineno}: {called[0]}.{called[1]} is never used")
            elif not _is_factory(env, assigned):
                problems.append(f"line {node.lineno}: {called[0]}.{called[1]} without env=")
    return sorted(set(problems))


def _starts(module: str, name: str) -> bool:
    if (module, name) in NEVER:
        return True
    if module == "subprocess":
        return name in SUBPROCESS_CALLS
    return name.startswith(NEVER_PREFIXES.get(module, ("\0",)))


def test_every_process_start_in_the_package_takes_the_child_environment() -> None:
    found = {
        str(path.relative_to(PACKAGE)): problems
        for path in sorted(PACKAGE.rglob("*.py"))
        if (problems := offending_calls(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_walk_finds_what_it_must_refuse() -> None:
    source = """import os
import subprocess
from subprocess import run
from releasegate._internal.childenv import child_environment

def bad():
    subprocess.run(["x"])
    subprocess.Popen(["x"], env=dict(os.environ))
    os.system("x")
    os.execvp("x", ["x"])

def good():
    env = child_environment()
    subprocess.run(["git"], env=env)
    subprocess.check_output(["git"], env=child_environment(tools=("pip",)))
"""
    assert offending_calls(source) == [
        "line 10: os.execvp is never used",
        "line 3: from subprocess import run",
        "line 7: subprocess.run without env=",
        "line 8: subprocess.Popen without env=",
        "line 9: os.system is never used",
    ]


def test_the_allowlist_keeps_what_programs_need_and_drops_every_secret() -> None:
    job = {
        "PATH": "/usr/bin",
        "HOME": "/home/runner",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HTTPS_PROXY": "http://proxy:3128",
        "TMPDIR": "/tmp",
        "GITHUB_TOKEN": "ghp_x",
        "GH_TOKEN": "ghp_y",
        "PYPI_TOKEN": "pypi-z",
        "TWINE_PASSWORD": "pw",
        "TWINE_USERNAME": "__token__",
        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "oidc",
        "ACTIONS_RUNTIME_TOKEN": "rt",
        "ACTIONS_ID_TOKEN_REQUEST_URL": "https://x",
        "AWS_SECRET_ACCESS_KEY": "aws",
        "AWS_ACCESS_KEY_ID": "aws-id",
        "GOOGLE_APPLICATION_CREDENTIALS": "/gcp.json",
        "AZURE_CLIENT_SECRET": "az",
        "GIT_CONFIG_KEY_0": "http.extraheader",
        "GIT_CONFIG_VALUE_0": "AUTHORIZATION: basic xyz",
        "PIP_INDEX_URL": "https://index/simple",
        "PIP_PASSWORD": "pw",
        "UV_INDEX_PRIVATE_PASSWORD": "pw",
        "UV_PUBLISH_TOKEN": "t",
        "UV_CACHE_DIR": "/cache",
        "SOME_RANDOM_VAR": "x",
    }
    plain = child_environment(base=job)
    assert plain == {
        "PATH": "/usr/bin",
        "HOME": "/home/runner",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HTTPS_PROXY": "http://proxy:3128",
        "TMPDIR": "/tmp",
    }
    for_pip = child_environment({"CUSTOM": "1"}, tools=("pip", "uv"), unset=["LANG"], base=job)
    assert set(for_pip) - set(plain) == {"PIP_INDEX_URL", "UV_CACHE_DIR", "CUSTOM"}
    assert "LANG" not in for_pip
    assert all(
        is_secret_name(n) for n in ("GITHUB_TOKEN", "TWINE_PASSWORD", "PIP_KEYRING_PROVIDER")
    )


def test_bootstrap_loads_the_same_function_by_path() -> None:
    # The action's installer runs before releasegate is importable; it must not keep its own list.
    source = (PACKAGE / "_internal" / "github" / "bootstrap.py").read_text(encoding="utf-8")
    assert 'parents[1] / "childenv.py"' in source
    assert Path(PACKAGE / "_internal" / "childenv.py").is_file()


def test_git_keeps_the_user_s_ssh_agent_and_askpass_and_nothing_else_does() -> None:
    job = {"PATH": "/usr/bin", "SSH_AUTH_SOCK": "/tmp/agent.sock", "GIT_ASKPASS": "/bin/ask"}
    assert child_environment(tools=("git",), base=job) == job
    assert child_environment(tools=("pip",), base=job) == {"PATH": "/usr/bin"}
