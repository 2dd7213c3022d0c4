"""Fast tests of publish's pure parts: index parsing, retries, plan, scrubbing, config, ledger."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import email.utils
import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from releasegate._internal import simple_index
from releasegate._internal.config import from_document
from releasegate._internal.errors import ConfigError, FatalError
from releasegate._internal.publish.artifacts import Artifact, discover, parse_dist_filename
from releasegate._internal.publish.ledger import Ledger
from releasegate._internal.publish.outcome import FileOutcome, FileState
from releasegate._internal.publish.plan import Action, plan_registry
from releasegate._internal.publish.retry import (
    PermanentError,
    RetryPolicy,
    TransientError,
    parse_retry_after,
    status_error,
)
from releasegate._internal.publish.scrub import Scrubber
from releasegate._internal.publish.settings import Kind, RegistrySpec, registry_specs, select
from releasegate._internal.tomldoc import read_toml
from tests.repro_support import tar_gz, tar_member, wheel_bytes, zip_bytes

SHA_A = "a" * 64
SHA_B = "b" * 64


# ---------------------------------------------------------------- simple index


def test_json_page_gives_files_and_hashes() -> None:
    body = json.dumps(
        {
            "meta": {"api-version": "1.1"},
            "name": "demo",
            "files": [
                {
                    "filename": "demo-1.0.tar.gz",
                    "url": "../../files/demo-1.0.tar.gz",
                    "hashes": {"sha256": SHA_A.upper()},
                },
                {
                    "filename": "demo-1.0-py3-none-any.whl",
                    "url": "https://cdn.example/w.whl",
                    "hashes": {},
                },
            ],
        }
    ).encode()
    files = simple_index.parse(
        body, simple_index.JSON_TYPE + "; charset=utf-8", "http://h/simple/demo/"
    )
    assert [(f.filename, f.sha256) for f in files] == [
        ("demo-1.0.tar.gz", SHA_A),
        ("demo-1.0-py3-none-any.whl", None),
    ]
    assert files[0].url == "http://h/files/demo-1.0.tar.gz"


def test_html_page_reads_sha256_fragments_and_base() -> None:
    body = (
        b'<html><head><base href="/pkgs/"></head><body>'
        b'<a href="demo-1.0.tar.gz#sha256=' + SHA_B.encode() + b'">demo-1.0.tar.gz</a>'
        b'<a href="demo-1.0-py3-none-any.whl#md5=00">w</a><a>no href</a></body></html>'
    )
    files = simple_index.parse(body, "text/html", "http://h/simple/demo/")
    assert [(f.filename, f.url, f.sha256) for f in files] == [
        ("demo-1.0.tar.gz", "http://h/pkgs/demo-1.0.tar.gz", SHA_B),
        ("demo-1.0-py3-none-any.whl", "http://h/pkgs/demo-1.0-py3-none-any.whl", None),
    ]


@pytest.mark.parametrize(
    ("index_url", "expected"),
    [
        ("http://127.0.0.1:8080/simple/", "http://127.0.0.1:8080/packages/a_b-1.0+x.tar.gz"),
        ("https://host/pypi/simple", "https://host/pypi/packages/a_b-1.0+x.tar.gz"),
        ("http://127.0.0.1:3141/user/dev/+simple/", None),  # devpi: +f/<hash>/<name>
        ("https://pypi.org/simple/", None),  # files.pythonhosted.org/packages/<blake2b>/
        ("https://test.pypi.org/simple/", None),
        ("https://nexus/repository/pypi/", None),
    ],
)
def test_a_file_is_expected_beside_the_index_only_where_pypiserver_lays_it_out(
    index_url: str, expected: str | None
) -> None:
    from releasegate._internal.publish.registries.pypi import file_url_guess

    guess = file_url_guess(index_url, "a_b-1.0+x.tar.gz")
    assert guess == (expected and expected.replace("+", "%2B"))


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"files": 3}', b'{"files": [{"filename": 1}]}']
)
def test_malformed_json_page_is_a_format_error(body: bytes) -> None:
    with pytest.raises(simple_index.IndexFormatError, match="PEP 691"):
        simple_index.parse_json(body, "http://h/")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_parsers_never_crash_on_hostile_bytes(body: bytes) -> None:
    for parse in (simple_index.parse_json, simple_index.parse_html):
        try:
            files = parse(body, "http://h/simple/x/")
        except simple_index.IndexFormatError:
            continue
        assert all(f.sha256 is None or len(f.sha256) == 64 for f in files)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=12,
    )
)
def test_json_parser_never_crashes_on_any_json(value: object) -> None:
    with contextlib.suppress(simple_index.IndexFormatError):
        simple_index.parse_json(json.dumps({"files": [value]}).encode(), "http://h/")


# ---------------------------------------------------------------- retries


def test_retry_after_in_seconds_and_as_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    now = time.time()
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now) == pytest.approx(30, abs=1)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_grows_exponentially_with_jitter_and_is_capped() -> None:
    policy = RetryPolicy(retries=10, backoff=1.0, backoff_max=8.0, timeout=60.0, deadline=300.0)
    for attempt, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (4, 8.0), (9, 8.0)]:
        delays = {policy.delay(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1  # jitter
    assert policy.delay(1, retry_after=3.0) == 3.0
    assert policy.delay(1, retry_after=3600.0) == 8.0  # Retry-After is honoured up to the cap


def test_transient_errors_are_retried_up_to_the_cap_and_permanent_ones_not() -> None:
    waits: list[float] = []
    calls = {"n": 0}

    def flaky() -> str:
        calls["n"] += 1
        if calls["n"] < 3:
            raise TransientError("busy", retry_after=0.5)
        return "ok"

    policy = RetryPolicy(retries=2, backoff=0.01, backoff_max=1, timeout=60.0, deadline=300.0)
    assert policy.call(flaky, sleep=waits.append) == "ok"
    assert waits == [0.5, 0.5]
    calls["n"] = -10
    with pytest.raises(TransientError):
        policy.call(flaky, sleep=waits.append)

    def refused() -> None:
        calls["n"] += 1
        raise PermanentError("no")

    calls["n"] = 0
    with pytest.raises(PermanentError):
        policy.call(refused, sleep=waits.append)
    assert calls["n"] == 1


def test_retries_stop_where_the_run_deadline_cannot_pay_for_another_request() -> None:
    """A retry costs its wait and up to a whole request: one that would end past the run's
    deadline does not start, and the error says why."""
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    def busy() -> None:
        raise TransientError("busy", retry_after=0.05)

    policy = RetryPolicy(retries=10, backoff=0.01, backoff_max=5, timeout=0.1, deadline=0.3)
    # Each retry needs 0.35 s of budget: with 0.5 s, the first is paid for, the fourth never.
    until = time.monotonic() + 0.5
    with pytest.raises(TransientError, match=r"busy \(not retried: the run-deadline"):
        policy.call(busy, sleep=sleep, until=until)
    assert 1 <= len(waits) <= 3
    waits.clear()
    with pytest.raises(TransientError):
        policy.call(busy, sleep=waits.append)  # no deadline: every retry
    assert len(waits) == 10


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (500, TransientError),
        (503, TransientError),
        (429, TransientError),
        (401, PermanentError),
        (400, PermanentError),
        (409, PermanentError),
    ],
)
def test_status_classification(status: int, kind: type[Exception]) -> None:
    assert isinstance(status_error(status, "upload"), kind)


# ---------------------------------------------------------------- plan, artifacts


def _artifact(name: str, sha: str) -> Artifact:
    return Artifact(Path(name), name, sha, 1, "demo", "1.0")


def test_plan_is_content_addressed() -> None:
    artifacts = [
        _artifact("demo-1.0.tar.gz", SHA_A),
        _artifact("demo-1.0-py3-none-any.whl", SHA_A),
        _artifact("demo-1.0-py2-none-any.whl", SHA_B),
    ]
    holdings = {"demo-1.0.tar.gz": SHA_A, "demo-1.0-py3-none-any.whl": SHA_B, "other.whl": SHA_B}
    steps = plan_registry(artifacts, holdings)
    assert [s.action for s in steps] == [Action.SKIP, Action.CONFLICT, Action.UPLOAD]
    assert steps[1].remote_sha256 == SHA_B


def test_dist_file_names() -> None:
    assert parse_dist_filename("My_Pkg-1.0.0rc1-py3-none-any.whl") == ("my-pkg", "1.0.0rc1")
    assert parse_dist_filename("my_pkg-2.0.tar.gz") == ("my-pkg", "2.0")
    assert parse_dist_filename("README.md") is None
    assert parse_dist_filename("bad-name.whl") is None


def _pkg_info(name: str, version: str) -> bytes:
    return f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nVersion: 0 in the body\n".encode()


def test_discover_refuses_mixed_projects_and_keeps_companions(tmp_path: Path) -> None:
    (tmp_path / "a-1.0.tar.gz").write_bytes(
        tar_gz([tar_member("a-1.0/PKG-INFO", _pkg_info("a", "1.0"))])
    )
    (tmp_path / "a-1.0.tar.gz.sigstore.json").write_text("{}")
    found = discover(tmp_path)
    assert [a.filename for a in found] == ["a-1.0.tar.gz"]
    assert [p.name for p in found[0].companions] == ["a-1.0.tar.gz.sigstore.json"]
    (tmp_path / "b-1.0.tar.gz").write_bytes(
        tar_gz([tar_member("b-1.0/PKG-INFO", _pkg_info("b", "1.0"))])
    )
    with pytest.raises(Exception, match="several projects"):
        discover(tmp_path)


def test_discover_refuses_a_dist_whose_own_metadata_is_not_the_release(tmp_path: Path) -> None:
    """pip refuses a wheel whose METADATA disagrees with its file name ("inconsistent
    version"): such a dist is named, with what it says, before anything is planned."""
    wheel = tmp_path / "my_pkg-1.6.0-py3-none-any.whl"
    wheel.write_bytes(wheel_bytes(b"x", name="my_pkg", version="1.6.0"))
    sdist = tmp_path / "my_pkg-1.6.0.tar.gz"
    # Spelt differently, equal as PEP 503 names and PEP 440 versions: the same release.
    sdist.write_bytes(tar_gz([tar_member("my_pkg-1.6.0/PKG-INFO", _pkg_info("My.Pkg", "1.6"))]))
    assert [a.version for a in discover(tmp_path)] == ["1.6.0", "1.6.0"]

    stale = zip_bytes([("my_pkg-1.6.0.dist-info/METADATA", _pkg_info("my-pkg", "1.5.9"))])
    wheel.write_bytes(stale)
    with pytest.raises(FatalError) as raised:
        discover(tmp_path)
    assert raised.value.message.endswith(
        "my_pkg-1.6.0-py3-none-any.whl: my_pkg-1.6.0.dist-info/METADATA says Version: 1.5.9 "
        "(the file name says 1.6.0)"
    )
    wheel.unlink()
    sdist.write_bytes(tar_gz([tar_member("my_pkg-1.6.0/PKG-INFO", _pkg_info("other", "1.6.0"))]))
    with pytest.raises(
        FatalError, match=r"PKG-INFO says Name: other \(the file name says my-pkg\)"
    ):
        discover(tmp_path)
    sdist.write_bytes(tar_gz([tar_member("my_pkg-1.6.0/setup.py", b"")]))
    with pytest.raises(FatalError, match=r"my_pkg-1.6.0.tar.gz: no PKG-INFO"):
        discover(tmp_path)
    sdist.unlink()
    wheel.write_bytes(zip_bytes([("my_pkg/__init__.py", b"")]))
    with pytest.raises(FatalError, match=r"0 \*.dist-info/METADATA files"):
        discover(tmp_path)
    wheel.write_bytes(zip_bytes([("my_pkg-1.6.0.dist-info/METADATA", b"Name: my-pkg\n")]))
    with pytest.raises(FatalError, match="METADATA states no Version"):
        discover(tmp_path)


# ---------------------------------------------------------------- scrubbing


def test_scrubber_removes_secret_and_derived_forms() -> None:
    scrubber = Scrubber()
    scrubber.add("s3cr3t/+=", "alice")
    basic = base64.b64encode(b"alice:s3cr3t/+=").decode()
    text = f"token s3cr3t/+= basic {basic} quoted s3cr3t%2F%2B%3D url https://bob:pw@host/x"
    cleaned = scrubber.text(text)
    assert "s3cr3t" not in cleaned
    assert basic not in cleaned
    assert "bob:pw" not in cleaned
    assert cleaned.count("***") == 4


def test_scrubber_for_env_catches_secret_looking_names() -> None:
    scrubber = Scrubber.for_env({"MY_TOKEN": "abcdef123", "HOME": "/root", "X": "named-one"}, ["X"])
    assert scrubber.text("abcdef123 /root named-one") == "*** /root ***"


# ---------------------------------------------------------------- config


def _config(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "releasegate.toml"
    path.write_text(text, encoding="utf-8")
    return from_document(read_toml(path, "releasegate.toml"), "releasegate.toml")


def test_registries_config_defaults_and_selection(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        """
[[registries]]
name = "pypi"
kind = "pypi"
url = "https://upload.pypi.org/legacy/"
token-env = "PYPI_TOKEN"

[[registries]]
name = "gh"
kind = "github-release"
required = false
""",
    )
    specs = registry_specs(config)
    assert [(s.name, s.kind, s.required) for s in specs] == [
        ("pypi", Kind.PYPI, True),
        ("gh", Kind.GITHUB_RELEASE, False),
    ]
    assert specs[1].url == "https://api.github.com"
    assert specs[1].token_env == "GITHUB_TOKEN"
    assert [s.name for s in select(specs, ["gh"])] == ["gh"]
    with pytest.raises(ConfigError, match="unknown registry 'nope'"):
        select(specs, ["nope"])


def test_no_registries_means_the_local_directory_index(tmp_path: Path) -> None:
    specs = registry_specs(_config(tmp_path, "fail-on = 'error'\n"))
    assert [(s.name, s.kind, s.url) for s in specs] == [
        ("local", Kind.DIRECTORY, ".releasegate/index")
    ]


def test_a_token_pasted_where_an_env_var_name_belongs_is_refused_with_its_line(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as raised:
        _config(
            tmp_path,
            '[[registries]]\nname = "p"\nkind = "pypi"\nurl = "u"\n'
            'token-env = "pypi-AgEIcHlwaS5vcmc"\n',
        )
    assert "releasegate.toml:5" in raised.value.message
    assert "registries.0.token-env" in raised.value.message


def test_duplicate_names_and_missing_url_are_config_errors(tmp_path: Path) -> None:
    twice = '[[registries]]\nname = "a"\nkind = "directory"\nurl = "x"\n' * 2
    with pytest.raises(ConfigError, match="used twice: a"):
        registry_specs(_config(tmp_path, twice))
    with pytest.raises(ConfigError, match="needs a url"):
        registry_specs(_config(tmp_path, '[[registries]]\nname = "a"\nkind = "pypi"\n'))


# ---------------------------------------------------------------- ledger


def test_ledger_round_trip_and_unreadable_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.json"
    ledger, warning = Ledger.load(path)
    assert warning is None
    r = RegistrySpec("r", Kind.PYPI, "https://a.example/", True, False, "v{version}")
    ledger.record(r, FileOutcome("f.whl", SHA_A, FileState.UPLOADED, verified=True))
    ledger.record(r, FileOutcome("g.whl", SHA_A, FileState.FAILED, error="boom"))
    again, _ = Ledger.load(path)
    assert again.verified(r, "f.whl", SHA_A)
    assert not again.verified(r, "f.whl", SHA_B)  # other content: not trusted
    assert not again.verified(r, "g.whl", SHA_A)
    # The same name for another registry (its URL or kind changed) is planned again.
    moved = dataclasses.replace(r, url="https://b.example/")
    assert not again.verified(moved, "f.whl", SHA_A)
    assert not again.verified(dataclasses.replace(r, kind=Kind.DIRECTORY), "f.whl", SHA_A)
    path.write_text("{not json", encoding="utf-8")
    broken, warning = Ledger.load(path)
    assert warning is not None
    assert "unreadable" in warning
    assert not broken.verified(r, "f.whl", SHA_A)


def test_upload_form_repeats_list_fields_and_joins_urls_and_keywords() -> None:
    from releasegate._internal.publish.registries.pypi import index_url_for
    from releasegate._internal.publish.registries.upload_form import form_fields

    fields = form_fields(
        {
            "name": "demo",
            "classifiers": ["A", "B"],
            "keywords": ["x", "y"],
            "project_urls": {"Home": "https://h"},
            "summary": None,
        }
    )
    assert fields == [
        ("name", "demo"),
        ("classifiers", "A"),
        ("classifiers", "B"),
        ("keywords", "x, y"),
        ("project_urls", "Home, https://h"),
        (":action", "file_upload"),
        ("protocol_version", "1"),
    ]
    assert index_url_for("https://upload.pypi.org/legacy/") == "https://pypi.org/simple/"
    assert index_url_for("http://127.0.0.1:8080") == "http://127.0.0.1:8080/simple/"


def test_short_secrets_are_masked_where_they_stand_not_inside_every_word() -> None:
    scrubber = Scrubber()
    scrubber.add("x1")
    assert scrubber.text("retry 1 of x1: HTTP 401 for max1") == "retry 1 of ***: HTTP 401 for max1"
    scrubber.add("a-long-secret")
    assert scrubber.text("got a-long-secretly") == "got ***ly"


def test_mirrors_blame_the_odd_one_out_and_report_extra_files() -> None:
    from releasegate._internal.publish.mirrors import Served, compare

    genuine = {"p-1.0.tar.gz": SHA_A}
    served = [
        Served("a", dict(genuine)),
        Served("b", dict(genuine)),
        Served("c", {**genuine, "p-1.0-py311-none-any.whl": SHA_B}),
    ]
    found = [(f.rule, f.message.split(":")[0]) for f in compare(served, {})]
    assert found == [("extra", "c")]
    # With the local dists as the reference, a missing file is missing wherever it is.
    found = [
        (f.rule, f.message.split(":")[0])
        for f in compare(served[:2], {**genuine, "p-1.0-py3-none-any.whl": SHA_B})
    ]
    assert found == [("missing", "a"), ("missing", "b")]
