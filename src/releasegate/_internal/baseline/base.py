"""The commit ``--new-since REF`` compares with, found even in a shallow CI checkout, and its tree.

A pull request's workflow usually checks out one commit (``fetch-depth: 1``): REF is then not
there, and is fetched from ``origin`` (one commit deep, keeping the clone shallow; a full clone is
never made shallow). The base is REF's merge base with HEAD, what the change started from:
REF itself on GitHub's merge commit for a pull request, whose first parent is the base branch.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError, UsageError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.git import Git

REMOTE = "origin"
DEEPEN = 50
"""Commits fetched once more on each side when a shallow checkout shows no merge base."""
_SHA = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class Base:
    """What the findings are compared with."""

    ref: str
    """REF as given."""
    commit: str
    """The commit compared with: REF's merge base with HEAD (or REF, see ``resolve``)."""
    label: str
    """How messages name it: ``already on main``."""
    warning: str | None = None
    """What the command should say about how it was found (no merge base: REF itself)."""

    @property
    def short(self) -> str:
        return self.commit[:12]


def resolve(git: Git, ref: str, label: str | None = None, *, offline: bool = False) -> Base:
    """REF's merge base with HEAD; UsageError when REF is no commit here nor at ``origin``
    (``offline``: only here, nothing is fetched)."""
    if not ref or ref.startswith("-") or any(c.isspace() or ord(c) < 32 for c in ref):
        raise UsageError(f"--new-since: {ref!r} is not a git revision")
    # The name reaches every message of an old finding: one line, plain text, bounded.
    if label is not None and (not label.isprintable() or not 0 < len(label) <= 100):
        raise UsageError(
            f"--base-name: {label[:100]!r} is not a printable name of 1-100 characters"
        )
    if git.head is None:
        raise UsageError("--new-since needs a git repository with a commit checked out")
    kind = git.run("cat-file", "-t", "--end-of-options", ref, check=False).strip()
    if kind and kind not in ("commit", "tag"):
        raise UsageError(f"--new-since {ref}: names a {kind}, not a commit")
    commit = _commit(git, ref) or (None if offline else _fetched(git, ref))
    if commit is None:
        fetched = (
            "--offline fetches nothing"
            if offline
            else f"`git fetch {REMOTE} {_remote_name(ref)}` did not bring one"
        )
        raise UsageError(
            f"--new-since {ref}: no such commit here, and {fetched}",
            hint="name a commit, branch or tag that exists, or fetch it first "
            "(actions/checkout with fetch-depth: 0)",
        )
    name = label or (ref[:12] if _SHA.match(ref) else ref)
    merge_base = _merge_base(git, git.head, commit, offline)
    if merge_base is not None:
        return Base(ref, merge_base, name)
    warning = (
        f"--new-since {ref}: no merge base with HEAD in this checkout (shallow?), "
        f"comparing with {ref} itself"
    )
    return Base(ref, commit, name, warning)


def _commit(git: Git, rev: str) -> str | None:
    out = git.run("rev-parse", "--verify", "-q", "--end-of-options", rev + "^{commit}", check=False)
    return out.strip() or None


def _remote_name(ref: str) -> str:
    """What ``origin`` calls REF: ``origin/main`` is its ``main``."""
    return ref.removeprefix(REMOTE + "/")


def _shallow(git: Git) -> bool:
    return git.run("rev-parse", "--is-shallow-repository", check=False).strip() == "true"


def _fetched(git: Git, ref: str) -> str | None:
    """REF fetched from ``origin`` (one commit deep in a shallow clone), or None."""
    depth = ["--depth=1"] if _shallow(git) else []
    try:
        # Never a prompt for a password: a CI job has no one to answer it.
        git.run("-c", "credential.interactive=never", "fetch", "-q", "--no-tags", *depth,
                REMOTE, _remote_name(ref))  # fmt: skip
    except FatalError:
        return None  # git empties FETCH_HEAD on a failed fetch today; never rely on it
    return _commit(git, "FETCH_HEAD")


def _parents(git: Git, commit: str) -> list[str]:
    """The parents a commit records, which a shallow checkout keeps though it lacks them."""
    text = git.run("cat-file", "commit", commit, check=False)
    header = text.split("\n\n", 1)[0]
    return [line.split()[1] for line in header.splitlines() if line.startswith("parent ")]


def _merge_base(git: Git, head: str, commit: str, offline: bool) -> str | None:
    if commit == head or commit in _parents(git, head):
        return commit  # GitHub's merge commit of a pull request: its first parent is the base
    found = git.run("merge-base", head, commit, check=False).strip()
    if not found and not offline and _shallow(git):
        git.run("-c", "credential.interactive=never", "fetch", "-q", "--no-tags",
                f"--deepen={DEEPEN}", REMOTE, check=False)  # fmt: skip
        found = git.run("merge-base", head, commit, check=False).strip()
    return found or None


def _add_worktree(git: Git, tree: Path, commit: str) -> None:
    try:
        git.run("-c", "core.hooksPath=/dev/null", "worktree", "add", "-q", "--detach", "-f",
                str(tree), commit)  # fmt: skip
    except FatalError as exc:
        # git names every file it could not write (a partial clone offline: thousands of lines).
        said = exc.message.strip().splitlines()
        raise FatalError(
            f"--new-since: cannot check out the base {commit[:12]} into a temporary worktree",
            hint=f"git said: {said[-1] if said else 'nothing'}",
        ) from None


@contextmanager
def laid_out(git: Git, commit: str) -> Iterator[Path]:
    """The top of the repository at ``commit``: a detached worktree, removed afterwards.

    A worktree, not an exported tree: the gates that read git (tags, the last release) see the
    same repository from the base as from HEAD. Hooks are off: checking out runs nothing.
    """
    temp = Path(tempfile.mkdtemp(prefix="releasegate-base-"))
    tree = temp / "tree"
    try:
        _add_worktree(git, tree, commit)
        yield tree
    finally:
        git.run("worktree", "remove", "--force", str(tree), check=False)
        shutil.rmtree(temp, ignore_errors=True)
        git.run("worktree", "prune", check=False)
