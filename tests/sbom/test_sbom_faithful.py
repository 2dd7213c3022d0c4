"""The SBOM says what the lockfile says: its graph, what is shipped, and nothing invalid.

Run in-process through the real CLI entry point (``main``) for speed; the document is checked
against CycloneDX 1.6's schema every time it is written.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from typing import TYPE_CHECKING, Any

import pytest

from releasegate._internal.cli import main
from tests.sbom.test_sbom import validate

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.conftest import GitRepo

pytestmark = pytest.mark.slow  # about 7 s: the first document pays for CycloneDX's schema

SHA = "a" * 64
# A uv.lock as uv writes it: the project (editable ".") with a runtime dependency and a dev group.
UV_LOCK = f"""\
version = 1
requires-python = ">=3.10"

[[package]]
name = "demo-app"
version = "1.2.0"
source = {{ editable = "." }}
dependencies = [{{ name = "requests" }}]

[package.dev-dependencies]
dev = [{{ name = "pytest" }}]

[[package]]
name = "requests"
version = "2.32.3"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "idna" }}]
sdist = {{ url = "https://files.example/requests-2.32.3.tar.gz", hash = "sha256:{SHA}" }}

[[package]]
name = "idna"
version = "3.10"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "pytest"
version = "8.3.4"
source = {{ registry = "https://pypi.org/simple" }}
dependencies = [{{ name = "pluggy" }}, {{ name = "idna" }}]

[[package]]
name = "pluggy"
version = "1.5.0"
source = {{ registry = "https://pypi.org/simple" }}

[[package]]
name = "rfc8785"
version = "0.1.4"
source = {{ git = "https://github.com/trailofbits/rfc8785.py?rev=main#{"d" * 40}" }}
"""
PYPROJECT = """\
[project]
name = "demo-app"
version = "1.2.0"
dependencies = ["requests>=2", "rfc8785"]

