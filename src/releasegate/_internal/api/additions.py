"""What griffe does not report: additions, and annotation changes judged by their unions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.api.annotations import compare_parameter, compare_return
from releasegate._internal.api.breakages import may_provide, moved, still_inherits, unseen_bases
from releasegate._internal.api.changes import Change, ChangeKind
from releasegate._internal.api.deprecations import parameter_deprecated
from releasegate._internal.api.members import borrowed, is_public, lookup, target_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from griffe import Function, Object

    from releasegate._internal.api.members import Comparison, Member


def additions(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    """Additions and signature changes from ``old`` to ``new``, recursively."""
    return _walk(old, new, comparison)


def _walk(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    """Additions among ``new``'s own members (inherited ones come from their base), then pairs."""
    before = old.all_members
    # A class with a base the comparison cannot see (another package, or a module left out
    # because it did not change) may have inherited any "new" member: flask 3.0.3 defines
    # Blueprint.__init__, which it inherited before. Only its known members are compared.
    unseen = _unseen_bases(old) if old.is_class else []
    for name, member in new.members.items():
        previous = before.get(name)
        if comparison.ignored(member) or borrowed(member):
            continue
        if not is_public(member):
            # Still importable from where it was public (moved, then imported back): its
            # signature is still the old path's contract.
            if member.is_alias and previous is not None and is_public(previous):
                yield from _pair(previous, member, comparison)
            continue
        if previous is not None and not is_public(previous) and previous.is_alias:
            continue  # importable before, now declared (sniffio 1.3.1 added it to __all__)
        if previous is None or not is_public(previous):
            if not any(may_provide(base, name) for base in unseen):
                yield from _added(member, comparison)
        else:
            yield from _pair(previous, member, comparison)


def _unseen_bases(cls: Member) -> list[str]:
    """The bases of ``cls`` and its ancestors that the comparison cannot see."""
    target = target_of(cls)
    if target is None:
        return ["?"]
    try:
        chain = [target, *target.mro()]  # type: ignore[attr-defined]
    except ValueError:
        chain = [target]
    return [base for c in chain for base in unseen_bases(c)]


def _added(member: Member, comparison: Comparison) -> Iterator[Change]:
    target = target_of(member)
    key = target.path if target is not None else member.path
    if key in comparison.added:
        return  # the same new object re-exported under a second public path
    comparison.added.add(key)
    kind = target.kind.value if target is not None else "name"
    path, line = comparison.new_locate(member)
    origin = _moved_from(target, comparison) if target is not None else None
    if origin is not None:
        detail = f"{kind} moved from {origin}, still importable there"
        yield Change(ChangeKind.OBJECT_MOVED, member.path, detail, path, line)
        return
    yield Change(ChangeKind.OBJECT_ADDED, member.path, f"new public {kind}", path, line)


def _moved_from(target: Object, comparison: Comparison) -> str | None:
    """The path where the release defined ``target``, which now imports it from its new home.

    An object moved to another module but still importable from the old path is no new
    API: the old path is the same object, the new one is where it lives now.
    """
    old_root = comparison.old_root
    if old_root is None:
        return None
    for path in sorted(getattr(target, "aliases", {})):
        before = lookup(old_root, path)
        if (
            before is not None
            and not before.is_alias
            and before.kind is target.kind
            and is_public(before)
        ):
            return str(path)
    return None


def _pair(old: Member, new: Member, comparison: Comparison) -> Iterator[Change]:
    old_target, new_target = target_of(old), target_of(new)
    if old_target is None or new_target is None or old_target.kind is not new_target.kind:
        return  # griffe reports changed kinds; unresolvable aliases leave the package
    if new_target.path in comparison.seen:
        return
    comparison.seen.add(new_target.path)
    if old_target.path != new_target.path and old_target.path == old.path:
        yield from moved(old_target, new_target, comparison)
    if new_target.is_class:
        yield from _replaced_bases(old_target, new_target, comparison)
    if new_target.is_module or new_target.is_class:
        yield from _walk(old_target, new_target, comparison)
    elif new_target.is_function:
        yield from _signature(old_target, new_target, comparison)  # type: ignore[arg-type]


def _base_paths(cls: Object) -> list[str]:
    return [b if isinstance(b, str) else b.canonical_path for b in cls.bases]  # type: ignore[attr-defined]


def _replaced_bases(old: Object, new: Object, comparison: Comparison) -> Iterator[Change]:
    """A public base swapped for another: ``isinstance`` checks against it now fail.

    griffe reports a removed base only when the number of bases drops.
    """
    before, after = _base_paths(old), _base_paths(new)
    if len(after) < len(before):
        return  # griffe's CLASS_REMOVED_BASE
    for base in before:
        if base in after or base.rsplit(".", 1)[-1].startswith("_"):
            continue
        if still_inherits(new, base, comparison.old_root):
            continue
        if not any(_still_a(base, replacement) for replacement in after):
            path, line = comparison.new_locate(new)
            detail = f"base {base} replaced: bases [{', '.join(before)}] -> [{', '.join(after)}]"
            yield Change(ChangeKind.BASE_REMOVED, new.path, detail, path, line)


