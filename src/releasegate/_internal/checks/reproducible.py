"""The reproducible-build gate: build twice under varied conditions, compare, explain.

Not enabled by default (it builds twice); run it as ``releasegate check reproducible``,
from the pre-push hook, or as ``releasegate build --verify``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.builder.settings import ReproducibleSettings
from releasegate._internal.findings import Finding

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping
    from pathlib import Path

    from releasegate._internal.builder.reproducibility import VerifyOptions
    from releasegate._internal.checks.base import CheckContext
    from releasegate._internal.project import Project

NAME = "reproducible"


def _pin_example(requirement: str) -> str:
    """``name==<installed version>`` for the project's own requirement, ``name==X.Y.Z`` otherwise."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import InvalidRequirement, Requirement

    try:
        name = Requirement(requirement).name
    except InvalidRequirement:
        return "name==X.Y.Z"
    try:
        return f"{name}=={version(name)}"
    except PackageNotFoundError:
        return f"{name}==X.Y.Z"


def transitive_findings(project: Project, environment: Mapping[str, str]) -> Iterator[Finding]:
    """A warning naming what the isolated environment installed beyond the pinned requirements."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    from releasegate._internal.builder.requires import is_pinned

    requires = project.pyproject.get("build-system", "requires") if project.pyproject else None
    pinned = set()
    for item in requires if isinstance(requires, list) else ():
        try:
            if is_pinned(str(item)):
                pinned.add(canonicalize_name(Requirement(str(item)).name))
        except InvalidRequirement:
            continue
    loose = {n: v for n, v in environment.items() if canonicalize_name(n) not in pinned | {"pip"}}
    if not pinned or not loose:
        return  # nothing pinned: unpinned-backend already says it
    shown = ", ".join(f"{n}=={v}" for n, v in loose.items())
    yield Finding(
        NAME,
        "unpinned-build-dependencies",
        f"the build environment also installed, unpinned: {shown}",
        path="pyproject.toml",
        line=None,
        hint="the backend's own dependencies change between builds too: pin them in "
        "[build-system].requires (or a PIP_CONSTRAINT / UV_BUILD_CONSTRAINT file); "
        "dist/BUILDINFO.json records these versions",
    )


def pin_findings(project: Project) -> Iterator[Finding]:
    """A warning per ``[build-system].requires`` entry that does not pin one version."""
    from releasegate._internal.builder.requires import unpinned

    doc = project.pyproject
    if doc is None:
        return
    line = doc.line("build-system", "requires") or doc.line("build-system")
    for entry in unpinned(doc.get("build-system", "requires")):
        yield Finding(
            NAME,
            "unpinned-backend",
            f"build requirement {entry.requirement} {entry.reason}",
            path="pyproject.toml",
            line=line,
            hint=f"pin it (e.g. `{_pin_example(entry.requirement)}`): reproducible today is not "
            "reproducible after the backend's next release",
        )


def stated_version(project: Project) -> str | None:
    """The project's version in its normal PEP 440 form, or None when it states none.

    None, too, for a version from VCS on a commit without a release tag: the backend then
    builds a development version after the last release (attrs at 26.1.0-70-g...: 26.1.1.dev70),
    while the changelog still states the last release; that is no mismatch.
    """
    from releasegate._internal.errors import FatalError
    from releasegate._internal.releases import SemverSettings, current_version, release_tags
    from releasegate._internal.versionsources import uses_vcs_version

    settings = project.config.settings(SemverSettings)
    if uses_vcs_version(project):
        head = project.git.head
        if head is None or not any(t.tag.commit == head for t in release_tags(project, settings)):
            return None
    try:
        return str(current_version(project, settings).canonical)
    except FatalError:
        return None


def version_findings(project: Project, names: Iterable[str]) -> Iterator[Finding]:
    """An error when the artifacts carry another version than the project states.

    A version from VCS that the backend cannot see (no tags in the build's copy) falls back to
    ``fallback_version`` or ``0.0.0``: the build succeeds, and the wrong version ships.
    """
    from releasegate._internal.builder.shipping import artifact_version

    stated = stated_version(project)
    if stated is None:
        return  # no stated version (e.g. a VCS version between tags): nothing to compare with
    for name in names:
        built = artifact_version(name)
        if built is not None and built != stated:
            yield Finding(
                NAME,
                "version-mismatch",
                f"{name} carries version {built}, the project states {stated}",
                hint="a version from VCS tags was not seen by the backend, or a version file is "
                "stale: build from a clone with its tags and check the version configuration",
            )


def output_data(output: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """The backend's output per build, as ``GateResult.data[OUTPUT_KEY]`` holds it."""
    return [{"build": label, "output": text} for label, text in output if text]


def verify_findings(
    project: Project, options: VerifyOptions, data: dict[str, object] | None = None
) -> Iterator[Finding]:
    """The verification's findings; a build failure is a finding about the project.

    ``data`` receives the verdict as fields (every artifact's sha256 per build) and the
    backend's output, for ``GateResult.data``.
    """
    from dataclasses import replace

    from releasegate._internal.artifacts import BuildNotTrusted, ensure_trusted
    from releasegate._internal.builder.pep517 import OUTPUT_KEY, BuildFailed
    from releasegate._internal.builder.reproducibility import verify
    from releasegate._internal.versionsources import uses_vcs_version

    record = data if data is not None else {}
    try:
        ensure_trusted(project)
    except BuildNotTrusted as untrusted:
        record.update(reproducible=None, artifacts=[])
        yield Finding(NAME, "build-not-trusted", untrusted.message, hint=untrusted.hint)
        return
    try:
        chosen = replace(
            options, history=uses_vcs_version(project), expected_version=stated_version(project)
        )
        result = verify(project.root, chosen)
    except BuildFailed as failed:
        record.update(reproducible=False, artifacts=[])
        record[OUTPUT_KEY] = output_data([("the failed build", failed.output)])
        yield Finding(
            NAME,
            "build-failed",
            failed.message,
            path="pyproject.toml" if project.pyproject else None,
            line=None,
            hint=failed.hint,
        )
        return
    record.update(result.data())
    record[OUTPUT_KEY] = output_data(result.output)
    yield from version_findings(project, sorted({v.name for v in result.verdicts}))
    if result.record is not None:
        yield from transitive_findings(project, result.record.environment)
    yield from result.findings
    if options.outdir is not None:
        yield _shipped_finding(options.outdir, result.dists is not None)


def _shipped_finding(outdir: Path, written: bool) -> Finding:
    if written:
        return Finding(
            NAME,
            "shipped",
            f"wrote the verified sdist and wheel, SHA256SUMS and BUILDINFO.json to {outdir}",
        )
    return Finding(
        NAME,
        "not-shipped",
        f"nothing was written to {outdir}: the verification did not pass",
        hint="fix the findings above; only a verified build is shipped",
    )


def run(context: CheckContext) -> Iterator[Finding]:
    project = context.project
    if project.pyproject is None and not (project.root / "setup.py").is_file():
        yield Finding(
            NAME,
            "not-buildable",
            "no pyproject.toml or setup.py: nothing to build",
            hint="run the check in the project's root (-C DIR)",
        )
        return
    settings = context.settings(ReproducibleSettings)
    yield from pin_findings(project)
    yield from verify_findings(project, settings.options(), context.data)
