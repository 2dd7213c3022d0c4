"""Which tracked files the build backend's own sdist settings select: the rest is not missing.

check-manifest's rules expect every tracked file in the sdist, as setuptools' MANIFEST.in
model does. hatchling and flit say what their sdist holds in pyproject.toml instead:
hatch ``[tool.hatch.build.targets.sdist] include / exclude / only-include`` (else the
``[tool.hatch.build]`` ones), flit ``[tool.flit.sdist] include / exclude`` beside the
module. A file they leave out on purpose (``.editorconfig``, ``.readthedocs.yaml``,
``.devcontainer/`` outside litestar's ``include = ["/litestar", ...]``) is a choice, not a
missing file (issue 26). Patterns are read as the backends read them: gitignore style for
hatch (pathspec's ``GitIgnoreSpec``), globs from the root for flit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from releasegate._internal.tomldoc import TomlDocument

# Always out of a hatch build, whatever the configuration (hatchling.builders.constants).
_HATCH_EXCLUDED_DIRECTORIES = frozenset(
    {"__pycache__", ".venv", ".git", ".hg", ".hatch", ".tox", ".nox", ".ruff_cache",
     ".pytest_cache", ".mypy_cache", ".pixi"}
)  # fmt: skip
_HATCH_GLOBAL_EXCLUDE = ("*.py[cdo]", "/dist")


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern[str]
    negated: bool
    directory_only: bool


def gitignore_pattern(text: str) -> Pattern | None:
    """One gitignore-style line as a regex over a root-relative POSIX path (None: no pattern)."""
    line = text.strip()
    if not line or line.startswith("#"):
        return None
    negated = line.startswith("!")
    line = line.removeprefix("!")
    directory_only = line.endswith("/")
    line = line.strip("/") if line.startswith("/") or directory_only else line
    anchored = text.strip().lstrip("!").startswith("/") or "/" in line
    prefix = "" if anchored else "(?:.*/)?"
    try:
        regex = re.compile(f"^{prefix}{_translate(line)}$")
    except re.error:  # "[z-a]": no glob the backend accepts either; it selects nothing here
        return None
    return Pattern(regex, negated, directory_only)


def _translate(glob: str) -> str:
    out, index = [], 0
    while index < len(glob):
        if glob.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif glob.startswith("/**", index) and index + 3 == len(glob):
            out.append("/.*")
            index += 3
        elif glob.startswith("**", index):
            out.append(".*")
            index += 2
        elif glob[index] == "*":
            out.append("[^/]*")
            index += 1
        elif glob[index] == "?":
            out.append("[^/]")
            index += 1
        elif glob[index] == "[" and "]" in glob[index + 1 :]:
            end = glob.index("]", index + 1)
            out.append("[" + glob[index + 1 : end].replace("\\", "\\\\").replace("!", "^", 1) + "]")
            index = end + 1
        else:
            out.append(re.escape(glob[index]))
            index += 1
    return "".join(out)


def matches(patterns: list[Pattern], path: str) -> bool:
    """GitIgnoreSpec's verdict: a pattern matching the file itself outranks one matching only
    a folder of it; among equals the last wins (pathspec's priorities)."""
    folders = _folders(path)
    verdict, rank = False, 0
    for pattern in patterns:
        if not pattern.directory_only and pattern.regex.match(path):
            priority = 2
        elif any(pattern.regex.match(folder) for folder in folders):
            priority = 1
        else:
            continue
        if priority >= rank:
            verdict, rank = not pattern.negated, priority
    return verdict


def _folders(path: str) -> list[str]:
    parts = path.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def selector(doc: TomlDocument | None) -> Callable[[str], bool] | None:
    """Whether the backend's sdist selects a tracked file; None: no backend rules known."""
    if doc is None:
        return None
    backend = doc.get("build-system", "build-backend")
    if backend == "hatchling.build":
        return _hatch(doc)
    if backend == "flit_core.buildapi":
        return _flit(doc)
    return None


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _hatch_setting(doc: TomlDocument, key: str) -> list[str] | None:
    """The sdist target's setting, else the build-wide one (hatch's own precedence)."""
    for table in (("tool", "hatch", "build", "targets", "sdist"), ("tool", "hatch", "build")):
        section = doc.get(*table)
        if isinstance(section, dict) and key in section:
            return _strings(section[key])
    return None


def compile_patterns(lines: list[str]) -> list[Pattern]:
    return [p for p in (gitignore_pattern(line) for line in lines) if p is not None]


def _hatch(doc: TomlDocument) -> Callable[[str], bool]:
    only = [p.strip("/") for p in _hatch_setting(doc, "only-include") or []]
    include = compile_patterns(_hatch_setting(doc, "include") or [])
    exclude = compile_patterns([*_HATCH_GLOBAL_EXCLUDE, *(_hatch_setting(doc, "exclude") or [])])
    forced = _always_shipped(doc)

    def selected(path: str) -> bool:
        if forced(path):
            return True
        if any(part in _HATCH_EXCLUDED_DIRECTORIES for part in path.split("/")[:-1]):
            return False
        if matches(exclude, path):
            return False
        if only:
            return any(path == o or path.startswith(o + "/") for o in only if o)
        return not include or matches(include, path)

    return selected


def _flit(doc: TomlDocument) -> Callable[[str], bool]:
    include = compile_patterns(
        ["/" + p.lstrip("/") for p in _strings(doc.get("tool", "flit", "sdist", "include"))]
    )
    exclude = compile_patterns(
        ["/" + p.lstrip("/") for p in _strings(doc.get("tool", "flit", "sdist", "exclude"))]
    )
    module = _flit_module(doc)
    forced = _always_shipped(doc)

    def selected(path: str) -> bool:
        if matches(exclude, path):
            return False
        if forced(path) or matches(include, path):
            return True
        return module is not None and any(
            path == m or path.startswith(m + "/")
            for m in (module, f"src/{module}", f"{module}.py", f"src/{module}.py")
        )

    return selected


def _flit_module(doc: TomlDocument) -> str | None:
    name = doc.get("tool", "flit", "module", "name") or doc.get("project", "name")
    return name.replace("-", "_").replace(".", "/") if isinstance(name, str) else None


def _always_shipped(doc: TomlDocument) -> Callable[[str], bool]:
    """pyproject.toml, the readme and the license files: every backend ships them."""
    exact = {"pyproject.toml"}
    readme = doc.get("project", "readme")
    if isinstance(readme, dict):
        readme = readme.get("file")
    if isinstance(readme, str):
        exact.add(readme.removeprefix("./"))
    license_table = doc.get("project", "license")
    if isinstance(license_table, dict) and isinstance(license_table.get("file"), str):
        exact.add(license_table["file"].removeprefix("./"))
    globs = compile_patterns(
        ["/" + g.removeprefix("./") for g in _strings(doc.get("project", "license-files"))]
    )
    return lambda path: path in exact or matches(globs, path)


# Where VCS version plugins are told to write the version at build time.
_VERSION_FILE_KEYS: tuple[tuple[str, ...], ...] = (
    ("tool", "hatch", "build", "hooks", "vcs", "version-file"),
    ("tool", "hatch", "version", "raw-options", "version_file"),
    ("tool", "hatch", "version", "raw-options", "write_to"),
    ("tool", "setuptools_scm", "version_file"),
    ("tool", "setuptools_scm", "write_to"),
    ("tool", "pdm", "version", "write_to"),
)


def generated_files(doc: TomlDocument | None) -> set[str]:
    """Files the build writes from git (black's ``src/_black_version.py`` by hatch-vcs): in the
    sdist, and rightly untracked."""
    found: set[str] = set()
    for keys in _VERSION_FILE_KEYS if doc is not None else ():
        value = doc.get(*keys) if doc is not None else None
        if isinstance(value, str) and value.strip():
            found.add(value.strip().removeprefix("./"))
    # pdm's write_to is relative to its package-dir (findpython: src/ + findpython/__version__.py).
    package_dir = doc.get("tool", "pdm", "build", "package-dir") if doc is not None else None
    written = doc.get("tool", "pdm", "version", "write_to") if doc is not None else None
    if isinstance(package_dir, str) and isinstance(written, str):
        found.add(f"{package_dir.strip('/')}/{written.removeprefix('./')}")
    return found
