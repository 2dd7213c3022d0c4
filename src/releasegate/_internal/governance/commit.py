"""What is released: the commit reachable from the protected branch, its tag signed.

Both are decided by git on the checkout, against refs and files of the fetched default
branch: the allowed-signers file (SSH) and the GPG public keys are the default branch's copies,
written to a private temporary file and keyring for ``git verify-tag``, never the released
commit's (which would name its own signers).
"""

from __future__ import annotations

import tempfile
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING

from releasegate._internal.governance.source import REMOTE, read_file

if TYPE_CHECKING:
    from collections.abc import Sequence

    from releasegate._internal.git import Git
    from releasegate._internal.governance.policy import Signers


def reachable(git: Git, commit: str, patterns: Sequence[str]) -> tuple[bool, str]:
    """(``commit`` is on a fetched ``origin/<branch>`` matching ``patterns``, what was found).

    Several patterns, or globs, for maintenance lines: urllib3 released 34 of its 67 tags
    since 1.20 from branches such as 1.26.x, none of them reachable from main.
    """
    branches = [b for b in git.remote_branches(REMOTE) if any(fnmatchcase(b, p) for p in patterns)]
    wanted = ", ".join(f"{REMOTE}/{p}" for p in patterns)
    if not branches:
        return False, f"{wanted} was not fetched (fetch it: actions/checkout with fetch-depth: 0)"
    for branch in branches:
        if git.is_ancestor(commit, f"{REMOTE}/{branch}"):
            return True, f"{commit[:12]} is reachable from {REMOTE}/{branch}"
    return False, (
        f"{commit[:12]} is not reachable from {wanted}: it was never merged into a "
        "protected branch (or the clone is too shallow to tell: fetch-depth: 0)"
    )


def release_tags(git: Git, commit: str, ref: str | None) -> list[str]:
    """The tag being released: the token's ref when it is a tag, else the tags at ``commit``."""
    if ref and ref.startswith("refs/tags/"):
        return [ref.removeprefix("refs/tags/")]
    return sorted(tag.name for tag in git.tags if tag.commit == commit)


def signed_tag(
    git: Git, commit: str, ref: str | None, branch: str, signers: Signers
) -> tuple[bool, str]:
    """(the release tag points at ``commit`` and is signed by an allowed signer, why)."""
    files = {}
    for path in filter(None, (signers.ssh, signers.gpg)):
        text = read_file(git, branch, path)
        if text is None:
            return False, f"{REMOTE}/{branch} has no signers file {path!r}"
        files[path] = text
    tags = release_tags(git, commit, ref)
    if not tags:
        return False, f"no release tag points at {commit[:12]}"
    with tempfile.TemporaryDirectory(prefix="releasegate-signers-") as directory:
        # Always a keyring and a signers file of the policy's own: never the runner's
        # ~/.gnupg or git configuration, whose keys the policy did not list.
        home = Path(directory) / "gnupg"
        home.mkdir(mode=0o700)
        allowed = Path(directory) / "allowed_signers"
        allowed.write_text(files.get(signers.ssh or "", ""), encoding="utf-8")
        if signers.gpg and not _import_keys(home, files[signers.gpg]):
            return False, f"the GPG keys in {signers.gpg!r} cannot be read"
        return _verify(git, tags[0], commit, (allowed, home))


def _verify(git: Git, tag: str, commit: str, trust: tuple[Path, Path]) -> tuple[bool, str]:
    target = git.resolves(f"refs/tags/{tag}")
    if target != commit:
        return False, f"tag {tag!r} does not point at the released commit {commit[:12]}"
    good, report = git.verify_tag(tag, *trust)
    if not good:
        return False, f"tag {tag!r} is not signed by an allowed signer: {_last(report)}"
    return True, f"tag {tag!r}: {_last(report)}"


def _import_keys(home: Path, armored: str) -> bool:
    """The policy's GPG public keys into a keyring of their own."""
    import subprocess

    from releasegate._internal.childenv import child_environment

    try:
        completed = subprocess.run(
            ["gpg", "--batch", "--quiet", "--import"],
            input=armored.encode(),
            capture_output=True,
            check=False,
            env=child_environment({"GNUPGHOME": str(home)}),
            timeout=60,
        )
    except (FileNotFoundError, subprocess.TimeoutExpired):
        return False
    return completed.returncode == 0


def _last(report: str) -> str:
    """git's verdict line (the signature itself is not useful in a message)."""
    lines = [line for line in report.splitlines() if line.strip()]
    wanted = [line for line in lines if "signature" in line.lower()]
    return (wanted or lines or ["no signature"])[-1]
