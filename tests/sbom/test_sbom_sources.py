"""What the SBOM knows about each component: its license and its known vulnerabilities.

Licenses come from each locked version's own metadata, read as the license gate reads it
(tests/license_support.py's loopback index: the packages are not installed); offline, only
the cache or exactly the installed version, never another installed version's.
Vulnerabilities come from an OSV database (tests/vulns_support.py's real advisories)
matched against real lockfiles.
"""

from __future__ import annotations

import json
import shutil
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import run_cli
from tests.license_support import license_index
from tests.sbom.test_sbom import installed, validate
from tests.vulns_support import EXPECTED_UV, FIXTURES, write_database

if TYPE_CHECKING:
    from pathlib import Path

    from tests.license_support import Index

__all__ = ["license_index"]
pytestmark = pytest.mark.slow  # real CLI runs, a loopback index, CycloneDX's schema

LOCKED = ("rg-permissive", "rg-child", "rg-vague", "rg-nometa", "rg-sdistonly", "rg-copyleft")


def project(root: Path, index: Index, extra: str = "") -> Path:
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["rg-permissive"]\n\n'
        f'[tool.releasegate.license]\nindex-url = "{index.url}"\n{extra}',
        encoding="utf-8",
    )
    lines = [f"{name}==1.0 --hash=sha256:{index.hashes[name]}" for name in LOCKED]
    (root / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def sbom(
    root: Path, cache: Path, *args: str, env: dict[str, str] | None = None
) -> tuple[int, dict[str, Any], str]:
    hermetic = {"SOURCE_DATE_EPOCH": "1700000000", "RELEASEGATE_CACHE_DIR": str(cache)}
    completed = run_cli("sbom", "--output", "-", *args, cwd=root, env={**hermetic, **(env or {})})
    if completed.returncode != 0:
        return completed.returncode, {}, completed.stderr
    validate(completed.stdout)
    return 0, json.loads(completed.stdout), completed.stderr


def licenses(document: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {c["name"]: c.get("licenses", []) for c in document["components"]}


EXPECTED = {
    "rg-permissive": [{"expression": "MIT"}],  # License-Expression, from the metadata file
    "rg-child": [{"expression": "MIT"}],  # the MIT classifier
    "rg-vague": [{"license": {"name": "BSD License"}}],  # no single SPDX license: a name
    "rg-nometa": [{"expression": "MIT"}],  # License: MIT License, from the downloaded wheel
    "rg-sdistonly": [{"expression": "0BSD"}],  # from the locked sdist's PKG-INFO
    "rg-copyleft": [{"expression": "GPL-3.0-only"}],
}


def test_licenses_come_from_the_locked_versions_metadata_then_the_cache(
    tmp_path: Path, license_index: Index
) -> None:
    (tmp_path / "p").mkdir()
    root = project(tmp_path / "p", license_index)
    code, document, _ = sbom(root, tmp_path / "cache")
    assert code == 0
    assert licenses(document) == EXPECTED
    # A warm cache answers offline, and gives the same document.
    asked = len(license_index.requests)
    code, offline, _ = sbom(root, tmp_path / "cache", "--offline")
    assert (code, offline) == (0, document)
    assert len(license_index.requests) == asked, "offline must not ask the index"


def test_several_license_classifiers_are_all_named() -> None:
    # docutils 0.23 declares three classifiers and no License-Expression (cyclonedx-py lists all).
    from releasegate._internal.metadata.depmeta import LicenseFields
    from releasegate._internal.sbom.licenses import ComponentLicense, component_license

    classifiers = (
        "License :: OSI Approved :: BSD License",
        "License :: OSI Approved :: GNU General Public License (GPL)",
        "License :: Public Domain",
    )
    found = component_license(LicenseFields(None, None, classifiers, "the index's metadata file"))
    assert found == ComponentLicense(
        None, ("BSD License", "GNU General Public License (GPL)", "Public Domain")
    )


def test_offline_never_takes_another_installed_versions_license(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, license_index: Index
) -> None:
    (tmp_path / "p").mkdir()
    root = project(tmp_path / "p", license_index)
    site = tmp_path_factory.mktemp("site")
    # rg-copyleft 2.0 is installed under another license; 1.0 is locked.
    env = installed(site, "rg-copyleft", "2.0", "Apache-2.0")
    installed(site, "rg-child", "1.0", "ISC")  # exactly the locked version
    code, document, err = sbom(root, tmp_path / "cold", "--offline", env=env)
    assert code == 0, err
    found = licenses(document)
    assert found["rg-copyleft"] == []
    assert found["rg-child"] == [{"expression": "ISC"}]
    assert "5 component(s) carry no license" in err
    # Online, the locked version's own metadata: not the installed 2.0's.
    code, document, err = sbom(root, tmp_path / "cold", env=env)
    assert code == 0, err
    assert licenses(document)["rg-copyleft"] == [{"expression": "GPL-3.0-only"}]


def test_an_unreachable_index_is_a_warning_not_a_guess(
    tmp_path: Path, license_index: Index
) -> None:
    (tmp_path / "p").mkdir()
    root = project(tmp_path / "p", license_index)
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    dead = text.replace(license_index.url, "http://127.0.0.1:9/simple/")
    (root / "pyproject.toml").write_text(dead, encoding="utf-8")
    code, document, err = sbom(root, tmp_path / "cache")
    assert code == 0, err
    assert all(value == [] for value in licenses(document).values())
    assert "warning: 6 component(s) carry no license" in err
    assert "cannot be reached" in err


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_database(tmp_path_factory.mktemp("osv"))


def vulnerable(root: Path) -> Path:
    for name in ("pyproject.toml", "requirements.txt"):
        shutil.copy(FIXTURES / name, root / name)
    return root


def test_vulnerabilities_of_the_pins_are_listed(tmp_path: Path, database: Path) -> None:
    (tmp_path / "p").mkdir()
    root = vulnerable(tmp_path / "p")
    code, document, err = sbom(root, tmp_path / "cache", "--offline", "--database", str(database))
    assert code == 0, err
    refs = {c["bom-ref"]: (c["name"], c["version"]) for c in document["components"]}
    listed = {}
    for entry in document["vulnerabilities"]:
        (target,) = entry["affects"]
        name, version = refs[target["ref"]]
        assert target["versions"] == [{"version": version, "status": "affected"}]
        assert entry["source"]["url"] == f"https://osv.dev/vulnerability/{entry['id']}"
        listed[(name, entry["id"])] = entry
    expected = {(name, ids.split(" / ")[0]): fixed for (name, ids), fixed in EXPECTED_UV.items()}
    assert set(listed) == set(expected)
    for key, fixed in expected.items():
        assert listed[key]["recommendation"] == f"upgrade {key[0]} to {fixed} or later"
    leak = listed[("requests", "GHSA-j8r2-6x86-q33q")]
    # CycloneDX's method names the CVSS version; the vector goes without its prefix.
    assert leak["ratings"] == [
        {
            "score": 6.1,
            "severity": "medium",
            "method": "CVSSv31",
            "vector": "AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N",
        }
    ]
    references = {r["id"] for r in leak["references"]}
    assert references == {"PYSEC-2023-74", "CVE-2023-32681"}
    # Same lockfile, same database: the same document.
    assert sbom(root, tmp_path / "cache", "--offline", "--database", str(database))[1] == document


def test_configured_database_and_no_database(tmp_path: Path, database: Path) -> None:
    (tmp_path / "p").mkdir()
    root = vulnerable(tmp_path / "p")
    code, document, err = sbom(root, tmp_path / "cache", "--offline")
    assert code == 0, err
    assert "vulnerabilities" not in document  # no source configured: none claimed, none asked
    with (root / "pyproject.toml").open("a", encoding="utf-8") as stream:
        stream.write(f'\n[tool.releasegate.vulns]\ndatabase = "{database}"\n')
    code, document, err = sbom(root, tmp_path / "cache", "--offline")
    assert code == 0, err
    assert len(document["vulnerabilities"]) == len(EXPECTED_UV)


def test_an_unreadable_database_writes_no_sbom(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    root = vulnerable(tmp_path / "p")
    (tmp_path / "empty").mkdir()
    code, _, err = sbom(
        root, tmp_path / "cache", "--offline", "--database", str(tmp_path / "empty")
    )
    assert code == 1
    assert "holds no OSV records" in err
    assert "no SBOM written" in err
