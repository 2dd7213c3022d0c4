"""The documentation site (issue 32): generated pages current, every page in the nav, every
snippet a file that exists and is valid, and one real commit pinned everywhere.

``mkdocs build --strict`` (run by .ci/run) checks links, anchors and includes as MkDocs reads
them; these tests check what MkDocs cannot: that a snippet is what a tool accepts, and that the
generated reference says what its source says today.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from pre_commit.clientlib import load_config  # type: ignore[import-untyped]

import releasegate
from docs import gen_pages
from tests.conftest import REPO_ROOT
from tests.docs_support import DOCS, PINNED_SHA, SNIPPETS, includes, pages

if TYPE_CHECKING:
    from pathlib import Path

# Every reference to a releasegate commit, tag or branch; `<SHA>` is the template pinning.md
# explains, not a reference.
_PINS = re.compile(r"(?:releasegate/releasegate@|rev: )([^\s`\"'#|]+)")


def nav_pages(entries: list[Any]) -> list[str]:
    out: list[str] = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        out += nav_pages(value) if isinstance(value, list) else [value]
    return out


def test_generated_reference_pages_are_current() -> None:
    assert gen_pages.stale() == [], "regenerate: python docs/gen_pages.py"


def test_a_stale_region_is_found(tmp_path: Path) -> None:
    page = "<!-- rules:start (generated) -->\nold row\n<!-- rules:end -->\n"
    assert gen_pages.render(page, "rules", "new row\n") == page.replace("old row", "new row")


def test_every_page_is_in_the_nav_and_every_nav_entry_exists() -> None:
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = nav_pages(config["nav"])
    on_disk = [str(p.relative_to(DOCS)) for p in pages()]
    assert sorted(listed) == sorted(on_disk)
    assert len(set(listed)) == len(listed)


def test_every_included_snippet_exists_and_every_snippet_is_used() -> None:
    included = {path for page in pages() for path in includes(page)}
    assert [p for p in included if not p.is_file()] == []
    assert [p.name for p in SNIPPETS.iterdir() if p not in included] == []
    # Workflows the docs show are the examples, which test_action_lint lints (zizmor, GitHub's
    # schemas, pins, permissions) and test_examples_act runs under act.
    workflows = [p for p in included if p.suffix == ".yml"]
    assert workflows
    assert [p for p in workflows if p.parent != REPO_ROOT / "workflows-examples"] == []


def test_pre_commit_snippet_is_a_valid_configuration_of_every_hook() -> None:
    snippet = SNIPPETS / "pre-commit-config.yaml"
    config = load_config(str(snippet))  # pre-commit's own schema; raises on any mistake
    (repo,) = config["repos"]
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert sorted(h["id"] for h in repo["hooks"]) == sorted(h["id"] for h in hooks)
    assert repo["rev"] == PINNED_SHA


def test_the_severity_snippet_is_valid_configuration(tmp_path: Path) -> None:
    snippet = (SNIPPETS / "severity.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nversion = "1.0.0"\n\n{snippet}', encoding="utf-8"
    )
    config = releasegate.load_config(tmp_path)  # raises ConfigError on any mistake
    assert config.data["severity"] == {
        "lockfile/missing-hash": "note",
        "metadata/missing-field": "off",
    }


def _pins() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    files = [*pages(), *SNIPPETS.iterdir(), *(REPO_ROOT / "workflows-examples").glob("*.yml")]
    for path in files:
        for sha in set(_PINS.findall(path.read_text(encoding="utf-8"))) - {"<SHA>"}:
            found.setdefault(sha, set()).add(str(path.relative_to(REPO_ROOT)))
    return found


def test_one_full_sha_is_pinned_everywhere() -> None:
    pins = _pins()
    assert set(pins) == {PINNED_SHA}, pins
    assert "docs/getting-started.md" in pins[PINNED_SHA]
    assert "workflows-examples/pr-checks.yml" in pins[PINNED_SHA]


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )


def test_the_pinned_commit_is_real_and_has_what_the_snippets_use() -> None:
    if _git("cat-file", "-e", f"{PINNED_SHA}^{{commit}}").returncode != 0:
        if _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
            pytest.skip("a shallow clone does not hold the pinned commit")
        pytest.fail(f"{PINNED_SHA} is not a commit of this repository")
    assert _git("merge-base", "--is-ancestor", PINNED_SHA, "HEAD").returncode == 0
    hooks = yaml.safe_load(_git("show", f"{PINNED_SHA}:.pre-commit-hooks.yaml").stdout)
    snippet = yaml.safe_load((SNIPPETS / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert {h["id"] for h in snippet["repos"][0]["hooks"]} <= {h["id"] for h in hooks}
    inputs = yaml.safe_load(_git("show", f"{PINNED_SHA}:action.yml").stdout)["inputs"]
    used = set()
    for example in (REPO_ROOT / "workflows-examples").glob("*.yml"):
        for job in yaml.safe_load(example.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("releasegate/releasegate@"):
                    used |= set(step.get("with", {}))
    assert used - set(inputs) == set()


@pytest.mark.slow
def test_the_site_builds_in_strict_mode(tmp_path: Path) -> None:
    """What .ci/run runs: a broken link or anchor, a page left out of the nav or a missing
    snippet fails the build."""
    pytest.importorskip("mkdocs", reason="mkdocs comes with the dev extra (requirements/dev.txt)")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reference" / "configuration" / "index.html").is_file()