[dependency-groups]
dev = ["pytest"]
"""


def run(root: Path, *args: str, epoch: str | None = "1700000000") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            # Offline: licenses are not what these tests are about, and the suite is hermetic.
            code = main(["-C", str(root), "sbom", "--offline", *args])
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    return code, out.getvalue(), err.getvalue()


def project(tmp_path: Path, pyproject: str = PYPROJECT, **files: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name.replace("_", ".")).write_text(text, encoding="utf-8")
    return tmp_path


def document(root: Path, *args: str) -> dict[str, Any]:
    code, _, err = run(root, *args)
    assert code == 0, err
    text = (root / "sbom.cdx.json").read_text(encoding="utf-8")
    validate(text)
    result: dict[str, Any] = json.loads(text)
    return result


def graph(doc: dict[str, Any]) -> dict[str, list[str]]:
    names = {c["bom-ref"]: c["name"] for c in doc["components"]}
    names[doc["metadata"]["component"]["bom-ref"]] = "ROOT"
    return {
        names[d["ref"]]: sorted(names[r] for r in d.get("dependsOn", []))
        for d in doc["dependencies"]
    }


def test_the_graph_is_the_lockfiles_and_dev_only_components_are_excluded(tmp_path: Path) -> None:
    doc = document(project(tmp_path, uv_lock=UV_LOCK))
    # The root depends on its direct dependencies only, the dev group included (it is declared).
    assert graph(doc) == {
        "ROOT": ["pytest", "requests", "rfc8785"],
        "requests": ["idna"],
        "pytest": ["idna", "pluggy"],
        "idna": [],
        "pluggy": [],
        "rfc8785": [],
    }
    scopes = {c["name"]: c.get("scope", "required") for c in doc["components"]}
    # idna is shipped (requests needs it) although pytest needs it too; pluggy only for tests.
    assert scopes == {
        "requests": "required",
        "idna": "required",
        "rfc8785": "required",
        "pytest": "excluded",
        "pluggy": "excluded",
    }


def test_non_shipped_components_can_be_left_out(tmp_path: Path) -> None:
    config = PYPROJECT + '\n[tool.releasegate.sbom]\nnon-shipped = "omit"\n'
    doc = document(project(tmp_path, config, uv_lock=UV_LOCK))
    assert graph(doc) == {
        "ROOT": ["requests", "rfc8785"],
        "requests": ["idna"],
        "idna": [],
        "rfc8785": [],
    }


def test_git_dependency_carries_vcs_url(tmp_path: Path) -> None:
    doc = document(project(tmp_path, uv_lock=UV_LOCK))
    found = {c["name"]: c for c in doc["components"]}["rfc8785"]
    vcs = f"git+https://github.com/trailofbits/rfc8785.py@{'d' * 40}"
    from packageurl import PackageURL

    purl = PackageURL.from_string(found["purl"])
    assert (purl.name, purl.version, purl.qualifiers) == ("rfc8785", "0.1.4", {"vcs_url": vcs})
    assert found["externalReferences"] == [{"type": "vcs", "url": vcs}]


def test_tools_name_releasegate(tmp_path: Path) -> None:
    from releasegate import __version__

    doc = document(project(tmp_path, uv_lock=UV_LOCK))
    tools = doc["metadata"]["tools"]["components"]
    assert {"type": "application", "name": "releasegate", "version": __version__} in [
        {k: t[k] for k in ("type", "name", "version") if k in t} for t in tools
    ]


def test_project_pinned_in_its_own_lockfile_gives_the_same_sbom(tmp_path: Path) -> None:
    # pip-compile of `-e .` or a requirements export can pin the project itself: that is the
    # root, not a second component (whose duplicate bom-ref cyclonedx renamed at random).
    lock = f"demo-app==1.2.0\nidna==3.10 --hash=sha256:{SHA}\n"
    root = project(tmp_path, requirements_txt=lock)
    first = document(root)
    second = document(root)
    assert first == second
    assert [c["name"] for c in first["components"]] == ["idna"]


def test_dynamic_version_comes_from_the_version_source(tmp_path: Path) -> None:
    pyproject = (
        '[project]\nname = "demo-app"\ndynamic = ["version"]\ndependencies = []\n'
        '[tool.hatch.version]\npath = "demo_app.py"\n'
    )
    root = project(tmp_path, pyproject, requirements_txt="idna==3.10\n")
    (root / "demo_app.py").write_text('__version__ = "2.3.4"\n', encoding="utf-8")
    assert document(root)["metadata"]["component"]["version"] == "2.3.4"


def test_dynamic_version_from_a_git_tag(make_repo: Callable[..., GitRepo]) -> None:
    pyproject = (
        '[project]\nname = "demo-app"\ndynamic = ["version"]\n'
        '[tool.hatch.version]\nsource = "vcs"\n'
    )
    repo = make_repo(
        {"pyproject.toml": pyproject, "requirements.txt": "idna==3.10\n"}, tag="v3.1.0"
    )
    assert document(repo.root)["metadata"]["component"]["version"] == "3.1.0"


def test_a_version_too_long_for_cyclonedx_fails_and_writes_nothing(tmp_path: Path) -> None:
    version = "1." + "1" * 1100
    root = project(tmp_path, requirements_txt=f"idna=={version}\n")
    code, out, err = run(root)
    assert code == 1, err
    assert "longer than CycloneDX's 1024 characters" in out
    assert not (root / "sbom.cdx.json").exists()


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-5", "soon", "1e9"])
def test_a_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, epoch: str) -> None:
    root = project(tmp_path, requirements_txt="idna==3.10\n")
    code, _, err = run(root, epoch=epoch)
    assert code == 2, err
    assert "SOURCE_DATE_EPOCH" in err
    assert not (root / "sbom.cdx.json").exists()


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("uv.lock", 'version = 1\n[[package]]\nname = ""\nversion = "1.0"\n'),
        (
            "poetry.lock",
            '[[package]]\nname = ""\nversion = "1.0"\n[metadata]\nlock-version = "2.1"\n',
        ),
    ],
)
def test_an_empty_package_name_is_a_finding(tmp_path: Path, name: str, text: str) -> None:
    root = project(tmp_path)
    (root / name).write_text(text, encoding="utf-8")
    code, out, err = run(root)
    assert code == 1, err
    assert "empty package name" in out + err


@pytest.mark.parametrize("configured", ["../outside.json", "ABSOLUTE"])
def test_configured_output_outside_the_project_is_refused(tmp_path: Path, configured: str) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    configured = configured.replace("ABSOLUTE", str(tmp_path / "outside.json"))
    config = PYPROJECT + f'\n[tool.releasegate.sbom]\noutput = "{configured}"\n'
    project(root, config, uv_lock=UV_LOCK)
    code, _, err = run(root)
    assert code == 2
    assert "[tool.releasegate.sbom] output" in err
    assert "outside the project" in err
    assert not (tmp_path / "outside.json").exists()


def test_configured_output_through_a_committed_symlink_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    config = PYPROJECT + '\n[tool.releasegate.sbom]\noutput = "out/bashrc"\n'
    project(root, config, uv_lock=UV_LOCK)
    code, _, err = run(root)
    assert code == 2, err
    assert not (tmp_path / "bashrc").exists()


def test_output_given_on_the_command_line_may_be_anywhere(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    project(root, uv_lock=UV_LOCK)
    code, _, err = run(root, "--output", str(tmp_path / "elsewhere.json"))
    assert code == 0, err
    validate((tmp_path / "elsewhere.json").read_text(encoding="utf-8"))


def test_configured_lockfile_outside_the_project_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "requirements.txt").write_text("idna==3.10\n", encoding="utf-8")
    project(root, PYPROJECT + '\n[tool.releasegate.sbom]\nlockfile = "../requirements.txt"\n')
    code, _, err = run(root)
    assert code == 2
    assert "[tool.releasegate.sbom] lockfile" in err
