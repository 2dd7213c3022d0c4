"""The PEP 639 cases of DESIGN.md give the same findings whatever the build backend,
and a good project passes the built-artifact gates with every backend (real builds)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.metadata_support import BACKENDS, findings, line_of, project_files, pyproject, verdict

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo

MIT_CLASSIFIER = '    "License :: OSI Approved :: MIT License",\n'

# case -> (keyword arguments of pyproject(), [(rule, fragment of the line it points at)])
CASES: dict[str, tuple[dict[str, str], list[tuple[str, str]]]] = {
    "mit-plus-license-classifier": (
        {"classifiers": MIT_CLASSIFIER},
        [("metadata/license-classifier", "License :: OSI Approved")],
    ),
    "license-files-glob-matches-nothing": (
        {"license_lines": 'license = "MIT"\nlicense-files = ["LICENCE*"]'},
        [("metadata/license-files-unmatched", "license-files")],
    ),
    "license-files-outside-the-project": (
        {"license_lines": 'license = "MIT"\nlicense-files = ["../LICENSE", "/etc/LICENSE"]'},
        [
            ("metadata/license-files-path", "license-files"),
            ("metadata/license-files-path", "license-files"),
        ],
    ),
    "invalid-expression": (
        {"license_lines": 'license = "MIT OR Frobnicate-1.0"\nlicense-files = ["LICENSE"]'},
        [("metadata/license-invalid", "license =")],
    ),
    "legacy-table": (
        {"license_lines": 'license = { text = "MIT" }'},
        [("metadata/license-legacy-table", "license =")],
    ),
    "good": ({}, []),
}


@pytest.mark.slow  # 1-2 s a case: the CLI once per backend
@pytest.mark.parametrize("case", list(CASES))
def test_pep639_same_findings_for_every_backend(
    make_repo: Callable[..., GitRepo], case: str
) -> None:
    kwargs, expected_at = CASES[case]
    verdicts = {}
    for backend in BACKENDS:
        repo = make_repo(project_files(backend, **kwargs), name=f"{case}-{backend}")
        _, found = findings(repo.root, "metadata")
        verdicts[backend] = verdict(found)
    text = pyproject("hatchling", **kwargs)
    expected = sorted(
        (rule, "pyproject.toml", line_of(text, fragment)) for rule, fragment in expected_at
    )
    assert verdicts["hatchling"] == expected
    assert all(v == expected for v in verdicts.values()), verdicts


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_good_project_builds_clean_with_every_backend(
    make_repo: Callable[..., GitRepo], backend: str
) -> None:
    repo = make_repo(project_files(backend), name=f"built-{backend}")
    code, found = findings(repo.root, "manifest", "license")
    assert found == [], found
    assert code == 0
