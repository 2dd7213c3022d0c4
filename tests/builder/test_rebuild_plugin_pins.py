"""A VCS plugin dated as on the release's upload day (issue 31), from an index's PEP 700 times."""

from __future__ import annotations

from releasegate._internal.builder.plugins import plugin_pins
from releasegate._internal.simple_index import IndexFile

_FILES = {
    "urllib3": [("urllib3-2.4.0-py3-none-any.whl", "2025-04-10T14:55:00Z")],
    "setuptools-scm": [
        ("setuptools_scm-8.2.0.tar.gz", "2025-02-20T00:00:00Z"),
        ("setuptools_scm-8.2.1.tar.gz", "2025-04-09T00:00:00Z"),
        ("setuptools_scm-9.0.0.tar.gz", "2025-08-01T00:00:00Z"),
    ],
    "hatch-vcs": [("hatch_vcs-0.4.0.tar.gz", "2023-11-01T00:00:00Z")],
}


def _files_of(name: str) -> list[IndexFile]:
    return [IndexFile(f, f"https://example/{f}", None, upload_time=t) for f, t in _FILES[name]]


def test_a_pinned_hatch_vcs_still_dates_its_setuptools_scm() -> None:
    # urllib3 2.4.0 pins hatch-vcs==0.4.0; the setuptools-scm under it was left free, and the
    # newest one writes another _version.py (the rebuild differed in content).
    pins, said = plugin_pins(
        ["hatchling>=1.6.0,<2", "hatch-vcs==0.4.0"],
        "urllib3-2.4.0-py3-none-any.whl",
        "urllib3",
        _files_of,
    )
    assert pins == {"setuptools-scm": "8.2.1"}
    assert said == ["VCS plugin setuptools-scm==8.2.1, its newest release on 2025-04-10"]


def test_a_project_that_pins_setuptools_scm_itself_is_left_alone() -> None:
    pins, said = plugin_pins(
        ["hatch-vcs==0.4.0", "setuptools-scm==8.0.0"], "urllib3-2.4.0-py3-none-any.whl",
        "urllib3", _files_of,
    )  # fmt: skip
    assert (pins, said) == ({}, [])
