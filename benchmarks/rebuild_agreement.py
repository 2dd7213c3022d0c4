"""Does ``releasegate rebuild NAME==VERSION`` agree with an independent rebuild? (issue 31)

The independent rebuild shares no code with releasegate's: the published sdist and pure wheel
come from ``pip download``; the backend is pinned (a ``PIP_CONSTRAINT`` file) to the version the
wheel's ``Generator`` line names, and a VCS plugin among the build requirements to its newest
release before the wheel's upload (PyPI's JSON API); ``python -m build --wheel`` builds the
sdist with SOURCE_DATE_EPOCH unset and then set to the wheel's commonest zip time, TZ=UTC; a
difference left is shown by diffoscope. Usage::

    python benchmarks/rebuild_agreement.py six==1.17.0 attrs==25.3.0 ... > table.md

Needs network access to PyPI and, for the causes, ``diffoscope`` on PATH. The table goes to
``docs/rebuild-accuracy.md``; the column "cause" is the first lines diffoscope prints.
"""

from __future__ import annotations

import calendar
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

_GENERATOR = re.compile(r"^Generator:\s*(\S+)\s*\(?([0-9][^\s)]*)", re.M)
_DISTS = {"bdist_wheel": "wheel", "flit": "flit_core", "poetry": "poetry-core"}
_PLUGINS = ("hatch-vcs", "setuptools-scm", "setuptools_scm", "hatch_vcs", "flit-scm", "flit_scm")
"""Build requirements dated to their newest release before the wheel's upload."""
_REPO = Path(__file__).resolve().parent.parent


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _download(pin: str, folder: Path) -> tuple[Path, Path]:
    common = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(folder)]
    subprocess.run([*common, "--no-binary", ":all:", pin], check=True, capture_output=True)
    subprocess.run(
        [*common, "--only-binary", ":all:", "--platform", "any", "--implementation", "py",
         "--abi", "none", pin],
        check=True, capture_output=True,
    )  # fmt: skip
    return next(folder.glob("*.tar.gz")), next(folder.glob("*.whl"))


