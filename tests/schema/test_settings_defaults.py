"""The JSON Schema is the one source of defaults: typed settings must not drift from it.

``mutable-labels`` once had 8 entries in the schema and 3 in ``SemverSettings``
(issue 12); these tests walk every section of the schema so the next drift fails here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pytest

from releasegate._internal.api.settings import ApiSettings
from releasegate._internal.artifacts import ManifestSettings
from releasegate._internal.builder.settings import ReproducibleSettings
from releasegate._internal.config import load
from releasegate._internal.governance.policy import Policy
from releasegate._internal.lockfiles.settings import LockfileSettings
from releasegate._internal.metadata.licensepolicy import LicenseSettings
from releasegate._internal.metadata.settings import MetadataSettings
from releasegate._internal.promote.settings import PromoteSettings
from releasegate._internal.publish.settings import PublishSettings, RegistrySpec, registry_specs
from releasegate._internal.releases import SemverSettings
from releasegate._internal.sbom.run import SbomSettings
from releasegate._internal.schema import config_schema
from releasegate._internal.sign.settings import SignSettings, VerifySettings
from releasegate._internal.vulns.settings import VulnsSettings

if TYPE_CHECKING:
    from pathlib import Path

# Every section of the schema and the typed settings built from it. A new section
# without an entry here fails test_every_section_has_typed_settings.
SETTINGS: dict[str, type[Any]] = {
    "api": ApiSettings,
    "governance": Policy,
    "license": LicenseSettings,
    "lockfile": LockfileSettings,
    "manifest": ManifestSettings,
    "metadata": MetadataSettings,
    "publish": PublishSettings,
    "promote": PromoteSettings,
    "registries": RegistrySpec,
    "reproducible": ReproducibleSettings,
    "sbom": SbomSettings,
    "semver": SemverSettings,
    "sign": SignSettings,
    "verify": VerifySettings,
    "vulns": VulnsSettings,
}


def _section_schema(section: str) -> dict[str, Any]:
    schema: dict[str, Any] = config_schema()["properties"][section]
    return schema["items"] if schema.get("type") == "array" else schema


def _defaults(section: str) -> dict[str, Any]:
    properties = _section_schema(section)["properties"]
    return {key: sub["default"] for key, sub in properties.items() if "default" in sub}


def _same(value: object, default: object) -> bool:
    """A typed value equals a JSON default (tuples for arrays, frozensets for sets)."""
    if default in ([], {}):
        return isinstance(value, (tuple, frozenset, Mapping)) and not value  # any empty collection
    if isinstance(value, (set, frozenset)) and isinstance(default, list):
        return value == set(default)
    if isinstance(value, tuple) and isinstance(default, list):
        return list(value) == default
    if isinstance(value, Mapping):
        return dict(value) == default
    return (value == default and type(value) is not bool) or value is default


def _field_key(name: str) -> str:
    return name.replace("_", "-")


def test_every_section_has_typed_settings() -> None:
    assert set(SETTINGS) == set(config_schema()["properties"]) - {
        "checks",
        "skip",
        "fail-on",
        "severity",
        "packages",
    }


@pytest.mark.parametrize("section", sorted(SETTINGS))
def test_settings_have_no_default_the_schema_lacks_or_contradicts(section: str) -> None:
    kind = SETTINGS[section]
    defaults = _defaults(section)
    drift = []
    for item in dataclasses.fields(kind):
        if item.default is not dataclasses.MISSING:
            value: object = item.default
        elif item.default_factory is not dataclasses.MISSING:
            value = item.default_factory()
        else:
            continue
        key = _field_key(item.name)
        if value is None and key not in defaults:
            continue  # an optional key without a default: None is "not given"
        if key not in defaults or not _same(value, defaults[key]):
            drift.append(f"{kind.__name__}.{item.name} = {value!r}, schema: {defaults.get(key)!r}")
    assert drift == []


@pytest.mark.parametrize("section", sorted(set(SETTINGS) - {"registries"}))
def test_settings_from_an_empty_config_are_the_schema_defaults(
    section: str, tmp_path: Path
) -> None:
    config = load(tmp_path)
    settings = config.settings(SETTINGS[section])
    assert config.settings(SETTINGS[section]) is settings  # built once per run, then shared
    defaults = _defaults(section)
    assert defaults, f"the {section} section has no defaults to compare"
    for key, default in defaults.items():
        assert _same(getattr(settings, key.replace("-", "_")), default), key
    keys = {_field_key(f.name) for f in dataclasses.fields(settings)}
    assert set(defaults) <= keys, "a schema default that no settings field carries"


def test_registry_tables_get_the_item_defaults(tmp_path: Path) -> None:
    (tmp_path / "releasegate.toml").write_text(
        '[[registries]]\nname = "d"\nkind = "directory"\nurl = "out"\n', encoding="utf-8"
    )
    (spec,) = registry_specs(load(tmp_path))
    for key, default in _defaults("registries").items():
        assert _same(getattr(spec, key.replace("-", "_")), default), key


def test_mutable_labels_come_from_the_schema(tmp_path: Path) -> None:
    settings = load(tmp_path).settings(SemverSettings)
    assert settings.mutable_labels == tuple(_defaults("semver")["mutable-labels"])
    assert "stable" in settings.mutable_labels


def test_every_index_setting_falls_back_to_the_job_s_pip_index_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", "https://mirror.example/simple/")
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\n[tool.releasegate.vulns]\nindex-url = "https://own/simple/"\n'
    )
    from releasegate._internal.project import Project

    config = Project(tmp_path).config
    assert config.settings(LicenseSettings).index_url == "https://mirror.example/simple/"
    assert config.settings(VulnsSettings).index_url == "https://own/simple/"
    monkeypatch.delenv("PIP_INDEX_URL")
    assert Project(tmp_path).config.settings(LicenseSettings).index_url is None