_SAME_MODULES = {"typing_extensions": "typing"}


def _still_a(old: str, new: str) -> bool:
    """Instances of ``new`` still pass ``isinstance(x, old)``, as far as the stdlib tells.

    ``Enum`` -> ``IntEnum``, ``typing_extensions.Protocol`` -> ``typing.Protocol`` and
    ``collections.abc.Mapping`` -> ``typing.Mapping`` replace nothing (issue 13).
    """
    if _same_module_name(old) == _same_module_name(new):
        return True  # typing_extensions.TypedDict -> typing.TypedDict: one name, not a class
    old_class, new_class = _stdlib_class(old), _stdlib_class(new)
    if old_class is None or new_class is None:
        return False
    try:
        return old_class is new_class or issubclass(new_class, old_class)
    except TypeError:
        return False


def _same_module_name(path: str) -> str:
    """``path`` with a backport module read as the module it backports (typing_extensions
    serves typing's own objects where typing has them, and the same construct where not)."""
    module, _, name = path.rpartition(".")
    return f"{_SAME_MODULES.get(module, module)}.{name}"


def _stdlib_class(path: str) -> type | None:
    """The class a dotted path names in the standard library (never the project's own code)."""
    import importlib
    import sys

    module, _, name = path.rpartition(".")
    module = _SAME_MODULES.get(module, module)
    if not module or module.partition(".")[0] not in sys.stdlib_module_names:
        return None
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    found = getattr(found, "__origin__", found)  # typing.Mapping -> collections.abc.Mapping
    return found if isinstance(found, type) else None


def _signature(old: Function, new: Function, comparison: Comparison) -> Iterator[Change]:
    path, line = comparison.new_locate(new)
    owner = new.parent.name if new.parent is not None and new.parent.is_class else None
    before = {p.name: p for p in old.parameters}
    variadic = {p.kind for p in old.parameters if p.kind.name.startswith("var_")}
    for parameter in new.parameters:
        previous = before.get(parameter.name)
        if previous is None and parameter.kind in variadic:
            continue  # **kw renamed **kwargs: the same calls are accepted
        target = f"{new.path}({parameter.name})"
        if parameter.name.startswith("_") and not (previous is None and parameter.required):
            continue  # an underscore parameter is private: only a new required one matters
        if previous is None:
            if not parameter.required:
                yield Change(
                    ChangeKind.PARAMETER_ADDED_OPTIONAL,
                    target,
                    "new optional parameter",
                    path,
                    line,
                )
            continue
        found = compare_parameter(previous.annotation, parameter.annotation, owner)
        if found is not None and not parameter_deprecated(new, parameter.name):
            yield Change(found[0], target, found[1], path, line)
    found = compare_return(old.returns, new.returns, owner)
    if found is not None:
        yield Change(found[0], new.path, found[1], path, line)
    renamed = _keyword_renamed_into_kwargs(old, new)
    if renamed is not None:
        before_name, after_name = renamed
        yield Change(
            ChangeKind.PARAMETER_REMOVED,
            f"{new.path}({before_name})",
            f"keyword-only parameter was renamed to {after_name}; **kwargs now takes the old"
            " name and the function never reads it",
            path,
            line,
        )


def _keyword_renamed_into_kwargs(old: Function, new: Function) -> tuple[str, str] | None:
    """A keyword-only parameter renamed beside ``**kwargs``: python-json-logger 3.0.1's
    ``JsonFormatter(json_serialiser=)`` became ``json_serializer``, and the old name went into
    ``**kwargs``, on to ``logging.Formatter``, which refuses it. griffe lets ``**kwargs`` absorb
    any removed keyword, so this was no change.

    Only a rename in place (one keyword-only parameter gone, one new at its position) whose old
    name the new body never mentions (a shim that still reads it is a deprecation).
    """
    if not any(p.kind.name == "var_keyword" for p in new.parameters):
        return None
    before = [p.name for p in old.parameters if p.kind.name == "keyword_only"]
    after = [p.name for p in new.parameters if p.kind.name == "keyword_only"]
    gone = [n for n in before if n not in after and not n.startswith("_")]
    came = [n for n in after if n not in before]
    if len(gone) != 1 or len(came) != 1 or before.index(gone[0]) != after.index(came[0]):
        return None
    import ast

    from releasegate._internal.api.code import parsed

    tree = parsed(new)
    if tree is None:
        return None  # no body to prove the old name unread: no claim
    mentioned = any(
        isinstance(node, ast.Constant) and node.value == gone[0] for node in ast.walk(tree)
    )
    return None if mentioned else (gone[0], came[0])
