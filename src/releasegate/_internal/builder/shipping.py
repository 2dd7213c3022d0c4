"""What ships: the reference build of a verification, moved to ``dist/`` with its record.

``releasegate build`` and ``build --verify`` ship the artifacts built in a clean copy of the
git-tracked files under the first build's conditions (path, umask, TZ, HOME, locale, hash seed,
``SOURCE_DATE_EPOCH``), never a build of the working tree: an untracked file or a stale
``build/lib`` must not reach what ships while the gate passed on other bytes (issue 16).
Beside ``SHA256SUMS`` goes ``BUILDINFO.json``: the conditions a third party needs to rebuild
the wheel from the sdist (``releasegate rebuild``).
"""

from __future__ import annotations

import json
import platform
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.builder.conditions import reference
from releasegate._internal.builder.pep517 import (
    BuildEnvironment,
    epoch_environment,
    write_sha256sums,
)
from releasegate._internal.builder.sources import prepare_copy, source_files
from releasegate._internal.errors import FatalError
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.builder.conditions import Conditions
    from releasegate._internal.builder.pep517 import Distribution, Installer

BUILDINFO_FILE = "BUILDINFO.json"
BUILDINFO_FORMAT = 1


@dataclass(frozen=True)
class BuildRecord:
    """The conditions of the build that ships, as ``BUILDINFO.json`` records them."""

    source_date_epoch: int | None
    build_system: dict[str, Any]
    """``[build-system]`` of the built source: ``requires`` and ``build-backend``."""
    environment: dict[str, str]
    """Every distribution installed in the build environment, with its version."""
    python: str = field(default_factory=platform.python_version)
    conditions: dict[str, str] = field(default_factory=dict)
    """The process conditions the build ran under (umask, TZ, LANG, PYTHONHASHSEED): a backend
    may record some of them (setuptools copies file modes, so the umask), and ``rebuild`` runs
    under the same ones."""
    stamped: tuple[str, ...] = ()
    """The sdists releasegate stamped with SOURCE_DATE_EPOCH (``sdisttimes.py``)."""

    def as_json(self, artifacts: Sequence[Path]) -> dict[str, Any]:
        from releasegate._internal.builder.sdisttimes import STAMPED

        names = {path.name for path in artifacts}
        return {
            "format": BUILDINFO_FORMAT,
            "source_date_epoch": self.source_date_epoch,
            "conditions": self.conditions,
            "normalised": {name: STAMPED for name in self.stamped if name in names},
            "build_system": self.build_system,
            "environment": self.environment,
            "python": self.python,
            "artifacts": {path.name: sha256_file(path) for path in artifacts},
        }


def artifact_version(name: str) -> str | None:
    """The normalised version in an sdist's or a wheel's file name (None for another file)."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    try:
        if name.endswith(".whl"):
            return str(parse_wheel_filename(name)[1])
        return str(parse_sdist_filename(name)[1])
    except (InvalidSdistFilename, InvalidWheelFilename):
        return None


def carries(built: Sequence[Path], version: str | None) -> bool:
    """Whether every artifact carries ``version`` (always, when no version is expected)."""
    return version is None or all(artifact_version(p.name) in (None, version) for p in built)


def build_system_of(tree: Path) -> dict[str, Any]:
    """``[build-system]`` of ``tree``'s pyproject.toml ({} when there is none or it is unreadable)."""
    from releasegate._internal.errors import TomlError
    from releasegate._internal.tomldoc import read_toml

    if not (tree / "pyproject.toml").is_file():
        return {}
    try:
        system = read_toml(tree / "pyproject.toml").get("build-system")
    except TomlError:
        return {}
    if not isinstance(system, dict):
        return {}
    return {k: system[k] for k in ("requires", "build-backend", "backend-path") if k in system}


def record_of(
    environment: BuildEnvironment, conditions: Conditions, epoch: dict[str, str]
) -> BuildRecord:
    value = epoch.get("SOURCE_DATE_EPOCH")
    return BuildRecord(
        int(value) if value and value.isdigit() else None,
        build_system_of(conditions.tree),
        environment.installed(),
        conditions=recorded_conditions(conditions),
        stamped=tuple(environment.stamped),
    )


def recorded_conditions(conditions: Conditions) -> dict[str, str]:
    """What ``BUILDINFO.json`` says of the process a build ran in."""
    return {
        "umask": f"{conditions.layout.umask:03o}",
        "TZ": conditions.tz,
        "LANG": conditions.locale,
        "PYTHONHASHSEED": conditions.hashseed,
    }


def ship(built: Sequence[Path], outdir: Path, record: BuildRecord) -> list[Path]:
    """Copy ``built`` into ``outdir`` with ``SHA256SUMS`` and ``BUILDINFO.json``.

    Nothing is written when the one archive reader finds a problem in any of them: what a
    backend writes is checked as hostile input, like any other archive (issue 21).
    """
    from releasegate._internal.archives import refuse_unsafe

    refuse_unsafe(built, f"nothing was written to {outdir}")
    outdir.mkdir(parents=True, exist_ok=True)
    shipped = [Path(shutil.copy2(path, outdir / path.name)) for path in built]
    write_sha256sums(outdir, shipped)
    target = outdir / BUILDINFO_FILE
    partial = target.with_name(BUILDINFO_FILE + ".partial")
    text = json.dumps(record.as_json(shipped), indent=2, sort_keys=True) + "\n"
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return shipped


@dataclass(frozen=True)
class CleanBuild:
    """How ``releasegate build`` builds (the reproducible gate's settings)."""

    isolated: bool = True
    installer: Installer = "auto"
    source_date_epoch: int | None = None
    set_epoch: bool = True
    history: bool = False
    expected_version: str | None = None
    """Refuse to ship artifacts that carry another (normalised) version."""


class WrongVersion(FatalError):
    """The artifacts carry another version than the project states; nothing was shipped."""


def build_clean(
    source: Path,
    outdir: Path,
    dists: Sequence[Distribution] = ("sdist", "wheel"),
    how: CleanBuild | None = None,
    output: list[str] | None = None,
) -> list[Path]:
    """Build ``dists`` of a clean copy of ``source`` as the gate's first build does; ship them.

    ``output`` receives what the backend printed (also when it fails).
    """
    chosen = how or CleanBuild()
    files, _ = source_files(source)
    epoch = epoch_environment(source, chosen.source_date_epoch, set_epoch=chosen.set_epoch)
    with tempfile.TemporaryDirectory(prefix="releasegate-build-") as tmp:
        conditions = reference(Path(tmp))
        prepare_copy(source, files, conditions.tree, conditions.layout, chosen.history)
        conditions.home.mkdir(parents=True, exist_ok=True)
        settings = conditions.settings(epoch, chosen.set_epoch)
        if output is not None:
            settings = replace(settings, log=output)
        with BuildEnvironment(isolated=chosen.isolated, installer=chosen.installer) as environment:
            environment.prepare(conditions.tree, settings)
            out = Path(tmp) / "out"
            built = [environment.build(conditions.tree, dist, out, settings) for dist in dists]
            record = record_of(environment, conditions, epoch)
        if not carries(built, chosen.expected_version):
            names = ", ".join(p.name for p in built)
            raise WrongVersion(
                f"{names}: not version {chosen.expected_version}, which the project states;"
                f" nothing was written to {outdir}",
                hint="a version from VCS tags was not seen by the backend, or a version file is "
                "stale: build from a clone with its tags and check the version configuration",
            )
        return ship(built, outdir, record)
