"""The rebuilder's job: rebuild a published wheel from its published sdist, and compare.

The conditions come from ``BUILDINFO.json`` (``releasegate build`` writes it beside
``SHA256SUMS``): ``SOURCE_DATE_EPOCH`` and every distribution of the build environment. Without
it they are read from the artifacts: the backend and its version from the wheel's ``WHEEL``
``Generator`` line, ``SOURCE_DATE_EPOCH`` from the sdist's member times (backends that honour it
stamp every member with it). The rebuild runs under the gate's reference conditions (umask 022,
TZ=UTC0, C.UTF-8, PYTHONHASHSEED=0) and a difference gets the same classified explanation.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.archives import Limits, read_archive
from releasegate._internal.builder.conditions import reference
from releasegate._internal.builder.diff import CHECK, Comparison, explain
from releasegate._internal.builder.pep517 import BuildEnvironment, backend_output
from releasegate._internal.builder.shipping import BUILDINFO_FILE, build_system_of
from releasegate._internal.builder.unpack import UnsafeArchive, extract_sdist
from releasegate._internal.errors import FatalError
from releasegate._internal.findings import Finding
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from releasegate._internal.archives import Archive
    from releasegate._internal.builder.pep517 import Installer

_GENERATOR = re.compile(r"^Generator:\s*(?P<name>[A-Za-z0-9._-]+)\s*\(?(?P<version>[0-9][^\s)]*)")
_GENERATOR_DISTS = {"bdist_wheel": "wheel", "flit": "flit_core"}
"""Generators named after a command or a tool rather than the distribution that wrote the wheel:
flit-core writes ``Generator: flit 3.10.1`` (flask 3.1.0), and flit and flit-core share versions.
Without the mapping the backend went unpinned and the rebuild differed in METADATA and WHEEL."""


@dataclass(frozen=True)
class RebuildConditions:
    """What the rebuild pins, and where each value came from."""

    source_date_epoch: int | None
    pins: dict[str, str] = field(default_factory=dict)
    said: tuple[str, ...] = ()


@dataclass(frozen=True)
class RebuildOptions:
    isolated: bool = True
    installer: Installer = "auto"
    buildinfo: Path | None = None
    """None: ``BUILDINFO.json`` beside the wheel, if there is one."""
    source_date_epoch: int | None = None
    """Overrides the recorded or inferred value."""
    keep: Path | None = None
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class RebuildResult:
    published: str
    rebuilt: str
    """sha256 of the published and of the rebuilt wheel."""
    findings: tuple[Finding, ...]
    conditions: RebuildConditions
    name: str = ""
    """The published wheel's file name."""
    output: str = ""
    """What the backend printed (shown only on request)."""

    @property
    def reproduced(self) -> bool:
        return self.published == self.rebuilt

    def data(self) -> dict[str, object]:
        """The verdict as fields, shaped as the reproducible gate's artifacts."""
        return {
            "kind": "wheel",
            "name": self.name,
            "identical": self.reproduced,
            "builds": [
                {"label": "published", "sha256": self.published},
                {"label": "rebuilt", "sha256": self.rebuilt},
            ],
        }


