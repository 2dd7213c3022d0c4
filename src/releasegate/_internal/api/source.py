"""Where the package lives, in the working tree and at a release, read without importing it."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from releasegate._internal.errors import FatalError
from releasegate._internal.versionsources import import_name

if TYPE_CHECKING:
    from releasegate._internal.api.changes import Problem
    from releasegate._internal.project import Project


def candidates(project: Project, explicit: str | None) -> list[str]:
    """Relative paths the package may have: the configured one, or the usual layouts."""
    if explicit:
        return [PurePosixPath(explicit.rstrip("/")).as_posix()]
    name = import_name(project) or _poetry_name(project) or _only_package(project)
    return _layouts(name) if name else []


def _layouts(name: str) -> list[str]:
    found = [f"src/{name}", name, f"src/{name}.py", f"{name}.py"]
    for nested in _namespace_paths(name):
        found += [f"src/{nested}", nested]
    return found


def apart(project: Project) -> list[str]:
    """The usual layouts of the one package of a distribution named apart from it (PyJWT's
    ``jwt``, dnspython's ``dns``, graphql-core's ``src/graphql``), or none.

    Only for when the project's name names no package, now or at the release: a package that
    was renamed since is a move the gate cannot guess, not a package to find.
    """
    only = _only_package(project)
    return _layouts(only) if only else []


def _namespace_paths(name: str) -> list[str]:
    """``pdm_backend`` -> ``pdm/backend``: a portion of a namespace package (PEP 420)."""
    parts = name.split("_")
    if len(parts) < 2 or len(parts) > 4 or not all(parts):
        return []
    paths = []
    for mask in range(1, 2 ** (len(parts) - 1)):
        joined = [parts[0]]
        for index, part in enumerate(parts[1:]):
            if mask >> index & 1:
                joined.append(part)
            else:
                joined[-1] += f"_{part}"
        paths.append("/".join(joined))
    return paths


def namespace(project: Project, relative: str) -> str | None:
    """The dotted module name of ``relative`` when it is a namespace portion (``pdm.backend``
    for ``src/pdm/backend`` of the distribution pdm-backend), else None."""
    parts = PurePosixPath(relative.removesuffix(".py")).parts
    parts = parts[1:] if parts[:1] == ("src",) else parts
    name = import_name(project) or _poetry_name(project)
    if len(parts) < 2 or name is None or "_".join(parts) != name:
        return None
    return ".".join(parts)


def _poetry_name(project: Project) -> str | None:
    """``[tool.poetry] name`` of a Poetry 1 project without ``[project]`` (rich)."""
    import re

    tool = project.pyproject.get("tool") if project.pyproject else None
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    name = poetry.get("name") if isinstance(poetry, dict) else None
    return re.sub(r"[-.]+", "_", name).lower() if isinstance(name, str) else None


_NOT_THE_PACKAGE = frozenset({"tests", "test", "docs", "doc", "examples", "benchmarks", "scripts"})


def _only_package(project: Project) -> str | None:
    """The one package at the root or under ``src/`` of a project that names none (setup.py)."""
    found = {
        path.parent.name
        for parent in (project.root, project.root / "src")
        for path in parent.glob("*/__init__.py")
        if path.parent.name not in _NOT_THE_PACKAGE and path.parent.name.isidentifier()
    }
    return found.pop() if len(found) == 1 else None


_IMPORT = re.compile(
    r"^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)|import[ \t]+([A-Za-z_]\w*))", re.MULTILINE
)


def companions(project: Project, relative: str) -> list[str]:
    """The packages and modules beside ``relative`` that it imports from, transitively.

    attrs is ``src/attrs`` re-exporting ``src/attr``: read alone, every name of ``attrs`` is an
    alias griffe cannot resolve, and nothing was compared (issue 13). The distribution's
    packages are compared together; a sibling the package never imports (tests, scripts) is
    none of its API.
    """
    parent = PurePosixPath(relative).parent
    siblings = {
        name: path
        for name, path in _modules_in(project.root / parent, parent).items()
        if path != relative and name not in _NOT_THE_PACKAGE
    }
    found: list[str] = []
    queue = [relative]
    while queue and siblings:
        imported = {
            name
            for file in sorted(files_in_tree(project, queue.pop()))
            for match in _IMPORT.finditer(_read(project, file))
            for name in match.groups()
            if name
        }
        for name in sorted(imported & siblings.keys()):
            path = siblings.pop(name)
            found.append(path)
            queue.append(path)
    return found


def _modules_in(directory: Path, relative: PurePosixPath) -> dict[str, str]:
    """Module name -> relative path of the packages and modules directly in ``directory``."""
    found: dict[str, str] = {}
    if not directory.is_dir():
        return found
    for child in sorted(directory.iterdir()):
        name = child.name.removesuffix(".py") if child.is_file() else child.name
        if not name.isidentifier() or name in found:
            continue
        module = child.is_file() and child.suffix == ".py"
        if module or (child.is_dir() and any((child / init).is_file() for init in INIT)):
            found[name] = (relative / child.name).as_posix()
    return found


def _read(project: Project, relative: str) -> str:
    from releasegate._internal.paths import read_text_inside

    try:
        return read_text_inside(project.root, project.root / relative)
    except OSError:
        return ""  # a link out of the project: refused (files_in_tree leaves it out, and says so)


def beside(released: str, companion: str) -> list[str]:
    """Where ``companion`` (a path in the tree) may have been beside the release's package."""
    parent = PurePosixPath(released).parent
    name = PurePosixPath(companion).name.removesuffix(".py")
    return [(parent / name).as_posix(), (parent / f"{name}.py").as_posix()]


