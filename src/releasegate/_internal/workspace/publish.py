"""``publish`` at a workspace root: members released in dependency order, a layer above
``publish.run.publish`` (called once per member, unchanged).

A member's upload starts only when every member it requires has completed on every required
registry (``PublishResult.ok``: uploaded and verified); members of one wave are independent
and go in parallel. A member whose dependency failed is not started: its users could not
install it. Dists come from the member's own ``dist/`` or, as ``uv build --all`` leaves
them, from the root's ``dist/`` (the files whose name is the member's).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.publish.artifacts import parse_dist_filename
from releasegate._internal.publish.run import PublishOptions, PublishResult, publish
from releasegate._internal.publish.settings import PublishSettings
from releasegate._internal.workspace.check import Selection, chosen
from releasegate._internal.workspace.discovery import Member, discover
from releasegate._internal.workspace.graph import edges, locked_requirements, waves

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from releasegate._internal.findings import Report
    from releasegate._internal.project import Project
    from releasegate._internal.publish.executor import Events
    from releasegate._internal.publish.outcome import FileOutcome, RegistryOutcome
    from releasegate._internal.publish.plan import Step
    from releasegate._internal.workspace.graph import Edge

DISTS = (".whl", ".tar.gz", ".zip")
NOT_STARTED = "not-started"
"""The report's ``outcome`` of a member whose dependency failed (the dossier shows it)."""


@dataclass(frozen=True)
class MemberPublish:
    member: Member
    wave: int
    result: PublishResult | None
    """None when it was not started."""
    skipped: str | None = None
    """Why it was not started: a dependency that did not complete."""


class MemberEvents:
    """One member's progress, its registries named ``<member>/<registry>`` in the shared log."""

    def __init__(self, member: str, inner: Events) -> None:
        self.member = member
        self.inner = inner

    def planned(self, registry: str, steps: Sequence[Step]) -> None:
        self.inner.planned(f"{self.member}/{registry}", steps)

    def retrying(self, registry: str, what: str, attempt: int, wait: float, reason: str) -> None:
        self.inner.retrying(f"{self.member}/{registry}", what, attempt, wait, reason)

    def file_done(self, registry: str, outcome: FileOutcome) -> None:
        self.inner.file_done(f"{self.member}/{registry}", outcome)

    def registry_done(self, outcome: RegistryOutcome) -> None:
        from dataclasses import replace

        self.inner.registry_done(replace(outcome, name=f"{self.member}/{outcome.name}"))

    def secret_minted(self, value: str) -> None:
        self.inner.secret_minted(value)


def _own_dists(folder: Path, name: str) -> list[Path]:
    from releasegate._internal.workspace.discovery import normalised

    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        parsed = parse_dist_filename(path.name) if path.name.endswith(DISTS) else None
        if parsed is not None and normalised(parsed[0]) == name:
            found.append(path)
    return found


def dist_folder(
    root: Project, member: Member, options: PublishOptions, staging: Path
) -> Path | None:
    """Where the member's dists are: its own dist dir, or its files of the root's (staged
    alone in a folder, since a publish run takes one project's dists)."""
    relative = options.dist_dir or member.project.config.settings(PublishSettings).dist_dir
    own = member.project.root / relative
    if member.path != "." and _own_dists(own, member.name):
        return own
    shared = _own_dists(root.root / relative, member.name)
    if not shared:
        return None
    folder = staging / member.name
    folder.mkdir()
    for path in shared:
        shutil.copy2(path, folder / path.name)
    return folder


def _releasing(
    root: Project, members: list[Member], options: PublishOptions, staging: Path
) -> dict[str, Path]:
    """The members being released (those with dists) and the folder of each one's dists."""
    found = {}
    for member in members:
        folder = dist_folder(root, member, options, staging)
        if folder is not None:
            found[member.name] = folder
    return found


