"""Verification: build twice under varied conditions, concurrently, and compare.

Both builds (and the wheel built from the first sdist) share ONE build
environment. Each build works on its own copy of the source tree; the second
differs in path, umask, TZ, file order and mtimes, HOME and clock.
"""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.archives import Limits, read_archive
from releasegate._internal.builder.conditions import VARIATIONS, Conditions, describe, pair
from releasegate._internal.builder.diff import CHECK, Comparison, Problem, explain, umask_only
from releasegate._internal.builder.pep517 import (
    BuildEnvironment,
    BuildSettings,
    BuiltDists,
    backend_output,
    epoch_environment,
)
from releasegate._internal.builder.sdisttimes import STAMPED
from releasegate._internal.builder.shipping import BuildRecord, carries, record_of, ship
from releasegate._internal.builder.sources import prepare_copy, source_files
from releasegate._internal.builder.unpack import UnsafeArchive, extract_sdist
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Sequence
    from concurrent.futures import Future

    from releasegate._internal.archives import Archive
    from releasegate._internal.builder.pep517 import Installer


@dataclass(frozen=True)
class VerifyOptions:
    isolated: bool = True
    installer: Installer = "auto"
    source_date_epoch: int | None = None
    """None: the last commit's time."""
    set_epoch: bool = True
    """False builds without SOURCE_DATE_EPOCH (to show what it fixes)."""
    vary: frozenset[str] = frozenset(VARIATIONS)
    history: bool = False
    """Give each copy the git history (for versions from VCS tags)."""
    from_sdist: bool = True
    """Also compare the wheel built from the sdist with the wheel built from the tree."""
    outdir: Path | None = None
    """Ship the first build's sdist and wheel here (with SHA256SUMS and BUILDINFO.json), only
    when the verification passed."""
    expected_version: str | None = None
    """Ship only artifacts that carry this (normalised) version."""
    keep: Path | None = None
    """Keep the other builds' artifacts here, for diffoscope."""
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class Verdict:
    """One artifact compared across two builds."""

    kind: str
    """``sdist``, ``wheel`` or ``wheel-from-sdist``."""
    name: str
    first: str
    """sha256 of the first build's file."""
    second: str
    labels: tuple[str, str]
    recorded: str | None = None
    """The recorded build condition that alone explains the difference (the umask), if any."""

    @property
    def identical(self) -> bool:
        return self.first == self.second

    @property
    def reproducible(self) -> bool:
        """Identical, or different only in a condition that BUILDINFO.json records."""
        return self.identical or self.recorded is not None


@dataclass(frozen=True)
class VerifyResult:
    verdicts: tuple[Verdict, ...]
    problems: tuple[Problem, ...]
    """Unsafe archives, the verdicts, every explained difference, then how the builds ran: the
    gate (``checks/reproducible.py``) places them as findings of ``CHECK``."""
    conditions: tuple[str, ...]
    dists: BuiltDists | None = None
    """The first build's artifacts, shipped to ``outdir`` (None: not asked, or not reproducible)."""
    record: BuildRecord | None = None
    """The conditions of the first build (what ``BUILDINFO.json`` records)."""
    output: tuple[tuple[str, str], ...] = ()
    """The backend's output of each build, by label: shown only on request (``--verbose``)."""

    @property
    def reproducible(self) -> bool:
        from releasegate._internal.rules import E, default_severity

        return all(v.reproducible for v in self.verdicts) and not any(
            default_severity(f"{CHECK}/{p.rule}") == E for p in self.problems
        )

    def data(self) -> dict[str, object]:
        """The verdict as fields (``GateResult.data``): every artifact's sha256 in each build."""
        return {
            "reproducible": self.reproducible,
            "artifacts": [
                {
                    "kind": v.kind,
                    "name": v.name,
                    "identical": v.identical,
                    "recorded_condition": v.recorded,
                    "builds": [
                        {"label": v.labels[0], "sha256": v.first},
                        {"label": v.labels[1], "sha256": v.second},
                    ],
                }
                for v in self.verdicts
            ],
            "conditions": list(self.conditions),
            "shipped": [p.name for p in self.dists.paths()] if self.dists else [],
        }


@dataclass(frozen=True)
class _Built:
    """What the concurrent builds produced (paths under the work directory)."""

    first: BuiltDists
    second: BuiltDists
    from_sdist: Path | None
    problems: tuple[Problem, ...] = ()
    output: tuple[tuple[str, str], ...] = ()