def in_tree(project: Project, paths: list[str]) -> str | None:
    """The first candidate that exists in the working tree."""
    for relative in paths:
        target = project.root / relative
        if (target / "__init__.py").is_file() or (target.suffix == ".py" and target.is_file()):
            return relative
        if target.is_dir() and any(target.glob("*.py")):
            return relative  # a namespace package
    return None


def at_commit(project: Project, commit: str, paths: list[str]) -> tuple[str | None, set[str]]:
    """The first candidate present in ``commit``, and its Python files (one ``git ls-tree``)."""
    if not paths:
        return None, set()
    out = project.git.run("ls-tree", "-r", "-z", "--name-only", commit, "--", *paths, check=False)
    files = _names(out)
    for candidate in paths:
        under = {f for f in files if f == candidate or f.startswith(f"{candidate}/")}
        if under:
            return candidate, under
    return None, set()


PYTHON = (".py", ".pyi")
INIT = ("__init__.py", "__init__.pyi")


def _names(out: str) -> set[str]:
    return {name for name in out.split("\0") if name.endswith(PYTHON)}


def changed(project: Project, commit: str, relative: str) -> set[str]:
    """Python files under ``relative`` that differ between ``commit`` and the working tree."""
    git = project.git
    diff = git.run("diff", "--name-only", "-z", "--no-renames", commit, "--", relative, check=False)
    new = git.run("ls-files", "-z", "--others", "--exclude-standard", "--", relative, check=False)
    return _names(diff) | _names(new)


def files_in_tree(project: Project, relative: str) -> set[str]:
    """The package's Python files in the working tree that are the project's own: a committed
    symlink whose real path leaves the project (or enters ``.git``) is left out (``leaving``)."""
    base = project.root / relative
    if leaving(project, relative):
        return set()
    if base.is_file():
        return {relative}
    found = (p for suffix in PYTHON for p in base.rglob(f"*{suffix}") if p.is_file())
    files = {p.relative_to(project.root).as_posix() for p in found}
    return files - set(leaving(project, relative))


def leaving(project: Project, relative: str) -> list[str]:
    """Paths under ``relative`` (itself included) whose real path leaves the project.

    A checkout may commit ``pkg/secrets.py -> ~/.aws/credentials`` or a linked folder: griffe
    would read it and the API gate print its names. Only links need a look (a plain file or
    folder is where it is); their targets are resolved and must stay inside.
    """
    import os

    from releasegate._internal.paths import outside

    base = project.root / relative
    if not base.is_symlink() and not base.is_dir():
        return []
    if outside(project.root, base):
        return [relative]
    found = []
    for folder, dirs, files in os.walk(base):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if path.is_symlink() and outside(project.root, path):
                found.append(path.relative_to(project.root).as_posix())
    return sorted(found)


