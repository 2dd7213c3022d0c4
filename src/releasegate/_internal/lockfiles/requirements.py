"""pip / pip-tools requirements files: pins, ``--hash``, ``-r``/``-c`` includes, ``# via``.

The file is read the way pip reads it (backslash continuations, comments, options
after the requirement) and the ``# via`` annotations pip-compile writes below each
entry give the dependency graph.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from releasegate._internal.findings import quoted
from releasegate._internal.lockfiles.model import (
    Entry,
    Hash,
    IndexOption,
    Lockfile,
    Problem,
    SourceKind,
)
from releasegate._internal.lockfiles.reqline import (
    ReqLineError,
    is_vcs,
    normalize,
    parse_requirement,
    url_hash,
    vcs_commit,
)
from releasegate._internal.paths import is_file, read_inside

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

NAME = "requirements"
MAX_INCLUDE_DEPTH = 20
INDEX_OPTIONS = {
    "-i": "--index-url",
    "--index-url": "--index-url",
    "--extra-index-url": "--extra-index-url",
    "-f": "--find-links",
    "--find-links": "--find-links",
}
INCLUDE_OPTIONS = {"-r": "-r", "--requirement": "-r", "-c": "-c", "--constraint": "-c"}
EDITABLE_OPTIONS = ("-e", "--editable")
# Global options pip accepts in a requirements file that do not change where packages come from.
HARMLESS_OPTIONS = frozenset(
    {
        "--no-index",
        "--pre",
        "--prefer-binary",
        "--only-binary",
        "--no-binary",
        "--require-hashes",
        "--use-feature",
        "--trusted-host",
        "--config-settings",
        "--global-option",
        "--hash",
    }
)
_COMMENT = re.compile(r"(^|\s+)#.*$")
_VIA_ITEM = re.compile(r"#\s{2,}(\S.*)$")


@dataclass
class _Collector:
    """State of one parse: the files seen (against include loops) and everything found."""

    root: Path
    boundary: Path
    """What includes may reach: the checkout (a member's ``-r ../../common.txt``), else root."""
    entries: list[Entry] = field(default_factory=list)
    options: list[IndexOption] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)
    included: list[str] = field(default_factory=list)
    command: tuple[str, ...] = ()

    def display(self, path: Path) -> str:
        resolved = path.resolve()
        if resolved.is_relative_to(self.root):
            return resolved.relative_to(self.root).as_posix()
        if resolved.is_relative_to(self.boundary):  # a shared file of the checkout: ../x.txt
            return os.path.relpath(resolved, self.root).replace(os.sep, "/")
        return path.as_posix()


