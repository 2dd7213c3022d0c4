"""What the project declares: the requirements a lockfile must satisfy.

Sources: ``[project]`` dependencies, optional dependencies and dependency groups
(PEP 735, through ``packaging.dependency_groups``), Poetry's own tables, or a
pip-tools input file (``requirements.in``). When the declaration cannot be read
offline (dynamic dependencies, ``setup.py``), the reason is recorded instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from releasegate._internal.findings import quoted
from releasegate._internal.lockfiles.poetryspec import PoetrySpecError, poetry_requirement

if TYPE_CHECKING:
    from pathlib import Path

    from releasegate._internal.tomldoc import TomlDocument


class Declared(NamedTuple):
    """One declared requirement (a NamedTuple: cheaper for a hook to define than a dataclass)."""

    text: str
    """As written (PEP 508)."""
    path: str
    line: int | None
    required: bool
    """Must be locked (False: only checked when locked, e.g. an extra a pylock did not export)."""
    extra: str | None = None
    """The extra it belongs to, for evaluating its marker."""
    group: str | None = None
    """The dependency group it belongs to (None: the main dependencies or an extra)."""
    included: bool = False
    """Reached through another group's ``include-group``, not written in ``group`` itself."""


@dataclass
class Declarations:
    items: list[Declared] = field(default_factory=list)
    undecidable: list[str] = field(default_factory=list)
    """Why the declaration cannot be read offline; empty when it can."""
    own_name: str | None = None
    """The project's own name: ``proj[extra]`` inside its extras refers to itself."""

    def extend(self, other: Declarations) -> None:
        self.items.extend(other.items)
        self.undecidable.extend(other.undecidable)
        self.own_name = self.own_name or other.own_name


def from_pyproject(
    doc: TomlDocument | None,
    *,
    optional_required: bool,
    extras: tuple[str, ...] | None = None,
    groups: tuple[str, ...] | None = None,
    only_selected: bool = False,
) -> Declarations:
    """Declarations of pyproject.toml.

    ``extras`` and ``groups`` limit which extras and dependency groups must be locked
    (None: all of them); the others are still compared where they are locked, unless
    ``only_selected``: a pip-compile of pyproject.toml holds the main dependencies and the
    extras it was asked for, and a package of another extra in it came in for another reason.
    """
    found = Declarations()
    if doc is None:
        found.undecidable.append("there is no pyproject.toml to compare the lockfile with")
        return found
    project = doc.get("project")
    if not isinstance(project, dict):
        if isinstance(doc.get("tool", "poetry", "dependencies"), dict):
            return _poetry_tables(doc, optional_required)
        found.undecidable.append("pyproject.toml has no [project] table declaring dependencies")
        return found
    name = project.get("name")
    found.own_name = name if isinstance(name, str) else None
    dynamic = project.get("dynamic")
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        found.undecidable.append(
            "[project].dependencies is dynamic: only the build backend can compute it"
        )
    found.items.extend(_listed(doc, ("project", "dependencies"), required=True))
    if only_selected and extras is not None:
        extras = _with_own_extras(doc, extras, found.own_name)
    optional = _optional(doc, optional_required, extras)
    if only_selected:
        optional.items = [item for item in optional.items if item.required]
        found.extend(optional)
        return found
    found.extend(optional)
    found.extend(_groups(doc, optional_required, groups))
    found.extend(_pdm_dev(doc, optional_required, groups))
    # Poetry 2 keeps its dependency groups in [tool.poetry.group.*] beside [project]
    # ([tool.poetry.dependencies] there only refines what [project] declares).
    found.extend(_poetry_tables(doc, optional_required, main=False))
    return found


def _listed(
    doc: TomlDocument, key: tuple[str, ...], *, required: bool, extra: str | None = None
) -> list[Declared]:
    values = doc.get(*key)
    if not isinstance(values, list):
        return []
    return [
        Declared(v, "pyproject.toml", doc.item_line(*key, i), required, extra)
        for i, v in enumerate(values)
        if isinstance(v, str)
    ]


