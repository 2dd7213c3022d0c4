"""Every git call of releasegate: one subprocess per query, cached per repository.

Nothing else runs ``git``: a missing git is then one clear error (``GitMissing``,
exit 1) instead of a ``FileNotFoundError`` traceback, and callers that can work
without git (the builder walks the tree instead) catch exactly that.
"""

from __future__ import annotations

import subprocess
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from releasegate._internal.childenv import child_environment
from releasegate._internal.errors import FatalError


class GitMissing(FatalError):
    """git is not installed (not on PATH)."""

    def __init__(self) -> None:
        super().__init__(
            "git is not installed (not found on PATH)",
            hint="install git, or run outside a repository",
        )


class Tag(NamedTuple):
    """A release tag as git lists it (a NamedTuple: cheaper than a dataclass for a hook to define)."""

    name: str
    commit: str
    """The commit the tag points at (peeled through annotated tags)."""
    created: int | None = None
    """When the tag was made (the tagger date, or the commit date of a lightweight tag)."""
    committed: int | None = None
    """The commit date of the commit it points at: a release cannot be older than its commit,
    whatever the tag's own date says (urllib3 tagged 2.0.5 again, in its other style, a year
    after 2.0.6)."""


def _git(cwd: Path | None, args: tuple[str, ...]) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
            env=child_environment(tools=("git",)),
        )
    except FileNotFoundError:
        raise GitMissing from None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def in_work_tree(root: Path) -> bool:
    """``root`` or a parent holds ``.git``: a place where a missing git is an error."""
    return any((directory / ".git").exists() for directory in (root, *root.parents))


def clone_shared(source: Path, dest: Path) -> bool:
    """Clone ``source`` into ``dest`` borrowing its objects and without a checkout."""
    args = ("clone", "-q", "--shared", "--no-checkout", str(source), str(dest))
    return _git(None, args).returncode == 0


