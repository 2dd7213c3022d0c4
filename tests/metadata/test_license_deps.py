"""Dependency licenses from the locked versions' own metadata, served by a loopback index.

Nothing here is installed beside releasegate: the licenses come from the index's PEP 658
metadata files (or the locked wheel), are cached, and a warm cache asks the index nothing.
The uv.lock is made by the real uv against the same index.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from releasegate._internal.metadata import deplicenses, depmeta
from tests.license_support import license_index
from tests.metadata_support import findings as all_findings
from tests.metadata_support import line_of, project_files

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import GitRepo
    from tests.license_support import Index

__all__ = ["license_index"]  # the fixture, used by name

UV = str(Path(sys.executable).parent / "uv")


def findings(root: Path, *args: str) -> tuple[int, list[dict[str, object]]]:
    """The gate's findings without the note that the sdist was not built (sdist-coverage off)."""
    code, found = all_findings(root, *args)
    return code, [f for f in found if f["rule"] != "license/sdist-coverage-off"]


def _project(
    index: Index, dependencies: str, policy: str, groups: str = ""
) -> dict[str, str | bytes]:
    files = project_files("hatchling")
    files["pyproject.toml"] = (
        str(files["pyproject.toml"])
        .replace("dependencies = []", f"dependencies = [{dependencies}]")
        .replace(
            "dependencies = false\nsdist-coverage = true\n",
            f'reuse = "never"\nsdist-coverage = false\nindex-url = "{index.url}"\n{policy}\n',
        )
        + groups
    )
    return files


