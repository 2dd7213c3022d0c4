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
from tests.corpus_support import platform_wheel, pure_wheel, sdist

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


def test_a_repaired_manylinux_wheel_compares_what_it_can() -> None:
    """markupsafe 3.0.2: compiled, then retagged manylinux2014 by auditwheel. The extension and
    the repair's WHEEL and RECORD cannot match a local build; the Python files and METADATA do,
    and no hint asks the project to fix what the compiler or the repair wrote."""
    source, wheel = sdist("markupsafe", "3.0.2"), platform_wheel("markupsafe", "3.0.2")
    if "manylinux" not in wheel.name:
        pytest.skip(f"pip picked {wheel.name}: not a manylinux wheel on this platform")
    done = run_cli("rebuild", str(source), str(wheel), cwd=source.parent)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "built for manylinux and repaired (auditwheel)" in out
    assert "reproducible/repaired-wheel" in out
    assert "_speedups" in out  # named among the files not compared
    for wrong in ("pin the backend", "not built from this sdist", "member-order", "zip-timestamp"):
        assert wrong not in out


def test_a_wheel_compressed_by_another_deflate_says_so() -> None:
    """iniconfig 2.1.0: diffoscope shows equal members and different compressed streams; no
    zlib level gives the published bytes, zlib-ng (python-build-standalone's) gives most."""
    code, out = rebuild("iniconfig", "2.1.0")
    assert code == 1, out
    assert "reproducible/other-deflate" in out
    assert "zlib-ng" in out
    assert "not built from this sdist" not in out.split("[reproducible/not-reproduced]")[1]


def test_files_stamped_by_the_publishers_build_clock_say_so() -> None:
    """pluggy 1.6.0: built with SOURCE_DATE_EPOCH unset; the dist-info and _version.py carry
    the build's time, 12 s after the sdist's files; every content matches."""
    code, out = rebuild("pluggy", "1.6.0")
    assert code == 1, out
    assert "reproducible/build-clock" in out
    assert "2025-05-15 12:29:48" in out
    assert "reproducible/zip-timestamp" not in out


@pytest.mark.parametrize(
    ("name", "version", "clock"),
    [("six", "1.17.0", "2024-12-04 17:35:24"), ("requests", "2.32.3", "2024-05-29 15:37:12")],
)
def test_a_wheel_built_with_the_epoch_unset_names_the_publishers_clock(
    name: str, version: str, clock: str
) -> None:
    """six: the epoch attempt comes closest (only six.py's time differs) but is not the cause;
    requests: Generator bdist_wheel 0.43.0 pins wheel and dates setuptools (70.0.0), so every
    file's content matches. Both were built with SOURCE_DATE_EPOCH unset."""
    code, out = rebuild(name, version)
    assert code == 1, out
    assert "reproducible/build-clock" in out
    assert f"carry its clock, {clock}" in out
    assert "closest attempt: SOURCE_DATE_EPOCH unset" in out
    for wrong in ("reproducible/zip-timestamp", "reproducible/content", "only-one-side"):
        assert wrong not in out
    if name == "requests":
        assert "wheel==0.43.0 pinned" in out
        assert "backend setuptools==70.0.0, its newest release on 2024-05-29" in out


def test_a_pinned_hatch_vcs_gets_its_setuptools_scm_dated() -> None:
    """urllib3 2.4.0 pins hatch-vcs==0.4.0; the newest setuptools-scm writes another
    _version.py (vcs-versioning's template): dated to the upload day, it reproduces."""
    code, out = rebuild("urllib3", "2.4.0")
    assert code == 0, out
    assert "VCS plugin setuptools-scm==8.2.1, its newest release on 2025-04-10" in out


def test_a_wrapper_backend_gets_its_backend_and_plugin_pinned() -> None:
    """exceptiongroup 1.2.2 builds with flit_scm: flit_core (Generator) is pinned though only
    a dependency, flit-scm and setuptools-scm dated; the contents then match and the one time
    left is _version.py's, written during the publisher's build."""
    code, out = rebuild("exceptiongroup", "1.2.2")
    assert code == 1, out
    assert "backend flit_core==3.9.0 from the wheel's Generator line" in out
    assert "VCS plugin setuptools-scm==8.1.0" in out
    assert "reproducible/build-clock" in out
    assert "(exceptiongroup/_version.py) carry its clock, 2024-07-12 22:25:30" in out