def publish_workspace(
    root: Project,
    options: PublishOptions,
    events: Events,
    selection: Selection = Selection(),  # noqa: B008 - frozen, no state to share
    env: Mapping[str, str] | None = None,
) -> list[MemberPublish]:
    """Publish every member that has dists, dependencies first; one entry per member."""
    members = discover(root)
    graph = edges(members, locked_requirements(root.root))
    by_name = {m.name: m for m in chosen(root, members, graph, selection)}
    env = dict(os.environ) if env is None else env
    with tempfile.TemporaryDirectory(prefix="releasegate-ws-") as staging:
        folders = _releasing(root, list(by_name.values()), options, Path(staging))
        # A member that is never released is not published, even with dists: said, not done.
        ignored = [
            MemberPublish(m, 0, None, f"not published: {m.unreleased}")
            for m in by_name.values()
            if m.unreleased is not None and folders.pop(m.name, None) is not None
        ]
        published = _in_waves(by_name, folders, graph, options=options, events=events, env=env)
        return ignored + published


def _in_waves(
    by_name: Mapping[str, Member],
    folders: Mapping[str, Path],
    graph: list[Edge],
    *,
    options: PublishOptions,
    events: Events,
    env: Mapping[str, str],
) -> list[MemberPublish]:
    done: list[MemberPublish] = []
    failed: set[str] = set()
    for number, wave in enumerate(waves(folders, graph)):
        if options.stop is not None and options.stop.is_set():
            # A signal: no member starts after it (each one started has audited its run).
            skip = "not started: the run was interrupted"
            done.extend(MemberPublish(by_name[n], number, None, skip) for n in wave)
            continue
        blocked = {n: _blocker(n, graph, failed) for n in wave}
        ready = [by_name[n] for n in wave if blocked[n] is None]

        def one(member: Member, wave: int = number) -> MemberPublish:
            mine = PublishOptions(str(folders[member.name]), options.registries,
                                  options.dry_run, options.resume, options.stop)  # fmt: skip
            sink = MemberEvents(member.name, events)
            return MemberPublish(member, wave, publish(member.project, mine, sink, env))

        with ThreadPoolExecutor(max_workers=max(1, len(ready))) as pool:
            finished = list(pool.map(one, ready))
        done.extend(finished)
        failed |= {p.member.name for p in finished if p.result is None or not p.result.ok}
        for name, blocker in blocked.items():
            if blocker is not None:
                skip = f"not started: {blocker}, which it requires, did not complete"
                done.append(MemberPublish(by_name[name], number, None, skip))
                failed.add(name)
    return done


def _blocker(name: str, graph: list[Edge], failed: set[str]) -> str | None:
    return next(
        (e.dependency for e in graph if e.dependent == name and e.dependency in failed), None
    )


def workspace_report(root: Project, published: Sequence[MemberPublish]) -> Report:
    """One Report: each member's registries as ``<member>/publish <registry>``, and a finding
    for each member not started."""
    from dataclasses import replace

    from releasegate._internal.findings import Finding
    from releasegate._internal.publish.results import CHECK, to_report
    from releasegate._internal.runner import report_of, result_of

    results = []
    for entry in published:
        member = entry.member
        if entry.result is None and member.unreleased is not None:
            finding = Finding(CHECK, "not-released", entry.skipped or "")
            result = result_of(CHECK, (finding,), member.project)
            results.append(result.of_member(member.name, member.prefix))
            continue
        if entry.result is None:
            finding = Finding(CHECK, "not-started", entry.skipped or "not started")
            data = {"wave": entry.wave, "outcome": NOT_STARTED}
            result = result_of(CHECK, (finding,), member.project, data=data)
            results.append(result.of_member(member.name, member.prefix))
            continue
        for result in to_report(entry.result, member.project).results:
            # The wave, for the job summary's diagram of the release waves.
            waved = replace(result, data={**result.data, "wave": entry.wave})
            results.append(waved.of_member(member.name, member.prefix))
    return report_of(results, root)
