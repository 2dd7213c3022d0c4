"""The release tag form a project's VCS version plugin is configured to read.

A monorepo tags each package with a prefix (hatch: ``hatch-v1.18.0`` beside
``hatchling-v1.32.0``) and tells its plugin so: hatch-vcs's ``tag-pattern`` or
``raw-options.git_describe_command = [..., "--match", "hatch-v*"]``, setuptools-scm's
``tag_regex`` or ``git_describe_command``, pdm-backend's ``tag_regex``. That configuration
is the project's own statement of its tag form; ``tag-format = "auto"`` follows it.
Only a literal prefix (and suffix) around the version is understood: a pattern with
alternatives or optional parts says nothing certain, and then the tags' style is detected.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from releasegate._internal.tomldoc import TomlDocument

# Where each plugin keeps its regex and its describe command, as (table keys, option).
_REGEX_KEYS: tuple[tuple[str, ...], ...] = (
    ("tool", "hatch", "version", "tag-pattern"),
    ("tool", "hatch", "version", "raw-options", "tag_regex"),
    ("tool", "setuptools_scm", "tag_regex"),
    ("tool", "pdm", "version", "tag_regex"),
)
_DESCRIBE_KEYS: tuple[tuple[str, ...], ...] = (
    ("tool", "hatch", "version", "raw-options", "git_describe_command"),
    ("tool", "hatch", "version", "raw-options", "scm", "git", "describe_command"),
    ("tool", "setuptools_scm", "git_describe_command"),
    ("tool", "setuptools_scm", "scm", "git", "describe_command"),
)
# A version group at the start of what follows the prefix: named (?P<version>...) or the first.
_VERSION_GROUP = re.compile(r"\((?:\?P<version>)?")
_REGEX_SPECIAL = frozenset("^$.*+?{}[]()|\\")


def configured_tag_format(doc: TomlDocument | None) -> str | None:
    """``prefix{version}suffix`` from the plugin's configuration; None when it names none."""
    if doc is None:
        return None
    for keys in _REGEX_KEYS:
        value = doc.get(*keys)
        if isinstance(value, str):
            found = _from_regex(value)
            if found is not None:
                return found
    for keys in _DESCRIBE_KEYS:
        found = _from_describe(doc.get(*keys))
        if found is not None:
            return found
    return None


def _from_regex(pattern: str) -> str | None:
    """``^hatch-v(?P<version>.+)$`` -> ``hatch-v{version}``; None without a literal prefix."""
    body = pattern.removeprefix("^")
    prefix, rest = _literal(body)
    group = _VERSION_GROUP.match(rest)
    if not prefix or group is None:
        return None
    end = _closing(rest, group.end())
    if end is None:
        return None
    suffix, tail = _literal(rest[end + 1 :])
    return f"{prefix}{{version}}{suffix}" if tail in ("", "$") else None


def _literal(text: str) -> tuple[str, str]:
    """The literal text a regex starts with (escapes undone), and the rest."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and not text[index + 1].isalnum():
            out.append(text[index + 1])
            index += 2
        elif char in _REGEX_SPECIAL:
            break
        else:
            out.append(char)
            index += 1
    # A quantifier binds the literal before it (``v?``): that character is not certain.
    if index < len(text) and text[index] in "?*{" and out:
        return "", text
    return "".join(out), text[index:]


def _closing(text: str, start: int) -> int | None:
    """The index of the parenthesis closing the group opened before ``start``."""
    depth = 1
    index = start
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index
        index += 1
    return None


def _from_describe(command: object) -> str | None:
    """``git describe ... --match hatch-v*`` -> ``hatch-v{version}``."""
    args = command.split() if isinstance(command, str) else command
    if not isinstance(args, list):
        return None
    for index, arg in enumerate(args):
        if not isinstance(arg, str):
            return None
        if arg.startswith("--match="):
            return _from_glob(arg.removeprefix("--match="))
        if arg == "--match" and index + 1 < len(args) and isinstance(args[index + 1], str):
            return _from_glob(args[index + 1])
    return None


def _from_glob(glob: str) -> str | None:
    """``hatch-v*`` -> ``hatch-v{version}``: a literal prefix, then anything."""
    prefix = re.split(r"[*?\[]", glob, maxsplit=1)[0]
    return f"{prefix}{{version}}" if prefix and glob[len(prefix) :][:1] in ("*", "[") else None