class Git:
    """A git work tree; every query raises FatalError when git itself fails."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, check: bool = True) -> str:
        completed = _git(self.root, args)
        if check and completed.returncode != 0:
            raise FatalError(f"git {' '.join(args)} failed: {_text(completed.stderr).strip()}")
        return _text(completed.stdout)

    @cached_property
    def _where(self) -> tuple[bool, str | None]:
        """(inside a work tree, the commit checked out) from one ``git rev-parse``.

        One process instead of two: each costs a hook a few milliseconds (issue 22). Outside a
        repository git prints nothing; in one without commits only the first line.
        """
        try:
            out = self.run(
                "rev-parse", "--is-inside-work-tree", "--verify", "-q", "HEAD^{commit}", check=False
            ).split()
        except GitMissing:
            # Gates that need history must not pass silently as if there were no tags.
            if in_work_tree(self.root):
                raise
            return False, None
        inside = bool(out) and out[0] == "true"
        return inside, (out[1] if inside and len(out) > 1 else None)

    @property
    def is_repository(self) -> bool:
        """Inside a work tree; without git only outside anything that looks like one."""
        return self._where[0]

    @property
    def head(self) -> str | None:
        """The commit checked out, or None in a repository without commits."""
        return self._where[1]

    @cached_property
    def tags(self) -> tuple[Tag, ...]:
        if not self.is_repository:
            return ()
        out = self.run(
            "for-each-ref",
            "refs/tags",
            "--format=%(refname:strip=2)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)"
            "%00%(committerdate:unix)%(*committerdate:unix)",
        )
        tags = []
        for line in out.splitlines():
            name, target, peeled, created, committed = [*line.split("\0"), "", "", "", ""][:5]
            tags.append(Tag(name, peeled or target, _number(created), _number(committed)))
        return tuple(tags)

    @cached_property
    def merged_tags(self) -> frozenset[str]:
        """Names of the tags reachable from HEAD (one ``git tag --merged HEAD``)."""
        if self.head is None:
            return frozenset()
        return frozenset(self.run("tag", "--merged", "HEAD", check=False).splitlines())

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

    def tracked_files_or_none(self) -> list[str] | None:
        """Tracked files, sorted, with names kept byte-exact; None outside a repository."""
        completed = _git(self.root, ("ls-files", "-z", "--cached"))
        if completed.returncode != 0:
            return None
        names = completed.stdout.decode("utf-8", "surrogateescape").split("\0")
        return sorted(name for name in names if name)

    def show(self, rev: str, path: str) -> str | None:
        """The content of ``path`` (relative to ``root``) at ``rev``; None when it does not
        exist there.

        ``./`` makes git read the path from ``root``, not from the top of the work tree: a
        workspace member's ``pyproject.toml`` is its own, not the repository root's (issue 20).
        """
        completed = _git(self.root, ("show", f"{rev}:./{path}"))
        if completed.returncode != 0:
            return None
        return _text(completed.stdout)

    def show_from_top(self, rev: str, path: str) -> str | None:
        """The content of ``path`` relative to the top of the work tree at ``rev``."""
        completed = _git(self.root, ("show", f"{rev}:{path}"))
        return _text(completed.stdout) if completed.returncode == 0 else None

    def archive(self, commit: str, paths: list[str]) -> bytes:
        """A tar of ``paths`` as they are in ``commit``."""
        completed = _git(self.root, ("archive", "--format=tar", commit, "--", *paths))
        if completed.returncode != 0:
            stderr = _text(completed.stderr).strip()
            raise FatalError(f"git archive {commit[:12]} failed: {stderr}")
        return completed.stdout

    def top_level(self) -> Path | None:
        """The top directory of the work tree holding ``root``; None outside one."""
        completed = _git(self.root, ("rev-parse", "--show-toplevel"))
        top = _text(completed.stdout).strip()
        return Path(top) if completed.returncode == 0 and top else None

    def git_path(self, name: str) -> Path | None:
        """``.git/<name>`` resolved as git does (worktrees, core.hooksPath); None outside git."""
        completed = _git(self.root, ("rev-parse", "--git-path", name))
        if completed.returncode != 0:
            return None
        return (self.root / _text(completed.stdout).strip()).resolve()

    def remote_default_branch(self, remote: str = "origin") -> str | None:
        """The remote's default branch as fetched (``origin/HEAD``, else its only one of main
        and master); None when neither was fetched."""
        out = self.run("symbolic-ref", "-q", f"refs/remotes/{remote}/HEAD", check=False).strip()
        prefix = f"refs/remotes/{remote}/"
        if out.startswith(prefix):
            return out.removeprefix(prefix)
        found = [name for name in ("main", "master") if self.resolves(f"{prefix}{name}")]
        return found[0] if len(found) == 1 else None

    def remote_branches(self, remote: str = "origin") -> list[str]:
        """The remote's branches as fetched (``origin/HEAD`` left out)."""
        out = self.run(
            "for-each-ref", f"refs/remotes/{remote}", "--format=%(refname:strip=3)", check=False
        )
        return [name for name in out.splitlines() if name and name != "HEAD"]

    def resolves(self, rev: str) -> str | None:
        """The commit ``rev`` names; None when it names none."""
        out = self.run("rev-parse", "-q", "--verify", f"{rev}^{{commit}}", check=False).strip()
        return out or None

    def is_ancestor(self, commit: str, rev: str) -> bool:
        """``commit`` is reachable from ``rev`` (``rev`` itself included)."""
        return _git(self.root, ("merge-base", "--is-ancestor", commit, rev)).returncode == 0

    def verify_tag(self, tag: str, allowed_signers: Path, gnupg_home: Path) -> tuple[bool, str]:
        """git's own verification of a signed tag: SSH signatures against an allowed-signers
        file, GPG ones against the keyring in ``gnupg_home``; (good, git's report).

        The programs are named on the command line, which wins over every configuration
        file: a ``gpg.ssh.program`` set in the checkout's ``.git/config`` would otherwise say
        yes to any signature.
        """
        settings = [
            *("-c", "gpg.ssh.program=ssh-keygen", "-c", "gpg.program=gpg"),
            *("-c", f"gpg.ssh.allowedSignersFile={allowed_signers}"),
        ]
        extra = {"GNUPGHOME": str(gnupg_home)}
        try:
            completed = subprocess.run(
                ["git", *settings, "verify-tag", f"refs/tags/{tag}"],
                cwd=self.root,
                capture_output=True,
                check=False,
                env=child_environment(extra, tools=("git",)),
            )
        except FileNotFoundError:
            raise GitMissing from None
        report = _text(completed.stderr + completed.stdout).strip()
        return completed.returncode == 0, report

    def refresh_index(self) -> None:
        """Point the index at HEAD and refresh stat data, so the files read as the commit's."""
        _git(self.root, ("reset", "-q"))
        _git(self.root, ("update-index", "-q", "--refresh"))