def logical_lines(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """Yield ``(first line, logical line without comments, comments that follow it)``.

    The comments below an entry are where pip-compile writes its ``# via``
    annotations; they are gathered here so that the file is scanned once.
    """
    pending: list[str] = []
    start = 0
    current: tuple[int, str, list[str]] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not pending:
            stripped = raw.lstrip()
            if stripped[:1] == "#":
                if current is not None:
                    current[2].append(stripped)
                continue
            start = number
        code = (_COMMENT.sub("", raw) if "#" in raw else raw).strip()
        if code.endswith("\\"):
            pending.append(code[:-1])
            continue
        if pending:
            pending.append(code)
            code = " ".join(pending).strip()
            pending = []
        if current is not None:
            yield current
            current = None
        if code:
            current = (start, code, [])
    if pending:
        code = " ".join(pending).strip()
        if code:
            current = (start, code, current[2] if current else [])
    if current is not None:
        yield current


def parse_via(comments: list[str]) -> tuple[str, ...] | None:
    """The parents named by a ``# via`` annotation: package names normalised, roots as written."""
    if len(comments) == 1 and comments[0].startswith("# via "):
        return (_parent(comments[0][6:].strip()),)  # the common one-parent annotation
    parents: list[str] = []
    collecting = False
    for comment in comments:
        body = comment[1:].strip()
        if body.startswith("via"):
            collecting = True
            rest = body[3:].strip()
            if rest:
                parents.append(rest)
            continue
        if collecting and _VIA_ITEM.match(comment):
            parents.append(body)
        else:
            collecting = False
    if not parents and not collecting:
        return None
    return tuple(_parent(p) for p in parents)


def _parent(text: str) -> str:
    """A package parent becomes its normalised name; ``-r x`` and ``proj (pyproject.toml)`` stay."""
    if text.startswith("-") or " " in text:
        return text
    return normalize(text.split("[", 1)[0])


def _split_options(line: str) -> tuple[str, list[str]]:
    """Split ``req ; marker --hash=... --hash=...`` the way pip does: at the first ``-`` token."""
    tokens = line.split()
    for index, token in enumerate(tokens):
        if token.startswith("-"):
            return " ".join(tokens[:index]), tokens[index:]
    return line, []


def _option_pairs(tokens: list[str]) -> Iterator[tuple[str, str]]:
    """``--opt=value`` / ``--opt value`` / flag tokens as ``(option, value)`` pairs."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if "=" in token and token.startswith("--"):
            option, _, value = token.partition("=")
            yield option, value
        elif (
            index + 1 < len(tokens)
            and not tokens[index + 1].startswith("-")
            and _takes_value(token)
        ):
            yield token, tokens[index + 1]
            index += 1
        else:
            yield token, ""
        index += 1


def _takes_value(option: str) -> bool:
    return (
        option in INDEX_OPTIONS
        or option in INCLUDE_OPTIONS
        or option in EDITABLE_OPTIONS
        or option
        in (
            "--hash",
            "--trusted-host",
            "--only-binary",
            "--no-binary",
            "--use-feature",
            "--config-settings",
            "--global-option",
        )
    )


class _Line(NamedTuple):
    """Where one logical line is: its file (and how that file was reached) and line number."""

    path: Path
    shown: str
    number: int
    constraint: bool
    depth: int

    def problem(self, message: str, hint: str | None = None, rule: str = "parse-error") -> Problem:
        return Problem(message, self.shown, self.number, hint, rule)


def _read(path: Path, shown: str, collector: _Collector) -> str | None:
    try:
        raw = read_inside(collector.boundary, path)
    except OSError as exc:
        collector.problems.append(
            Problem(
                f"cannot read: {exc.strerror}", shown, None, "fix the path", rule="missing-include"
            )
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        collector.problems.append(Problem("not valid UTF-8", shown, line, "save the file as UTF-8"))
        return None


def _read_file(path: Path, collector: _Collector, constraint: bool, depth: int) -> None:
    resolved = path.resolve()
    if resolved in collector.seen:
        return  # an include cycle or a file included twice: its entries are already collected
    collector.seen.add(resolved)
    shown = collector.display(path)
    text = _read(path, shown, collector)
    if text is None:
        return
    if depth == 0:
        collector.command = compile_command(text)
    for number, logical, comments in logical_lines(text):
        at = _Line(path, shown, number, constraint, depth)
        _handle_line(at, logical, comments, collector)


def _handle_line(at: _Line, logical: str, comments: list[str], collector: _Collector) -> None:
    requirement, options = _split_options(logical)
    if requirement:
        _handle_requirement(at, requirement, options, comments, collector)
        return
    option, value = next(_option_pairs(options))
    if option in INCLUDE_OPTIONS:
        _include(at, value, INCLUDE_OPTIONS[option] == "-c", collector)
    elif option in EDITABLE_OPTIONS:
        _handle_editable(at, value, comments, collector)
    elif option in INDEX_OPTIONS:
        collector.options.append(IndexOption(INDEX_OPTIONS[option], value, at.shown, at.number))
    elif option not in HARMLESS_OPTIONS:
        hint = "pip refuses options it does not know; remove it"
        collector.problems.append(at.problem(f"unknown option {quoted(option)}", hint))


def _include(at: _Line, value: str, constraint: bool, collector: _Collector) -> None:
    if not value or "://" in value:
        message = f"include {quoted(value)} is not a local file"
        collector.problems.append(
            at.problem(message, "include by relative path", "missing-include")
        )
        return
    target = at.path.parent / value
    if not _inside(target, collector.boundary):
        # Never read: -r /proc/self/environ or -c ../.env would echo secrets into findings.
        message = f"include {quoted(value)} leads outside the repository"
        hint = "includes stay inside the repository"
        collector.problems.append(at.problem(message, hint, "missing-include"))
        return
    if at.depth >= MAX_INCLUDE_DEPTH:
        collector.problems.append(at.problem(f"includes nested deeper than {MAX_INCLUDE_DEPTH}"))
        return
    if not is_file(target):
        message = f"included file {quoted(value)} does not exist"
        collector.problems.append(at.problem(message, "fix the -r/-c path", "missing-include"))
        return
    collector.included.append(collector.display(target))
    _read_file(target, collector, constraint or at.constraint, at.depth + 1)


def _inside(target: Path, root: Path) -> bool:
    try:
        return target.resolve().is_relative_to(root)
    except (OSError, RuntimeError, ValueError):  # a link loop, a name too long, a NUL
        return False


def _hashes(at: _Line, options: list[str], collector: _Collector) -> tuple[Hash, ...]:
    if all(token.startswith("--hash=sha256:") for token in options):  # what pip-compile writes
        return tuple([Hash("sha256", token[14:]) for token in options])
    found = []
    for option, value in _option_pairs(options):
        if option != "--hash":
            continue
        algorithm, colon, digest = value.partition(":")
        if not colon:
            message = f"--hash {quoted(value)} is not algorithm:digest"
            collector.problems.append(at.problem(message, "write --hash=sha256:<hex>", "bad-hash"))
            continue
        found.append(Hash(algorithm.lower(), digest))
    return tuple(found)


def _handle_requirement(
    at: _Line, text: str, options: list[str], comments: list[str], collector: _Collector
) -> None:
    hashes = _hashes(at, options, collector) if options else ()
    via = parse_via(comments) if comments else None
    if ("/" in text or text[0] in ".~") and _looks_like_path(text):
        entry = _path_entry(at, text, hashes, via, editable=False, root=collector.root)
        collector.entries.append(entry)
        return
    try:
        req = parse_requirement(text)
    except ReqLineError as exc:
        message = f"not a requirement: {quoted(text)}: {quoted(str(exc))[1:-1]}"
        collector.problems.append(at.problem(message, "write name==version (PEP 508)"))
        return
    kind, commit = SourceKind.REGISTRY, None
    is_project = False
    if req.url is not None and req.url.startswith("file:"):
        # ``jsonschema @ file:.`` (pip-compile of a docs lock installing the project itself): a
        # local directory, the checkout, not a download that a hash could pin.
        kind = SourceKind.FILE if _is_archive(req.url) else SourceKind.DIRECTORY
        is_project = kind is SourceKind.DIRECTORY and any(
            _is_root(base, req.url, collector.root) for base in (at.path.parent, collector.root)
        )
    elif req.url is not None:
        kind = SourceKind.VCS if is_vcs(req.url) else SourceKind.URL
        commit = vcs_commit(req.url) if kind is SourceKind.VCS else None
        hashes = hashes or _fragment_hash(req.url)
    collector.entries.append(
        Entry(
            name=req.name,
            specifier=req.specifier,
            path=at.shown,
            line=at.number,
            version=req.version,
            hashes=hashes,
            marker=req.marker,
            kind=kind,
            url=req.url,
            commit=commit,
            required_by=via,
            is_project=is_project,
            constraint=at.constraint,
        )
    )


def _fragment_hash(url: str) -> tuple[Hash, ...]:
    found = url_hash(url)
    return (Hash(found[0], found[1]),) if found else ()


def _looks_like_path(text: str) -> bool:
    """A bare URL or local path instead of a ``name...`` requirement."""
    head = text.split(";", 1)[0].strip()
    return "://" in head.split(" ", 1)[0] or head.startswith((".", "/", "~")) or is_vcs(head)


def _path_entry(
    at: _Line,
    text: str,
    hashes: tuple[Hash, ...],
    via: tuple[str, ...] | None,
    *,
    editable: bool,
    root: Path,
) -> Entry:
    url, _, marker = (part.strip() for part in text.partition(";"))
    is_project = False
    if is_vcs(url):
        kind, commit = SourceKind.VCS, vcs_commit(url)
    elif "://" in url and not url.startswith("file:"):
        kind, commit = SourceKind.URL, None
    else:
        kind, commit = (SourceKind.FILE if _is_archive(url) else SourceKind.DIRECTORY), None
        if kind is SourceKind.DIRECTORY and url.endswith("]") and "[" in url:
            url = url[: url.index("[")]  # ``-e .[brotli,cli]``: the directory with extras
        is_project = kind is SourceKind.DIRECTORY and _is_root(at.path.parent, url, root)
    return Entry(
        name=normalize(root.name) if is_project else _egg_name(url),
        specifier="",
        path=at.shown,
        line=at.number,
        version=None,
        hashes=hashes or _fragment_hash(url),
        marker=marker or None,
        kind=kind,
        editable=editable,
        url=url,
        commit=commit,
        required_by=via,
        is_project=is_project,
        constraint=at.constraint,
    )


def _is_root(base: Path, path: str, root: Path) -> bool:
    """Whether the local ``path`` (relative to the file that names it) is the project root."""
    local = path[5:].lstrip("/") if path.startswith("file:") else path
    try:
        return (base / local).resolve() == root
    except (OSError, ValueError):
        return False


def _egg_name(url: str) -> str:
    _, _, fragment = url.partition("#")
    for part in fragment.split("&"):
        key, _, value = part.partition("=")
        if key == "egg" and value:
            return normalize(value.split("[", 1)[0])
    stem = url.rstrip("/").rsplit("/", 1)[-1]
    return normalize(stem.split("-", 1)[0].split("@", 1)[0].split("#", 1)[0]) or url


def _is_archive(url: str) -> bool:
    return url.split("#", 1)[0].endswith((".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz"))


def _handle_editable(at: _Line, value: str, comments: list[str], collector: _Collector) -> None:
    if not value:
        collector.problems.append(at.problem("-e without a path or URL"))
        return
    via = parse_via(comments) if comments else None
    collector.entries.append(_path_entry(at, value, (), via, editable=True, root=collector.root))


def compile_command(text: str) -> tuple[str, ...]:
    """The ``pip-compile ...`` command recorded in the header comment, split like argv."""
    import shlex

    for raw in text.splitlines()[:30]:
        stripped = raw.lstrip("#").strip()
        if stripped.startswith(("pip-compile", "uv pip compile")):
            try:
                argv = shlex.split(stripped)
            except ValueError:
                return ()
            # The tool's name is the first item, whatever its spelling; the rest is argv.
            return ("uv pip compile", *argv[3:]) if argv[0] == "uv" else tuple(argv)
        if raw and not raw.startswith("#"):
            break
    return ()


def _declared_inputs(entries: list[Entry]) -> tuple[str, ...]:
    inputs = []
    for entry in entries:
        for parent in entry.required_by or ():
            if parent.startswith("-r "):
                inputs.append(parent[3:].strip())
    return tuple(dict.fromkeys(inputs))


def input_reason(lock: Lockfile) -> str | None:
    """Why a requirements file is an input someone installs from rather than a lockfile.

    None when it is a lock: it records its compile command, carries hashes, or pins every
    entry. A file of pinned tools plus ``-e .[extras]`` (httpx) leaves the project's own
    dependencies unlocked; one with a range (spectree's ``pydantic<2``) is a pip-compile input.
    """
    if lock.command:
        return None
    entries = [e for e in lock.entries if not e.constraint]
    if any(e.hashes for e in entries):
        return None
    project = next((e for e in entries if e.is_project), None)
    if project is not None:
        return (
            f"it installs the project itself (line {project.line}), whose dependencies it "
            "does not pin, and has no pip-compile header or hashes"
        )
    loose = next((e for e in entries if e.version is None and e.commit is None), None)
    if loose is not None:
        return (
            f"{loose.name} is not pinned (line {loose.line}), and it has no pip-compile "
            "header or hashes"
        )
    return None if entries else "it has no entries"


def parse(path: Path, root: Path) -> Lockfile:
    """Parse the requirements file at ``path`` and everything it includes."""
    from releasegate._internal.paths import checkout_top

    resolved = root.resolve()
    collector = _Collector(resolved, checkout_top(resolved) or resolved)
    _read_file(path, collector, False, 0)
    graph = bool(collector.entries) and any(e.required_by is not None for e in collector.entries)
    return Lockfile(
        collector.display(path),
        NAME,
        tuple(collector.entries),
        tuple(collector.options),
        tuple(collector.problems),
        graph,
        tuple(collector.included),
        _declared_inputs(collector.entries),
        command=collector.command,
    )
