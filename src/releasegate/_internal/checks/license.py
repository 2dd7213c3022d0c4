"""The license gate: REUSE compliance, shipped files covered by the declared license,
and dependency licenses against policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.findings import Finding, Severity, quoted
from releasegate._internal.metadata import licensepolicy
from releasegate._internal.metadata.licensepolicy import LicenseSettings
from releasegate._internal.problems import to_finding

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.metadata import depmeta
    from releasegate._internal.metadata.deplicenses import Dependency, DependencyLicense
    from releasegate._internal.project import Project

NAME = "license"


def run(context: CheckContext) -> Iterator[Finding]:
    settings = context.settings(LicenseSettings)
    project = context.project
    yield from _reuse(project, settings, context.options.files)
    if context.options.files is not None:
        return  # hook mode: only the changed files' REUSE headers (the fast path)
    if settings.sdist_coverage:
        yield from _shipped(project)
    else:
        # Building runs the project's backend (an in-tree backend-path is the checkout's own
        # code): the default gates read files only, so this is opt-in, and never silent.
        yield Finding(
            NAME,
            "sdist-coverage-off",
            "the licenses of the files the sdist ships were not checked against the "
            "License-Expression: that needs a build, which runs the project's build backend",
            hint="set [tool.releasegate.license] sdist-coverage = true and pass --allow-backend "
            "where running the project's backend is acceptable (the manifest gate builds anyway)",
        )
    if settings.dependencies:
        offline = context.options.offline
        yield from _dependencies(project, settings, _fetcher(context, settings, offline))


def _reuse(
    project: Project, settings: LicenseSettings, files: tuple[str, ...] | None
) -> Iterator[Finding]:
    from releasegate._internal.extras import installed
    from releasegate._internal.metadata import reusecheck

    if settings.reuse == "never":
        return
    if settings.reuse == "auto" and not reusecheck.uses_reuse(project.root):
        if files is None:
            yield Finding(
                NAME,
                "reuse-not-set-up",
                "the project does not follow REUSE (no LICENSES/ or REUSE.toml)",
                hint='`reuse init`, or set [tool.releasegate.license] reuse = "never"',
            )
        return
    if not installed("reuse"):
        # The base install leaves REUSE to an extra (issue 32): say it was not checked, and
        # fail when the project asked for REUSE explicitly.
        required = settings.reuse == "always"
        yield Finding(
            NAME,
            "reuse-not-checked",
            "REUSE compliance was not checked: the reuse library is not installed",
            Severity.ERROR if required else Severity.WARNING,
            hint="pip install 'releasegate[reuse]' (the license hook and the Action have it)",
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
            f"which the declared license {quoted(declared)} does not cover",
            path=item.path,
            line=item.line,
            hint="relicense the file, stop shipping it, or declare its license in [project].license "
            f'(e.g. "{declared} AND {item.expression}")',
        )


def _unavailable(reason: str, hint: str | None) -> Finding:
    return Finding(
        NAME, "sdist-unavailable", f"cannot check the files the sdist ships: {reason}", hint=hint
    )


def _license_files(project: Project, files: Mapping[str, str]) -> set[str]:
    """License texts are shipped under their own terms; they are not licensed files."""
    from fnmatch import fnmatch

    patterns = project.metadata.get("license-files")
    globs = [p for p in patterns if isinstance(p, str)] if isinstance(patterns, list) else []
    globs.extend(["LICENSE*", "LICENCE*", "COPYING*", "NOTICE*", "AUTHORS*"])
    return {name for name in files if any(fnmatch(name, g) for g in globs)}


def _dependencies(
    project: Project, settings: LicenseSettings, fetcher: depmeta.Fetcher
) -> Iterator[Finding]:
    from releasegate._internal.metadata import deplicenses, memberdeps

    # A uv workspace member's dependencies are the ones the workspace's lock pins for it
    # (issue 30: resolving each member with pip took minutes per run).
    locked = memberdeps.distributed(project, settings.undistributed)
    if locked is not None:
        checked = _locked_licenses(locked, settings, fetcher)
    else:
        selection = deplicenses.select(project.pyproject, project.root, settings.undistributed)
        if selection.lockfiles:
            checked = _locked_licenses(selection.locked, settings, fetcher)
        else:
            checked = _resolved_licenses(project, settings, fetcher)
    undecided: dict[tuple[str, str], list[tuple[Dependency, str]]] = {}
    for dep, found in checked:
        if isinstance(found, str):
            undecided.setdefault((dep.path, found), []).append((dep, found))
        else:
            yield from (to_finding(NAME, p) for p in licensepolicy.verdict(dep, found, settings))
    for (path, reason), items in undecided.items():
        # A failed lookup is said once per run: the members of a workspace that ship the same
        # dependency share one reader, and the first to report it reports it for all.
        deps = [dep for dep, _ in items if fetcher.first_report(dep.name, dep.version, reason)]
        if deps:
            yield _undecidable(path, reason, deps)


def _fetcher(context: CheckContext, settings: LicenseSettings, offline: bool) -> depmeta.Fetcher:
    """The one metadata reader of a run, shared by the members of a workspace run (one lookup
    of each dependency, one wait on a dead index): offline reads installed metadata and the
    cache only; an index the checkout configured is read as data, without the job's ~/.netrc."""
    from releasegate._internal.metadata import deplicenses, depmeta

    def new() -> depmeta.Fetcher:
        return depmeta.Fetcher(
            settings.index_url,
            deplicenses.installed(settings.site_packages or None),
            offline=offline,
            ambient_credentials=not settings.index_from_checkout,
        )

    shared = context.options.workspace_run
    if shared is None:
        return new()
    key = (settings.index_url, offline, settings.index_from_checkout, settings.site_packages)
    with shared.lock:
        fetcher = shared.metadata_readers.get(key)
        if fetcher is None:
            fetcher = shared.metadata_readers[key] = new()
        return fetcher