def _with_own_extras(
    doc: TomlDocument, extras: tuple[str, ...], own: str | None
) -> tuple[str, ...]:
    """``extras`` and every extra they pull in through the project itself (``dev = ["p[test]"]``)."""
    from releasegate._internal.lockfiles.reqline import ReqLineError, normalize, parse_requirement

    table = doc.get("project", "optional-dependencies")
    if not isinstance(table, dict) or own is None:
        return extras
    chosen, pending = set(extras), list(extras)
    while pending:
        values = table.get(pending.pop())
        for value in values if isinstance(values, list) else ():
            try:
                req = parse_requirement(value) if isinstance(value, str) else None
            except ReqLineError:
                continue
            if req is not None and req.name == normalize(own):
                pending.extend(sorted(set(req.extras) - chosen))
                chosen.update(req.extras)
    return tuple(sorted(chosen))


def _optional(doc: TomlDocument, required: bool, extras: tuple[str, ...] | None) -> Declarations:
    found = Declarations()
    table = doc.get("project", "optional-dependencies")
    for extra in table if isinstance(table, dict) else {}:
        chosen = extras is None or extra in extras or "*" in extras
        found.items.extend(
            _listed(
                doc,
                ("project", "optional-dependencies", extra),
                required=required and chosen,
                extra=extra,
            )
        )
    return found


def _groups(doc: TomlDocument, required: bool, chosen: tuple[str, ...] | None) -> Declarations:
    found = Declarations()
    groups = doc.get("dependency-groups")
    if not isinstance(groups, dict):
        return found
    for group in groups:
        line = doc.line("dependency-groups", group)
        try:
            plain = _plain_group(groups, group)
            resolved = plain if plain is not None else _resolved_group(groups, group)
        except ValueError as exc:
            found.undecidable.append(
                f"[dependency-groups] {quoted(group)} cannot be resolved: {exc}"
            )
            continue
        must = required and (chosen is None or group in chosen)
        own = groups[group] if isinstance(groups[group], list) else []
        for text in dict.fromkeys(resolved):  # a group reached twice is listed once
            # An item written in this group has its own line; an included one, the group's.
            mine = text in own
            at = doc.item_line("dependency-groups", group, own.index(text)) if mine else line
            found.items.append(
                Declared(text, "pyproject.toml", at, must, group=group, included=not mine)
            )
    return found


def _plain_group(groups: dict[str, Any], group: str) -> tuple[str, ...] | None:
    """The group resolved as packaging resolves it, when every group it reaches is plain.

    Plain: requirements in the form reqline reads without packaging and ``include-group``
    tables of groups that exist, without cycles or names that collide once normalised.
    packaging's resolver imports its requirement parser (~15 ms of a hook); anything else,
    its errors included, is left to it (tests/lockfiles/test_reqline_fastpath.py compares the two).
    """
    from releasegate._internal.lockfiles.reqline import canonical, normalize

    named = {normalize(name): values for name, values in groups.items()}
    if len(named) != len(groups):
        return None
    resolved: list[str] = []

    def walk(name: str, stack: tuple[str, ...]) -> bool:
        values = named.get(name)
        if not isinstance(values, list) or name in stack or len(stack) > 50:
            return False
        for value in values:
            if isinstance(value, str):
                text = canonical(value)
                if text is None:
                    return False
                resolved.append(text)
            elif isinstance(value, dict) and list(value) == ["include-group"]:
                include = value["include-group"]
                if not isinstance(include, str) or not walk(normalize(include), (*stack, name)):
                    return False
            else:
                return False
        return True

    return tuple(resolved) if walk(normalize(group), ()) else None


def _resolved_group(groups: dict[str, Any], group: str) -> tuple[str, ...]:
    """packaging's resolution of ``group``; ValueError with the reasons when it fails."""
    from packaging.dependency_groups import resolve_dependency_groups
    from packaging.errors import ExceptionGroup

    try:
        return resolve_dependency_groups(groups, group)
    except (ValueError, TypeError, LookupError, ExceptionGroup) as exc:
        raise ValueError(_reason(exc)) from None


