"""``rebuild`` of real PyPI releases that recorded no build conditions (issue 31).

Each release is rebuilt from its published sdist and compared with its published wheel, the
conditions inferred from those files: flit-core's 2016-01-01 metadata times say
SOURCE_DATE_EPOCH was unset; zip times a whole number of hours from the sdist's say the time
zone, daylight saving time included (packaging 25.0 in Europe/London, pyparsing 3.2.3 in
America/Chicago). Files come from PyPI through pip into a cache; the rebuild installs the
backend the wheel names.
"""

from __future__ import annotations

import pytest

from tests.conftest import run_cli
from tests.corpus_support import pure_wheel, sdist

pytestmark = pytest.mark.slow  # downloads (cached), a real backend install and build each


def rebuild(name: str, version: str, *options: str) -> tuple[int, str]:
    source, wheel = sdist(name, version), pure_wheel(name, version)
    done = run_cli("rebuild", str(source), str(wheel), *options, cwd=source.parent)
    if "cannot" in done.stderr and "install" in done.stderr:
        pytest.skip(f"the backend of {name} {version} could not be installed: {done.stderr}")
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("name", "version"),
    [("idna", "3.10"), ("tomli", "2.2.1"), ("typing_extensions", "4.13.2"), ("wheel", "0.45.1")],
)
def test_flit_release_built_without_an_epoch_reproduces(name: str, version: str) -> None:
    code, out = rebuild(name, version)
    assert code == 0, out
    assert "reproduces under: SOURCE_DATE_EPOCH unset, TZ=UTC0" in out
    assert "flit-core's 2016-01-01" in out


@pytest.mark.parametrize(
    ("name", "version", "zone", "rule"),
    [
        ("packaging", "25.0", "Europe/London", "GMT0BST,M3.5.0/1,M10.5.0"),
        ("pyparsing", "3.2.3", "America/Chicago", "CST6CDT,M3.2.0,M11.1.0"),
    ],
)
def test_release_built_in_a_local_time_zone_reproduces_in_it(
    name: str, version: str, zone: str, rule: str
) -> None:
    code, out = rebuild(name, version)
    assert code == 0, out
    assert f"reproduces under: SOURCE_DATE_EPOCH unset, TZ={rule}" in out
    assert f"in {zone}" in out


def test_given_conditions_replace_the_inferred_ones() -> None:
    code, out = rebuild("idna", "3.10", "--source-date-epoch", "1726423614")
    assert code == 1, out
    assert "the closest attempt: SOURCE_DATE_EPOCH=1726423614, TZ=UTC0" in out
    assert "conditions given on the command line" in out
    code, out = rebuild("idna", "3.10", "--source-date-epoch", "none", "--tz", "UTC0")
    assert code == 0, out


def test_a_generator_that_is_no_build_requirement_is_said() -> None:
    _, out = rebuild("sniffio", "1.3.1")
    assert "Generator bdist_wheel" in out or "Generator wheel" in out
    assert "is not among the build requirements" in out


def test_a_vcs_plugin_is_pinned_as_on_the_release_day() -> None:
    """platformdirs 4.3.8 (hatchling + hatch-vcs): its _version.py is written by setuptools-scm,
    whose template changed since; pinned to the newest release on 2025-05-07, it reproduces."""
    code, out = rebuild("platformdirs", "4.3.8")
    assert code == 0, out
    assert "VCS plugin setuptools-scm==8.3.1, its newest release on 2025-05-07" in out
