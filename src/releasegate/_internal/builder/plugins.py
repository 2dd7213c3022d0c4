"""A release's VCS-version plugin, pinned as it was on the release's day (issue 31).

hatch-vcs and setuptools-scm write ``_version.py`` at build time, and their template changes
between releases (iniconfig, platformdirs, pluggy: 511 bytes then 520). The backend is pinned
from the wheel's ``Generator`` line, but nothing records the plugin: the rebuild takes the
newest version the index had when the release was uploaded (PEP 700 upload times), and says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from packaging.version import Version

    from releasegate._internal.simple_index import IndexFile

    IndexFiles = Callable[[str], "list[IndexFile]"]

VCS_PLUGINS = ("setuptools-scm", "hatch-vcs", "flit-scm")
"""Build requirements that write the version file; hatch-vcs and flit-scm write it through
setuptools-scm, so that one is pinned too."""
_THROUGH_SCM = ("hatch-vcs", "flit-scm")


def plugin_pins(
    requires: Sequence[str],
    wheel_name: str,
    project: str,
    files_of: IndexFiles,
    also: Sequence[str] = (),
) -> tuple[dict[str, str], list[str]]:
    """``{plugin: version}`` current when ``wheel_name`` was uploaded, and what was said.

    ``also``: other build requirements to date the same way (a backend no Generator pinned)."""
    named = {_name(r): r for r in requires}
    wanted = [p for p in VCS_PLUGINS if p in named and "==" not in named[p]]
    # hatch-vcs pinned by the project (urllib3 2.4.0: hatch-vcs==0.4.0) still leaves its
    # setuptools-scm free: the newest one writes another _version.py template.
    if any(p in named for p in _THROUGH_SCM) and "setuptools-scm" not in named:
        wanted.append("setuptools-scm")
    wanted.extend(name for name in also if name not in wanted)
    if not wanted:
        return {}, []
    try:
        released = _upload_time(files_of(project), wheel_name)
    except Exception as exc:  # noqa: BLE001 - any index failure: said, the rebuild goes on
        return {}, [f"VCS plugin {', '.join(wanted)} not pinned: the index did not answer ({exc})"]
    if released is None:
        return {}, [f"VCS plugin {', '.join(wanted)} not pinned: the index states no upload time"]
    pins: dict[str, str] = {}
    said: list[str] = []
    for plugin in wanted:
        try:
            version = _current(files_of(plugin), released)
        except Exception as exc:  # noqa: BLE001 - as above, for this plugin alone
            said.append(f"VCS plugin {plugin} not pinned: the index did not answer ({exc})")
            continue
        if version is None:
            said.append(f"VCS plugin {plugin} not pinned: no release of it before {released}")
            continue
        pins[plugin] = version
        what = "VCS plugin" if plugin in VCS_PLUGINS else "backend"
        said.append(f"{what} {plugin}=={version}, its newest release on {released[:10]}")
    return pins, said


def _name(requirement: str) -> str:
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    try:
        return canonicalize_name(Requirement(requirement).name)
    except InvalidRequirement:
        return canonicalize_name(requirement)


def _upload_time(files: list[IndexFile], filename: str) -> str | None:
    return next((f.upload_time for f in files if f.filename == filename), None)


def _current(files: list[IndexFile], moment: str) -> str | None:
    """The newest final release among ``files`` whose first file was uploaded by ``moment``."""
    from packaging.utils import (
        InvalidSdistFilename,
        InvalidWheelFilename,
        parse_sdist_filename,
        parse_wheel_filename,
    )

    first: dict[Version, str] = {}
    for entry in files:
        if entry.upload_time is None:
            continue
        try:
            if entry.filename.endswith(".whl"):
                version = parse_wheel_filename(entry.filename)[1]
            else:
                version = parse_sdist_filename(entry.filename)[1]
        except (InvalidWheelFilename, InvalidSdistFilename):
            continue
        if version.is_prerelease:
            continue
        first[version] = min(first.get(version, entry.upload_time), entry.upload_time)
    before = [v for v, when in first.items() if when <= moment]
    return str(max(before)) if before else None
