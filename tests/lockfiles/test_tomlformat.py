"""The TOML lockfiles' shared reading (issue 22): wheel file names read fast, and safely."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal.lockfiles.tomlformat import last_segment
from tests.conftest import run_cli

if TYPE_CHECKING:
    from pathlib import Path

_URLISH = st.text(alphabet="htps:/[]?#%@.-_ aw\t\nb1é", max_size=40)


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(["https://", "http://", "file://", "", "HTTPS://"]), _URLISH)
def test_the_last_segment_is_urlsplits(start: str, rest: str) -> None:
    value = start + rest
    try:
        expected = urlsplit(value).path.rsplit("/", 1)[-1]
    except ValueError:
        expected = ""  # urlsplit refuses the host: no file name
    assert last_segment(value) == expected


def test_a_wheel_url_with_a_broken_host_is_no_crash(tmp_path: Path) -> None:
    # urlsplit raises on an unclosed IPv6 bracket; the gate used to end in an internal error.
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1.0"\ndependencies = ["idna"]\n'
    )
    wheel = json.dumps("http://[x/idna-3.10-py3-none-any.whl")
    (tmp_path / "uv.lock").write_text(
        'version = 1\nrequires-python = ">=3.10"\n\n'
        '[[package]]\nname = "demo"\nversion = "1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "idna" }]\n\n'
        '[[package]]\nname = "idna"\nversion = "3.10"\n'
        'source = { registry = "https://pypi.org/simple" }\n'
        f'wheels = [{{ url = {wheel}, hash = "sha256:{"0" * 64}" }}]\n'
    )
    done = run_cli("check", "lockfile", "--format", "json", cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    json.loads(done.stdout)
