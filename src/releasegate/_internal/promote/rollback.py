"""``rollback``: roll forward from the last good build, without rebuilding it.

A bad version (1.4.1) is out. The last good release's own files (1.4.0: final, below the
bad one, not yanked) are taken from a configured registry, each checked against the hash
its index states and, when the ledger recorded its upload, against the bytes published
then. Promotion's machinery releases them as the patch above the bad one (1.4.2): exactly
the version changes, proven by the payload digest, and the record inside each file names
the version it restores and the one it replaces. They are published to every configured
registry, and the bad version is yanked everywhere. The plan is worked out and shown before
anything changes; in CI only the plan runs unless the run is confirmed.

Every step leaves its own audit entry (promotion, publish intent and outcome, yank intent
and outcome) between the rollback's own intent and outcome, so a killed run says how far
it got.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from packaging.version import InvalidVersion, Version

from releasegate._internal.errors import FatalError, UsageError
from releasegate._internal.publish import audit
from releasegate._internal.publish.settings import Kind

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from releasegate._internal.findings import GateResult
    from releasegate._internal.project import Project
    from releasegate._internal.publish.executor import Events
    from releasegate._internal.publish.settings import RegistrySpec
    from releasegate._internal.simple_index import IndexFile

TOOL = "releasegate rollback"


@dataclass(frozen=True)
class RollbackRequest:
    bad: str
    reason: str
    good: str | None = None
    to: str | None = None
    source: str | None = None
    """The registry the good files come from (default: the first configured that lists them)."""
    registries: list[str] | None = None
    dry_run: bool = False
    wait: float = 600.0


@dataclass(frozen=True)
class Plan:
    project: str
    source: RegistrySpec
    good: str
    bad: str
    target: str
    files: dict[str, str | None]
    """The good release's files -> the sha256 the source index states."""
    registries: tuple[str, ...]

    def lines(self) -> list[str]:
        head = [
            f"rollback {self.project}: {self.bad} is bad; {self.good} is the last good release",
            f"1. take {self.good}'s files from {self.source.name} (hashes checked):",
        ]
        files = [f"     {name}  sha256 {sha or '(not stated)'}" for name, sha in self.files.items()]
        return [
            *head,
            *files,
            f"2. release them as {self.target} (only the version changes; payload proven, "
            f"lineage: restores {self.good}, replaces {self.bad})",
            f"3. publish {self.target} to {', '.join(self.registries)}",
            f"4. yank {self.bad} on {', '.join(self.registries)}",
        ]


@dataclass
class RollbackOutcome:
    plan: Plan
    results: list[GateResult] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    done: bool = False


# ------------------------------------------------------------------ the source's listing


def _listing(spec: RegistrySpec, project: Project, env: Mapping[str, str]) -> list[IndexFile]:
    from releasegate._internal import simple_index
    from releasegate._internal.publish.registries.directory import directory_root

    name = _name(project)
    if spec.kind is Kind.DIRECTORY:
        page = directory_root(spec.url, project.root) / "simple" / name / "index.html"
        if not page.is_file():
            return []
        try:
            return simple_index.parse_html(page.read_bytes(), page.as_uri())
        except simple_index.IndexFormatError as exc:
            raise FatalError(f"{page}: {exc}") from None
    from releasegate._internal import http
    from releasegate._internal.promote.fetch import _credential
    from releasegate._internal.publish.download import index_files
    from releasegate._internal.publish.registries.pypi import index_url_for

    session = http.session(_credential(spec, env))
    try:
        return index_files(session, spec.index_url or index_url_for(spec.url), name)
    except FatalError as exc:
        if "has no project" in exc.message:
            return []
        raise


def _name(project: Project) -> str:
    from packaging.utils import canonicalize_name

    if not project.name:
        raise UsageError("no project name: [project] name is needed to find its releases")
    return str(canonicalize_name(project.name))


def _version_of(filename: str) -> Version | None:
    from releasegate._internal.publish.artifacts import parse_dist_filename

    parsed = parse_dist_filename(filename)
    try:
        return Version(parsed[1]) if parsed else None
    except InvalidVersion:
        return None