def _locked_licenses(
    locked: list[Dependency], settings: LicenseSettings, fetcher: depmeta.Fetcher
) -> Iterator[tuple[Dependency, DependencyLicense | str]]:
    from releasegate._internal.metadata import depmeta
    from releasegate._internal.metadata.depresolve import NOT_INDEXED, NOT_PINNED

    wanted = {
        dep: depmeta.Wanted(dep.name, dep.version, dep.hashes)
        for dep in locked
        if dep.name not in settings.ignore_dependencies and dep.registry and dep.version
    }
    fields = fetcher.fields_all(wanted.values())
    for dep in locked:
        if dep.name in settings.ignore_dependencies:
            continue
        item = wanted.get(dep)
        if item is None:
            why = NOT_INDEXED if not dep.registry else NOT_PINNED
            yield dep, licensepolicy.reviewed_or(dep.name, why, settings)
        else:
            yield dep, licensepolicy.license_from(fields[item], settings.reviewed.get(dep.name))


def _resolved_licenses(
    project: Project, settings: LicenseSettings, fetcher: depmeta.Fetcher
) -> Iterator[tuple[Dependency, DependencyLicense | str]]:
    """No lockfile: the declared requirements resolved from the index's metadata (nothing is
    built or installed); what that cannot reach is undecidable, with the reason."""
    from releasegate._internal.metadata import depresolve
    from releasegate._internal.metadata.deplicenses import (
        Dependency,
        distributed_requirements,
        requirement_name,
    )

    declared = distributed_requirements(project.pyproject, settings.undistributed)
    if declared is None:
        why = "the declared dependencies cannot be read offline (dynamic, or no [project])"
        yield Dependency("the project's dependencies", "pyproject.toml", None), why
        return
    lines = {requirement_name(text): (path, line) for text, path, line in declared}
    if not lines:
        return
    requires_python = project.metadata.get("requires-python")
    try:
        resolution = depresolve.resolve(
            [t for t, _, _ in declared],
            fetcher,
            requires_python if isinstance(requires_python, str) else None,
        )
    except depresolve.ResolutionFailed as exc:
        for text, path, line in declared:
            yield Dependency(requirement_name(text) or text, path, line), str(exc)
        return
    first = next(iter(lines.values()))
    for item in resolution.found:
        if item.name not in settings.ignore_dependencies:
            path, line = lines.get(item.root, first)
            dep = Dependency(item.name, path, line, item.version)
            yield dep, licensepolicy.license_from(item.fields, settings.reviewed.get(item.name))
    for gap in resolution.undecidable:
        if gap.name not in settings.ignore_dependencies:
            path, line = lines.get(gap.root, first)
            yield (
                Dependency(gap.name, path, line),
                licensepolicy.reviewed_or(gap.name, gap.reason, settings),
            )


def _undecidable(path: str, reason: str, deps: list[Dependency]) -> Finding:
    """An error when the index failed; a note when releasegate does not look by design (a
    direct reference is not fetched, an sdist is not built, ``--offline`` reads no index)."""
    from releasegate._internal.metadata.depresolve import BY_DESIGN

    names = [f"{d.name} {d.version}" if d.version else d.name for d in deps]
    shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    return Finding(
        NAME,
        "dependency-license-undecidable",
        f"the license of {len(names)} dependenc{'y' if len(names) == 1 else 'ies'} cannot be "
        f"decided: {shown} ({reason})",
        Severity.NOTE if any(word in reason for word in BY_DESIGN) else Severity.ERROR,
        path,
        deps[0].line,
        "run once without --offline (the metadata is cached for later runs), or record the "
        "license in reviewed"
        if "offline" in reason
        else "run where the index is reachable once (the metadata is cached for later runs), set "
        "[tool.releasegate.license] index-url, or record the license in reviewed",
    )
