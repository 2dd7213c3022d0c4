"""The rule registry (issue 26): one row per rule, the docs' table generated from it, and no
rule in the code without a row.

Rules found at run time are checked by the session hook in ``conftest.py`` (every Finding the
code makes during the tests); the AST walk here finds the literal ones even where no test runs
them, and the enum-made ones (API change kinds, reproducibility causes) are listed whole.
"""

from __future__ import annotations

import ast
import json
import re
from typing import TYPE_CHECKING

import pytest

from releasegate._internal import rules
from releasegate._internal.checks import GATES
from releasegate._internal.cli import COMMANDS
from releasegate._internal.cli.rules import markdown_table
from releasegate._internal.findings import Finding, Severity
from releasegate._internal.problems import FileProblem, to_finding
from tests.conftest import REPO_ROOT, run_cli

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

INTERNAL = REPO_ROOT / "src" / "releasegate" / "_internal"
_RULE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
# Commands whose findings carry their own name (see each module's CHECK).
_COMMAND_CHECKS = {
    "commit-msg",
    "publish",
    "governance",
    "verify-mirrors",
    "yank",
    "verify",
    "promote",
    "lineage",
    "sbom",
    "workspace",
    "dossier",
}


def test_docs_table_is_the_registry() -> None:
    text = (REPO_ROOT / "docs" / "reference" / "rules.md").read_text(encoding="utf-8")
    start = text.index("<!-- rules:start")
    body = text[text.index("\n", start) + 1 : text.index("<!-- rules:end -->")]
    assert body == markdown_table(), "regenerate: python docs/gen_pages.py"


def test_every_row_is_well_formed() -> None:
    for rule_id, severity, why, fix in rules.table():
        gate, _, rule = rule_id.partition("/")
        assert gate in GATES or gate in _COMMAND_CHECKS or gate == "<gate>", rule_id
        assert _RULE.match(rule), rule_id
        assert severity in ("error", "warning", "note"), rule_id
        assert why.strip(), rule_id
        assert fix.strip(), rule_id


def _module_check(tree: ast.Module) -> str | None:
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id in ("NAME", "CHECK")
            and isinstance(node.value, ast.Constant)
        ):
            return str(node.value.value)
    return None


# Library parts return problems (``problems.py``); the gates that place them.
PLACED_BY = {"lockfiles": ("lockfile",)}


def _placed_by(path: Path, rule: ast.expr) -> str | None:
    """The gate a library problem's rule belongs to: the first placing gate with a row."""
    gates = PLACED_BY.get(path.relative_to(INTERNAL).parts[0], ())
    value = rule.value if isinstance(rule, ast.Constant) else None
    found = [g for g in gates if rules.row(f"{g}/{value!s}") is not None]
    return next(iter(found or gates), None)


