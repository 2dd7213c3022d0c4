"""The shape of the package: no import cycles between its parts, names that do not mislead,
a small public surface, and a map in CONTRIBUTING.md that names every part."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import releasegate
from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "releasegate"
INTERNAL = PACKAGE / "_internal"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts).removesuffix(".__init__")


def _imported(path: Path) -> set[str]:
    """Every releasegate module ``path`` imports, at top level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("releasegate._internal.")}


def _part(module: str) -> str | None:
    """The top-level part of ``_internal`` a module belongs to (a package or a module)."""
    parts = module.split(".")
    if len(parts) < 3:
        return None
    name = parts[2]
    return name if (INTERNAL / name).is_dir() or (INTERNAL / f"{name}.py").is_file() else None


def part_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in INTERNAL.rglob("*.py"):
        source = _part(_module_name(path))
        assert source is not None
        targets = {_part(name) for name in _imported(path)} - {None, source}
        graph.setdefault(source, set()).update(t for t in targets if t is not None)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_the_parts_of_the_package() -> None:
    assert cycles(part_graph()) == []


def test_gate_modules_are_imported_only_by_the_runner_and_the_cli() -> None:
    """Gates are thin adapters: library code never reaches into them."""
    offenders = []
    for path in INTERNAL.rglob("*.py"):
        module = _module_name(path)
        if _part(module) in ("checks", "cli") or module.endswith("._internal.runner"):
            continue
        gates = {n for n in _imported(path) if n.startswith("releasegate._internal.checks.")}
        gates -= {"releasegate._internal.checks.base", "releasegate._internal.checks.GATES"}
        if gates:
            offenders.append(f"{module}: {sorted(gates)}")
    assert offenders == []


