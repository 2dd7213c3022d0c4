"""REUSE compliance through the ``reuse`` library: every file licensed and copyrighted,
every license used present in ``LICENSES/``, none there unused."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from releasegate._internal.metadata.problem import Problem

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable, Mapping, Sequence

_HEADER_HINT = (
    "add a header: `SPDX-FileCopyrightText: <year> <name>` and `SPDX-License-Identifier: <id>` "
    "(`reuse annotate` writes it), or annotate the file in REUSE.toml"
)


def uses_reuse(root: Path) -> bool:
    return (
        (root / "LICENSES").is_dir()
        or (root / "REUSE.toml").is_file()
        or (root / ".reuse" / "dep5").is_file()
    )


def problems(root: Path, files: Sequence[str] | None) -> list[tuple[str | None, Problem]]:
    """``(file relative to root or None, problem)`` for the whole project, or only ``files``."""
    import os

    # Before reuse is imported: its default encoding module (python-magic) runs ``ldconfig`` to
    # find libmagic as it loads; charset-normalizer (requests' own dependency) starts nothing.
    os.environ.setdefault("REUSE_ENCODING_MODULE", "charset_normalizer")
    from reuse.report import ProjectReport, ProjectSubsetReport

    logging.getLogger("reuse").setLevel(
        logging.CRITICAL
    )  # its log lines would bypass our renderers
    project = _project(root)
    if files is None:
        report = ProjectReport.generate(project, do_checksum=False, multiprocessing=False)
        found = _file_problems(
            root,
            report.files_without_licenses,
            report.files_without_copyright,
            report.missing_licenses,
            report.read_errors,
        )
        found.extend(_project_problems(report))
        return found
    candidates = (root / name for name in files)
    subset = [path for path in candidates if _inside(root, path) and path.is_file()]
    if not subset:
        return []
    sub = ProjectSubsetReport.generate(project, subset, multiprocessing=False)
    return _file_problems(
        root,
        sub.files_without_licenses,
        sub.files_without_copyright,
        sub.missing_licenses,
        sub.read_errors,
    )


def _project(root: Path) -> Any:
    """reuse's Project, asking git through releasegate's own calls (git.py): reuse runs git
    itself with the job's whole environment, and the default gates start no program but git,
    and git only with the child environment (issue 27)."""
    from reuse.project import Project
    from reuse.vcs import VCSStrategyGit, VCSStrategyNone

    from releasegate._internal.git import Git, in_work_tree

    class ReuseGit(VCSStrategyGit):  # reuse's strategy, releasegate's git calls
        def _find_all_ignored_files(self) -> set[Path]:
            out = Git(self.root).run(*IGNORED, check=False)
            return {Path(name) for name in out.split("\0")}

        def _find_submodules(self) -> set[Path]:
            out = Git(self.root).run(*SUBMODULES, check=False)
            entries = [entry for entry in out.split("\0") if entry]
            return {Path(e.splitlines()[1]) for e in entries if len(e.splitlines()) > 1}

    class ReleasegateProject(Project):
        @classmethod
        def _detect_vcs_strategy(cls, directory: Any) -> Any:
            inside_git = in_work_tree(Path(directory)) and Git(Path(directory)).is_repository
            return ReuseGit(directory) if inside_git else VCSStrategyNone(directory)

    return ReleasegateProject.from_directory(root)


IGNORED = (
    "ls-files",
    "--exclude-standard",
    "--ignored",
    "--others",
    "--directory",
    "--no-empty-directory",
    "-z",
)
"""reuse's own query of the ignored files (reuse.vcs.VCSStrategyGit), through git.py."""
SUBMODULES = ("config", "-z", "--file", ".gitmodules", "--get-regexp", r"\.path$")


def _inside(root: Path, path: Path) -> bool:
    """Hooks pass paths relative to the root; anything that resolves elsewhere is not ours."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _relative(root: Path, path: object) -> str:
    from pathlib import Path

    candidate = Path(str(path))
    full = candidate if candidate.is_absolute() else root / candidate
    try:
        return full.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return candidate.as_posix()


def _file_problems(
    root: Path,
    unlicensed: Iterable[object],
    uncopyrighted: Iterable[object],
    missing: Mapping[str, Collection[object]],
    unreadable: Iterable[object],
) -> list[tuple[str | None, Problem]]:
    found: list[tuple[str | None, Problem]] = []
    for path in sorted(_relative(root, p) for p in unlicensed):
        found.append(
            (
                path,
                Problem("reuse-no-license", f"{path} has no license information", (), _HEADER_HINT),
            )
        )
    for path in sorted(_relative(root, p) for p in uncopyrighted):
        found.append(
            (
                path,
                Problem(
                    "reuse-no-copyright", f"{path} has no copyright information", (), _HEADER_HINT
                ),
            )
        )
    for license_id, paths in sorted(missing.items()):
        for path in sorted(_relative(root, p) for p in paths):
            found.append(
                (
                    path,
                    Problem(
                        "reuse-missing-license",
                        f"{path} uses {license_id}, which is not in LICENSES/",
                        (),
                        f"add its text: `reuse download {license_id}`",
                    ),
                )
            )
    for path in sorted(_relative(root, p) for p in unreadable):
        found.append((path, Problem("reuse-unreadable", f"{path} cannot be read")))
    return found


def _project_problems(report: object) -> list[tuple[str | None, Problem]]:
    found: list[tuple[str | None, Problem]] = []
    for license_id in sorted(getattr(report, "unused_licenses", ()) or ()):
        found.append(
            (
                f"LICENSES/{license_id}.txt",
                Problem(
                    "reuse-unused-license",
                    f"LICENSES/ holds {license_id}, which no file uses",
                    (),
                    "remove it",
                ),
            )
        )
    for license_id in sorted(getattr(report, "bad_licenses", {}) or {}):
        found.append(
            (
                None,
                Problem(
                    "reuse-bad-license",
                    f"{license_id} is not an SPDX license identifier",
                    (),
                    "use an SPDX id or a LicenseRef-<name>",
                ),
            )
        )
    for license_id in sorted(getattr(report, "deprecated_licenses", ()) or ()):
        found.append(
            (
                None,
                Problem(
                    "reuse-deprecated-license", f"{license_id} is a deprecated SPDX identifier"
                ),
            )
        )
    return found