def _uv_lock(root: Path, index: Index) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("UV_", "PIP_"))},
        "UV_NO_CONFIG": "1",
        "UV_CACHE_DIR": str(root.parent / "uv-cache"),
    }
    completed = subprocess.run(
        [UV, "lock", "--python", sys.executable, "--index-url", index.url],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr


def _locked_repo(
    make_repo: Callable[..., GitRepo], index: Index, dependencies: str, policy: str
) -> GitRepo:
    groups = '\n[dependency-groups]\ndev = ["rg-devtool"]\n'
    repo = make_repo(_project(index, dependencies, policy, groups))
    _uv_lock(repo.root, index)
    return repo


@pytest.mark.slow  # real uv lock, the CLI twice
def test_uv_lock_licenses_come_from_the_index_then_the_cache(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    # rg-winonly is locked only for Windows, rg-devtool (GPL) only for the dev group.
    repo = _locked_repo(
        make_repo,
        license_index,
        '"rg-permissive", "rg-winonly; sys_platform == \'win32\'", "rg-vague"',
        'allowed = ["MIT", "BSD-2-Clause", "BSD-3-Clause"]',
    )
    lock_text = (repo.root / "uv.lock").read_text()
    code, found = findings(repo.root, "license")
    assert code == 1
    # Apache-2.0 is not allowed: the Windows-only package is checked from its metadata too.
    # rg-vague's "BSD License" may mean BSD-2 or BSD-3, both allowed; rg-devtool is dev-only.
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        (
            "license/dependency-license-denied",
            "uv.lock",
            lock_text.splitlines().index('name = "rg-winonly"'),  # its [[package]]
        )
    ]
    assert "rg-winonly 1.0 is licensed Apache-2.0" in str(found[0]["message"])
    assert any(path.endswith(".metadata") for path in license_index.requests)
    asked = len(license_index.requests)
    assert findings(repo.root, "license") == (code, found)
    assert len(license_index.requests) == asked, "a warm cache must not ask the index"


@pytest.mark.slow  # real uv lock, the CLI twice
def test_gpl_dependency_fails_an_mit_only_policy_and_a_clean_one_passes(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    policy = 'allowed = ["MIT"]'
    clean = _locked_repo(make_repo, license_index, '"rg-permissive", "rg-nometa"', policy)
    assert findings(clean.root, "license") == (0, [])
    dirty = _locked_repo(make_repo, license_index, '"rg-permissive", "rg-copyleft"', policy)
    code, found = findings(dirty.root, "license")
    assert code == 1
    assert [(f["rule"], "rg-copyleft" in str(f["message"])) for f in found] == [
        ("license/dependency-license-denied", True)
    ]


@pytest.mark.slow  # real uv lock, the CLI
def test_an_extra_naming_the_project_itself_does_not_reach_its_dependency_groups(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    """litestar's ``full = ["litestar[cli,...]"]``: the walk stays in what the wheel declares.

    In uv.lock the project's own entry requires its dependency groups too (rg-devtool, GPL,
    only in ``dev``): entering the project from the extra counted them as shipped (issue 26).
    """
    extras = '\n[project.optional-dependencies]\ncli = ["rg-nometa"]\nfull = ["demo[cli]"]\n'
    groups = '\n[dependency-groups]\ndev = ["rg-devtool"]\n'
    files = _project(license_index, '"rg-permissive"', 'allowed = ["MIT"]', extras + groups)
    repo = make_repo(files)
    _uv_lock(repo.root, license_index)
    assert 'name = "rg-devtool"' in (repo.root / "uv.lock").read_text()
    assert findings(repo.root, "license") == (0, [])


def test_without_a_lockfile_the_declared_dependencies_are_resolved_once(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    policy = 'allowed = ["MIT"]'
    clean = make_repo(_project(license_index, '"rg-permissive"', policy))
    assert findings(clean.root, "license") == (0, [])
    files = _project(license_index, '"rg-permissive", "rg-copyleft>=1"', policy)
    dirty = make_repo(files)
    code, found = findings(dirty.root, "license")
    assert code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        (
            "license/dependency-license-denied",
            "pyproject.toml",
            line_of(str(files["pyproject.toml"]), "dependencies = ["),
        )
    ]
    assert "rg-copyleft 1.0 is licensed GPL-3.0-only" in str(found[0]["message"])


def test_reviewed_license_fills_the_gap_and_stays_under_policy(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    policy = (
        'denied = ["GPL-3.0-only"]\n'
        'reviewed = { rg-mystery = "bsd-3-clause", "RG_Vague" = "GPL-3.0-only" }\n'
    )
    repo = make_repo(_project(license_index, '"rg-mystery", "rg-vague"', policy))
    code, found = findings(repo.root, "license")
    assert code == 1
    # rg-mystery is now known (and allowed); rg-vague was ambiguous, reviewed as denied.
    assert [(f["rule"], "rg-vague" in str(f["message"])) for f in found] == [
        ("license/dependency-license-denied", True)
    ]
    assert "reviewed by hand" in str(found[0]["message"])


@pytest.mark.slow  # real uv lock
def test_unreachable_index_and_no_cache_is_undecidable_never_not_installed(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    repo = _locked_repo(make_repo, license_index, '"rg-permissive"', "")
    pyproject = repo.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(license_index.url, "http://127.0.0.1:9/"))
    code, found = findings(repo.root, "license")
    assert code == 1
    assert [f["rule"] for f in found] == ["license/dependency-license-undecidable"]
    message = str(found[0]["message"])
    assert "rg-child 1.0" in message
    assert "rg-permissive 1.0" in message
    assert "cannot be reached" in message
    assert "not installed" not in message


def test_ambiguous_classifier_names_its_spdx_choices() -> None:
    vague = depmeta.LicenseFields(None, None, ("License :: OSI Approved :: BSD License",), "test")
    found = deplicenses.license_of(vague)
    assert found.expression is None
    assert found.choices == ("BSD-2-Clause", "BSD-3-Clause")
    assert "ambiguous classifier 'BSD License'" in found.source
    exact = depmeta.LicenseFields(None, "BSD", ("License :: OSI Approved :: MIT License",), "test")
    assert deplicenses.license_of(exact).expression == "MIT"


@pytest.mark.parametrize(
    ("expression", "text", "classifiers", "expected", "note"),
    [
        # rich-click 1.9.8: the MIT text, headed by its SPDX name, and no classifier.
        (None, "MIT License\n        \n        Copyright (c) 2022 Phil Ewels\n", (), "MIT", None),
        (None, "Apache License 2.0", (), "Apache-2.0", None),
        (None, 'BSD 3-Clause "New" or "Revised" License', (), "BSD-3-Clause", None),
        (None, "mozilla public license 2.0", (), "MPL-2.0", None),
        (None, "3-Clause BSD License", (), "BSD-3-Clause", None),  # protobuf 7.36.2
        # ruamel.yaml 0.18.16: the expression is the license's name in lower case.
        ("MIT license", None, ("License :: OSI Approved :: MIT License",), "MIT", "'MIT license'"),
        ("MIT-ish", None, ("License :: OSI Approved :: MIT License",), "MIT", "from its classif"),
        ("MIT-ish", None, (), None, None),
        (None, "Some License\nwith its text", (), None, None),
    ],
)
def test_spdx_full_names_and_invalid_expressions(
    expression: str | None,
    text: str | None,
    classifiers: tuple[str, ...],
    expected: str | None,
    note: str | None,
) -> None:
    found = deplicenses.license_of(depmeta.LicenseFields(expression, text, classifiers, "test"))
    assert found.expression == expected
    if note is None:
        assert found.note is None
    else:
        assert note in (found.note or "")
    if expected is None and expression:
        assert found.source == f"invalid License-Expression {expression!r}"


@pytest.mark.slow  # real uv lock, the CLI
def test_license_names_and_an_invalid_expression_are_read_and_said(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    repo = _locked_repo(
        make_repo,
        license_index,
        '"rg-misnamed", "rg-notspdx", "rg-fulltext"',
        'allowed = ["MIT"]',
    )
    code, found = findings(repo.root, "license")
    assert code == 0, found
    assert [(f["rule"], f["severity"]) for f in found] == [
        ("license/dependency-license-expression-invalid", "note")
    ] * 2
    assert "rg-misnamed 1.0: its License-Expression 'MIT license' is not SPDX; read as MIT" in str(
        found[0]["message"]
    )


def test_fetcher_reads_metadata_files_and_checks_downloaded_wheels(
    license_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path))
    fetcher = depmeta.Fetcher(license_index.url, {})
    hashes = license_index.hashes
    good = depmeta.Wanted("rg-child", "1.0", (hashes["rg-child"],))
    wheel = depmeta.Wanted("rg-nometa", "1.0", (hashes["rg-nometa"],))
    sdist = depmeta.Wanted("rg-sdistonly", "1.0", (hashes["rg-sdistonly"],))
    tampered = depmeta.Wanted("rg-copyleft", "1.0", ("0" * 64,))
    found = fetcher.fields_all([good, wheel, sdist, tampered])
    child, nometa = found[good], found[wheel]
    assert isinstance(child, depmeta.LicenseFields)
    assert child.origin == "the index's metadata file"
    assert isinstance(nometa, depmeta.LicenseFields)
    assert (nometa.origin, nometa.license) == ("the locked wheel", "MIT License")
    assert found[sdist] == depmeta.LicenseFields("0BSD", None, (), "the locked sdist")
    assert (
        found[tampered]
        == f"rg-copyleft 1.0: no file with a locked hash on {license_index.url}rg-copyleft/"
    )


def test_simple_index_reads_the_core_metadata_announcement_in_json_and_html() -> None:
    from releasegate._internal import simple_index

    digest = "ab" * 32
    body = (
        '{"files": [{"filename": "a-1-py3-none-any.whl", "url": "a.whl", "hashes": {},'
        f' "core-metadata": {{"sha256": "{digest}"}}}},'
        ' {"filename": "a-1.tar.gz", "url": "a.tar.gz", "hashes": {}, "core-metadata": false},'
        ' {"filename": "b-1.tar.gz", "url": "b.tar.gz", "hashes": {}, "dist-info-metadata": true}]}'
    )
    files = simple_index.parse_json(body.encode(), "https://i.example/simple/a/")
    assert [(f.metadata, f.metadata_sha256) for f in files] == [
        (True, digest),
        (False, None),
        (True, None),
    ]
    html = (
        f'<a href="a.whl" data-core-metadata="sha256={digest}">a</a>'
        '<a href="b.whl" data-dist-info-metadata="true">b</a><a href="c.whl">c</a>'
    )
    files = simple_index.parse_html(html.encode(), "https://i.example/simple/a/")
    assert [(f.metadata, f.metadata_sha256) for f in files] == [
        (True, digest),
        (True, None),
        (False, None),
    ]


def test_a_requirements_file_pinning_only_tools_is_not_the_lock_of_what_ships(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    # httpx's requirements.txt: `-e .[extras]` and pinned dev tools, none of its dependencies.
    files = _project(license_index, '"rg-permissive"', 'allowed = ["MIT"]')
    digest = license_index.hashes["rg-devtool"]
    files["requirements.txt"] = f"-e .\nrg-devtool==1.0 --hash=sha256:{digest}\n"
    repo = make_repo(files)
    assert findings(repo.root, "license") == (0, [])


def test_without_a_lockfile_a_marker_excluded_requirement_is_still_checked(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    # pip resolves for this interpreter and leaves the Windows-only requirement out.
    files = _project(
        license_index,
        '"rg-permissive", "rg-winonly>=1; sys_platform == \'win32\'"',
        'allowed = ["MIT"]',
    )
    repo = make_repo(files)
    code, found = findings(repo.root, "license")
    assert code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in found] == [
        (
            "license/dependency-license-denied",
            "pyproject.toml",
            line_of(str(files["pyproject.toml"]), "dependencies = ["),
        )
    ]
    assert "rg-winonly 1.0 is licensed Apache-2.0" in str(found[0]["message"])
    asked = len(license_index.requests)
    assert findings(repo.root, "license") == (code, found)
    assert len(license_index.requests) == asked, "a warm cache must not ask the index"


def test_a_resolution_reads_each_version_s_own_metadata_and_is_cached(
    license_index: Index, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The chosen version's own metadata (License-Expression, Requires-Dist), from the index's
    # metadata file: nothing built, nothing installed, and a warm cache asks nothing.
    from releasegate._internal.metadata import depresolve

    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path))
    fetcher = depmeta.Fetcher(license_index.url, {})
    resolved = depresolve.resolve(["rg-permissive"], fetcher)
    assert sorted((r.name, r.version, r.fields.expression, r.root) for r in resolved.found) == [
        ("rg-child", "1.0", None, "rg-permissive"),
        ("rg-permissive", "1.0", "MIT", "rg-permissive"),
    ]
    assert resolved.undecidable == []
    asked = len(license_index.requests)
    assert depresolve.resolve(["rg-permissive"], fetcher) == resolved  # cached
    assert len(license_index.requests) == asked


def test_without_a_lockfile_nothing_is_built_and_what_is_not_read_is_said(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    # rg-sdistonly has only an sdist (Metadata 2.4: its license and requirements are stated);
    # a direct reference is never fetched: a note, not a build, and not a pass.
    deps = '"rg-sdistonly", "rg-direct @ https://127.0.0.1:9/rg_direct-1.0.tar.gz"'
    repo = make_repo(_project(license_index, deps, 'allowed = ["0BSD"]'))
    code, found = findings(repo.root, "license")
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in found] == [
        ("license/dependency-license-undecidable", "note")
    ]
    assert "rg-direct" in str(found[0]["message"])
    assert "nothing fetched or built" in str(found[0]["message"])


def test_offline_asks_the_index_nothing_and_names_what_it_did_not_check(
    make_repo: Callable[..., GitRepo], license_index: Index
) -> None:
    repo = make_repo(_project(license_index, '"rg-permissive"', 'allowed = ["MIT"]'))
    asked = len(license_index.requests)
    code, found = findings(repo.root, "license", "--offline")
    assert len(license_index.requests) == asked
    assert code == 0
    assert [(f["rule"], f["severity"]) for f in found] == [
        ("license/dependency-license-undecidable", "note")
    ]
    assert "offline" in str(found[0]["message"])
    # Once online, the resolution is cached: offline then checks it all, asking nothing.
    assert findings(repo.root, "license") == (0, [])
    asked = len(license_index.requests)
    assert findings(repo.root, "license", "--offline") == (0, [])
    assert len(license_index.requests) == asked


def test_the_resolver_skips_yanked_versions_and_those_for_other_pythons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As pip would: 3.0 needs a Python the project does not support, 2.0 was yanked (PEP 592).
    import http.server
    import threading
    from functools import partial

    from releasegate._internal.metadata import depresolve
    from tests.license_support import make_wheel

    monkeypatch.setenv("RELEASEGATE_CACHE_DIR", str(tmp_path / "cache"))
    links = []
    for version, license_id, attributes in (
        ("1.0", "MIT", ' data-requires-python="&gt;=3.8"'),
        ("2.0", "GPL-3.0-only", ' data-yanked=""'),
        ("3.0", "GPL-3.0-only", ' data-requires-python="&gt;=3.99"'),
    ):
        name = f"rg_evolving-{version}-py3-none-any.whl"
        wheel = make_wheel("rg-evolving", version, f"License-Expression: {license_id}\n", ())
        (tmp_path / name).write_bytes(wheel)
        links.append(f'<a href="../../{name}"{attributes}>{name}</a>')
    page = tmp_path / "simple" / "rg-evolving"
    page.mkdir(parents=True)
    (page / "index.html").write_text("\n".join(links))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        index = f"http://127.0.0.1:{server.server_address[1]}/simple/"
        fetcher = depmeta.Fetcher(index, {})
        found = depresolve.resolve(["rg-evolving"], fetcher, ">=3.10").found
        pinned = depresolve.resolve(["rg-evolving==2.0"], fetcher, ">=3.10").found
    finally:
        server.shutdown()
        server.server_close()
    assert [(r.version, r.fields.expression) for r in found] == [("1.0", "MIT")]
    assert [r.version for r in pinned] == ["2.0"]  # pinned exactly: a yanked version still counts


def test_simple_index_reads_yanked_and_requires_python_in_json_and_html() -> None:
    from releasegate._internal import simple_index

    body = (
        '{"files": [{"filename": "a-1.tar.gz", "url": "a", "hashes": {}, "yanked": "broken",'
        ' "requires-python": ">=3.9"}, {"filename": "a-2.tar.gz", "url": "b", "hashes": {},'
        ' "yanked": false}]}'
    )
    files = simple_index.parse_json(body.encode(), "https://i.example/simple/a/")
    assert [(f.yanked, f.requires_python) for f in files] == [(True, ">=3.9"), (False, None)]
    html = '<a href="a" data-yanked="" data-requires-python="&gt;=3.9">a</a><a href="b">b</a>'
    files = simple_index.parse_html(html.encode(), "https://i.example/simple/a/")
    assert [(f.yanked, f.requires_python) for f in files] == [(True, ">=3.9"), (False, None)]