def sparse(files: set[str], changed: set[str] | None) -> set[str]:
    """The files to load: the changed ones, plus every ``__init__`` to keep the package shape.

    Unchanged modules have an unchanged API, so they are left out of both sides; what refers
    to them (re-exports, bases) then resolves on neither side, which griffe treats alike.
    """
    if changed is None:
        return files
    return {f for f in files if f in changed or PurePosixPath(f).name in INIT}


def copy(project: Project, paths: set[str], into: Path) -> None:
    """The working tree's files below ``into``: griffe reads this copy, never the checkout,
    so nothing it follows can leave the project (each file is read with ``read_inside``)."""
    from releasegate._internal.paths import read_inside

    for relative in paths:
        target = into.joinpath(*PurePosixPath(relative).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            target.write_bytes(read_inside(project.root, project.root / relative))
        except OSError:
            continue  # leaving() already named it; the module is not read


def extract(project: Project, commit: str, paths: set[str], into: Path) -> None:
    """Write ``paths`` as they are in ``commit`` below ``into``, paths kept."""
    if not paths:
        return
    tar = project.git.archive(commit, sorted(paths))
    write_python_files(tar, into, f"git archive {commit[:12]}")


def write_python_files(tar: bytes, into: Path, what: str) -> None:
    """Write the Python files of a tar held in memory below ``into``, through the one reader.

    git archive never writes unsafe members, but the archive is read as untrusted anyway:
    members with a problem (names leaving ``into``, links, devices) are skipped, and a
    broken or oversized archive is an error.
    """
    from releasegate._internal.archives import Limits, read_archive_bytes

    limits = Limits()
    archive = read_archive_bytes("release.tar", tar, limits.keeping_everything())
    broken = [p.message for p in archive.problems if p.member is None]
    if broken:
        raise FatalError(f"{what}: {'; '.join(broken)}")
    skipped = {p.member for p in archive.problems}
    for member in archive.members:
        if member.kind == "file" and member.name.endswith(PYTHON) and member.name not in skipped:
            target = into.joinpath(*PurePosixPath(member.name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member.content or b"")


def stub_view(root: Path, relatives: list[str], into: Path) -> None:
    """Copy the Python files of ``relatives`` below ``root`` into ``into``, leaving out each
    ``.py`` that a ``.pyi`` beside it describes."""
    for relative in relatives:
        base = root / relative
        files = [base] if base.is_file() else [p for p in base.rglob("*") if p.is_file()]
        for path in files:
            if path.suffix not in PYTHON or (
                path.suffix == ".py" and path.with_suffix(".pyi").is_file()
            ):
                continue
            target = into / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())


COMPILED = (".c", ".cpp", ".cc", ".pyx", ".rs")


def uncompared(project: Project, relative: str) -> list[Problem]:
    """Compiled extension modules of the package without ``.pyi`` stubs: what the gate could
    not compare (a static reader sees no API in C, Cython or Rust source)."""
    from releasegate._internal.api.changes import Problem as Found

    base = project.root / relative
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.rglob("*")):
        if path.suffix not in COMPILED or not path.stem.isidentifier():
            continue
        stubs = [path.with_suffix(s) for s in PYTHON] + [path.parent / "__init__.pyi"]
        if any(stub.is_file() for stub in stubs):
            continue  # its own stub, or the package's (msgspec's __init__.pyi covers _core)
        module = ".".join(path.relative_to(base.parent).with_suffix("").parts)
        found.append(
            Found(
                "not-compared",
                f"{module} is a compiled extension without .pyi stubs: its API is not compared",
                "ship .pyi stubs beside it (they are the API a static reader and type"
                " checkers see)",
                path.relative_to(project.root).as_posix(),
            )
        )
    return found
