"""The package at the release and in the working tree, read as griffe trees and compared.

Only modules changed since the release are read (plus every ``__init__``, for the package
shape): an unchanged file has an unchanged API, and parsing is the cost that matters.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from releasegate._internal.api import source
from releasegate._internal.api.ancestry import Side, complete
from releasegate._internal.api.changes import Change, ChangeKind, Problem

if TYPE_CHECKING:
    from releasegate._internal.api.settings import ApiSettings
    from releasegate._internal.project import Project


def api_changes(
    project: Project, settings: ApiSettings, commit: str
) -> tuple[list[Change], list[Problem]]:
    """The API changes of the package between ``commit`` and the working tree, judged by
    the project's deprecation policy."""
    from releasegate._internal.api.deprecations import apply_policy

    changes, problems = _api_changes(project, settings, commit)
    return apply_policy(changes, settings.policy), problems


def _api_changes(
    project: Project, settings: ApiSettings, commit: str
) -> tuple[list[Change], list[Problem]]:
    found = _locate(project, settings, commit)
    if isinstance(found, Problem):
        return [], [found]
    current, released, at_release = found
    if released is None or _search(Path(), released)[1] != _search(Path(), current)[1]:
        return _renamed(current, released)
    # The packages of the distribution that the package re-exports from (attrs -> attr).
    new_paths, old_paths = [current], [released]
    dotted = source.namespace(project, current)
    # A namespace portion's siblings belong to other distributions (pdm beside pdm.backend).
    for companion in [] if dotted else source.companions(project, current):
        new_paths.append(companion)
        was, files = source.at_commit(project, commit, source.beside(released, companion))
        if was is not None:
            old_paths.append(was)
            at_release |= files
    changed: set[str] | None = None
    if released == current:
        changed = set().union(*(source.changed(project, commit, p) for p in new_paths))
        if not changed:
            return [], []  # no Python file changed since the release: the API cannot have changed
    in_tree = set().union(*(source.files_in_tree(project, p) for p in new_paths))
    refused = _leaving(project, new_paths)
    diff = _diff(
        project,
        settings,
        commit,
        (at_release, old_paths),
        (in_tree, new_paths),
        changed=changed,
        dotted=dotted,
    )
    if changed is not None and any(p.rule == "unreadable" for p in diff[1]):
        # Stubs tie unchanged modules in: griffe merges attr/__init__.pyi's overloads through
        # attr.field -> attr._next_gen.field, unresolvable when _next_gen.py is left out.
        diff = _diff(
            project, settings, commit, (at_release, old_paths), (in_tree, new_paths), dotted=dotted
        )
    return diff[0], refused + diff[1] + source.uncompared(project, current)


def _leaving(project: Project, paths: list[str]) -> list[Problem]:
    """A module or folder linked out of the project is not read: said, never followed."""
    refused = [link for path in paths for link in source.leaving(project, path)]
    if not refused:
        return []
    shown = ", ".join(refused[:5]) + (f" and {len(refused) - 5} more" if len(refused) > 5 else "")
    message = (
        f"{len(refused)} path(s) of the package are symlinks whose real path leaves the project "
        f"(or enters .git), not read: {shown}"
    )
    hint = "commit the module itself, not a link to a file outside the repository"
    return [Problem("outside-project", message, hint, refused[0])]


def _diff(
    project: Project,
    settings: ApiSettings,
    commit: str,
    old: tuple[set[str], list[str]],
    new: tuple[set[str], list[str]],
    *,
    changed: set[str] | None = None,
    dotted: str | None = None,
) -> tuple[list[Change], list[Problem]]:
    """Compare the files of the release with those of the tree (only ``changed`` ones)."""
    (at_release, old_paths), (in_tree, new_paths) = old, new
    new_files = source.sparse(in_tree, changed)
    with tempfile.TemporaryDirectory(prefix="releasegate-api-") as tmp:
        old_root, new_root = Path(tmp).resolve() / "old", Path(tmp).resolve() / "new"
        source.extract(project, commit, source.sparse(at_release, changed), old_root)
        source.copy(project, new_files, new_root)
        if changed is not None:  # what the changed classes inherit from is read too
            complete(
                [
                    Side(
                        old_root,
                        at_release,
                        old_paths,
                        partial(_read_old, project, commit, old_root),
                    ),
                    Side(new_root, in_tree, new_paths, partial(_read_new, project, new_root)),
                ]
            )
        found = _compare(settings, (old_root, old_paths), (new_root, new_paths), commit, dotted)
        if not any("AliasResolutionError" in p.message for p in found[1]):
            return found
        # An extension module's names, imported by a .py beside its .pyi stubs (msgspec's
        # __init__.py imports from the compiled _core): griffe cannot merge the two, and
        # the stubs are the API. Compare the stubs, shadowing the .py files they describe.
        old_stubs, new_stubs = Path(tmp) / "old-stubs", Path(tmp) / "new-stubs"
        source.stub_view(old_root, old_paths, old_stubs)
        source.stub_view(new_root, new_paths, new_stubs)
        return _compare(settings, (old_stubs, old_paths), (new_stubs, new_paths), commit, dotted)


