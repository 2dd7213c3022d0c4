"""The repository being checked: read once per run and shared by every gate."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

from releasegate._internal.config import PYPROJECT, Config, load
from releasegate._internal.tomldoc import TomlDocument, read_toml

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.git import Git


class Project:
    """Root, pyproject.toml, configuration and git of one project."""

    def __init__(
        self, root: Path, config_path: Path | None = None, *, run_backend: bool = False
    ) -> None:
        self.root = root.resolve()
        self.run_backend = run_backend
        """The job trusts this commit enough to run its build backend for a dynamic version
        (``--release``, a tag build, ``--allow-backend``). Never from the checkout's own
        configuration: the checkout would grant itself the right to run its code."""
        path = self.root / PYPROJECT
        self.pyproject: TomlDocument | None = (
            read_toml(path, PYPROJECT, root=self.root) if path.is_file() else None
        )
        self.config: Config = load(self.root, config_path, self.pyproject)

    @cached_property
    def git(self) -> Git:
        # Imported here: the lockfile and metadata hooks never run git, nor pay for subprocess.
        from releasegate._internal.git import Git

        return Git(self.root)

    @property
    def metadata(self) -> dict[str, Any]:
        """The ``[project]`` table, or an empty dict."""
        table = self.pyproject.get("project") if self.pyproject else None
        return table if isinstance(table, dict) else {}

    @property
    def name(self) -> str | None:
        name = self.metadata.get("name")
        return name if isinstance(name, str) else None

    def relative(self, path: Path) -> str:
        """``path`` relative to the root in POSIX form, for findings."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