def _pdm_dev(doc: TomlDocument, required: bool, chosen: tuple[str, ...] | None) -> Declarations:
    """PDM's own ``[tool.pdm.dev-dependencies]`` groups (before PEP 735)."""
    found = Declarations()
    table = doc.get("tool", "pdm", "dev-dependencies")
    for group, values in table.items() if isinstance(table, dict) else ():
        must = required and (chosen is None or group in chosen)
        for index, value in enumerate(values if isinstance(values, list) else ()):
            if isinstance(value, str) and not value.startswith("-"):  # ``-e file:///...``: itself
                key = ("tool", "pdm", "dev-dependencies", group, index)
                line = doc.item_line(*key)
                found.items.append(Declared(value, "pyproject.toml", line, must, group=group))
    return found


def _reason(exc: Exception) -> str:
    """One line per problem; packaging reports several at once as an exception group."""
    inner = getattr(exc, "exceptions", None)
    if isinstance(inner, (list, tuple)) and inner:
        return "; ".join(str(e).splitlines()[0] for e in inner)
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _poetry_tables(doc: TomlDocument, required: bool, *, main: bool = True) -> Declarations:
    """Poetry's own tables: main dependencies (unless [project] has them) and every group.

    ``[tool.poetry.dev-dependencies]`` is Poetry 1's spelling of the ``dev`` group; Poetry
    still reads it, and ``poetry lock`` locks it like any group.
    """
    found = Declarations()
    tables: list[tuple[tuple[str, ...], bool, str | None]] = []
    if main:
        tables.append((("tool", "poetry", "dependencies"), True, None))
    tables.append((("tool", "poetry", "dev-dependencies"), required, "dev"))
    groups = doc.get("tool", "poetry", "group")
    for group in groups if isinstance(groups, dict) else {}:
        tables.append((("tool", "poetry", "group", group, "dependencies"), required, group))
    for key, must, group in tables:
        table = doc.get(*key)
        for name, spec in table.items() if isinstance(table, dict) else ():
            if name == "python":
                continue
            _poetry_item(found, doc, key, name, spec, required=must, group=group)
    return found


def _poetry_item(
    found: Declarations,
    doc: TomlDocument,
    key: tuple[str, ...],
    name: str,
    spec: Any,
    *,
    required: bool,
    group: str | None,
) -> None:
    try:
        text, optional = poetry_requirement(name, spec)
    except PoetrySpecError as exc:
        found.undecidable.append(f"pyproject.toml [{'.'.join(key)}] {name}: {exc}")
        return
    found.items.append(
        Declared(
            text, "pyproject.toml", doc.line(*key, name), required and not optional, group=group
        )
    )


def from_requirements_in(path: Path, root: Path) -> Declarations:
    """The requirements of a pip-tools input file (with its ``-r`` includes)."""
    from releasegate._internal.lockfiles.requirements import parse

    parsed = parse(path, root)
    found = Declarations()
    for problem in parsed.problems:
        found.undecidable.append(f"{problem.path}:{problem.line or ''}: {problem.message}")
    for entry in parsed.entries:
        if entry.constraint:
            continue
        if entry.url is not None and entry.kind.value in ("directory", "file"):
            continue  # ``-e .`` declares the project itself, not a dependency
        text = entry.name + entry.specifier + (f"; {entry.marker}" if entry.marker else "")
        found.items.append(Declared(text, entry.path, entry.line, True))
    return found


HATCH_PIP_COMPILE = "autogenerated by hatch-pip-compile"


def from_hatch_pip_compile(text: str, path: str) -> Declarations | None:
    """The requirements a hatch-pip-compile lock records in its header (``# - black``), or
    None when the file is no such lock.

    hatch-pip-compile locks one hatch environment (mkdocs' ``requirements-docs.txt``,
    ``requirements-style.txt``): its header lists that environment's dependencies, which are
    what the file must hold, not the project's [project] table.
    """
    lines = text.splitlines()[:400]
    if not any(HATCH_PIP_COMPILE in line for line in lines[:5]):
        return None
    found = Declarations()
    for number, line in enumerate(lines, 1):
        if not line.startswith("#"):
            break
        item = line[1:].strip()
        if item.startswith("- ") and item[2:].strip():
            found.items.append(Declared(item[2:].strip(), path, number, required=True))
    return found
