"""Licenses of the project's dependencies, read from the installed environment's metadata.

Which dependencies: ``[project].dependencies`` plus the pins of ``requirements*.txt``
(a stand-in until the lockfile model is wired in). For each, the installed
distribution's ``License-Expression`` wins, then a ``License`` field that is (or
plainly names) an SPDX expression, then ``License ::`` classifiers. Anything else is
unknown, and unknown is reported, never passed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.metadata.pep639 import canonical

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from importlib.metadata import Distribution
    from pathlib import Path

    from releasegate._internal.tomldoc import TomlDocument

# Classifiers and License texts that name exactly one SPDX license (others stay unknown).
_CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: MIT No Attribution License (MIT-0)": "MIT-0",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: GNU General Public License v2 (GPLv2)": "GPL-2.0-only",
    "License :: OSI Approved :: GNU General Public License v3 (GPLv3)": "GPL-3.0-only",
    "License :: OSI Approved :: GNU General Public License v3 or later (GPLv3+)": (
        "GPL-3.0-or-later"
    ),
    "License :: OSI Approved :: GNU Affero General Public License v3": "AGPL-3.0-only",
    "License :: OSI Approved :: GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
    "License :: OSI Approved :: Zope Public License": "ZPL-2.1",
}
_ALIASES = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "bsd 3-clause": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "bsd 2-clause": "BSD-2-Clause",
    "mpl 2.0": "MPL-2.0",
    "psf": "PSF-2.0",
    "isc license": "ISC",
}


@dataclass(frozen=True)
class Dependency:
    name: str
    path: str
    line: int | None


@dataclass(frozen=True)
class DependencyLicense:
    expression: str | None
    """Canonical SPDX expression, or None when unknown."""
    source: str
    """Where it came from (``License-Expression``, ``License``, ``classifiers``) or why unknown."""


def declared(doc: TomlDocument | None, root: Path) -> list[Dependency]:
    """Names from ``[project].dependencies`` and every lockfile's entries, first mention kept."""
    found: list[Dependency] = []
    deps = doc.get("project", "dependencies") if doc is not None else None
    if doc is not None and isinstance(deps, list):
        for index, text in enumerate(deps):
            name = _applicable_name(text)
            if name is not None:
                found.append(
                    Dependency(name, "pyproject.toml", doc.line("project", "dependencies", index))
                )
    found.extend(_locked(root))
    unique: dict[str, Dependency] = {}
    for dep in found:
        unique.setdefault(normalize(dep.name), dep)
    return list(unique.values())


def _applicable_name(text: object) -> str | None:
    """The project name of a requirement whose marker applies here; None for others and for junk."""
    from packaging.markers import UndefinedEnvironmentName
    from packaging.requirements import InvalidRequirement, Requirement

    if not isinstance(text, str):
        return None
    try:
        requirement = Requirement(text)
        applies = requirement.marker is None or requirement.marker.evaluate({"extra": ""})
    except (InvalidRequirement, UndefinedEnvironmentName):
        return None  # the metadata gate reports invalid requirements
    return requirement.name if applies else None


def _locked(root: Path) -> Iterator[Dependency]:
    """Every package the project's lockfiles pin, whatever their format (the shared model)."""
    from releasegate._internal.lockfiles import detect, parse_file

    for relative in detect(root):
        for entry in parse_file(root, relative).entries:
            if not entry.is_project and not entry.constraint:
                yield Dependency(entry.name, entry.path, entry.line)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(paths: Iterable[str] | None = None) -> dict[str, Distribution]:
    """Installed distributions by normalised name; ``paths`` replaces sys.path when given."""
    from importlib.metadata import distributions

    found = distributions(path=list(paths)) if paths is not None else distributions()
    by_name: dict[str, Distribution] = {}
    for dist in found:
        meta: Any = dist.metadata
        by_name.setdefault(normalize(meta.get("Name") or ""), dist)
    return by_name


def license_of(dist: Distribution) -> DependencyLicense:
    meta: Any = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        fixed = canonical(expression.strip())
        return DependencyLicense(
            fixed, "License-Expression" if fixed else f"invalid License-Expression {expression!r}"
        )
    text = (meta.get("License") or "").strip()
    from_text = _from_license_text(text)
    if from_text is not None:
        return DependencyLicense(from_text, "License")
    named = sorted({_CLASSIFIERS[c] for c in meta.get_all("Classifier") or [] if c in _CLASSIFIERS})
    if named:
        return DependencyLicense(" OR ".join(named) if len(named) > 1 else named[0], "classifiers")
    return DependencyLicense(
        None, "no License-Expression, no SPDX License field, no known License classifier"
    )


def _from_license_text(text: str) -> str | None:
    if not text or len(text) > 100 or "\n" in text:
        return None  # a full license text, not a name
    alias = _ALIASES.get(text.lower())
    return alias if alias is not None else canonical(text)
