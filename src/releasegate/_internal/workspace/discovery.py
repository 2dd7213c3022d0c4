"""The members of a workspace, each a Project with the root's settings overlaid by its own.

A uv workspace (``[tool.uv.workspace] members / exclude``) needs no configuration; any other
layout names its member folders with ``[tool.releasegate] packages = ["packages/*"]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from releasegate._internal.config import PYPROJECT, Config
from releasegate._internal.errors import ConfigError
from releasegate._internal.findings import quoted
from releasegate._internal.project import Project
from releasegate._internal.schema import config_schema
from releasegate._internal.schemacheck import apply_defaults

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

MEMBER_TAG_FORMAT = "{name}-v{version}"
"""A member's default release tag: one repository holds the tags of every member."""
MEMBER_TAG_FORMATS = (MEMBER_TAG_FORMAT, "{name}@{version}")
"""The member tag forms found in real workspaces, the default first: livekit/agents tags
``livekit-agents@1.7.0`` (the changesets convention), and was read as having no tags."""
SHARED_TAG_FORMAT = "auto"
"""A lock-step workspace's members: the repository's own tag style, detected as for a project."""
ROOT_ONLY_KEYS = ("packages",)
"""Keys of the root's table that describe the workspace, not its members."""


@dataclass(frozen=True)
class Member:
    name: str
    """The normalised project name (PEP 503), also the member's label in reports."""
    path: str
    """The member's folder relative to the workspace root, POSIX; ``.`` for the root."""
    project: Project
    unreleased: str | None = None
    """Why the member is never released (an example, a virtual package, a private one); None
    for a member that is. Release rules and publishing skip it; lockfile and vulns still apply."""

    @property
    def prefix(self) -> str:
        """What turns a member-relative path into a root-relative one."""
        return "" if self.path == "." else self.path + "/"


def workspace_globs(root: Project) -> tuple[list[str], list[str]] | None:
    """Member and exclude globs of the root, or None when the root is no workspace."""
    configured = root.config.value("packages")
    if configured is not None:
        return [str(p) for p in configured], []
    table = root.pyproject.get("tool", "uv", "workspace") if root.pyproject else None
    if not isinstance(table, dict):
        return None
    members = table.get("members")
    exclude = table.get("exclude")
    return _strings(members), _strings(exclude)


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def member_folders(root: Path, include: Iterable[str], exclude: Iterable[str]) -> list[Path]:
    """Folders matched by ``include`` and not by ``exclude`` that hold a pyproject.toml."""
    excluded = {p.resolve() for pattern in exclude for p in _glob(root, pattern)}
    found: dict[Path, None] = {}
    for pattern in include:
        for folder in sorted(_glob(root, pattern)):
            resolved = folder.resolve()
            if resolved in excluded or resolved == root.resolve():
                continue
            if (resolved / PYPROJECT).is_file() and resolved.is_relative_to(root.resolve()):
                found[resolved] = None
    return list(found)


def _glob(root: Path, pattern: str) -> list[Path]:
    try:
        return list(root.glob(pattern))
    except (ValueError, NotImplementedError, OSError):  # "", "/abs": no glob uv accepts
        return []


