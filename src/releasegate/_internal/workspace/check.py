"""``releasegate check`` at a workspace root: every gate for every chosen member, in parallel.

Each member runs as the project it is (its folder, its settings over the root's), so every
gate works unchanged; its results are then labelled ``<member>/<gate>`` with paths from the
workspace root (``GateResult.of_member``). A virtual root (no ``[project]``) still has the
shared lockfile, checked once against every member's declarations.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from releasegate._internal.checks import base
from releasegate._internal.findings import Finding
from releasegate._internal.problems import to_finding
from releasegate._internal.runner import report_of, result_of, run_gate, select_gates
from releasegate._internal.workspace import changed as select
from releasegate._internal.workspace import requirements
from releasegate._internal.workspace.discovery import PRIVATE_CLASSIFIER, Member, discover
from releasegate._internal.workspace.graph import edges, locked_requirements, unread_dependencies

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.findings import GateResult, Report
    from releasegate._internal.project import Project
    from releasegate._internal.workspace.graph import Edge

WORKSPACE = "workspace"
"""The label of what belongs to no member: the shared lockfile of a virtual root."""
ROOT_GATES = ("lockfile",)
UNRELEASED_GATES = ("lockfile", "vulns")
"""What applies to a member that is never released: what it installs, not how it ships."""
"""The gates a virtual root runs: it has a lockfile but no package."""
BUILD_RULES = "build-requires"
MAX_PARALLEL = 8


@dataclass(frozen=True)
class Selection:
    packages: tuple[str, ...] = ()
    """``--package``: only these members."""
    changed: bool = False
    """``--changed``: members changed since their own last release, and their dependents."""


def chosen(
    root: Project, members: Sequence[Member], graph: Sequence[Edge], selection: Selection
) -> list[Member]:
    picked = list(members)
    if selection.packages:
        picked = select.by_name(members, selection.packages)
    if selection.changed:
        affected = {m.name for m in select.changed(root, members, graph)}
        picked = [m for m in picked if m.name in affected]
    return picked


@dataclass(frozen=True)
class Relations:
    """What the members' checks need of each other: who requires whom, the versions the
    workspace releases, and the members whose requirements could not be read."""

    graph: Sequence[Edge]
    versions: Mapping[str, str]
    unread: frozenset[str]


def _member_results(
    member: Member, names: Sequence[str], options: base.CheckOptions, relations: Relations
) -> list[GateResult]:
    context = base.CheckContext(member.project, options)
    results = []
    gates = select_gates(names, context)
    if member.unreleased is not None:
        gates = [g for g in gates if g in UNRELEASED_GATES]
        results.append(_unreleased_note(member))
    for name in gates:
        result = run_gate(name, context)
        extra = _relation_findings(member, relations) if name == "semver" else ()
        if extra:
            project = member.project
            result = result_of(
                name, (*result.findings, *extra), project, seconds=result.seconds,
                summary=result.summary, data=result.data,
            )  # fmt: skip
        results.append(result.of_member(member.name, member.prefix))
    return results


def _unreleased_note(member: Member) -> GateResult:
    note = Finding(
        WORKSPACE,
        "not-released",
        f"{member.name} is not released: {member.unreleased}; only"
        f" {' and '.join(UNRELEASED_GATES)} apply to it",
        path="pyproject.toml",
        hint="a member that is released needs [build-system], a version and no"
        f" {PRIVATE_CLASSIFIER!r} classifier (an example: a release tag of its own)",
    )
    return result_of(WORKSPACE, (note,), member.project).of_member(member.name, member.prefix)


def _relation_findings(member: Member, relations: Relations) -> tuple[Finding, ...]:
    found = tuple(requirements.problems(member, relations.graph, relations.versions))
    if member.name in relations.unread:
        found = (*found, requirements.unread_problem(member))
    return tuple(to_finding("semver", problem) for problem in found)


def _root_results(
    root: Project, names: Sequence[str], options: base.CheckOptions
) -> list[GateResult]:
    """The shared lockfile of a virtual root, when the lockfile gate is among those chosen.

    A virtual root builds nothing, so its missing ``[build-system]`` is no finding.
    """
    context = base.CheckContext(root, options)
    gates = [n for n in select_gates(names, context) if n in ROOT_GATES]
    results = []
    for name in gates:
        result = run_gate(name, context)
        kept = tuple(f for f in result.findings if not f.rule.startswith(BUILD_RULES))
        results.append(replace(result, findings=kept).of_member(WORKSPACE, ""))
    return results


def _work(
    members: Sequence[Member], options: base.CheckOptions
) -> list[tuple[Member | None, base.CheckOptions]]:
    """Each member to run with its options; a hook run keeps only members with changed files."""
    virtual = all(m.path != "." for m in members)
    if options.files is None:
        work: list[tuple[Member | None, base.CheckOptions]] = [(m, options) for m in members]
        return [(None, options), *work] if virtual else work
    grouped = select.files_by_member(members, options.files)
    work = [
        (m, replace(options, files=tuple(grouped[m.name]))) for m in members if m.name in grouped
    ]
    if virtual and "" in grouped:
        work.insert(0, (None, replace(options, files=tuple(grouped[""]))))
    return work


def check_workspace(
    root: Project, names: Sequence[str], options: base.CheckOptions, selection: Selection
) -> Report:
    members = discover(root)
    locked = locked_requirements(root.root)  # read once: the order and what it cannot know
    graph = edges(members, locked)
    picked = chosen(root, members, graph, selection)
    narrowed = bool(selection.packages or selection.changed)
    relations = Relations(
        graph,
        requirements.current_versions(members) if graph else {},
        frozenset(unread_dependencies(members, locked)),
    )

    def one(item: tuple[Member | None, base.CheckOptions]) -> list[GateResult]:
        member, opts = item
        if member is None:
            return _root_results(root, names, opts)
        inside = select.nested(members, member)
        if inside:  # their commits are not this member's (the API gate's commits-bump)
            opts = replace(opts, nested=inside)
        return _member_results(member, names, opts, relations)

    # One run: what the members' gates share (one metadata reader for every member's licenses).
    work = _work(picked, replace(options, workspace_run=base.WorkspaceRun()))
    if narrowed:
        work = [(m, o) for m, o in work if m is not None]  # the named members only
    with ThreadPoolExecutor(max_workers=max(1, min(MAX_PARALLEL, len(work)))) as pool:
        results = [r for batch in pool.map(one, work) for r in batch]
    return report_of(results, root)
