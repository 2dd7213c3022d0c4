"""Step outputs (``GITHUB_OUTPUT``), secret masks and the hashes of built artifacts."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError
from releasegate._internal.hashing import sha256_file

if TYPE_CHECKING:
    from collections.abc import Mapping

# What ``releasegate build`` leaves in dist/ that a release ships.
_ARTIFACT_SUFFIXES = (".whl", ".tar.gz", ".zip")


def format_outputs(values: Mapping[str, str]) -> str:
    """``name<<DELIMITER`` blocks: safe for multi-line values such as ``hashes``."""
    blocks = []
    for name, value in values.items():
        delimiter = f"releasegate_{secrets.token_hex(8)}"
        # A random delimiter cannot be guessed by a value that wants to inject another output.
        while delimiter in value:
            delimiter = f"releasegate_{secrets.token_hex(8)}"
        blocks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(blocks)


def write_outputs(values: Mapping[str, str], target: str | None = None) -> bool:
    """Append ``values`` to the step's output file; False when not under Actions."""
    path = target or os.environ.get("GITHUB_OUTPUT")
    if not path:
        return False
    try:
        with Path(path).open("a", encoding="utf-8") as handle:
            handle.write(format_outputs(values))
    except OSError as exc:
        raise FatalError(f"cannot write step outputs to {path}: {exc.strerror}") from None
    return True


def artifact_hashes(dist: Path) -> str:
    """``sha256  name`` lines (the ``sha256sum`` format) of the artifacts in ``dist``."""
    if not dist.is_dir():
        return ""
    lines = []
    for path in sorted(dist.iterdir()):
        if path.is_file() and path.name.endswith(_ARTIFACT_SUFFIXES):
            lines.append(f"{sha256_file(path)}  {path.name}")
    return "\n".join(lines)


def result_of(exit_code: int) -> str:
    """The ``result`` output: success, failure (findings) or error (the tool could not run)."""
    return {0: "success", 1: "failure"}.get(exit_code, "error")


def project_version(root: Path, config: Path | None = None) -> str:
    """The project's version as stated (SemVer form), or empty when it has none."""
    import os

    from releasegate._internal.errors import ReleasegateError
    from releasegate._internal.project import Project
    from releasegate._internal.releases import SemverSettings, current_version

    # A tag build is a release: trusted to run its backend for a dynamic version (as check is).
    tagged = os.environ.get("GITHUB_REF", "").startswith("refs/tags/")
    try:
        project = Project(root, config, run_backend=tagged)
        version = current_version(project, project.config.settings(SemverSettings))
    except ReleasegateError:
        return ""
    return str(version.semver)


def run_outputs(
    root: Path, config: Path | None, exit_code: int, report_path: str | None
) -> dict[str, str]:
    """The action's four outputs for a finished command."""
    return {
        "version": project_version(root, config),
        "result": result_of(exit_code),
        "hashes": artifact_hashes(root / "dist"),
        "report-path": report_path or "",
    }