def _good(files: list[IndexFile], bad: Version, asked: str | None) -> Version | None:
    """The asked version, or the highest final release below ``bad`` none of whose files
    is yanked."""
    versions: dict[Version, list[IndexFile]] = {}
    for entry in files:
        version = _version_of(entry.filename)
        if version is not None:
            versions.setdefault(version, []).append(entry)
    if asked is not None:
        wanted = Version(asked)
        return wanted if wanted in versions else None
    candidates = [
        v
        for v, entries in versions.items()
        if v < bad
        and not v.is_prerelease
        and not v.is_devrelease
        and not any(e.yanked for e in entries)
    ]
    return max(candidates, default=None)


def next_free(files: list[IndexFile], bad: Version) -> str:
    """The patch above every version of the bad one's line the index lists: on PyPI, 9.0.1
    may be there already, yanked, and a file name is never accepted twice."""
    versions = {_version_of(entry.filename) for entry in files}
    line = [v for v in versions if v is not None and v.release[:2] == bad.release[:2] and v >= bad]
    top = max(line, default=bad)
    return f"{top.major}.{top.minor}.{top.micro + 1}"


def plan(
    project: Project, request: RollbackRequest, env: Mapping[str, str]
) -> tuple[Plan, list[IndexFile]]:
    from releasegate._internal.promote.versions import rollforward
    from releasegate._internal.publish.settings import registry_specs, select

    try:
        bad = Version(request.bad)
        if request.good is not None:
            Version(request.good)
    except InvalidVersion as exc:
        raise UsageError(f"not a version: {exc}") from None
    specs = select(registry_specs(project.config, env), request.registries)
    sources = select(specs, [request.source]) if request.source else specs
    readable = [s for s in sources if s.kind in (Kind.DIRECTORY, Kind.PYPI)]
    if not readable:
        raise UsageError(
            "no registry to take the good release from: a directory or an index (kind pypi)",
            hint="configure one, or name it with --from-registry",
        )
    for spec in readable:
        files = _listing(spec, project, env)
        good = _good(files, bad, request.good)
        if good is None:
            continue
        step = rollforward(str(good), str(bad), request.to or next_free(files, bad))
        chosen = [f for f in files if _version_of(f.filename) == good]
        listed = {f.filename: f.sha256 for f in chosen}
        names = tuple(s.name for s in specs)
        return Plan(_name(project), spec, step.source, str(bad), step.target, listed, names), chosen
    what = request.good or f"a final release below {bad} that is not yanked"
    raise FatalError(
        f"no configured registry serves {what}",
        hint="name the good version with --good, and its registry with --from-registry",
    )


# ------------------------------------------------------------------ the files, checked


def _fetch(
    project: Project, chosen: Plan, entries: list[IndexFile], folder: Path, env: Mapping[str, str]
) -> list[Path]:
    """The good files in ``folder``, each checked against its index's hash and the ledger."""
    from releasegate._internal.hashing import sha256_file
    from releasegate._internal.publish.ledger import Ledger
    from releasegate._internal.publish.run import configured
    from releasegate._internal.publish.settings import PublishSettings

    if chosen.source.kind is Kind.DIRECTORY:
        paths = []
        for entry in entries:
            source = Path(unquote(urlsplit(entry.url).path))
            target = folder / entry.filename
            shutil.copyfile(source, target)
            if entry.sha256 is not None and sha256_file(target) != entry.sha256:
                raise FatalError(
                    f"{entry.filename}: the file in {chosen.source.name} does not have the "
                    "sha256 its page states; refusing to release it again"
                )
            paths.append(target)
    else:
        from releasegate._internal.promote.fetch import fetch

        paths = fetch(project, chosen.good, chosen.source.name, folder, env)
    ledger_path = configured(project, project.config.settings(PublishSettings).ledger, "ledger")
    ledger, _ = Ledger.load(ledger_path)
    for path in paths:
        published = ledger.published(path.name)
        if published and sha256_file(path) not in published:
            raise FatalError(
                f"{path.name}: {chosen.source.name} serves other bytes than the ones this "
                "project published (the ledger's sha256)",
                hint="find out who replaced the file before releasing it again",
            )
    return paths


def _earlier(outdir: Path, sources: list[Path]) -> list[Path]:
    """The files in ``outdir`` when each is one of ``sources`` promoted (its record names
    it and the payloads agree), one per source; else none."""
    from releasegate._internal.promote.lineage import promoted_from

    if not outdir.is_dir():
        return []
    found = sorted(p for p in outdir.iterdir() if p.name.endswith((".whl", ".tar.gz")))
    if len(found) != len(sources):
        return []
    matched = [next((p for p in found if promoted_from(p, source)), None) for source in sources]
    if any(p is None for p in matched) or len(set(matched)) != len(sources):
        return []
    return found


