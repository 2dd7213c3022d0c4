"""Sdist completeness by check-manifest's rules, on the sdist already built this run.

check-manifest builds the sdist again from a copy of the tracked files on every run;
here the one shared sdist is compared with ``git ls-files`` directly. Its default
ignore list, the ``exclude``/``prune`` lines of MANIFEST.in and
``[tool.check-manifest] ignore`` apply, plus our own ``ignore`` patterns; for hatchling and
flit, only the tracked files their sdist settings select are expected (sdistselect.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from pathlib import Path


@dataclass(frozen=True)
class Difference:
    missing_from_sdist: list[str]
    """Tracked files that belong in the sdist but are not in it."""
    untracked_in_sdist: list[str]
    """Files in the sdist that git does not track."""


def ignore_list(root: Path, tool_config: Any, extra: Iterable[str]) -> Any:
    """check-manifest's IgnoreList for this project (imported lazily: it is slow to import)."""
    import check_manifest  # type: ignore[import-untyped]

    config = tool_config if isinstance(tool_config, dict) else {}
    ignore = (
        check_manifest.IgnoreList()
        if config.get("ignore-default-rules")
        else check_manifest.IgnoreList.default()
    )
    patterns = (
        [p for p in config.get("ignore", []) if isinstance(p, str)]
        if isinstance(config.get("ignore"), list)
        else []
    )
    ignore.global_exclude(*patterns, *extra)
    manifest = root / "MANIFEST.in"
    if manifest.is_file():
        ignore += _manifest_excludes(manifest)
    return ignore


def _manifest_excludes(manifest: Path) -> Any:
    import check_manifest

    class _Quiet(check_manifest.UI):  # type: ignore[misc]
        def warning(self, message: str) -> None:
            """MANIFEST.in warnings are check-manifest's business, not a finding here."""

    lines = []
    for raw in manifest.read_text(encoding="utf-8", errors="replace").splitlines():
        text = raw.split("#", 1)[0].strip()
        if text:
            lines.append(text)
    return check_manifest._get_ignore_from_manifest_lines(lines, _Quiet())


def compare(
    tracked: Iterable[str],
    shipped: Iterable[str],
    root: Path,
    ignore: Any,
    *,
    selected: Callable[[str], bool] | None = None,
    generated: Iterable[str] = (),
) -> Difference:
    """``selected``: what the backend's own sdist settings choose (sdistselect.py); a tracked
    file it leaves out is not missing. ``generated``: files the build writes (a VCS version
    file), rightly untracked."""
    present = [
        name for name in tracked if (root / name).is_file()
    ]  # deleted but not yet committed: skip
    expected = present if selected is None else [name for name in present if selected(name)]
    wanted = set(ignore.filter(expected))
    got = set(ignore.filter(list(shipped)))
    return Difference(sorted(wanted - got), sorted(got - set(present) - set(generated)))
