"""releasegate's API gate and griffe side by side on real release pairs: found, missed, false.

Each pair is two consecutive releases of a library, their sdists from PyPI laid out as a git
history tagged ``v<version>`` (``tests/corpus_support.py``), with the verdict its changelog
justifies: is the newer release's version bump too small for what changed in its API?

- releasegate: ``releasegate check api`` at the newer tag, zero configuration; it claims
  "too small" when it fails.
- griffe: ``griffe check PACKAGE -a vOLD -b vNEW``; it reports breakages only, so it claims
  "too small" when it finds one and the bump is below the one a break needs (a major, or a
  minor while the major version is 0).
- AexPy (optional, ``--aexpy PATH`` or ``$AEXPY``: its ``aexpy`` executable, in a venv of its
  own): each release's wheel from PyPI, ``aexpy preprocess -r``, ``extract``, then ``diff``;
  it claims "too small" when it grades a change at its highest severity (High: a break) and
  the bump does not allow a break, the rule griffe gets. A pair it cannot process is "n/a",
  counted as no claim. Without AexPy the column is left out.

The corpus is ``tests/api/test_api_corpus.py``'s (the default); ``--set NAME`` measures one of
the held-out sets in ``benchmarks/api_sets/`` (``--set held-out``: all of them together).
Prints a Markdown table per pair and a summary
(precision = found / (found + false), recall = found / (found + missed)); exits 1 when
releasegate's precision or recall is below the target, 95%.
"""

from __future__ import annotations

import argparse
import email.parser
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.corpus_support import sdist, unpack  # noqa: E402

TARGET = 0.95
TIMEOUT = 600
# AexPy's service file: it builds each release's import environment with venv, not conda.
AEXPY_SERVICE = Path(__file__).with_name("aexpy_service.py")
# AexPy's highest severity (``BreakingRank.High``), the grade it gives a break.
AEXPY_HIGH = 100
# The held-out sets, one module each in benchmarks/api_sets/: each was labelled from the
# libraries' changelogs before either tool ran on it, and its labels were committed apart from
# any result.
SETS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def labelled(name: str) -> list[tuple[str, str, str, bool, str]]:
    """The pairs of the held-out set ``name``: (name, old, new, too small, the changelog's word)."""
    path = Path(__file__).with_name("api_sets") / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"api_sets_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: list[tuple[str, str, str, bool, str]] = module.PAIRS
    return found


@dataclass
class Verdicts:
    name: str
    old: str
    new: str
    too_small: bool
    releasegate: bool
    griffe: bool | None
    """None: griffe could not check the pair."""
    aexpy: bool | None = None
    """None: AexPy was not run, or could not process the pair."""
    aexpy_seconds: float | None = None
    releasegate_crashed: bool = False
    """It exited with neither 0 nor 1: a CI step that fails, so counted as a failure claim."""


