"""The license gate: REUSE compliance, shipped files covered by the declared license,
and dependency licenses against policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from releasegate._internal.findings import Finding, Severity
from releasegate._internal.problems import to_finding

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from importlib.metadata import Distribution

    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.metadata.deplicenses import DependencyLicense
    from releasegate._internal.project import Project

NAME = "license"


@dataclass(frozen=True)
class LicenseSettings:
    """``[tool.releasegate.license]``; defaults live only in ``schema/sections/license.json``."""

    SECTION: ClassVar[str] = NAME
    reuse: str
    sdist_coverage: bool
    dependencies: bool
    allowed: frozenset[str]
    denied: frozenset[str]
    ignore_dependencies: frozenset[str]
    reviewed: Mapping[str, str]
    """Normalised dependency name -> SPDX expression a person read from its license file."""
    site_packages: tuple[str, ...]

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> LicenseSettings:
        from releasegate._internal.metadata.deplicenses import normalize

        return cls(
            reuse=section["reuse"],
            sdist_coverage=bool(section["sdist-coverage"]),
            dependencies=bool(section["dependencies"]),
            allowed=frozenset(section["allowed"]),
            denied=frozenset(section["denied"]),
            ignore_dependencies=frozenset(normalize(n) for n in section["ignore-dependencies"]),
            reviewed={normalize(k): v for k, v in section["reviewed"].items()},
            site_packages=tuple(section["site-packages"]),
        )


def run(context: CheckContext) -> Iterator[Finding]:
    settings = context.settings(LicenseSettings)
    project = context.project
    yield from _reuse(project, settings, context.options.files)
    if context.options.files is not None:
        return  # hook mode: only the changed files' REUSE headers (the fast path)
    if settings.sdist_coverage:
        yield from _shipped(project)
    if settings.dependencies:
        yield from _dependencies(project, settings)


def _reuse(
    project: Project, settings: LicenseSettings, files: tuple[str, ...] | None
) -> Iterator[Finding]:
    from releasegate._internal.metadata import reusecheck

    if settings.reuse == "never":
        return
    if settings.reuse == "auto" and not reusecheck.uses_reuse(project.root):
        if files is None:
            yield Finding(
                NAME,
                "reuse-not-set-up",
                "the project does not follow REUSE (no LICENSES/ or REUSE.toml)",
                Severity.WARNING,
                hint='`reuse init`, or set [tool.releasegate.license] reuse = "never"',
            )
        return
    for path, problem in reusecheck.problems(project.root, files):
        line = 1 if problem.rule in ("reuse-no-license", "reuse-no-copyright") else None
        yield to_finding(NAME, problem, path=path, line=line)


def _declared(project: Project, pkg_info: str | None) -> str | None:
    from releasegate._internal.metadata.pep639 import canonical

    if pkg_info is not None:
        from packaging.metadata import parse_email

        raw, _ = parse_email(pkg_info)
        if raw.get("license_expression"):
            return canonical(raw["license_expression"])
    value = project.metadata.get("license")
    return canonical(value) if isinstance(value, str) else None


def _shipped(project: Project) -> Iterator[Finding]:
    from releasegate._internal.archives import read_archive, sdist_relative
    from releasegate._internal.artifacts import BuildFailed, shared_dists
    from releasegate._internal.metadata import shipped
    from releasegate._internal.metadata.distcheck import metadata_member

    try:
        sdist = read_archive(shared_dists(project)[0])
    except BuildFailed as exc:
        yield _unavailable(exc.message, exc.hint)
        return
    if sdist.problems:
        # The manifest gate reports an unsafe sdist as an error; here it is only unreadable.
        yield _unavailable(
            f"{sdist.path.name}: {sdist.describe_problems()}",
            "rebuild from a clean checkout; `releasegate check manifest` says more",
        )
        return
    member = metadata_member(sdist, "sdist")
    declared = _declared(project, sdist.text(member) if member else None)
    if declared is None:
        return  # no valid expression: the metadata gate reports that
    files = sdist_relative(sdist)
    skip = _license_files(project, files)
    for item in shipped.uncovered(sdist, files, declared, skip):
        yield Finding(
            NAME,
            "file-license-not-covered",
            f"{item.path} is licensed {item.expression}, "
            f"which the declared license {declared!r} does not cover",
            Severity.ERROR,
            item.path,
            item.line,
            "relicense the file, stop shipping it, or declare its license in [project].license "
            f'(e.g. "{declared} AND {item.expression}")',
        )


def _unavailable(reason: str, hint: str | None) -> Finding:
    return Finding(
        NAME,
        "sdist-unavailable",
        f"cannot check the files the sdist ships: {reason}",
        Severity.WARNING,
        hint=hint,
    )


def _license_files(project: Project, files: Mapping[str, str]) -> set[str]:
    """License texts are shipped under their own terms; they are not licensed files."""
    from fnmatch import fnmatch

    patterns = project.metadata.get("license-files")
    globs = [p for p in patterns if isinstance(p, str)] if isinstance(patterns, list) else []
    globs.extend(["LICENSE*", "LICENCE*", "COPYING*", "NOTICE*", "AUTHORS*"])
    return {name for name in files if any(fnmatch(name, g) for g in globs)}


def _dependencies(project: Project, settings: LicenseSettings) -> Iterator[Finding]:
    from releasegate._internal.metadata import deplicenses, spdx

    dists = deplicenses.installed(settings.site_packages or None)
    for dep in deplicenses.declared(project.pyproject, project.root):
        if deplicenses.normalize(dep.name) in settings.ignore_dependencies:
            continue
        dist = dists.get(deplicenses.normalize(dep.name))
        if dist is None:
            yield Finding(
                NAME,
                "dependency-license-unknown",
                f"dependency {dep.name} is not installed: its license is unknown",
                Severity.ERROR,
                dep.path,
                dep.line,
                "install the locked dependencies where releasegate runs, "
                "or list it in ignore-dependencies",
            )
            continue
        found = _license(dist, settings.reviewed.get(deplicenses.normalize(dep.name)))
        if found.expression is None:
            yield Finding(
                NAME,
                "dependency-license-unknown",
                f"dependency {dep.name}: license unknown ({found.source})",
                Severity.ERROR,
                dep.path,
                dep.line,
                "check its license by hand and record it in [tool.releasegate.license] reviewed "
                "(name = SPDX expression), or replace it",
            )
        elif not spdx.allowed_by(found.expression, set(settings.allowed), set(settings.denied)):
            yield Finding(
                NAME,
                "dependency-license-denied",
                f"dependency {dep.name} is licensed {found.expression} (from {found.source}), "
                "which the policy does not allow",
                Severity.ERROR,
                dep.path,
                dep.line,
                "replace it, or change [tool.releasegate.license] allowed/denied",
            )


def _license(dist: Distribution, reviewed: str | None) -> DependencyLicense:
    """The dependency's license from its metadata, else what a reviewer recorded in config."""
    from releasegate._internal.metadata.deplicenses import DependencyLicense, license_of
    from releasegate._internal.metadata.pep639 import canonical

    found = license_of(dist)
    if found.expression is not None or reviewed is None:
        return found
    expression = canonical(reviewed)
    if expression is None:
        return DependencyLicense(
            None, f"the reviewed license {reviewed!r} is not an SPDX expression"
        )
    return DependencyLicense(expression, "reviewed by hand in [tool.releasegate.license] reviewed")