# ------------------------------------------------------------------ the run


def rollback(
    project: Project,
    request: RollbackRequest,
    events: Events,
    say: Callable[[str], None],
    env: Mapping[str, str],
) -> RollbackOutcome:
    from releasegate._internal.publish.run import configured
    from releasegate._internal.publish.settings import PublishSettings

    chosen, entries = plan(project, request, env)
    for line in chosen.lines():
        say(line)
    outcome = RollbackOutcome(chosen)
    if request.dry_run:
        return outcome
    log = configured(project, project.config.settings(PublishSettings).audit_log, "audit-log")
    run_id = audit.new_run_id()
    audit.append(log, _entry(run_id, "started", chosen, request, env))
    try:
        _run(project, request, chosen, entries, outcome, events=events, say=say, env=env)
    finally:
        # Written on every outcome but a kill, which the intent above already covers.
        audit.append(log, _entry(run_id, "finished", chosen, request, env, outcome=outcome))
    return outcome


def _run(
    project: Project,
    request: RollbackRequest,
    chosen: Plan,
    entries: list[IndexFile],
    outcome: RollbackOutcome,
    *,
    events: Events,
    say: Callable[[str], None],
    env: Mapping[str, str],
) -> None:
    from releasegate._internal.promote.run import PromoteRequest, promote_project
    from releasegate._internal.publish.results import gate_results
    from releasegate._internal.publish.run import PublishOptions, publish
    from releasegate._internal.publish.yank import CHECK, YankOptions, findings_of, yank
    from releasegate._internal.runner import result_of

    outdir = project.root / ".releasegate" / "rollback" / chosen.target
    with tempfile.TemporaryDirectory(prefix="releasegate-rollback-") as folder:
        paths = _fetch(project, chosen, entries, Path(folder), env)
        earlier = _earlier(outdir, paths)
        if earlier:
            # An earlier run that stopped after promoting: its files, not new ones, go out.
            # Promoted again they would differ (the record's time) from what it may have
            # published already, and every registry that has them would refuse the new ones.
            say(f"reusing the files an earlier rollback to {chosen.target} promoted")
            outcome.written = earlier
        else:
            if outdir.exists():
                shutil.rmtree(outdir)  # not this rollback's files: promoted again
            promoted = promote_project(
                project,
                PromoteRequest(paths, request.to or "", outdir, env, replaces=chosen.bad),
            )
            outcome.results += promoted.report.results
            outcome.written = promoted.written
            if promoted.report.failed or not promoted.written:
                say("stopped: the good files could not be released again (see the findings)")
                return
    dist_dir = outdir.relative_to(project.root).as_posix()
    published = publish(project, PublishOptions(dist_dir, request.registries), events, env)
    if published.governance is not None:
        outcome.results.append(published.governance.result(project))
    outcome.results += gate_results(published, project)
    if published.refused:
        say("stopped: the release policy refused the publish; nothing was yanked")
        return
    # Yanked whatever the publish did: a range then resolves to the good release, as the
    # new version where it landed, as the good version itself elsewhere.
    options = YankOptions(chosen.bad, request.reason, request.registries, wait=request.wait)
    yanked = yank(project, options, events, say, env)
    findings = findings_of(yanked.outcomes, options)
    outcome.results.append(result_of(CHECK, findings, project, summary=f"yank {chosen.bad}"))
    outcome.done = published.ok and not findings


def _entry(
    run: str,
    phase: str,
    chosen: Plan,
    request: RollbackRequest,
    env: Mapping[str, str],
    *,
    outcome: RollbackOutcome | None = None,
) -> dict[str, object]:
    import time

    entry: dict[str, object] = {
        "tool": TOOL,
        "phase": phase,
        "run": run,
        "who": audit.who(env),
        "when": audit.iso(time.time()),
        "project": chosen.project,
        "bad": chosen.bad,
        "restores": chosen.good,
        "version": chosen.target,
        "reason": request.reason,
        "source": chosen.source.name,
        "files": dict(chosen.files),
        "registries": list(chosen.registries),
    }
    if outcome is not None:
        entry["done"] = outcome.done
        entry["written"] = [p.name for p in outcome.written]
    return entry
