"""Conventional Commits: validating one message, and the impact of the commits since a release."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from releasegate._internal.api.bumps import Impact
from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from collections.abc import Iterator

    from releasegate._internal.git import Git

_HEADER = re.compile(
    r"^(?P<type>[A-Za-z][A-Za-z0-9-]*)(?:\((?P<scope>[^()\n]*)\))?"
    r"(?P<bang>!)?: (?P<description>.*)$"
)
_BREAKING_FOOTER = re.compile(r"^BREAKING[ -]CHANGE: \S", re.MULTILINE)
# Messages git writes itself, and autosquash markers: not the author's to format.
_GENERATED = re.compile(r"^(Merge |Revert \"|fixup! |squash! |amend! |Initial commit$)")
_SCISSORS = "------------------------ >8 ------------------------"
HEADER_MAX = 100


@dataclass(frozen=True)
class Header:
    type: str
    scope: str | None
    breaking: bool
    description: str


def parse_header(line: str) -> Header | None:
    match = _HEADER.match(line)
    if match is None:
        return None
    return Header(match["type"], match["scope"], bool(match["bang"]), match["description"])


def clean(message: str, comment_char: str = "#") -> str:
    """The message as git would record it: comments dropped, everything below the scissors cut."""
    kept = []
    for line in message.splitlines():
        if line.startswith(comment_char) and _SCISSORS in line:
            break
        if not line.startswith(comment_char):
            kept.append(line.rstrip())
    return "\n".join(kept).strip("\n")


def problems(message: str, types: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    """(line, problem, hint) for each way ``message`` breaks the Conventional Commits format."""
    lines = message.splitlines()
    if not lines or not lines[0].strip():
        yield 1, "the commit message is empty", "write `<type>(<scope>): <description>`"
        return
    header = lines[0]
    if _GENERATED.match(header):
        return
    yield from _header_problems(header, types)
    if len(lines) > 1 and lines[1].strip():
        yield 2, "the header must be followed by a blank line", "leave line 2 empty before the body"


def _header_problems(header: str, types: tuple[str, ...]) -> Iterator[tuple[int, str, str]]:
    parsed = parse_header(header)
    form = f"`<type>(<scope>)!: <description>` with a type among {', '.join(types)}"
    if parsed is None:
        yield 1, f"header {header[:60]!r} is not a Conventional Commit", f"write {form}"
        return
    if parsed.type not in types:
        yield (
            1,
            f"commit type {quoted(parsed.type)} is not allowed",
            f"use one of {', '.join(types)}",
        )
    if parsed.scope is not None and not parsed.scope.strip():
        yield 1, "the scope is empty", "drop the parentheses or name the scope"
    if not parsed.description.strip():
        yield 1, "the description is empty", "say what the commit does after `: `"
    if len(header) > HEADER_MAX:
        yield (
            1,
            f"the header is {len(header)} characters long (at most {HEADER_MAX})",
            "move detail into the body",
        )


def impact(message: str) -> Impact | None:
    """``!`` or a BREAKING CHANGE footer: breaking; ``feat``: addition; other types: fix."""
    parsed = parse_header(message.split("\n", 1)[0])
    if parsed is None:
        return None  # not a Conventional Commit: says nothing about the bump
    if parsed.breaking or _BREAKING_FOOTER.search(message):
        return Impact.BREAKING
    return Impact.ADDITION if parsed.type.lower() == "feat" else Impact.FIX


@dataclass(frozen=True)
class Commit:
    sha: str
    subject: str
    impact: Impact | None


def since(git: Git, base: str, nested: tuple[str, ...] = ()) -> list[Commit]:
    """The project's own commits since the release ``base``, newest first.

    A project in a folder of its repository (a workspace member) counts only the commits that
    touch that folder: a ``feat:`` in one autogen member told five others to bump minor, and a
    member with no commit since its tag was told "76 commits" (issue 28). At the top, every
    commit counts, empty ones too (``git commit --allow-empty -m "feat!: ..."`` asks for a
    bump). ``nested``: folders of other members inside this project (a root member's), whose
    commits are theirs. ``base`` need not be an ancestor (a release branch): commits on HEAD's
    side whose change the release already has (cherry-picked, or rebased before tagging)
    count once.
    """
    own: tuple[str, ...] = ()
    if nested or git.run("rev-parse", "--show-prefix", check=False).strip():
        own = ("--", ".", *(f":(exclude){folder}" for folder in nested))
    args = ("--format=%m%H%x1f%B%x1e", "--cherry-mark", "--right-only", f"{base}...HEAD", *own)
    out = git.run("log", *args, check=False)
    commits, equivalent = [], set()
    for record in out.split("\x1e"):
        head, _, body = record.strip("\n").partition("\x1f")
        mark, sha = head[:1], head[1:]
        if sha:
            commits.append(Commit(sha, body.split("\n", 1)[0], impact(body.strip())))
            if mark == "=":
                equivalent.add(sha)
    if equivalent:
        # Every empty commit has the same (empty) patch: equal to one on the release's side
        # proves nothing, and an empty commit exists only to say something.
        applied = equivalent - _empty(git, equivalent)
        commits = [c for c in commits if c.sha not in applied]
    return commits


def _empty(git: Git, shas: set[str]) -> set[str]:
    """The commits among ``shas`` that change no file."""
    out = git.run("log", "--no-walk=unsorted", "--format=%x1e%H", "--name-only", *shas, check=False)
    records = (record.split() for record in out.split("\x1e"))
    return {r[0] for r in records if len(r) == 1}
