"""A small private reader of pinned lockfiles for the SBOM.

Stands in until the shared lockfile model (``releasegate.lockfiles``) lands; it reads
only what an SBOM needs: name, exact version and hashes of each entry, from a pinned
``requirements*.txt`` (``name==version --hash=alg:digest``) or a ``pylock.toml``
(through ``packaging.pylock``). Problems are Findings with file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from releasegate.errors import ConfigError
from releasegate.findings import Finding, Severity

if TYPE_CHECKING:
    from pathlib import Path

CHECK = "sbom"
_HASH = re.compile(r"--hash[=\s]+(\S+)")
_COMMENT = re.compile(r"(^|\s)#.*$")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str | None
    hashes: tuple[tuple[str, str], ...] = ()
    """(algorithm, hex digest) pairs, as the lockfile states them."""
    line: int | None = None


@dataclass
class Pins:
    display: str
    pins: list[Pin] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    def problem(
        self,
        rule: str,
        message: str,
        line: int | None,
        hint: str | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.problems.append(Finding(CHECK, rule, message, severity, self.display, line, hint))


def logical_lines(text: str) -> list[tuple[int, str]]:
    """Join backslash continuations and drop comments, keeping each entry's first line number."""
    joined: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = _COMMENT.sub("", raw)
        start, prefix = pending if pending else (number, "")
        if line.rstrip().endswith("\\"):
            pending = (start, prefix + line.rstrip()[:-1] + " ")
            continue
        pending = None
        joined.append((start, prefix + line))
    if pending:
        joined.append(pending)
    return [(n, s.strip()) for n, s in joined if s.strip()]


def _split_hash(value: str) -> tuple[str, str] | None:
    algorithm, _, digest = value.partition(":")
    return (algorithm.lower(), digest.lower()) if digest else None


def _requirement_line(pins: Pins, number: int, text: str) -> None:
    from packaging.requirements import InvalidRequirement, Requirement

    if text.startswith("-"):
        if text.startswith(("-e", "--editable")):
            pins.problem(
                "not-pinned",
                "an editable requirement has no version",
                number,
                severity=Severity.WARNING,
            )
        return
    hashes = [_split_hash(h) for h in _HASH.findall(text)]
    spec = text.split(" --", 1)[0].strip()
    try:
        requirement = Requirement(spec)
    except InvalidRequirement as exc:
        pins.problem(
            "malformed-line",
            f"not a requirement: {str(exc).splitlines()[0]}",
            number,
            hint="expected name==version --hash=sha256:<digest>",
        )
        return
    if None in hashes:
        pins.problem("malformed-line", "a --hash value is not algorithm:digest", number)
    exact = [
        s.version
        for s in requirement.specifier
        if s.operator in ("==", "===") and "*" not in s.version
    ]
    if len(exact) != 1:
        pins.problem(
            "not-pinned",
            f"{requirement.name} is not pinned to one version",
            number,
            hint="pin it (name==version) so the SBOM can name what ships",
            severity=Severity.WARNING,
        )
    pins.pins.append(
        Pin(
            requirement.name,
            exact[0] if len(exact) == 1 else None,
            tuple(h for h in hashes if h is not None),
            number,
        )
    )


def read_requirements(text: str, display: str) -> Pins:
    pins = Pins(display)
    for number, line in logical_lines(text):
        _requirement_line(pins, number, line)
    return pins


def _pylock_hashes(package: Any) -> tuple[tuple[str, str], ...]:
    files = [*(package.wheels or ()), package.sdist, package.archive]
    return tuple(
        (alg.lower(), digest.lower())
        for f in files
        if f is not None
        for alg, digest in f.hashes.items()
    )


def read_pylock(path: Path, display: str) -> Pins:
    from packaging.pylock import Pylock, PylockUnsupportedVersionError, PylockValidationError

    from releasegate.tomldoc import read_toml

    pins = Pins(display)
    try:
        document = read_toml(path, display)
        lock = Pylock.from_dict(document.data)
    except ConfigError as exc:
        pins.problem("lockfile-unreadable", "; ".join(exc.problems), None)
        return pins
    except (PylockValidationError, PylockUnsupportedVersionError) as exc:
        pins.problem("lockfile-unreadable", f"not a valid pylock.toml: {exc}", None)
        return pins
    for index, package in enumerate(lock.packages):
        version = str(package.version) if package.version is not None else None
        line = document.line("packages", index, "name")
        if version is None:
            pins.problem(
                "not-pinned", f"{package.name} has no version", line, severity=Severity.WARNING
            )
        pins.pins.append(Pin(str(package.name), version, _pylock_hashes(package), line))
    return pins


def read_pins(path: Path, display: str) -> Pins:
    """Read a pylock.toml or a requirements file; unreadable files give a finding, not a crash."""
    if path.name == "pylock.toml" or (path.name.startswith("pylock.") and path.suffix == ".toml"):
        return read_pylock(path, display)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        pins = Pins(display)
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        pins.problem("lockfile-unreadable", f"cannot read the lockfile: {reason}", None)
        return pins
    return read_requirements(text, display)