def _read_old(project: Project, commit: str, into: Path, paths: set[str]) -> None:
    source.extract(project, commit, paths, into)


def _read_new(project: Project, into: Path, paths: set[str]) -> None:
    source.copy(project, paths, into)


def _locate(
    project: Project, settings: ApiSettings, commit: str
) -> tuple[str, str | None, set[str]] | Problem:
    """The package in the tree, where it was at ``commit`` (looked up in every usual place)."""
    if settings.package:
        from releasegate._internal.paths import inside

        inside(project.root, settings.package, "[tool.releasegate.api] package")
    paths = source.candidates(project, settings.package)
    current = source.in_tree(project, paths)
    if current is None and not settings.package and not source.at_commit(project, commit, paths)[0]:
        # The name names no package, now or at the release: PyJWT's jwt (issue 28).
        paths = list(dict.fromkeys([*paths, *source.apart(project)]))
        current = source.in_tree(project, paths)
    if current is None:
        tried = ", ".join(paths) or "(the project has no name)"
        message = f"cannot find the package to compare (tried {tried})"
        return Problem(
            "package-not-found",
            message,
            'set [tool.releasegate.api] package = "src/<name>"',
        )
    everywhere = list(dict.fromkeys([current, *paths, *source.candidates(project, None)]))
    released, at_release = source.at_commit(project, commit, everywhere)
    return current, released, at_release


def _compare(
    settings: ApiSettings,
    old: tuple[Path, list[str]],
    new: tuple[Path, list[str]],
    commit: str,
    dotted: str | None = None,
) -> tuple[list[Change], list[Problem]]:
    """Compare each package read at the release with the same package in the working tree.

    The packages of each side are loaded into one collection, so that re-exports between
    them resolve; a package on one side only is still loaded there for that.
    """
    from griffe import GriffeError

    from releasegate._internal.api.loading import LoadFailed, load, locator
    from releasegate._internal.api.members import Comparison
    from releasegate._internal.api.surface import compare

    old_root, new_root = old[0], new[0]
    try:
        after = load(*_searches(new_root, new[1], dotted))
    except LoadFailed as exc:
        message = f"cannot read the public API: {exc}"
        hint = "fix the file so that Python can parse it"
        return [], [Problem("unreadable", message, hint, new[1][0])]
    try:
        before = load(*_searches(old_root, old[1], dotted))
    except LoadFailed as exc:
        message = f"cannot read the public API of the release {commit[:12]}: {exc}"
        return [], [Problem("unreadable", message, "set [tool.releasegate.api] package")]
    comparison = Comparison(locator(old_root), locator(new_root), frozenset(settings.ignore))
    changes: list[Change] = []
    try:
        for name, package in after.items():
            if name in before:
                changes.extend(compare(before[name], package, comparison))
    except (GriffeError, RecursionError, ValueError) as exc:
        # griffe models odd code (alias cycles, inheritance cycles) in ways it cannot diff.
        message = f"cannot compare the public API: {type(exc).__name__}: {exc}"
        hint = "griffe cannot diff this code; resolve the import cycle, or compare by hand"
        return [], [Problem("unreadable", message, hint, new[1][0])]
    return changes, []


def _searches(
    root: Path, relatives: list[str], dotted: str | None = None
) -> tuple[Path, list[str]]:
    """The directory to search (companions sit beside the package) and every module name."""
    if dotted is not None:  # a namespace portion: searched from where its top name is
        top = root / "src" if relatives[0].startswith("src/") else root
        return top, [dotted]
    return _search(root, relatives[0])[0], [_search(root, r)[1] for r in relatives]


def _renamed(current: str, released: str | None) -> tuple[list[Change], list[Problem]]:
    """The package is new since the release, or was imported under another name then."""
    name = _search(Path(), current)[1]
    added = Change(ChangeKind.OBJECT_ADDED, name, "the package is new since the release", current)
    if released is None:
        return [added], []
    old_name = _search(Path(), released)[1]
    detail = f"the package {old_name} is gone (now {name})"
    removed = Change(ChangeKind.OBJECT_REMOVED, old_name, detail, released, None, at_release=True)
    return [removed, added], []


def _search(root: Path, relative: str) -> tuple[Path, str]:
    """The directory to search and the module name of a package dir or module file."""
    posix = PurePosixPath(relative)
    name = posix.name.removesuffix(".py")
    return root.joinpath(*posix.parent.parts), name
