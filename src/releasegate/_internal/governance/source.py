"""Where the policy lives: the default branch as fetched, read through git.

The commit being released never decides its own policy: a tag pushed with a relaxed
``[tool.releasegate.governance]`` would otherwise relax it. The default branch is
``origin/HEAD`` (or the only one of ``origin/main`` and ``origin/master``), and the policy is
its ``releasegate.toml``, else its ``pyproject.toml`` — the order ``config.load`` uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from releasegate._internal.config import CONFIG_FILE, PYPROJECT
from releasegate._internal.errors import ConfigError
from releasegate._internal.governance.policy import SECTION, Policy
from releasegate._internal.schema import config_schema
from releasegate._internal.schemacheck import apply_defaults, path_part, validate
from releasegate._internal.tomldoc import parse_toml

if TYPE_CHECKING:
    from releasegate._internal.git import Git
    from releasegate._internal.project import Project

REMOTE = "origin"


@dataclass(frozen=True)
class PolicySource:
    """The policy in force and where it was read; ``policy`` None: the default branch has none."""

    policy: Policy | None
    branch: str | None
    """The default branch's name; None when no default branch was fetched."""
    where: str
    """``origin/main:pyproject.toml``, for messages and the audit record."""
    in_checkout: bool
    """The checkout's own configuration has a governance table (it decides nothing)."""


def section_schema() -> dict[str, Any]:
    schema: dict[str, Any] = config_schema()["properties"][SECTION]
    return schema


def configured_in(project: Project) -> bool:
    """The checkout's configuration names a policy (only to refuse when the branch has none)."""
    return dict(project.config.section(SECTION)) != apply_defaults({}, section_schema())


def read(project: Project) -> PolicySource:
    """The policy of the fetched default branch; ConfigError when its copy is invalid."""
    git = project.git
    in_checkout = configured_in(project)
    branch = git.remote_default_branch(REMOTE) if git.is_repository else None
    if branch is None:
        return PolicySource(None, None, "no fetched default branch", in_checkout)
    rev = f"{REMOTE}/{branch}"
    where = f"{rev} (no configuration)"
    for path in _candidates(project):
        text = git.show_from_top(rev, path)
        if text is None:
            continue
        where = f"{rev}:{path}"
        policy = _parse(text, PurePosixPath(path).name, where)
        if policy is not None:
            return PolicySource(policy, branch, where, in_checkout)
    return PolicySource(None, branch, where, in_checkout)


def _candidates(project: Project) -> list[str]:
    """The project's own configuration files, then the repository root's: a workspace
    member is governed by the root's policy when it has none of its own."""
    top = project.git.top_level()
    try:
        here = PurePosixPath(project.root.relative_to(top.resolve()).as_posix()) if top else None
    except ValueError:
        here = None
    here = here or PurePosixPath()
    paths = [str(here / name) for name in (CONFIG_FILE, PYPROJECT)]
    paths += [name for name in (CONFIG_FILE, PYPROJECT) if name not in paths]
    return paths


def _parse(text: str, name: str, where: str) -> Policy | None:
    document = parse_toml(Path(name), text, where)  # a TomlError is a ConfigError
    prefix: tuple[str, ...] = ("tool", "releasegate", SECTION) if name == PYPROJECT else (SECTION,)
    raw = document.get(*prefix)
    if raw is None:
        return None
    schema = section_schema()
    if not isinstance(raw, dict):
        raise ConfigError([f"{where}:{document.line(*prefix)}: {'.'.join(prefix)} must be a table"])
    problems = validate(raw, schema)
    if problems:
        raise ConfigError(
            [
                f"{where}:{document.line(*prefix, *p.path) or '?'}: "
                f"{'.'.join(map(path_part, (*prefix, *p.path)))}: {p.message}"
                for p in problems
            ],
            hint="the policy is read from the default branch: fix it there",
        )
    return Policy.from_section(apply_defaults(raw, schema))


def read_file(git: Git, branch: str, path: str) -> str | None:
    """A file of the policy (the allowed signers) from the default branch, not the checkout."""
    return git.show(f"{REMOTE}/{branch}", path)
