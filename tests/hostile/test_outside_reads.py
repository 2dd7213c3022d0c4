"""Files the checkout names are read inside it, or not at all (issue 21).

A lockfile include (``-r /proc/self/environ``, ``-c ../secret.env``) or a committed symlink
(``requirements.txt -> ~/.env``) must not bring anything from outside the repository into a
finding: the secret in the job's environment or in a file beside the checkout appears in no
output format. Special files are refused, and quoted input is bounded.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.findings import QUOTE_LIMIT
from tests.conftest import run_cli

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow  # the real CLI in a subprocess, five formats a case

SECRET = "ghp_outsideSecret0123456789abcdefABCDEFxyz"
PYPROJECT = '[project]\nname = "demo"\nversion = "1.0.0"\nreadme = "README.md"\n'
FORMATS = ("text", "json", "sarif", "github", "markdown")


def _outputs(repo: GitRepo, tmp_path: Path, *gates: str) -> list[tuple[str, int, str]]:
    """Every format's stdout, stderr and job summary, with the secret in the environment."""
    found = []
    for fmt in FORMATS:
        summary = tmp_path / f"summary-{fmt}.md"
        env = {"GITHUB_TOKEN": SECRET, "RELEASEGATE_TEST_PASSWORD": SECRET}
        if fmt == "github":
            env |= {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
        done = run_cli("check", *gates, "--format", fmt, cwd=repo.root, env=env)
        written = summary.read_text(encoding="utf-8") if summary.exists() else ""
        found.append((fmt, done.returncode, done.stdout + done.stderr + written))
    return found


def _assert_clean(outputs: list[tuple[str, int, str]]) -> None:
    for fmt, code, text in outputs:
        assert code in (0, 1, 2), (fmt, text[-2000:])
        assert SECRET not in text, fmt
        assert "API_TOKEN" not in text, fmt  # not even the name of the outside file's key


@pytest.mark.parametrize(
    "include",
    ["-r /proc/self/environ", "-c /proc/self/environ", "-r ../secret.env", "-c ../secret.env"],
)
def test_an_include_outside_the_checkout_is_refused_in_every_format(
    make_repo: Callable[..., GitRepo], tmp_path: Path, include: str
) -> None:
    (tmp_path / "secret.env").write_text(f"API_TOKEN={SECRET}\n", encoding="utf-8")
    repo = make_repo(
        {"pyproject.toml": PYPROJECT, "README.md": "# demo\n", "requirements.txt": include + "\n"},
        name="repo",
    )
    outputs = _outputs(repo, tmp_path, "lockfile")
    _assert_clean(outputs)
    report = json.loads(next(text for fmt, _, text in outputs if fmt == "json"))
    messages = [f["message"] for gate in report["checks"] for f in gate["findings"]]
    assert any("leads outside the repository" in m for m in messages), messages


@pytest.mark.parametrize(
    "linked", ["requirements.txt", "uv.lock", "pylock.toml", "README.md", "CHANGELOG.md"]
)
def test_a_committed_symlink_out_of_the_checkout_is_not_read(
    make_repo: Callable[..., GitRepo], tmp_path: Path, linked: str
) -> None:
    secret = tmp_path / "secret.env"
    secret.write_text(f"API_TOKEN={SECRET}\n[[package]]\nname = '{SECRET}'\n", encoding="utf-8")
    repo = make_repo(name="repo")
    repo.write({"pyproject.toml": PYPROJECT, "README.md": "# demo\n"})
    (repo.root / linked).unlink(missing_ok=True)
    (repo.root / linked).symlink_to(secret)
    repo.commit(message="link", tag="v1.0.0")
    _assert_clean(_outputs(repo, tmp_path, "semver", "lockfile", "metadata"))


@pytest.mark.parametrize("linked", ["README.md", "CHANGELOG.md", "requirements.txt", "uv.lock"])
def test_a_symlink_to_a_device_ends_with_a_finding_not_a_hang(
    make_repo: Callable[..., GitRepo], tmp_path: Path, linked: str
) -> None:
    repo = make_repo(name="repo")
    repo.write({"pyproject.toml": PYPROJECT, "README.md": "# demo\n"})
    (repo.root / linked).unlink(missing_ok=True)
    (repo.root / linked).symlink_to("/dev/zero")
    repo.commit(message="link", tag="v1.0.0")
    done = run_cli("check", "semver", "lockfile", "metadata", "--format", "json", cwd=repo.root)
    assert done.returncode in (0, 1, 2), done.stderr[-2000:]
    assert "internal error" not in done.stderr


def test_quoted_input_in_a_message_is_bounded(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    garbage = "not a requirement " + "x" * 20_000
    repo = make_repo(
        {"pyproject.toml": PYPROJECT, "README.md": "# demo\n", "requirements.txt": garbage + "\n"}
    )
    done = run_cli("check", "lockfile", "--format", "json", cwd=repo.root)
    report = json.loads(done.stdout)
    messages = [f["message"] for gate in report["checks"] for f in gate["findings"]]
    assert any("not a requirement" in m for m in messages), messages
    assert all(len(m) < 3 * QUOTE_LIMIT for m in messages), max(map(len, messages))


@pytest.mark.parametrize(
    ("gate", "config"),
    [
        ("semver", '[tool.releasegate.semver]\nchangelog = "../secret.env"\n'),
        (
            "semver",
            "[[tool.releasegate.semver.version-files]]\n"
            "path = '../secret.env'\npattern = 'API_TOKEN=(?P<version>.*)'\n",
        ),
        ("api", '[tool.releasegate.api]\npackage = "../outside_pkg"\n'),
    ],
    ids=["changelog", "version-files", "api-package"],
)
def test_a_configured_path_outside_the_project_is_a_configuration_error(
    make_repo: Callable[..., GitRepo], tmp_path: Path, gate: str, config: str
) -> None:
    (tmp_path / "secret.env").write_text(f"API_TOKEN={SECRET}\n", encoding="utf-8")
    (tmp_path / "outside_pkg").mkdir()
    (tmp_path / "outside_pkg" / "__init__.py").write_text(f"def {SECRET}(): ...\n")
    repo = make_repo({"pyproject.toml": PYPROJECT + config}, tag="v1.0.0", name="repo")
    repo.commit({"pyproject.toml": PYPROJECT.replace("1.0.0", "1.1.0") + config})
    done = run_cli("check", gate, cwd=repo.root)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "outside the project" in done.stderr
    assert SECRET not in done.stdout + done.stderr


_MEMBER = """\
[project]
name = "app"
version = "1.0.0"
dependencies = ["idna>=3", "six>=1"]

[build-system]
requires = ["hatchling==1.27.0"]
build-backend = "hatchling.build"
"""
_HASHED = " \\\n    --hash=sha256:" + "a" * 64 + "\n"


def test_a_member_may_include_the_repositorys_shared_file_but_nothing_above_it(
    make_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    """Monorepos keep shared pins at the top (``-r ../../common.txt``): inside the checkout,
    read; a file above the repository stays refused."""
    (tmp_path / "secret.env").write_text(f"API_TOKEN={SECRET}\n", encoding="utf-8")
    repo = make_repo(
        {
            "common.txt": "six==1.16.0" + _HASHED,
            "services/app/pyproject.toml": _MEMBER,
            "services/app/requirements.txt": "-r ../../common.txt\nidna==3.10" + _HASHED,
        },
        name="mono",
    )
    app = repo.root / "services" / "app"
    result = run_cli("check", "lockfile", "--format", "json", cwd=app)
    findings = [f for g in json.loads(result.stdout)["checks"] for f in g["findings"]]
    assert result.returncode == 0, findings
    assert [f["rule"] for f in findings] == []

    # The shared file's entries are shown where they are, relative to the project.
    (repo.root / "common.txt").write_text("six==1.16.0\n", encoding="utf-8")
    result = run_cli("check", "lockfile", "--format", "json", cwd=app)
    findings = [f for g in json.loads(result.stdout)["checks"] for f in g["findings"]]
    assert ("missing-hash", "../../common.txt") in {
        (f["rule"].split("/")[-1], f["path"]) for f in findings
    }

    (app / "requirements.txt").write_text("-r ../../../secret.env\n", encoding="utf-8")
    result = run_cli("check", "lockfile", cwd=app)
    assert SECRET not in result.stdout + result.stderr
    assert "leads outside the repository" in result.stdout


def test_a_members_shared_file_is_named_from_the_workspace_root() -> None:
    from releasegate._internal.findings import Finding, GateResult, Severity

    result = GateResult(
        "lockfile",
        (
            Finding("lockfile", "missing-hash", "m", Severity.ERROR, "../../common.txt", 1),
            Finding("lockfile", "missing-hash", "m", Severity.ERROR, "requirements.txt", 2),
        ),
    )
    labelled = result.of_member("app", "services/app/")
    assert [f.path for f in labelled.findings] == ["common.txt", "services/app/requirements.txt"]
