"""The license gate's policy: its settings (``[tool.releasegate.license]``, shared with the
SBOM) and its verdict rules: a reviewer's record over the metadata, allowed and denied.

Defaults live only in ``schema/sections/license.json``. The verdict is problems; the license
gate places them (``problems.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from releasegate._internal.findings import quoted
from releasegate._internal.problems import FileProblem

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from releasegate._internal.metadata.deplicenses import Dependency, DependencyLicense
    from releasegate._internal.metadata.depmeta import LicenseFields


@dataclass(frozen=True)
class LicenseSettings:
    """``[tool.releasegate.license]``; defaults live only in ``schema/sections/license.json``."""

    SECTION: ClassVar[str] = "license"
    reuse: str
    sdist_coverage: bool
    dependencies: bool
    allowed: frozenset[str]
    denied: frozenset[str]
    ignore_dependencies: frozenset[str]
    reviewed: Mapping[str, str]
    """Normalised dependency name -> SPDX expression a person read from its license file."""
    site_packages: tuple[str, ...]
    undistributed: frozenset[str]
    """Extras and dependency groups that are not distributed (normalised names)."""
    index_url: str | None
    index_from_checkout: bool
    """The index was named by the checkout's configuration (not by the job's PIP_INDEX_URL)."""

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> LicenseSettings:
        from releasegate._internal.metadata.deplicenses import normalize
        from releasegate._internal.simple_index import index_to_read

        return cls(
            reuse=section["reuse"],
            sdist_coverage=bool(section["sdist-coverage"]),
            dependencies=bool(section["dependencies"]),
            allowed=frozenset(section["allowed"]),
            denied=frozenset(section["denied"]),
            ignore_dependencies=frozenset(normalize(n) for n in section["ignore-dependencies"]),
            reviewed={normalize(k): v for k, v in section["reviewed"].items()},
            site_packages=tuple(section["site-packages"]),
            undistributed=frozenset(normalize(n) for n in section["undistributed"]),
            index_url=index_to_read(section.get("index-url")),
            index_from_checkout=bool(section.get("index-url")),
        )


def reviewed_or(name: str, why: str, settings: LicenseSettings) -> DependencyLicense | str:
    reviewed = settings.reviewed.get(name)
    return from_review(reviewed) if reviewed is not None else why


def verdict(
    dep: Dependency, found: DependencyLicense, settings: LicenseSettings
) -> Iterator[FileProblem]:
    """What the policy (allowed, denied) says of one dependency's license, as problems."""
    from releasegate._internal.metadata import spdx

    allowed, denied = set(settings.allowed), set(settings.denied)
    shown = f"{dep.name} {dep.version}" if dep.version else dep.name
    if found.note is not None:
        yield FileProblem(
            "dependency-license-expression-invalid",
            f"dependency {shown}: {found.note}",
            dep.path,
            dep.line,
            hint="nothing to do here; its maintainers may want to know (PEP 639 wants an SPDX "
            "expression), or record it in [tool.releasegate.license] reviewed",
        )
    if found.choices:
        if all(spdx.allowed_by(c, allowed, denied) for c in found.choices):
            return  # whichever license it means, the policy accepts it
        yield FileProblem(
            "dependency-license-ambiguous",
            f"dependency {shown}: {found.source} may mean any of {', '.join(found.choices)}, "
            "and the policy does not accept all of them",
            dep.path,
            dep.line,
            hint="read its license file and record it in [tool.releasegate.license] reviewed "
            "(name = SPDX expression)",
        )
    elif found.expression is None:
        yield FileProblem(
            "dependency-license-unknown",
            f"dependency {shown}: license unknown ({found.source})",
            dep.path,
            dep.line,
            hint="check its license by hand and record it in [tool.releasegate.license] reviewed "
            "(name = SPDX expression), or replace it",
        )
    elif not spdx.allowed_by(found.expression, allowed, denied):
        yield FileProblem(
            "dependency-license-denied",
            f"dependency {shown} is licensed {found.expression} (from {found.source}), "
            "which the policy does not allow",
            dep.path,
            dep.line,
            hint="replace it, or change [tool.releasegate.license] allowed/denied",
        )


def license_from(fields: LicenseFields | str, reviewed: str | None) -> DependencyLicense | str:
    """The dependency's license from its metadata, else what a reviewer recorded in config."""
    from releasegate._internal.metadata.deplicenses import license_of

    if isinstance(fields, str):
        return from_review(reviewed) if reviewed is not None else fields
    found = license_of(fields)
    if found.expression is not None or reviewed is None:
        return found
    return from_review(reviewed)


def from_review(reviewed: str) -> DependencyLicense:
    from releasegate._internal.metadata.deplicenses import DependencyLicense
    from releasegate._internal.metadata.pep639 import canonical

    expression = canonical(reviewed)
    if expression is None:
        return DependencyLicense(
            None, f"the reviewed license {quoted(reviewed)} is not an SPDX expression"
        )
    return DependencyLicense(expression, "reviewed by hand in [tool.releasegate.license] reviewed")
