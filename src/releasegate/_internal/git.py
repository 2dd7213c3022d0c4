"""The few git queries the gates need, each one subprocess, cached per repository."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Tag:
    name: str
    commit: str
    """The commit the tag points at (peeled through annotated tags)."""


class Git:
    """A git work tree; every query raises FatalError when git itself fails."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, check: bool = True) -> str:
        try:
            completed = subprocess.run(
                ["git", *args],
                cwd=self.root,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
        except FileNotFoundError:
            raise FatalError(
                "git is not installed", hint="install git, or run outside a repository"
            ) from None
        if check and completed.returncode != 0:
            raise FatalError(f"git {' '.join(args)} failed: {completed.stderr.strip()}")
        return completed.stdout

    @cached_property
    def is_repository(self) -> bool:
        try:
            return self.run("rev-parse", "--is-inside-work-tree", check=False).strip() == "true"
        except FatalError:
            return False

    @cached_property
    def head(self) -> str | None:
        """The commit checked out, or None in a repository without commits."""
        if not self.is_repository:
            return None
        out = self.run("rev-parse", "--verify", "-q", "HEAD^{commit}", check=False).strip()
        return out or None

    @cached_property
    def tags(self) -> tuple[Tag, ...]:
        if not self.is_repository:
            return ()
        out = self.run(
            "for-each-ref",
            "refs/tags",
            "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)",
        )
        tags = []
        for line in out.splitlines():
            name, target, peeled = [*line.split("\0"), "", ""][:3]
            tags.append(Tag(name, peeled or target))
        return tuple(tags)

    def tags_at_head(self) -> tuple[Tag, ...]:
        head = self.head
        return tuple(tag for tag in self.tags if head is not None and tag.commit == head)

    def commit_time(self, rev: str = "HEAD") -> int | None:
        """Committer time of ``rev`` as a Unix timestamp."""
        out = self.run("log", "-1", "--format=%ct", rev, check=False).strip()
        return int(out) if out.isdigit() else None

    def tracked_files(self) -> list[str]:
        out = self.run("ls-files", "-z")
        return [name for name in out.split("\0") if name]

    def show(self, rev: str, path: str) -> str | None:
        """The content of ``path`` at ``rev``; None when it does not exist there."""
        completed = subprocess.run(
            ["git", "show", f"{rev}:{path}"], cwd=self.root, capture_output=True, check=False
        )
        if completed.returncode != 0:
            return None
        return completed.stdout.decode("utf-8", errors="replace")