def _simple(name: str) -> list[dict[str, object]]:
    """PEP 691 JSON of PyPI's simple index: every file with its PEP 700 upload-time."""
    request = urllib.request.Request(
        f"https://pypi.org/simple/{name}/",
        headers={"Accept": "application/vnd.pypi.simple.v1+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files: list[dict[str, object]] = json.load(response)["files"]
    return files


def _upload_time(name: str, filename: str) -> str:
    return next(str(f["upload-time"]) for f in _simple(name) if f["filename"] == filename)


def _newest_before(name: str, when: str) -> str | None:
    """The newest final release of ``name`` whose first file was uploaded before ``when``."""
    first: dict[str, str] = {}
    for entry in _simple(name):
        filename = str(entry["filename"])
        version = re.sub(r"(\.tar\.gz|\.zip|-py.*\.whl|-cp.*\.whl)$", "", filename)
        version = version.split("-")[-1]
        if re.fullmatch(r"[0-9]+(\.[0-9]+)*", version) and entry.get("upload-time"):
            stamp = str(entry["upload-time"])
            first[version] = min(first.get(version, stamp), stamp)
    earlier = [v for v, stamp in first.items() if stamp <= when]
    return max(earlier, key=lambda v: tuple(int(x) for x in v.split("."))) if earlier else None


def _requires(sdist: Path) -> list[str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib

    with tarfile.open(sdist) as tar:
        member = next((m for m in tar.getmembers() if m.name.count("/") == 1
                       and m.name.endswith("/pyproject.toml")), None)  # fmt: skip
        if member is None:
            return ["setuptools"]
        handle = tar.extractfile(member)
        assert handle is not None
        data = tomllib.loads(handle.read().decode())
    return list(data.get("build-system", {}).get("requires", ["setuptools"]))


def _constraints(name: str, sdist: Path, wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        text = next(archive.read(n).decode() for n in archive.namelist()
                    if n.endswith(".dist-info/WHEEL"))  # fmt: skip
    pins = []
    found = _GENERATOR.search(text)
    if found:
        pins.append(f"{_DISTS.get(found[1], found[1])}=={found[2]}")
    requires = _requires(sdist)
    plugins = [r for r in requires if re.split(r"[<>=!~\[; ]", r)[0].lower() in _PLUGINS]
    names = {re.split(r"[<>=!~\[; ]", r)[0].lower().replace("_", "-") for r in requires}
    if names & {"hatch-vcs", "flit-scm"} and "setuptools-scm" not in names:
        plugins.append("setuptools-scm")  # they write _version.py through it
    if found and found[1] == "bdist_wheel" and "setuptools" in names:
        plugins.append("setuptools")  # it called the wheel package's bdist_wheel: date it
    if plugins:
        when = _upload_time(name, wheel.name)
        for requirement in plugins:
            if "==" in requirement:
                pins.append(requirement)
                continue
            plugin = re.split(r"[<>=!~\[; ]", requirement)[0]
            newest = _newest_before(plugin, when)
            if newest:
                pins.append(f"{plugin}=={newest}")
    return pins


def _commonest_time(wheel: Path) -> int:
    with zipfile.ZipFile(wheel) as archive:
        times = collections.Counter(i.date_time for i in archive.infolist())
    return calendar.timegm((*times.most_common(1)[0][0], 0, 0, 0))


def _zone(sdist: Path, wheel: Path) -> str | None:
    """A fixed-offset TZ when the wheel's times are its files' sdist times shifted by whole
    hours (zip times in local time)."""
    with tarfile.open(sdist) as tar:
        mtimes = {m.name.split("/", 1)[-1]: int(m.mtime) for m in tar.getmembers() if m.isfile()}
    shifts: collections.Counter[int] = collections.Counter()
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            source = next((t for n, t in mtimes.items() if n.endswith(info.filename)), None)
            if source is not None:
                shifts[calendar.timegm((*info.date_time, 0, 0, 0)) - source] += 1
    if not shifts:
        return None
    shift = shifts.most_common(1)[0][0]
    hours = round(shift / 3600)
    if hours == 0 or abs(shift - hours * 3600) > 2:
        return None
    sign = "-" if hours > 0 else "+"  # POSIX TZ: the offset west of UTC
    return f"<{'+' if hours > 0 else '-'}{abs(hours):02d}>{sign}{abs(hours)}"


def _build(sdist: Path, work: Path, pins: list[str], epoch: int | None, zone: str = "UTC") -> Path:
    tree = work / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    with tarfile.open(sdist) as tar:
        tar.extractall(tree, filter="data")
    (source,) = tree.iterdir()
    constraints = work / "constraints.txt"
    constraints.write_text("".join(p + "\n" for p in pins))
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PIP_CONSTRAINT=str(constraints), TZ=zone)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    out = work / f"out-{epoch}-{zone.replace('<', '').replace('>', '')}"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
        check=True, capture_output=True, env=env, timeout=900,
    )  # fmt: skip
    return next(out.glob("*.whl"))


def _diffoscope(published: Path, rebuilt: Path) -> str:
    """diffoscope's sections that differ (a member's name: its content), then its first lines."""
    if shutil.which("diffoscope") is None:
        return "(diffoscope not installed)"
    done = subprocess.run(
        ["diffoscope", "--no-progress", "--exclude-directory-metadata=yes", str(published),
         str(rebuilt)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    lines = done.stdout.splitlines()
    sections = [line.strip("│├─ ").split(" ")[0] for line in lines if line.startswith("├── ")]
    changes = [line.strip("│ ") for line in lines if line.startswith(("│ -", "│ +"))]
    return f"sections {sections}; " + " / ".join(changes[:4])


def _releasegate(pin: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(_REPO / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "releasegate", "rebuild", pin, "--format", "json"],
        capture_output=True, text=True, env=env, timeout=1800, check=False,
    )  # fmt: skip
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        return f"error: {done.stderr.strip().splitlines()[-1:]}"
    findings = report["checks"][0]["findings"]
    rules = [f["rule"].split("/")[1] for f in findings]
    if "reproduced" in rules:
        said = str(next(f["message"] for f in findings if f["rule"].endswith("/reproduced")))
        return "reproduces under: " + said.split("reproduces under: ")[1]
    causes = [r for r in rules if r not in {"downloaded", "conditions", "not-reproduced"}]
    return "does not reproduce: " + ", ".join(dict.fromkeys(causes))


def main(pins: list[str]) -> None:
    print("| release | releasegate | independent rebuild | diffoscope |")
    print("|---|---|---|---|")
    for pin in pins:
        name = pin.split("==")[0]
        with tempfile.TemporaryDirectory(prefix="agreement-") as tmp:
            work = Path(tmp)
            (work / "dl").mkdir()
            sdist, wheel = _download(pin, work / "dl")
            pins_used = _constraints(name, sdist, wheel)
            verdict, cause = "does not reproduce", ""
            tried: list[tuple[int | None, Path]] = []
            zone = _zone(sdist, wheel)
            plans = [(None, "UTC"), (_commonest_time(wheel), "UTC")]
            plans += [(None, zone)] if zone else []
            for epoch, tz in plans:
                try:
                    built = _build(sdist, work, pins_used, epoch, tz)
                except subprocess.CalledProcessError as failed:
                    cause = f"build failed: {failed.stderr.decode()[-200:]}"
                    continue
                if _sha(built) == _sha(wheel):
                    said = "epoch unset" if epoch is None else f"epoch {epoch}"
                    verdict = f"reproduces ({said}, TZ={tz})"
                    tried = []
                    break
                kept = work / f"tried-{len(tried)}.whl"
                shutil.copy2(built, kept)
                tried.append((epoch, kept))
            if tried:
                cause = " || ".join(
                    f"{'unset' if e is None else e}: {_diffoscope(wheel, p)}" for e, p in tried
                )
            ours = _releasegate(pin)
            print(
                f"| {pin} | {ours} | {verdict}; pins {', '.join(pins_used)} | {cause} |", flush=True
            )


if __name__ == "__main__":
    main(sys.argv[1:])