def verify(source: Path, options: VerifyOptions | None = None) -> VerifyResult:
    """Build ``source`` twice under varied conditions and explain every difference."""
    chosen = options or VerifyOptions()
    files, _ = source_files(source)
    epoch = epoch_environment(source, chosen.source_date_epoch, set_epoch=chosen.set_epoch)
    with tempfile.TemporaryDirectory(prefix="releasegate-verify-") as tmp:
        work = Path(tmp)
        first, second = pair(work, chosen.vary)
        # The copies are written while the environment is created.
        with ThreadPoolExecutor(2) as copier:
            copies = (
                copier.submit(_copy, source, files, first, chosen.history),
                copier.submit(_copy, source, files, second, chosen.history),
            )
            with BuildEnvironment(
                isolated=chosen.isolated, installer=chosen.installer
            ) as environment:
                built = _build_all(environment, work, (first, second), epoch, chosen, copies=copies)
                said = [environment.describe(), *describe(first, second)]
                record = record_of(environment, first, epoch)
        umasks = (first.layout.umask, second.layout.umask)
        result = _compare(built, chosen, said, epoch, umasks=umasks, stamped=environment.stamped)
        _keep(built, chosen)
        dists = None
        if (
            chosen.outdir is not None
            and result.reproducible
            and carries(built.first.paths(), chosen.expected_version)
        ):
            dists = BuiltDists(*ship(built.first.paths(), chosen.outdir, record))
    return replace(result, dists=dists, record=record, output=built.output)


def _copy(source: Path, files: list[str], conditions: Conditions, history: bool) -> None:
    prepare_copy(source, files, conditions.tree, conditions.layout, history)
    conditions.home.mkdir(parents=True, exist_ok=True)


def _build_all(
    environment: BuildEnvironment,
    work: Path,
    both: tuple[Conditions, Conditions],
    epoch: dict[str, str],
    options: VerifyOptions,
    *,
    copies: tuple[Future[None], Future[None]],
) -> _Built:
    first, second = (c.settings(epoch, options.set_epoch) for c in both)
    third = replace(first, log=[])
    copies[0].result()
    environment.prepare(both[0].tree, first)
    copies[1].result()
    with ThreadPoolExecutor(max_workers=3) as pool:
        sdist_a = pool.submit(environment.build, both[0].tree, "sdist", work / "out-a", first)
        wheel_a = pool.submit(_after, sdist_a, environment, both[0].tree, work / "out-a", first)
        build_b = pool.submit(_pair, environment, both[1].tree, work / "out-b", second)
        from_sdist = (
            pool.submit(
                _wheel_from_sdist,
                sdist_a,
                environment,
                work,
                third,
                options.limits,
            )
            if options.from_sdist
            else None
        )
        a = BuiltDists(sdist_a.result(), wheel_a.result())
        b = build_b.result()
        wheel_c, problems = from_sdist.result() if from_sdist is not None else (None, ())
    output = (
        (both[0].label, backend_output(first.log)),
        (both[1].label, backend_output(second.log)),
        ("the wheel from the sdist", backend_output(third.log)),
    )
    return _Built(a, b, wheel_c, problems, tuple((k, v) for k, v in output if v))


def _after(
    sdist: Future[Path],
    environment: BuildEnvironment,
    tree: Path,
    outdir: Path,
    settings: BuildSettings,
) -> Path:
    # The wheel waits for the sdist of the same tree: backends write into the tree (egg-info).
    sdist.result()
    return environment.build(tree, "wheel", outdir, settings)


def _pair(
    environment: BuildEnvironment, tree: Path, outdir: Path, settings: BuildSettings
) -> BuiltDists:
    sdist = environment.build(tree, "sdist", outdir, settings)
    return BuiltDists(sdist, environment.build(tree, "wheel", outdir, settings))


def _wheel_from_sdist(
    sdist: Future[Path],
    environment: BuildEnvironment,
    work: Path,
    settings: BuildSettings,
    limits: Limits,
) -> tuple[Path | None, tuple[Problem, ...]]:
    path = sdist.result()
    try:
        tree = extract_sdist(path, work / "from-sdist", limits)
    except UnsafeArchive as unsafe:
        return None, tuple(_unsafe(path, p.rule, p.message) for p in unsafe.problems)
    return environment.build(tree, "wheel", work / "out-c", settings), ()


def _unsafe(path: Path, rule: str, message: str) -> Problem:
    return Problem(
        rule="unsafe-archive",
        message=f"{path.name}: {message} [{rule}]",
        hint="the backend wrote an archive that is unsafe to unpack; check what the sdist includes",
    )


