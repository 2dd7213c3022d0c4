"""CycloneDX 1.6 SBOMs from pinned lockfiles, validated against the shipped schema."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any

import pytest

from releasegate._internal.sbom.pins import read_pins
from tests.conftest import run_cli

if TYPE_CHECKING:
    from pathlib import Path

SHA_A = "a" * 64
SHA_B = "b" * 64
SHA_C = "c" * 64
PYPROJECT = '[project]\nname = "Demo_App"\nversion = "1.2.0"\nlicense = "MIT OR Apache-2.0"\n'
REQUIREMENTS = f"""\
# pinned by pip-compile
requests==2.34.2 \\
    --hash=sha256:{SHA_A} \\
    --hash=sha256:{SHA_B}
licensed-demo==3.1.4 --hash=sha256:{SHA_C}  # installed by the test, see installed()
--index-url https://pypi.org/simple
Some.Thing[extra]==0.1.0 ; python_version >= "3.10" --hash=sha256:{SHA_A}
"""
PYLOCK = f"""\
lock-version = "1.0"
created-by = "test"

[[packages]]
name = "requests"
version = "2.34.2"
[[packages.wheels]]
name = "requests-2.34.2-py3-none-any.whl"
url = "https://files.example/requests-2.34.2-py3-none-any.whl"
hashes = {{sha256 = "{SHA_A}"}}
[packages.sdist]
name = "requests-2.34.2.tar.gz"
url = "https://files.example/requests-2.34.2.tar.gz"
hashes = {{sha256 = "{SHA_B}", sha512 = "{"d" * 128}"}}

[[packages]]
name = "local-thing"
[packages.directory]
path = "./vendor/local-thing"
"""


def validate(text: str) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    assert error is None, str(error)[:2000]


def sbom(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[dict[str, Any], str]:
    # Offline, with a cache of its own: licenses from installed metadata only (hermetic).
    cache = str(root.parent / f"{root.name}-cache")
    hermetic = {"SOURCE_DATE_EPOCH": "1700000000", "RELEASEGATE_CACHE_DIR": cache}
    completed = run_cli("sbom", "--offline", *args, cwd=root, env={**hermetic, **(env or {})})
    text = (root / "sbom.cdx.json").read_text(encoding="utf-8")
    validate(text)
    return json.loads(text), completed.stdout + completed.stderr


def installed(site: Path, name: str, version: str, license_expression: str) -> dict[str, str]:
    """An installed distribution whose version the test controls (no third-party release can
    change it): its metadata in ``site``, and the environment that puts ``site`` on the path."""
    dist_info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.4\nName: {name}\nVersion: {version}\n"
        f"License-Expression: {license_expression}\n",
        encoding="utf-8",
    )
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path}


def components(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in document["components"]}


def test_requirements_sbom_is_valid_cyclonedx_with_root_and_pins(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    site = tmp_path_factory.mktemp("site")
    env = installed(site, "licensed-demo", "3.1.4", "0BSD OR Unlicense")
    document, output = sbom(tmp_path, env=env)
    assert "3 component(s)" in output
    assert document["specVersion"] == "1.6"
    root = document["metadata"]["component"]
    assert (root["name"], root["version"], root["purl"]) == (
        "Demo_App",
        "1.2.0",
        "pkg:pypi/demo-app@1.2.0",
    )
    assert root["licenses"] == [{"expression": "MIT OR Apache-2.0"}]
    found = components(document)
    assert set(found) == {"requests", "licensed-demo", "some-thing"}
    assert found["requests"]["purl"] == "pkg:pypi/requests@2.34.2"
    assert [h["content"] for h in found["requests"]["hashes"]] == [SHA_A, SHA_B]
    assert found["some-thing"]["purl"] == "pkg:pypi/some-thing@0.1.0"
    # Exactly the locked version is installed, so its license is known from its metadata.
    assert found["licensed-demo"]["licenses"] == [{"expression": "0BSD OR Unlicense"}]
    depends = {d["ref"]: d.get("dependsOn", []) for d in document["dependencies"]}
    assert sorted(depends["pkg:pypi/demo-app@1.2.0"]) == sorted(
        c["bom-ref"] for c in found.values()
    )


def test_pylock_sbom_collects_wheel_and_sdist_hashes(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "pylock.toml").write_text(PYLOCK, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text("ignored==1.0\n", encoding="utf-8")
    document, output = sbom(tmp_path)
    found = components(document)
    assert set(found) == {"requests", "local-thing"}
    algorithms = sorted((h["alg"], h["content"][:1]) for h in found["requests"]["hashes"])
    assert algorithms == [("SHA-256", "a"), ("SHA-256", "b"), ("SHA-512", "d")]
    assert "version" not in found["local-thing"]
    assert "pylock.toml:16: warning: local-thing is not pinned" in output


def test_same_lockfile_gives_the_same_sbom(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "requirements.txt").write_text(REQUIREMENTS, encoding="utf-8")
    first, _ = sbom(tmp_path)
    second, _ = sbom(tmp_path)
    assert first == second
    assert first["metadata"]["timestamp"].startswith("2023-11-14T22:13:20")


def test_lockfile_problems_are_findings_with_lines_and_no_sbom(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "requirements-dev.txt").write_text(
        f"ok==1.0 --hash=sha256:{SHA_A}\nloose>=2\nthis is not a requirement\n", encoding="utf-8"
    )
    completed = run_cli("sbom", "--output", "-", "--lockfile", "requirements-dev.txt", cwd=tmp_path)
    assert completed.returncode == 1
    # An SBOM of a lockfile read only in part would claim less than is shipped.
    assert completed.stdout == ""
    assert "no SBOM written" in completed.stderr
    assert "requirements-dev.txt:2: warning: loose is not pinned" in completed.stderr
    assert "requirements-dev.txt:3: error: not a requirement" in completed.stderr


def test_no_lockfile_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    completed = run_cli("sbom", cwd=tmp_path)
    assert completed.returncode == 2
    assert "no lockfile" in completed.stderr


def test_malformed_pylock_is_a_finding(tmp_path: Path) -> None:
    path = tmp_path / "pylock.toml"
    path.write_text(
        'lock-version = "1.0"\ncreated-by = 3\n[[packages]]\nname = "x"\n', encoding="utf-8"
    )
    pins = read_pins(tmp_path, "pylock.toml")
    assert [f.rule for f in pins.problems] == ["lockfile-unreadable"]
    path.write_text("[[packages]\n", encoding="utf-8")
    assert "not valid TOML" in read_pins(tmp_path, "pylock.toml").problems[0].message


@pytest.mark.parametrize("name", ["pylock.toml", "requirements.txt"])
def test_unreadable_lockfile_bytes_are_a_finding(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\xff\xfe\x00 not utf-8")
    assert read_pins(tmp_path, name).problems[0].rule == "lockfile-unreadable"
