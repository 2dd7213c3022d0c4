"""The two sets of conditions a verification builds under, varied as reprotest does without root."""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.builder.clock import clock_shift
from releasegate._internal.builder.pep517 import BuildSettings
from releasegate._internal.builder.shim import REVERSE_VARIABLE, shim_path
from releasegate._internal.builder.sources import TreeLayout

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.builder.clock import ClockShift

VARIATIONS = ("path", "umask", "tz", "order", "mtime", "home", "clock", "hashseed", "locale")
"""Everything the second build may change; a verification varies all of them by default."""

MTIME_SHIFT = -(30 * 86_400) + 17
"""The second copy's files are a month (minus 17 s) older: older than SOURCE_DATE_EPOCH
usually is, so a backend that only clamps newer times still shows the difference."""

REFERENCE_LOCALE = "C.UTF-8"
OTHER_LOCALE = "fr_CH.UTF-8"
"""reprotest's choice, when it is installed. A locale that is not installed does not vary the
build, it breaks it: ``locale.setlocale(LC_ALL, "")`` raises "unsupported locale setting" in
the second build only, a build failure that is no fault of the project (issue 16)."""
FALLBACK_LOCALE = "POSIX"
"""Installed everywhere and still another locale than C.UTF-8 (LC_COLLATE, LC_TIME... are C);
Python keeps UTF-8 for text (PEP 538/540), so it breaks nothing that C.UTF-8 builds."""


@functools.cache
def other_locale() -> str:
    """The second build's ``LANG``: fr_CH.UTF-8, else another installed UTF-8 locale, else POSIX."""
    try:
        from releasegate._internal.childenv import child_environment

        listed = subprocess.run(
            ["locale", "-a"],
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
            env=child_environment(),
        )
    except OSError:
        return OTHER_LOCALE  # no `locale` (not glibc nor BSD): nothing to ask; keep reprotest's
    names = listed.stdout.split()
    if listed.returncode != 0 or not names:
        return OTHER_LOCALE

    def key(name: str) -> str:
        return name.lower().replace("-", "")

    wanted = key(OTHER_LOCALE)
    for name in names:
        if key(name) == wanted:
            return name
    for name in names:
        lowered = key(name)
        if lowered.endswith(".utf8") and not lowered.startswith(("c.", "posix")):
            return name
    return FALLBACK_LOCALE


@dataclass(frozen=True)
class Conditions:
    """Where and how one build runs."""

    label: str
    tree: Path
    """Where the private copy of the source goes (the build path)."""
    home: Path
    layout: TreeLayout
    tz: str
    clock: ClockShift | None = None
    hashseed: str = "0"
    locale: str = REFERENCE_LOCALE
    shim: tuple[tuple[str, str], ...] = ()
    """The environment that loads the listing-reversing shim (``shim.py``), when order varies."""

    def environment(self) -> dict[str, str]:
        env = {
            "HOME": str(self.home),
            "TZ": self.tz,
            "PYTHONHASHSEED": self.hashseed,
            "LANG": self.locale,
            "LANGUAGE": _language(self.locale),
        }
        if self.clock is not None:
            env.update(self.clock.env)
        env.update(self.shim)
        return env

    def settings(self, epoch: dict[str, str], set_epoch: bool) -> BuildSettings:
        """How the backend runs under these conditions (LC_ALL dropped: it would mask LANG)."""
        return BuildSettings(
            env={**epoch, **self.environment()},
            unset=("LC_ALL",) if set_epoch else ("LC_ALL", "SOURCE_DATE_EPOCH"),
            umask=self.layout.umask,
        )


def _language(locale: str) -> str:
    """gettext's ``LANGUAGE`` for a locale: ``fr_CH:fr`` for fr_CH.UTF-8, ``C`` for C.UTF-8."""
    name = locale.split(".", maxsplit=1)[0]
    return f"{name}:{name.split('_')[0]}" if "_" in name else name


def reference(work: Path) -> Conditions:
    """The first build's conditions: what ``releasegate build`` ships, and what build 2 varies."""
    return Conditions("build 1", work / "a" / "src", work / "a" / "home", TreeLayout(0o022), "UTC0")


def pair(work: Path, vary: frozenset[str]) -> tuple[Conditions, Conditions]:
    """The reference conditions and the varied ones, under ``work``."""
    first = reference(work)
    other_path = (
        work / "b" / "a-longer" / "build-path" / "src" if "path" in vary else work / "b" / "src"
    )
    clock = clock_shift(work) if "clock" in vary else None
    shim: dict[str, str] = {}
    if "order" in vary:
        # Both the clock shim and this one live in one sitecustomize: one PYTHONPATH.
        shim = {**shim_path(work), REVERSE_VARIABLE: "1"}
    second = Conditions(
        "build 2",
        other_path,
        work / "b" / "other-home" if "home" in vary else first.home,
        TreeLayout(
            0o002 if "umask" in vary else 0o022,
            reverse="order" in vary,
            mtime_shift=MTIME_SHIFT if "mtime" in vary else 0,
        ),
        "<+14>-14" if "tz" in vary else first.tz,
        clock,
        "1" if "hashseed" in vary else first.hashseed,
        other_locale() if "locale" in vary else first.locale,
        tuple(shim.items()),
    )
    return first, second


def describe(first: Conditions, second: Conditions) -> list[str]:
    """What differed between the two builds, one phrase each, for the report."""
    said = [f"build path {first.tree} vs {second.tree}"]
    if first.layout.umask != second.layout.umask:
        said.append(f"umask {first.layout.umask:03o} vs {second.layout.umask:03o}")
    if first.tz != second.tz:
        said.append(f"TZ={first.tz} vs TZ={second.tz}")
    if second.layout.reverse:
        said.append(
            "source files created in reverse order and directory listings reversed for the backend"
        )
    if second.layout.mtime_shift:
        said.append(f"source mtimes shifted by {second.layout.mtime_shift}s")
    if first.home != second.home:
        said.append("another HOME")
    if first.hashseed != second.hashseed:
        said.append(f"PYTHONHASHSEED={first.hashseed} vs {second.hashseed}")
    if second.locale == FALLBACK_LOCALE:
        # POSIX sorts and formats as C.UTF-8 does: only the encoding name differs.
        said.append(
            f"locale not varied (LANG={first.locale} vs {second.locale}: no other locale is"
            f" installed; install one, e.g. {OTHER_LOCALE}, to vary sorting and formatting)"
        )
    elif first.locale != second.locale:
        said.append(f"LANG={first.locale} vs LANG={second.locale}")
    said.append(second.clock.description if second.clock else "clock not shifted")
    return said