class _Reader:
    """Reads each archive once, turning its problems into the gate's ``unsafe-archive``."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[Problem] = []
        self._read: dict[Path, Archive] = {}

    def __call__(self, path: Path) -> Archive:
        if path not in self._read:
            archive = read_archive(path, self.limits)
            self.problems.extend(_unsafe(path, p.rule, p.message) for p in archive.problems)
            self._read[path] = archive
        return self._read[path]


_BUILDS = ("build 1", "build 2")
_TREE_AND_SDIST = ("the wheel from the tree", "the wheel from the sdist")


def _pairs(built: _Built) -> list[tuple[str, Path, Path, tuple[str, str]]]:
    pairs = [
        ("sdist", built.first.sdist, built.second.sdist, _BUILDS),
        ("wheel", built.first.wheel, built.second.wheel, _BUILDS),
    ]
    if built.from_sdist is not None:
        pairs.append(("wheel-from-sdist", built.first.wheel, built.from_sdist, _TREE_AND_SDIST))
    return pairs


_UMASK_RECORDED = "file modes, which follow the umask ({:03o} vs {:03o})"


def _compare(
    built: _Built,
    options: VerifyOptions,
    conditions: list[str],
    epoch: dict[str, str],
    *,
    umasks: tuple[int, int] = (0o022, 0o022),
    stamped: Sequence[str] = (),
) -> VerifyResult:
    umask_bits = umasks[0] ^ umasks[1]
    reader = _Reader(options.limits)
    for path in built.first.paths():
        reader(path)  # what would ship is always checked for hostile members
    verdicts, verdict_problems, explained, differing = [], [], [], []
    unstable = _unstable(reader, built.first.wheel, built.second.wheel)
    for kind, a, b, labels in _pairs(built):
        verdict = Verdict(kind, a.name, sha256_file(a), sha256_file(b), labels)
        if not verdict.identical:
            comparison = Comparison(kind, reader(a), reader(b), labels, unstable=unstable)
            why = explain(comparison)
            if umask_only(comparison, why, umask_bits):
                verdict = replace(verdict, recorded=_UMASK_RECORDED.format(*umasks))
            else:
                differing.append(kind)
                explained.extend(why)
        verdicts.append(verdict)
        verdict_problems.append(_verdict_problem(verdict))
    said = [*conditions, _epoch_said(epoch)]
    if stamped:
        said.append(f"{', '.join(sorted(set(stamped)))}: {STAMPED}")
    notes = [Problem(rule="conditions", message="how the two builds ran: " + "; ".join(said))]
    if explained:
        notes.extend(_diffoscope(built, options, differing))
    problems = [
        *built.problems,
        *_dedupe(reader.problems),
        *verdict_problems,
        *_dedupe(explained),
        *notes,
    ]
    return VerifyResult(tuple(verdicts), tuple(problems), tuple(said))


def _unstable(reader: _Reader, first: Path, second: Path) -> frozenset[str]:
    """The wheel members whose bytes differ between the two builds of the tree."""
    if sha256_file(first) == sha256_file(second):
        return frozenset()
    other = reader(second).by_name()
    return frozenset(
        m.name
        for m in reader(first).members
        if m.name in other and (m.kind, m.sha256) != (other[m.name].kind, other[m.name].sha256)
    )


def _epoch_said(epoch: dict[str, str]) -> str:
    value = epoch.get("SOURCE_DATE_EPOCH")
    return f"SOURCE_DATE_EPOCH={value}" if value else "SOURCE_DATE_EPOCH unset"


def _verdict_problem(verdict: Verdict) -> Problem:
    hashes = (
        f"{verdict.labels[0]} sha256 {verdict.first}, {verdict.labels[1]} sha256 {verdict.second}"
    )
    if verdict.identical:
        return Problem(
            rule="reproducible", message=f"{verdict.kind} {verdict.name}: identical ({hashes})"
        )
    if verdict.recorded is not None:
        # The backend writes the condition into the archive, as a build condition it is recorded
        # (BUILDINFO.json) and repeated by every rebuild: information, not a failure (issue 31).
        return Problem(
            rule="recorded-condition",
            message=f"{verdict.kind} {verdict.name}: differs only in {verdict.recorded}; the backend"
            f" records it, and BUILDINFO.json records the build's ({hashes})",
            hint="nothing to fix for the release: `releasegate rebuild` builds under the recorded "
            "conditions; to make the files independent of the umask, use a backend that "
            "normalises modes (hatchling, flit-core)",
        )
    hint = (
        "the wheel built from the sdist must equal the wheel built from the tree"
        if verdict.kind == "wheel-from-sdist"
        else "the findings below say what differs and how to fix it"
    )
    return Problem(
        rule="not-reproducible",
        message=f"{verdict.kind} {verdict.name}: differs ({hashes})",
        hint=hint,
    )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


def _diffoscope(built: _Built, options: VerifyOptions, differing: list[str]) -> list[Problem]:
    if shutil.which("diffoscope") is None:
        return []
    if options.keep is None:
        how = (
            "run `releasegate build --verify --keep DIR` and compare the kept files with diffoscope"
        )
    else:
        commands = []
        for kind in differing:
            side = "from-sdist" if kind == "wheel-from-sdist" else "build-2"
            path = built.first.sdist if kind == "sdist" else built.first.wheel
            other = built.from_sdist if kind == "wheel-from-sdist" else None
            name = (other or path).name
            commands.append(
                f"diffoscope {options.keep / 'build-1' / path.name} {options.keep / side / name}"
            )
        how = "; ".join(commands)
    return [
        Problem(
            rule="diffoscope",
            message=f"diffoscope is installed: it shows every difference in depth ({', '.join(differing)})",
            hint=how,
        )
    ]


def _keep(built: _Built, options: VerifyOptions) -> None:
    if options.keep is None:
        return
    for label, paths in (
        ("build-1", built.first.paths()),
        ("build-2", built.second.paths()),
        ("from-sdist", (built.from_sdist,) if built.from_sdist else ()),
    ):
        target = options.keep / label
        target.mkdir(parents=True, exist_ok=True)
        for path in paths:
            shutil.copy2(path, target / path.name)