def test_no_module_named_build_and_one_verify() -> None:
    names = [p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*")]
    assert not [n for n in names if Path(n).stem == "build" and Path(n).is_dir()]
    assert not [n for n in names if n.split("/")[-1] == "build"]
    assert [n for n in names if n.endswith("/verify.py")] == ["_internal/cli/verify.py"]


def test_everything_but_the_documented_surface_is_private() -> None:
    public = [p.name for p in PACKAGE.iterdir() if not p.name.startswith("_")]
    assert public == []
    for name in releasegate.__all__:
        assert hasattr(releasegate, name), name
        if name != "__version__":
            assert getattr(releasegate, name).__doc__, f"{name} is exported but undocumented"


def test_the_errors_the_surface_promises_are_exported_and_documented(tmp_path: Path) -> None:
    import inspect
    import re

    promised = {
        name
        for function in (releasegate.run_checks, releasegate.publish, releasegate.load_config)
        for name in re.findall(r"``(\w+Error)``", inspect.getdoc(function) or "")
    }
    assert promised >= {"ConfigError", "ReleasegateError"}
    assert promised <= set(releasegate.__all__)
    for name in promised:
        doc = getattr(releasegate, name).__doc__
        assert "Raised " in doc, name
        assert "What to do" in doc or "Catch" in doc, name
    # The surface's own names catch what it raises.
    (tmp_path / "pyproject.toml").write_text("[tool.releasegate]\nfail-on = 3\n")
    with pytest.raises(releasegate.ConfigError) as raised:
        releasegate.load_config(tmp_path)
    assert isinstance(raised.value, releasegate.ReleasegateError)
    assert raised.value.problems


def test_the_job_s_index_is_read_from_the_environment_in_one_place() -> None:
    """Three settings parsers once read PIP_INDEX_URL each (issue 33): one function now."""
    readers = []
    for path in INTERNAL.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and any(
                isinstance(arg, ast.Constant) and arg.value == "PIP_INDEX_URL" for arg in node.args
            ):
                readers.append(path.relative_to(INTERNAL).as_posix())
    assert readers == ["simple_index.py"]


def _calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def test_gates_hold_no_settings_or_policy() -> None:
    """A gate is an adapter: a section's typed settings (a class with ``from_config``) live with
    their part, ``<part>/settings.py`` (issue 33: four lived in gate modules)."""
    offenders = [
        f"{path.name}: {node.name}"
        for path in (INTERNAL / "checks").glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        if any(
            isinstance(item, ast.FunctionDef) and item.name == "from_config" for item in node.body
        )
    ]
    assert offenders == []


def test_gate_options_are_typed() -> None:
    """What the CLI can ask of a gate the library surface can too, by name: no string-keyed
    side channel (``CheckOptions.extra`` once carried "resolve" and "vulns-database")."""
    import dataclasses
    import inspect

    from releasegate._internal.checks.base import CheckOptions

    fields = {f.name: f.type for f in dataclasses.fields(CheckOptions)}
    assert "extra" not in fields
    assert not any("Mapping" in str(kind) or "dict" in str(kind) for kind in fields.values())
    surface = set(inspect.signature(releasegate.run_checks).parameters)
    assert {"resolve", "offline", "vulns_database"} <= surface


def test_no_configuration_file_is_guessed_from_its_name() -> None:
    """A Config knows its document and table: nothing asks ``source.startswith("pyproject.toml")``."""
    offenders = [
        path.relative_to(INTERNAL).as_posix()
        for path in INTERNAL.rglob("*.py")
        for call in _calls(path)
        if isinstance(call.func, ast.Attribute) and call.func.attr == "startswith"
        if any(
            isinstance(arg, ast.Constant) and arg.value in ("pyproject.toml", "releasegate.toml")
            for arg in call.args
        )
    ]
    assert offenders == []


def test_one_waiver_type() -> None:
    """Every allow/ignore list is a tuple of ``waivers.Waiver``: no second entry type with its
    own expiry (the API gate's AllowEntry and the vulns gate's IgnoreEntry were two)."""
    offenders = [
        f"{path.relative_to(INTERNAL).as_posix()}: {node.name}"
        for path in INTERNAL.rglob("*.py")
        if path.name != "waivers.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        if {"reason", "expires"}
        <= {
            item.target.id
            for item in node.body
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
        }
    ]
    assert offenders == []


# Where a Finding may be built: gates and commands place findings; problems.py converts; the
# runner reports a gate that cannot run; commands that are their own check make their own.
FINDING_MAKERS = {
    "problems.py",
    "runner.py",
    "publish/mirrors.py",
    "publish/results.py",
    "sbom/pins.py",
    "sbom/run.py",
    "promote/lineage.py",
    "promote/run.py",
    "workspace/publish.py",
    "sign/verifying.py",
    "github/untrusted.py",
    "workspace/check.py",  # the per-member check: places its libraries' problems as the runner
    "governance/decision.py",  # governance's verdicts: the check publish, promote and sign make
    "publish/yank.py",  # yank is its own check: each registry's yank state a finding
}
# Library modules that still build findings (issue 33, not yet converted): this set may only
# shrink. Convert one by returning problems and let its gate or command place them.
FINDING_MAKERS_TO_CONVERT = {
    "builder/diff.py",
    "builder/reproducibility.py",
    "builder/rebuild.py",
}


def test_libraries_return_problems_and_gates_place_them() -> None:
    makers = {
        path.relative_to(INTERNAL).as_posix()
        for path in INTERNAL.rglob("*.py")
        if path.parent.name not in ("checks", "cli")
        for call in _calls(path)
        if isinstance(call.func, ast.Name) and call.func.id == "Finding"
    }
    assert makers - FINDING_MAKERS - FINDING_MAKERS_TO_CONVERT == set()
    assert makers >= FINDING_MAKERS_TO_CONVERT, "converted: drop it from FINDING_MAKERS_TO_CONVERT"


def test_contributing_maps_every_part_of_the_package() -> None:
    text = (REPO_ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [
        path.name
        for path in INTERNAL.iterdir()
        if not path.name.startswith("__") and path.suffix in ("", ".py")
        if (path.name + ("/" if path.is_dir() else "")) not in text
    ]
    assert missing == []


# Tests mirror the package: tests/<part>/ for the part of _internal/ they are about. Directly in
# tests/: only these package-wide rules, and the shared helpers (conftest.py, *_support.py).
TOP_LEVEL_TESTS = {
    "test_structure.py",  # this map
    "test_startup.py",  # imports on the hooks' path
    "test_suite_hermetic.py",  # the suite itself
    "test_rules.py",  # the rule registry against README's table and every gate
    "test_errors_narrowed.py",  # broad excepts, all parts
    "test_child_environment.py",  # every subprocess call, all parts
}
# Folders that are no part: the CLI end to end (cli/ is a part too), a hostile checkout or output
# through every gate and command, action.yml with its example workflows under act, and the
# documentation site with README.
CROSS_CUTTING_TEST_FOLDERS = {"cli", "hostile", "action", "docs"}
TESTS = REPO_ROOT / "tests"


def test_tests_mirror_the_parts_of_the_package() -> None:
    flat = {path.name for path in TESTS.glob("test_*.py")} - TOP_LEVEL_TESTS
    assert flat == set(), "move each into tests/<part>/ (the part of _internal/ it is about)"
    assert {name for name in TOP_LEVEL_TESTS if not (TESTS / name).is_file()} == set()
    folders = {path.name for path in TESTS.iterdir() if path.is_dir()} - {"fixtures", "__pycache__"}
    named_after_nothing = {
        name
        for name in folders - CROSS_CUTTING_TEST_FOLDERS
        if _part(f"releasegate._internal.{name}") is None
    }
    assert named_after_nothing == set()
    # A package each, so two folders may hold modules of one name and `from tests.x` still works.
    assert {name for name in folders if not (TESTS / name / "__init__.py").is_file()} == set()
    nested = {p.relative_to(TESTS).as_posix() for p in TESTS.glob("*/*/test_*.py")}
    assert {name for name in nested if not name.startswith("fixtures/")} == set()