def _merged(base: Mapping[str, Any], own: Mapping[str, Any]) -> dict[str, Any]:
    """``own`` over ``base``, tables merged key by key (a member changes one setting)."""
    merged = dict(base)
    for key, value in own.items():
        old = merged.get(key)
        merged[key] = (
            _merged(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
        )
    return merged


def _raw_table(project: Project) -> dict[str, Any]:
    """The project's own ``[tool.releasegate]`` as written (validated when it was loaded)."""
    raw = project.pyproject.get("tool", "releasegate") if project.pyproject else None
    return dict(raw) if isinstance(raw, dict) else {}


def member_config(
    root: Project,
    member: Project,
    name: str,
    shared_tags: bool = False,
    *,
    tag_form: str = MEMBER_TAG_FORMAT,
    follows: bool = False,
) -> Config:
    """The root's settings overlaid by the member's, with the member's tag format.

    Members tag ``{name}-v{version}`` unless configured otherwise, or unless the repository
    releases every member under one shared tag (``shared_tags``: pydantic-ai's ``v2.33.0``),
    when each member reads the repository's release tags as a single project would.
    ``tag_form``: the form the other members' tags take, for a member with no tag yet;
    with ``follows``, the tag format of the member it is released with (``lockstep.py``).
    """
    inherited = {k: v for k, v in _raw_table(root).items() if k not in ROOT_ONLY_KEYS}
    merged = _merged(inherited, _raw_table(member))
    semver = dict(merged.get("semver") or {})
    # A lock-step workspace reads the repository's tags as a project does (and so its
    # plugin's pattern); otherwise the member's own plugin pattern, else {name}-v{version}.
    default = (
        SHARED_TAG_FORMAT
        if shared_tags
        else tag_form
        if follows
        else _plugin_tag_format(member) or member_tag_format(root, name, tag_form)
    )
    tag_format = str(semver.get("tag-format", default))
    semver["tag-format"] = tag_format.replace("{name}", name)
    merged["semver"] = semver
    source = member.config.source or root.config.source
    return Config(apply_defaults(merged, config_schema()), source)


def _plugin_tag_format(member: Project) -> str | None:
    """The tag form the member's VCS version plugin reads (pydantic-core's ``core-v*``)."""
    from releasegate._internal.vcstags import configured_tag_format

    return configured_tag_format(member.pyproject)


def member_tag_format(root: Project, name: str, fallback: str = MEMBER_TAG_FORMAT) -> str:
    """The member tag form the repository's tags take for ``name`` (MEMBER_TAG_FORMATS: a tag
    of that form followed by a digit), else ``fallback``."""
    counts = _form_counts(root, [name])
    return max(counts, key=counts.__getitem__) if any(counts.values()) else fallback


def repository_tag_format(root: Project, names: Iterable[str]) -> str:
    """The member tag form most of the members' tags take (the default when none has one): a
    member not tagged yet is told to tag the way its siblings do."""
    counts = _form_counts(root, names)
    return max(counts, key=counts.__getitem__) if any(counts.values()) else MEMBER_TAG_FORMAT


def _form_counts(root: Project, names: Iterable[str]) -> dict[str, int]:
    tags = [t.name for t in root.git.tags]
    counts = dict.fromkeys(MEMBER_TAG_FORMATS, 0)
    for name in names:
        for form in MEMBER_TAG_FORMATS:
            prefix = form.partition("{version}")[0].replace("{name}", name)
            counts[form] += sum(
                t.startswith(prefix) and t[len(prefix) : len(prefix) + 1].isdigit() for t in tags
            )
    return counts


def _tag_prefixes(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(
        form.partition("{version}")[0].replace("{name}", n)
        for n in names
        for form in MEMBER_TAG_FORMATS
    )


def shares_one_tag(root: Project, names: Iterable[str]) -> bool:
    """Whether the members are released together under the repository's own version tags:
    no member has a tag of its own (``{name}-v``, ``{name}@``), and the repository has plain
    release tags (``v1.2.3``, ``1.2.3``). Lock-step workspaces (pydantic-ai) are found so,
    with no configuration."""
    tags = [t.name for t in root.git.tags]
    prefixes = _tag_prefixes(names)
    if any(tag.startswith(prefixes) for tag in tags):
        return False
    return any(tag.removeprefix("v")[:1].isdigit() for tag in tags)


def normalised(name: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


# PEP 508's name: a member's name labels results (``<name>/<gate>``), statuses, tags and the CI
# matrix, where a workflow may put it in a shell command; anything else is refused, not shown.
_NAME = re.compile(r"[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]", re.IGNORECASE)
# A member's folder goes into the matrix too (``path``): plain path characters only.
_FOLDER = re.compile(r"[A-Za-z0-9._+-]+(?:/[A-Za-z0-9._+-]+)*")


NAME_LIMIT = 200
"""The longest member name taken: it becomes a tag, a folder of results and a matrix entry, and a
file name component holds 255 bytes."""


def _checked_name(name: str, where: str) -> str:
    if len(name) > NAME_LIMIT:
        raise ConfigError(
            [f"{where}: [project].name {quoted(name)} is longer than {NAME_LIMIT} characters"]
        )
    if _NAME.fullmatch(name) is None:
        raise ConfigError(
            [f"{where}: [project].name {quoted(name)} is not a valid project name (PEP 508)"],
            hint="letters, digits, and . _ - inside, starting and ending with a letter or digit",
        )
    return normalised(name)


def _member(root: Project, folder: Path) -> Member:
    project = Project(folder, run_backend=root.run_backend)  # validates its own table
    relative = folder.relative_to(root.root).as_posix()
    if _FOLDER.fullmatch(relative) is None:
        raise ConfigError(
            [f"workspace member folder {quoted(relative)}: only letters, digits and . _ + - / "],
            hint="rename the folder, or exclude it from the workspace",
        )
    if project.name is None:
        raise ConfigError([f"{relative}/{PYPROJECT}: a workspace member needs [project].name"])
    name = _checked_name(project.name, f"{relative}/{PYPROJECT}")
    return Member(name, relative, project, never_released(root, project, name, relative))


EXAMPLE_FOLDERS = frozenset({"examples", "example", "samples", "sample", "demos", "demo"})
PRIVATE_CLASSIFIER = "Private :: Do Not Upload"


def never_released(root: Project, project: Project, name: str, path: str) -> str | None:
    """Why a member is not a released package, or None. The MCP SDK's 15 example servers are
    members with a fixed ``0.1.0`` and a build backend; they are never tagged or published."""
    # uv's rule, in a uv workspace only: elsewhere a pyproject.toml without [build-system]
    # still builds with setuptools (PEP 517's fallback), as pip does.
    if root.config.value("packages") is None and not is_package(project):
        return "it builds no distribution (no [build-system], or [tool.uv] package = false)"
    if path == "." and project.pyproject is not None and not project.pyproject.get("build-system"):
        # setuptools-scm's root: uv installs it (package = true), no backend of its own builds
        # it for an index (issue 26).
        return "it is the workspace root and has no [build-system]"
    version = project.metadata.get("version")
    if isinstance(version, str) and "+" in version:
        return f"its version {version} has a local part, which no index accepts"
    classifiers = project.metadata.get("classifiers")
    if isinstance(classifiers, list) and any(
        isinstance(c, str) and c.strip().startswith("Private ::") for c in classifiers
    ):
        return f"its classifiers say {PRIVATE_CLASSIFIER}"
    in_examples = bool(EXAMPLE_FOLDERS & set(path.split("/")))
    fixed = isinstance(project.metadata.get("version"), str)
    if in_examples and fixed and not _has_own_tags(root, name):
        return f"an example ({path}/) with a fixed version and no release tag of its own"
    return None


def _has_own_tags(root: Project, name: str) -> bool:
    prefixes = _tag_prefixes([name])
    return any(t.name.startswith(prefixes) for t in root.git.tags)


def is_package(project: Project) -> bool:
    """A project that builds a distribution: uv's rule (``[build-system]``, or
    ``tool.uv.package = true``); ``uv init --bare`` makes a root with a name and no build."""
    doc = project.pyproject
    if doc is None or project.name is None:
        return False
    flag = doc.get("tool", "uv", "package")
    return flag if isinstance(flag, bool) else isinstance(doc.get("build-system"), dict)


def root_member(root: Project) -> Member | None:
    """The root itself when it is a package too (pydantic: the root package plus members)."""
    if root.name is None or not is_package(root):
        return None
    name = _checked_name(root.name, PYPROJECT)
    project = Project(root.root, None, run_backend=root.run_backend)
    return Member(name, ".", project, never_released(root, project, name, "."))


def discover(root: Project) -> list[Member]:
    """Every member, the root first when it is a package; ConfigError for bad members."""
    globs = workspace_globs(root)
    if globs is None:
        return []
    include, exclude = globs
    members = [_member(root, folder) for folder in member_folders(root.root, include, exclude)]
    top = root_member(root)
    members = [top, *members] if top is not None else members
    seen: dict[str, str] = {}
    for member in members:
        if member.name in seen:
            raise ConfigError(
                [f"{member.path} and {seen[member.name]}: two members named {member.name}"]
            )
        seen[member.name] = member.path
    shared = shares_one_tag(root, seen)
    form = repository_tag_format(root, seen)
    for member in members:
        member.project.config = member_config(
            root, member.project, member.name, shared, tag_form=form
        )
    if not shared:
        _follow_leader(root, members, form)
    return members


def _follow_leader(root: Project, members: list[Member], form: str) -> None:
    """Members released under another member's tags read them (``lockstep.py``)."""
    from releasegate._internal.workspace.lockstep import followers

    forms = {m.name: member_tag_format(root, m.name, form) for m in members}
    for name, leader_format in followers(root, members, forms).items():
        member = next(m for m in members if m.name == name)
        own = _merged(_raw_table(root), _raw_table(member.project)).get("semver")
        configured = isinstance(own, dict) and own.get("tag-format") is not None
        if not configured and _plugin_tag_format(member.project) is None:
            member.project.config = member_config(
                root, member.project, name, tag_form=leader_format, follows=True
            )