def _read_buildinfo(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FatalError(f"{path}: cannot read the build record: {exc}") from None
    if not isinstance(data, dict):
        raise FatalError(f"{path}: a build record is a JSON object")
    return data


def _generator(wheel: Archive) -> tuple[str, str] | None:
    """The backend distribution and version from ``*.dist-info/WHEEL``'s Generator line."""
    for member in wheel.members:
        if member.name.endswith(".dist-info/WHEEL") and member.content is not None:
            for line in member.content.decode("utf-8", "replace").splitlines():
                match = _GENERATOR.match(line)
                if match:
                    name = match["name"]
                    return _GENERATOR_DISTS.get(name, name), match["version"]
    return None


def _epoch_of(sdist: Archive) -> int | None:
    """The member time most members share: what a backend honouring SOURCE_DATE_EPOCH wrote."""
    times = Counter(m.mtime for m in sdist.members if m.kind == "file")
    if not times:
        return None
    value, _ = times.most_common(1)[0]
    return int(float(value)) if value.replace(".", "", 1).isdigit() else None


def conditions_of(
    sdist: Archive, wheel: Archive, options: RebuildOptions, requires: list[str]
) -> RebuildConditions:
    info_path = options.buildinfo or wheel.path.parent / BUILDINFO_FILE
    said: list[str] = []
    pins: dict[str, str] = {}
    epoch: int | None = None
    if options.buildinfo is not None or info_path.is_file():
        info = _read_buildinfo(info_path)
        recorded = info.get("source_date_epoch")
        epoch = recorded if isinstance(recorded, int) else None
        environment = info.get("environment")
        if isinstance(environment, dict):
            pins = {str(k): str(v) for k, v in environment.items() if k not in ("pip",)}
        said.append(f"conditions from {info_path}")
    else:
        generator = _generator(wheel)
        names = {_name(r) for r in requires}
        if generator is not None and _name(generator[0]) in names:
            pins[generator[0]] = generator[1]
            said.append(f"backend {generator[0]}=={generator[1]} from the wheel's Generator line")
        epoch = _epoch_of(sdist)
        said.append("SOURCE_DATE_EPOCH from the sdist's member times (no BUILDINFO.json)")
    if options.source_date_epoch is not None:
        epoch = options.source_date_epoch
        said.append("SOURCE_DATE_EPOCH given on the command line")
    said.append(f"SOURCE_DATE_EPOCH={epoch}" if epoch is not None else "SOURCE_DATE_EPOCH unset")
    return RebuildConditions(epoch, pins, tuple(said))


def _name(requirement: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return canonicalize_name(requirement)


def rebuild(sdist: Path, wheel: Path, options: RebuildOptions | None = None) -> RebuildResult:
    """Rebuild ``wheel`` from ``sdist`` under the recorded conditions and explain any difference."""
    chosen = options or RebuildOptions()
    published_sdist = _safe(read_archive(sdist, chosen.limits))
    published = _safe(read_archive(wheel, chosen.limits))
    with tempfile.TemporaryDirectory(prefix="releasegate-rebuild-") as tmp:
        work = Path(tmp)
        try:
            tree = extract_sdist(sdist, work / "sdist", chosen.limits)
        except UnsafeArchive as unsafe:
            raise FatalError(f"refusing to unpack {unsafe}") from None
        requires = build_system_of(tree).get("requires") or ["setuptools>=40.8.0"]
        conditions = conditions_of(published_sdist, published, chosen, list(requires))
        log: list[str] = []
        rebuilt = _build(tree, work, chosen, conditions, log)
        findings = _compare(published, read_archive(rebuilt, chosen.limits))
        if chosen.keep is not None:
            import shutil

            chosen.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(rebuilt, chosen.keep / rebuilt.name)
        digest = sha256_file(rebuilt)
    return RebuildResult(
        sha256_file(wheel), digest, tuple(findings), conditions, wheel.name, backend_output(log)
    )


def _safe(archive: Archive) -> Archive:
    if archive.problems:
        problems = "; ".join(p.message for p in archive.problems)
        raise FatalError(f"refusing to read {archive.path.name}: {problems}")
    return archive


def _build(
    tree: Path,
    work: Path,
    options: RebuildOptions,
    conditions: RebuildConditions,
    log: list[str],
) -> Path:
    place = reference(work)
    place.home.mkdir(parents=True, exist_ok=True)
    epoch = (
        {"SOURCE_DATE_EPOCH": str(conditions.source_date_epoch)}
        if conditions.source_date_epoch is not None
        else {}
    )
    settings = replace(place.settings(epoch, set_epoch=bool(epoch)), log=log)
    with BuildEnvironment(isolated=options.isolated, installer=options.installer) as environment:
        environment.pin(conditions.pins)
        environment.prepare(tree, settings)
        return environment.build(tree, "wheel", work / "out", settings)


def _compare(published: Archive, rebuilt: Archive) -> list[Finding]:
    labels = ("published", "rebuilt")
    a, b = sha256_file(published.path), sha256_file(rebuilt.path)
    name = published.path.name
    if a == b:
        return [
            Finding(
                CHECK, "reproduced", f"wheel {name}: rebuilt from the sdist, identical (sha256 {a})"
            )
        ]
    verdict = Finding(
        CHECK,
        "not-reproduced",
        f"wheel {name}: the rebuild differs (published sha256 {a}, rebuilt sha256 {b})",
        hint="the findings below say what differs; a content difference under the recorded "
        "conditions means the published wheel was not built from this sdist",
    )
    return [verdict, *explain(Comparison("wheel", published, rebuilt, labels))]