def _problem_rule(node: ast.Call) -> ast.expr | None:
    """The ``rule=`` of a problem made with keywords, or the rule given to ``_at``."""
    name = getattr(node.func, "id", None)
    if name == "Problem":
        return next((k.value for k in node.keywords if k.arg == "rule"), None)
    if name == "_at":
        strings = (a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
        return next(strings, None)
    return None


def _literal_rules() -> Iterator[tuple[str, int, str]]:
    """(file, line, rule id) of every ``Finding(CHECK, "rule", ...)``, of every call of a
    module's finding helper (``_finding("rule", ...)``, ``_at(entry, "rule", ...)``) and of
    every library problem with a literal rule (its gate from PLACED_BY)."""
    for path in sorted(INTERNAL.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        check = _module_check(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None)
            gate: str | None
            problem_rule = _problem_rule(node) if check is None else None
            if problem_rule is not None:
                gate, rule = _placed_by(path, problem_rule), problem_rule
            elif name == "Finding" and len(node.args) >= 2:
                first, rule = node.args[0], node.args[1]
                gate = (
                    str(first.value)
                    if isinstance(first, ast.Constant)
                    else check
                    if isinstance(first, ast.Name) and first.id in ("NAME", "CHECK")
                    else None
                )
            elif name in ("_finding", "_at") and check is not None:
                gate = check
                rule = next(
                    (
                        a
                        for a in node.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str)
                    ),
                    ast.Constant(None),
                )
            else:
                continue
            value = rule.value if isinstance(rule, ast.Constant) else None
            if gate is not None and isinstance(value, str):
                yield str(path.relative_to(INTERNAL)), node.lineno, f"{gate}/{value}"


def test_every_literal_rule_in_the_code_has_a_row() -> None:
    found = list(_literal_rules())
    assert len(found) > 100  # the walk still finds the gates' findings
    missing = [f"{path}:{line} {rule}" for path, line, rule in found if rules.row(rule) is None]
    assert missing == []


_FINDING_CALLS = ("Finding", "_finding", "_at", "to_finding", "problem_finding")
# Where a severity is the context's, not the rule's (each says why at the call).
_CONTEXT_SEVERITY = {"checks/api.py"}  # calendar versions: a break is news, not a failed release


def test_severities_come_from_the_registry_not_from_the_call() -> None:
    """A finding states its severity only when its context decides it (releasing or not, a
    required registry or not): a constant at the call would contradict or repeat the registry."""
    constant = []
    for path in sorted(INTERNAL.rglob("*.py")):
        relative = path.relative_to(INTERNAL).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                not isinstance(node, ast.Call)
                or getattr(node.func, "id", None) not in _FINDING_CALLS
            ):
                continue
            for value in [*node.args, *(k.value for k in node.keywords)]:
                if (
                    isinstance(value, ast.Attribute)
                    and isinstance(value.value, ast.Name)
                    and value.value.id == "Severity"
                    and relative not in _CONTEXT_SEVERITY
                ):
                    constant.append(f"{relative}:{node.lineno} {ast.unparse(value)}")
    assert constant == []


def test_rules_made_from_tables_have_rows() -> None:
    from releasegate._internal.api.changes import ChangeKind
    from releasegate._internal.builder.diff import HINTS

    made = [f"api/{kind.value}" for kind in ChangeKind]
    made += [f"reproducible/{cause}" for cause in HINTS]
    made += [f"{gate}/cannot-run" for gate in GATES]
    made += [f"{gate}/configuration-error" for gate in GATES]
    assert [rule for rule in made if rules.row(rule) is None] == []


def test_a_finding_without_severity_takes_its_rows_default() -> None:
    assert Finding("metadata", "license-legacy-table", "m").severity is Severity.WARNING
    assert Finding("semver", "version-mismatch", "m").severity is Severity.ERROR
    assert Finding("lockfile", "taken-as-input", "m").severity is Severity.NOTE
    assert Finding("x", "unknown-to-the-registry", "m").severity is Severity.ERROR
    explicit = Finding("metadata", "license-legacy-table", "m", Severity.ERROR)
    assert explicit.severity is Severity.ERROR
    problem = FileProblem("changelog-skipped", "headed by dates", "CHANGES.md")
    assert to_finding("semver", problem).severity is Severity.NOTE


def test_the_rules_command_is_registered() -> None:
    assert "rules" in COMMANDS


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_releasegate_rules_prints_every_row(tmp_path: Path, fmt: str) -> None:
    completed = run_cli("rules", "--format", fmt, cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    if fmt == "json":
        rows = json.loads(out)
        assert len(rows) == len(rules.table())
        assert {
            "rule": "metadata/license-classifier",
            "severity": "warning",
            "why": rules.RULES["metadata/license-classifier"][1],
            "fix": rules.RULES["metadata/license-classifier"][2],
        } in rows
    else:
        for rule_id, *_ in rules.table():
            assert rule_id in out
    if fmt == "markdown":
        assert out == markdown_table()


def test_rules_refuses_a_report_format(tmp_path: Path) -> None:
    completed = run_cli("rules", "--format", "sarif", cwd=tmp_path)
    assert completed.returncode == 2
    assert "rules" in completed.stderr
