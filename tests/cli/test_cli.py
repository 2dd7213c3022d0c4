from __future__ import annotations

import json
import types
from typing import TYPE_CHECKING, NoReturn

import pytest

from releasegate import __version__
from releasegate._internal import runner
from releasegate._internal.cli import main
from tests.conftest import run_cli
from tests.semver_support import project, pyproject

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo


def test_version_flag(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == f"releasegate {__version__}"


def test_clean_project_exits_0_and_findings_exit_1(make_repo: Callable[..., GitRepo]) -> None:
    good = make_repo(project("1.0.0"))
    assert run_cli("check", "semver", cwd=good.root).returncode == 0
    bad = make_repo(project("1.0.0", package="0.9.0"))
    result = run_cli("check", "semver", cwd=bad.root)
    assert result.returncode == 1
    assert "src/demo/__init__.py:3: error:" in result.stdout


def test_unknown_check_is_a_usage_error(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project())
    result = run_cli("check", "semvar", cwd=repo.root)
    assert result.returncode == 2
    assert "unknown check(s): semvar" in result.stderr
    assert "available checks: semver" in result.stderr


def test_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    assert run_cli("check", "--format", "yaml", cwd=tmp_path).returncode == 2


def test_config_error_exits_2_listing_every_problem(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo({"pyproject.toml": pyproject(extra="[tool.releasegate]\na = 1\nb = 2\n")})
    result = run_cli("check", "semver", cwd=repo.root)
    assert result.returncode == 2
    assert "pyproject.toml:5: tool.releasegate.a: unknown key 'a'" in result.stderr
    assert "pyproject.toml:6: tool.releasegate.b: unknown key 'b'" in result.stderr


def test_fail_on_warning_turns_warnings_into_failure(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert run_cli("check", "semver", cwd=tmp_path).returncode == 0  # no-version is a warning
    (tmp_path / "releasegate.toml").write_text('fail-on = "warning"\n')
    assert run_cli("check", "semver", cwd=tmp_path).returncode == 1


def test_severity_override_can_silence_a_rule(make_repo: Callable[..., GitRepo]) -> None:
    config = '[tool.releasegate.severity]\n"semver/version-mismatch" = "off"\n'
    files = project("1.0.0", package="0.9.0")
    files["pyproject.toml"] = pyproject("1.0.0", extra=config)
    repo = make_repo(files)
    assert run_cli("check", "semver", cwd=repo.root).returncode == 0


def test_output_file_is_written(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.0.0"))
    result = run_cli(
        "check", "semver", "--format", "sarif", "--output", "out/report.sarif", cwd=repo.root
    )
    assert result.returncode == 0
    assert json.loads((repo.root / "out/report.sarif").read_text())["version"] == "2.1.0"


def test_internal_error_exits_3_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(context: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "load_gate", lambda _name: types.SimpleNamespace(run=broken))
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))  # the crash log's
    assert main(["-C", str(tmp_path), "check", "semver"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err
    assert main(["-C", str(tmp_path), "check", "semver", "--verbose"]) == 3
    assert "Traceback" in capsys.readouterr().err


def test_internal_error_writes_a_crash_log_without_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(context: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "load_gate", lambda _name: types.SimpleNamespace(run=broken))
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PYPI_TOKEN", "pypi-secret-Zq8")
    assert main(["-C", str(tmp_path), "check", "semver"]) == 3

    err = capsys.readouterr().err
    log = tmp_path / "cache" / "crash.log"
    assert f"crash log written to {log}" in err
    assert "Traceback" not in err
    text = log.read_text(encoding="utf-8")
    assert f"releasegate: {__version__}" in text
    assert "python: 3." in text
    assert "packaging: " in text
    assert "command: releasegate check" in text
    assert "RuntimeError: boom" in text
    assert "Traceback (most recent call last)" in text
    assert "pypi-secret-Zq8" not in text
    assert "PYPI_TOKEN" not in text


def test_a_crash_log_that_cannot_be_written_is_no_second_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(context: object) -> NoReturn:
        raise RuntimeError("boom")

    monkeypatch.setattr(runner, "load_gate", lambda _name: types.SimpleNamespace(run=broken))
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert main(["-C", str(tmp_path), "check", "semver"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert "--verbose" in err


def test_interrupt_exits_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(context: object) -> NoReturn:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "load_gate", lambda _name: types.SimpleNamespace(run=interrupted))
    assert main(["-C", str(tmp_path), "check", "semver"]) == 130


def test_version_command_prints_every_form(make_repo: Callable[..., GitRepo]) -> None:
    repo = make_repo(project("1.3.0rc2"))
    result = run_cli("version", cwd=repo.root)
    assert result.stdout.splitlines() == [
        "semver: 1.3.0-rc.2",
        "pep440: 1.3.0rc2",
        "tag: v1.3.0-rc.2",
    ]
    assert (
        run_cli("version", "--next", "prerelease", "--form", "pep440", cwd=repo.root).stdout
        == "1.3.0rc3\n"
    )
    assert (
        run_cli("version", "--next", "minor", "--form", "semver", cwd=repo.root).stdout == "1.3.0\n"
    )
    assert (
        run_cli("version", "--next", "major", "--form", "tag", cwd=repo.root).stdout == "v2.0.0\n"
    )
    as_json = json.loads(run_cli("version", "--format", "json", cwd=repo.root).stdout)
    assert as_json["pep440"] == "1.3.0rc2"
    bad = run_cli("version", "--next", "sideways", cwd=repo.root)
    assert bad.returncode == 2
    assert "unknown bump" in bad.stderr


def test_config_schema_command_prints_the_schema(tmp_path: Path) -> None:
    result = run_cli("config-schema", cwd=tmp_path)
    assert json.loads(result.stdout)["properties"]["semver"]["properties"]["tag-format"]


def test_releasegate_passes_on_its_own_repository() -> None:
    from tests.conftest import REPO_ROOT

    result = run_cli("check", "semver", cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