def git(root: Path, *args: str, when: int = 1_700_000_000) -> str:
    date = f"{when} +0000"
    done = subprocess.run(
        ["git", *args],
        cwd=root,
        env={**os.environ, **GIT_ENV, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def history(root: Path, name: str, versions: tuple[str, str]) -> None:
    """The two releases as commits tagged ``v<version>``, after empty commits tagged with the
    releases before them, each dated when PyPI received it: at a real release tag the gate
    reads the project's numbering from its history (networkx's 3.4, 3.4.1, 3.4.2, 3.5; boltons'
    24.0.0 made in 2024, a calendar version), which two tags alone do not show."""
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    uploaded = release_times(name)
    earlier = earlier_releases(versions[0], uploaded)
    # Unknown dates: a day apart, in order (two tags made in the same second would tie).
    when = {v: uploaded.get(v, 1_700_000_000 + i * 86_400) for i, v in enumerate(earlier)}
    for i, version in enumerate(versions, start=len(earlier)):
        when[version] = uploaded.get(version, 1_700_000_000 + i * 86_400)
    for version in earlier:
        git(root, "commit", "-q", "--allow-empty", "-m", f"release {version}", when=when[version])
        git(root, "tag", "-a", f"v{version}", "-m", version, when=when[version])
    for version in versions:
        unpack(sdist(name, version), root)
        git(root, "add", "-A", "-f")
        git(root, "commit", "-q", "--allow-empty", "-m", f"release {version}", when=when[version])
        git(root, "tag", "-a", f"v{version}", "-m", version, when=when[version])


HISTORY = 6
"""How many final releases before the older one are tagged (of its major version)."""


def release_times(name: str) -> dict[str, int]:
    """Each release's first upload to PyPI (Unix time), from its JSON API; {} when PyPI cannot
    say (the history then falls back to one day per release)."""
    import datetime as dt
    import json
    import urllib.request

    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as reply:
            releases = json.load(reply).get("releases", {})
    except (OSError, ValueError) as exc:
        print(f"<!-- no release history for {name}: {exc} -->", file=sys.stderr)
        return {}
    found = {}
    for version, files in releases.items():
        stamps = [f.get("upload_time_iso_8601") for f in files if f.get("upload_time_iso_8601")]
        if stamps:
            first = min(dt.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in stamps)
            found[version] = int(first.timestamp())
    return found


def earlier_releases(old: str, uploaded: dict[str, int]) -> list[str]:
    """The last ``HISTORY`` final releases of ``old``'s major before it, in version order."""
    from packaging.version import InvalidVersion, Version

    base = Version(old)
    found = []
    for text in uploaded:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        final = not (version.is_prerelease or version.is_devrelease)
        if final and version < base and version.release[0] == base.release[0]:
            found.append((version, text))
    return [text for _, text in sorted(found)[-HISTORY:]]


def releasegate_exit(root: Path) -> int:
    env = {**os.environ, **GIT_ENV, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "releasegate", "check", "api"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    if done.returncode not in (0, 1):
        print(f"<!-- releasegate exited {done.returncode} on {root.name} -->", file=sys.stderr)
    return done.returncode


def _package(root: Path, name: str) -> tuple[str, str] | None:
    """griffe's package argument and search path for the distribution ``name``."""
    module = name.replace("-", "_").lower()
    for search in ("src", "."):
        base = root / search
        if (base / module).is_dir() or (base / f"{module}.py").is_file():
            return module, search
        nested = base.joinpath(*module.split("_"))
        if nested.is_dir():
            return ".".join(module.split("_")), search
    # A distribution named apart from its package (PyJWT's jwt, dnspython's dns): the one
    # package at the root or under src/, as the gate finds it.
    found = [
        (init.parent.name, search)
        for search in ("src", ".")
        for init in sorted((root / search).glob("*/__init__.py"))
        if init.parent.name.isidentifier() and init.parent.name not in NOT_THE_PACKAGE
    ]
    return found[0] if len(found) == 1 else None


NOT_THE_PACKAGE = frozenset({"tests", "test", "docs", "doc", "examples", "benchmarks", "scripts"})


def griffe_fails(root: Path, name: str, old: str, new: str) -> bool | None:
    found = _package(root, name)
    griffe = Path(sys.executable).with_name("griffe")
    if found is None or not griffe.exists():
        return None
    package, search = found
    done = subprocess.run(
        [str(griffe), "check", package, "-a", f"v{old}", "-b", f"v{new}", "-s", search],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
    )
    # A crash exits 1 too (msgspec 0.18's compiled module: an AliasResolutionError): no claim.
    if done.returncode not in (0, 1) or "Traceback (most recent call last)" in done.stderr:
        return None
    return done.returncode == 1 and not _breaks_allowed(old, new)


def _breaks_allowed(old: str, new: str) -> bool:
    """The bump is big enough for a break: a major, or a minor below 1.0."""
    a, b = ([int(p) for p in [*v.split("."), "0", "0"][:3]] for v in (old, new))
    return b[0] > a[0] or (a[0] == 0 and b[1] > a[1])


def _aexpy_run(aexpy: Path, args: list[str], cwd: Path) -> bool:
    env = {
        **os.environ,
        "AEXPY_SERVICE": str(AEXPY_SERVICE),
        # AexPy downloads wheels with the ``pip`` found on PATH: its own venv's.
        "PATH": f"{aexpy.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    try:
        done = subprocess.run(
            [str(aexpy), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        print(f"<!-- aexpy {args[0]} timed out in {cwd.name} -->", file=sys.stderr)
        return False
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1]
        print(f"<!-- aexpy {args[0]} failed in {cwd.name}: {last} -->", file=sys.stderr)
    return done.returncode == 0


def _metadata_name(name: str, version: str) -> str:
    """The project's name as its metadata spells it (``Flask``, not ``flask``).

    AexPy compares the name it is given with the wheel's dist-info name, case and all; the
    sdist (already downloaded for the git history) usually carries the same ``Name``.
    """
    with tarfile.open(sdist(name, version)) as archive:
        for member in archive.getmembers():
            if member.name.count("/") == 1 and member.name.endswith("/PKG-INFO"):
                extracted = archive.extractfile(member)
                if extracted is not None:
                    metadata = email.parser.BytesHeaderParser().parse(extracted)
                    return str(metadata.get("Name", name))
    return name


def aexpy_api(aexpy: Path, scratch: Path, name: str, version: str) -> Path | None:
    """AexPy's API description of the release ``name`` ``version`` (made once per run)."""
    base = scratch / "aexpy" / f"{name}-{version}"
    api = base / "api.json"
    if base.exists():
        return api if api.is_file() else None
    (base / "wheel").mkdir(parents=True)
    # The wheel's metadata usually spells the name as the sdist's does; importlib-metadata
    # 7.0.0's do not (importlib-metadata, importlib_metadata): the first name AexPy accepts.
    names = dict.fromkeys((_metadata_name(name, version), name, name.replace("-", "_")))
    preprocessed = any(
        _aexpy_run(aexpy, ["preprocess", "-r", "-p", f"{n}@{version}", "wheel", "dist.json"], base)
        for n in names
    )
    # -j: the JSON mode its docs call the default is not (-s, a ZIP, wins in 0.4.3).
    if preprocessed and _aexpy_run(
        aexpy, ["extract", "-j", "--temp", "dist.json", "api.json"], base
    ):
        return api
    return None


def aexpy_fails(aexpy: Path, scratch: Path, name: str, old: str, new: str) -> bool | None:
    apis = [aexpy_api(aexpy, scratch, name, version) for version in (old, new)]
    if apis[0] is None or apis[1] is None:
        return None
    diff = scratch / "aexpy" / f"{name}-{old}-{new}.json"
    if not _aexpy_run(aexpy, ["diff", str(apis[0]), str(apis[1]), str(diff)], scratch):
        return None
    entries: dict[str, dict[str, object]] = json.loads(diff.read_text())["entries"]
    breaks = any(entry["rank"] == AEXPY_HIGH for entry in entries.values())
    return breaks and not _breaks_allowed(old, new)


def measure(
    pairs: list[tuple[str, str, str, bool]], scratch: Path, aexpy: Path | None = None
) -> list[Verdicts]:
    results = []
    for name, old, new, too_small in pairs:
        root = scratch / f"{name}-{old}-{new}"
        try:
            history(root, name, (old, new))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - pytest.skip when PyPI has no sdist
            print(f"<!-- skipped {name} {old} -> {new}: {exc} -->", file=sys.stderr)
            continue
        code = releasegate_exit(root)
        verdicts = Verdicts(
            name,
            old,
            new,
            too_small,
            code != 0,
            griffe_fails(root, name, old, new),
            releasegate_crashed=code not in (0, 1),
        )
        if aexpy is not None:
            start = time.monotonic()
            verdicts.aexpy = aexpy_fails(aexpy, scratch, name, old, new)
            verdicts.aexpy_seconds = time.monotonic() - start
            print(
                f"<!-- aexpy {name} {old} -> {new}: {verdicts.aexpy_seconds:.0f} s -->",
                file=sys.stderr,
            )
        results.append(verdicts)
    return results


def score(claims: list[tuple[bool, bool]]) -> tuple[int, int, int, float, float]:
    found = sum(1 for expected, claimed in claims if expected and claimed)
    missed = sum(1 for expected, claimed in claims if expected and not claimed)
    false = sum(1 for expected, claimed in claims if claimed and not expected)
    precision = found / (found + false) if found + false else 1.0
    recall = found / (found + missed) if found + missed else 1.0
    return found, missed, false, precision, recall


def _mark(claimed: bool | None, expected: bool) -> str:
    if claimed is None:
        return "n/a"
    word = "too small" if claimed else "ok"
    return word if claimed == expected else f"**{word}**"


def _releasegate_mark(r: Verdicts) -> str:
    return "**crash**" if r.releasegate_crashed else _mark(r.releasegate, r.too_small)


def table(results: list[Verdicts], with_aexpy: bool = False) -> str:
    lines = [
        "| pair | changelog | releasegate | griffe |" + (" AexPy |" if with_aexpy else ""),
        "|---|---|---|---|" + ("---|" if with_aexpy else ""),
    ]
    for r in results:
        expected = "too small" if r.too_small else "ok"
        lines.append(
            f"| {r.name} {r.old} → {r.new} | {expected} | {_releasegate_mark(r)}"
            f" | {_mark(r.griffe, r.too_small)} |"
            + (f" {_mark(r.aexpy, r.too_small)} |" if with_aexpy else "")
        )
    lines += [
        "",
        "| tool | found | missed | false | precision | recall | false per 20 pairs |",
        "|---|---|---|---|---|---|---|",
    ]
    tools = [
        ("releasegate", [(r.too_small, r.releasegate) for r in results]),
        ("griffe check", [(r.too_small, bool(r.griffe)) for r in results]),
    ]
    if with_aexpy:
        tools.append(("AexPy", [(r.too_small, bool(r.aexpy)) for r in results]))
    for tool, claims in tools:
        found, missed, false, precision, recall = score(claims)
        per_20 = 20 * false / len(results) if results else 0.0
        lines.append(
            f"| {tool} | {found} | {missed} | {false} | {precision:.0%} | {recall:.0%}"
            f" | {per_20:.1f} |"
        )
    return "\n".join(lines)


def corpus_pairs() -> list[tuple[str, str, str, bool]]:
    from tests.api.test_api_corpus import PAIRS, POLICY_PAIRS

    # The policy pairs remove deprecated API in a minor release: too small by strict SemVer,
    # which is what both tools judge with no configuration.
    return [(p[0], p[1], p[2], p[3]) for p in PAIRS] + [
        (p[0], p[1], p[2], True) for p in POLICY_PAIRS
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        choices=[*SETS, "held-out"],
        help="a held-out set (benchmarks/api_sets/), or every one of them together",
    )
    # The names the docs used before the sets had files.
    parser.add_argument("--held-out", dest="set", action="store_const", const="first")
    parser.add_argument("--fresh", dest="set", action="store_const", const="second")
    parser.add_argument("--third", dest="set", action="store_const", const="third")
    parser.add_argument("--only", help="only the pairs of this library")
    parser.add_argument(
        "--aexpy",
        type=Path,
        default=os.environ.get("AEXPY") or None,
        help="AexPy's aexpy executable, in a venv of its own (default: $AEXPY); adds its column",
    )
    args = parser.parse_args(argv)
    if args.aexpy is not None and not args.aexpy.is_file():
        parser.error(f"--aexpy: no such file: {args.aexpy}")
    if args.set is None:
        pairs = corpus_pairs()
    else:
        names = SETS if args.set == "held-out" else (args.set,)
        pairs = [(p[0], p[1], p[2], p[3]) for name in names for p in labelled(name)]
    if args.only:
        pairs = [p for p in pairs if p[0] == args.only]
    with tempfile.TemporaryDirectory(prefix="api-vs-griffe-") as tmp:
        results = measure(pairs, Path(tmp), args.aexpy)
    print(table(results, with_aexpy=args.aexpy is not None))
    if args.aexpy is not None:
        times = [r.aexpy_seconds for r in results if r.aexpy_seconds is not None]
        failed = sum(1 for r in results if r.aexpy is None)
        if times:
            print(
                f"\nAexPy: {failed} of {len(results)} pairs n/a; per pair median"
                f" {statistics.median(times):.0f} s, max {max(times):.0f} s"
            )
    _, _, _, precision, recall = score([(r.too_small, r.releasegate) for r in results])
    print(f"\nreleasegate on {len(results)} pairs: precision {precision:.0%}, recall {recall:.0%}")
    print(f"ratio to target: {min(precision, recall) / TARGET:.2f}")
    return 0 if precision >= TARGET and recall >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
