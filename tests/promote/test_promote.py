"""``releasegate promote`` on real builds: hatchling (static version) and setuptools with
setuptools-scm (VCS version in a real git repository), promoted, served by a real pypiserver,
installed by pip and imported."""

from __future__ import annotations

import base64
import csv
import functools
import gzip
import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import tarfile
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest
from packaging.version import Version

from releasegate._internal.archives import Limits, read_archive
from releasegate._internal.errors import UsageError
from releasegate._internal.promote import spelling
from releasegate._internal.promote.payload import Layout, digest
from releasegate._internal.promote.versions import promotion
from releasegate._internal.promote.wheel import record_hash
from tests.conftest import run_cli
from tests.publish_support import copy_into, pip_install, start_pypiserver, wait_http
from tests.sign_support import SIGSTORE_FIXTURES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from tests.conftest import GitRepo
    from tests.publish_support import Server

LABELS = ("dev", "alpha", "beta", "rc")

HATCH_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "promo-demo"
version = "1.4.0rc2"
description = "A project promoted by the releasegate tests."
requires-python = ">=3.8"

[tool.hatch.build.targets.wheel]
packages = ["src/promo_demo"]
"""

SCM_PYPROJECT = """\
[build-system]
requires = ["setuptools>=64", "setuptools-scm>=8"]
build-backend = "setuptools.build_meta"

[project]
name = "scm-demo"
dynamic = ["version"]
description = "A VCS-versioned project promoted by the releasegate tests."

[tool.setuptools_scm]
version_file = "src/scm_demo/_version.py"
{extra}
"""

READS_METADATA = 'from importlib.metadata import version\n\n__version__ = version("{name}")\n'


# ---------------------------------------------------------------- version steps (fast)


@pytest.mark.parametrize(
    ("source", "to", "expected"),
    [
        ("1.4.0rc2", "1.4.0", "1.4.0"),
        ("1.4.0rc2", "final", "1.4.0"),
        ("1.4.0b3", "rc", "1.4.0rc3"),
        ("1.4.0.dev5", "1.4.0-rc.1", "1.4.0rc1"),
        ("1.4.0a1", "1.4.0b1", "1.4.0b1"),
    ],
)
def test_promotion_moves_forward_in_the_label_order(source: str, to: str, expected: str) -> None:
    assert promotion(source, to, LABELS).target == expected


@pytest.mark.parametrize(
    ("source", "to", "words"),
    [
        ("1.4.0rc2", "beta", "forward"),
        ("1.4.0rc2", "1.4.0rc1", "forward"),
        ("1.4.0rc2", "1.4.1", "keeps 1.4.0"),
        ("1.4.0rc2", "1.5.0", "keeps 1.4.0"),
        ("1.4.0", "1.4.0", "already a final"),
    ],
)
def test_promotion_never_goes_backwards_or_changes_the_release(
    source: str, to: str, words: str
) -> None:
    with pytest.raises(UsageError, match=words):
        promotion(source, to, LABELS)


@pytest.mark.parametrize(
    ("source", "to", "expected"),
    [
        ("5.0rc1", "final", "5.0"),  # Django: two release numbers, kept
        ("5.0rc1", "5.0", "5.0"),
        ("5.0b1", "rc", "5.0rc1"),
        ("2rc1", "final", "2"),
    ],
)
def test_a_version_of_fewer_than_three_numbers_is_promoted_keeping_them(
    source: str, to: str, expected: str
) -> None:
    assert promotion(source, to, LABELS).target == expected


SPELT = (
    "1.4.0rc1",
    "1.4.0.rc1",
    "1.4.0RC1",
    "1.4.0c1",
    "1.4.0-rc1",
    "1.4.0rc01",
    "v1.4.0rc1",
    "1.4rc1",
    "1.4.0-rc.1",
    "1.4.0_pre1",
    '(1, 4, 0, "rc", 1)',
    "(1, 4, 0, 'rc1')",
    "(1, 4, '0rc1')",
)
NOT_SPELT = (
    "11.4.0rc1",
    "1.4.0rc10",
    "1.4.0rc1.post1",
    "1.4.0rc1.dev2",
    "1.4.0",
    "1.4.1rc1",
    "1.4.0b1",
    "(1, 4, 0)",
    "1.4.0rc1x",
    "(11, 4, 0, 'rc1')",
)


@pytest.mark.parametrize("text", SPELT)
def test_every_spelling_pep440_reads_as_the_version_is_found_and_rewritten(text: str) -> None:
    line = f"version = {text}  # here\n".encode()
    # A "v" stays where it is: the version begins after it.
    assert spelling.mentions(line, "1.4.0rc1") == [
        len("version = v" if text[0] == "v" else "version = ")
    ]
    promoted = spelling.replace(line, "1.4.0rc1", "1.4.0").decode()
    assert spelling.mentions(promoted.encode(), "1.4.0rc1") == []
    expected = {
        "v1.4.0rc1": "v1.4.0",
        '(1, 4, 0, "rc", 1)': '(1, 4, 0, "final", 0)',
        "(1, 4, 0, 'rc1')": "(1, 4, 0)",
        "(1, 4, '0rc1')": "(1, 4, 0)",
    }.get(text, "1.4.0")
    assert promoted == f"version = {expected}  # here\n"


@pytest.mark.parametrize("text", NOT_SPELT)
def test_other_versions_are_not_the_version(text: str) -> None:
    assert spelling.mentions(f"x = {text}\n".encode(), "1.4.0rc1") == []


def test_a_version_info_tuple_keeps_its_shape() -> None:
    """Django's VERSION feeds get_version(), which needs five parts and a release level."""
    content = b'VERSION = (5, 0, 0, "rc", 1)\n'
    assert spelling.mentions(content, "5.0rc1") == [10]
    assert spelling.replace(content, "5.0rc1", "5.0") == b'VERSION = (5, 0, 0, "final", 0)\n'
    assert spelling.mentions(b'V = (5, 0, 0, "final", 0)', "5.0") == [4]


def test_a_rewrite_to_a_later_label_keeps_each_spelling_style() -> None:
    content = b"a = '1.4.0-rc.1'\nb = (1, 4, 0, 'rc', 1)\nc = (1, 4, 0, 'b1')\nd = 1.4.0b1\n"
    assert spelling.replace(content, "1.4.0b1", "1.4.0rc1") == (
        b"a = '1.4.0-rc.1'\nb = (1, 4, 0, 'rc', 1)\nc = (1, 4, 0, 'rc1')\nd = 1.4.0rc1\n"
    )


# ---------------------------------------------------------------- a hand-made wheel (fast)

TINY_METADATA = b"Metadata-Version: 2.1\nName: tiny\nVersion: 1.0.0rc1\n"


def _tiny_wheel(dist: Path) -> Path:
    """A wheel whose data member is compressed at level 1 (a rewrite at any other level
    changes its stored bytes) and carries an extra field, as zip tools write them."""
    members = {
        "tiny/__init__.py": b"from importlib.metadata import version\n",
        "tiny/data.txt": b"".join(b"line %d of the payload\n" % i for i in range(20_000)),
        "tiny-1.0.0rc1.dist-info/METADATA": TINY_METADATA,
        "tiny-1.0.0rc1.dist-info/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\n",
    }
    rows = [f"{n},{record_hash(d)},{len(d)}" for n, d in members.items()]
    members["tiny-1.0.0rc1.dist-info/RECORD"] = "\n".join(
        [*rows, "tiny-1.0.0rc1.dist-info/RECORD,,\n"]
    ).encode()
    dist.mkdir(parents=True)
    path = dist / "tiny-1.0.0rc1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as wheel:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(2023, 11, 14, 22, 13, 20))
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.extra = b"\x55\x54\x05\x00\x01\x00\x53\x65\x65"  # extended timestamp
            wheel.writestr(info, data, compresslevel=1)
    return path


def _stored(path: Path) -> dict[str, tuple[bytes, int, bytes]]:
    """Each member's stored (compressed) bytes, CRC and extra field, read independently."""
    found = {}
    raw = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_length, extra_length = struct.unpack("<2H", raw[start + 26 : start + 30])
            begin = start + 30 + name_length + extra_length
            found[info.filename] = (raw[begin : begin + info.compress_size], info.CRC, info.extra)
    return found


def test_unchanged_members_are_copied_as_stored_not_recompressed(tmp_path: Path) -> None:
    source = _tiny_wheel(tmp_path / "dist")
    result = run_cli("promote", "--to", "1.0.0", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    promoted = tmp_path / "dist" / "tiny-1.0.0-py3-none-any.whl"
    before, after = _stored(source), _stored(promoted)
    for name in ("tiny/__init__.py", "tiny/data.txt"):
        assert after[name] == before[name]
    assert after["tiny-1.0.0.dist-info/WHEEL"] == before["tiny-1.0.0rc1.dist-info/WHEEL"]
    with zipfile.ZipFile(promoted) as wheel:
        assert wheel.testzip() is None
        assert wheel.read("tiny-1.0.0.dist-info/METADATA") == TINY_METADATA.replace(
            b"1.0.0rc1", b"1.0.0"
        )
        assert [i.date_time for i in wheel.infolist()] == [(2023, 11, 14, 22, 13, 20)] * 6
    assert _archive(source)[1] == _archive(promoted)[1]


def _tiny_sdist(dist: Path, tar_format: int) -> Path:
    path = dist / "tiny-1.0.0rc1.tar.gz"
    members = {
        "PKG-INFO": TINY_METADATA,
        "pyproject.toml": b'[project]\nname = "tiny"\nversion = "1.0.0rc1"\n',
        "tiny/__init__.py": b"from importlib.metadata import version\n",
    }
    with tarfile.open(path, "w:gz", format=tar_format) as sdist:
        for name, data in members.items():
            info = tarfile.TarInfo(f"tiny-1.0.0rc1/{name}")
            info.size, info.mtime, info.mode = len(data), 1_600_000_000, 0o644
            sdist.addfile(info, io.BytesIO(data))
    return path


def _tar_magic(path: Path) -> bytes:
    with gzip.open(path) as handle:
        return handle.read(512)[257:265]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tar_format", "magic"),
    [(tarfile.GNU_FORMAT, b"ustar  \0"), (tarfile.USTAR_FORMAT, b"ustar\x0000")],
)
def test_promoting_twice_with_source_date_epoch_gives_the_same_bytes(
    tmp_path: Path, tar_format: int, magic: bytes
) -> None:
    _tiny_wheel(tmp_path / "dist")
    _tiny_sdist(tmp_path / "dist", tar_format)
    env = {"SOURCE_DATE_EPOCH": "1700000000", "GITHUB_ACTOR": "releaser"}
    outputs = []
    for run in ("one", "two"):
        result = run_cli("promote", "--to", "1.0.0", "--outdir", run, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / run).iterdir()})
    assert sorted(outputs[0]) == ["tiny-1.0.0-py3-none-any.whl", "tiny-1.0.0.tar.gz"]
    assert outputs[0] == outputs[1]
    sdist = tmp_path / "one" / "tiny-1.0.0.tar.gz"
    assert _tar_magic(sdist) == _tar_magic(tmp_path / "dist" / "tiny-1.0.0rc1.tar.gz") == magic
    with tarfile.open(sdist) as promoted:
        record = promoted.extractfile("tiny-1.0.0/releasegate-promotion.json")
        assert record is not None
        assert json.loads(record.read())["when"] == "2023-11-14T22:13:20Z"
        assert {m.mtime for m in promoted.getmembers()} == {1_600_000_000}


# ---------------------------------------------------------------- --from a registry (slow)

REGISTRY_CONFIG = """\
[project]
name = "tiny"
version = "1.0.0rc1"

[[tool.releasegate.registries]]
name = "{name}"
kind = "pypi"
url = "{url}"
index-url = "{index}"
username-env = "STAGING_USER"
password-env = "STAGING_PASSWORD"

[tool.releasegate.verify]
repository = "octo/tiny"
"""


def _tiny_project(root: Path, name: str, url: str, index: str) -> list[Path]:
    made = [_tiny_wheel(root / "built"), _tiny_sdist(root / "built", tarfile.PAX_FORMAT)]
    (root / "pyproject.toml").write_text(
        REGISTRY_CONFIG.format(name=name, url=url, index=index), encoding="utf-8"
    )
    return made


@pytest.mark.slow
def test_from_a_registry_downloads_checks_and_promotes_the_pre_release(
    tmp_path: Path, registry: Server
) -> None:
    made = _tiny_project(tmp_path, "staging", registry.upload_url, registry.index_url)
    for path in made:
        copy_into(registry, path)
    env = {"STAGING_USER": "uploader", "STAGING_PASSWORD": registry.password}
    result = run_cli("promote", "--to", "1.0.0", "--from", "1.0.0rc1", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    promoted = sorted(p.name for p in (tmp_path / "dist").iterdir())
    assert promoted == ["tiny-1.0.0-py3-none-any.whl", "tiny-1.0.0.tar.gz"]
    with zipfile.ZipFile(tmp_path / "dist" / promoted[0]) as wheel:
        record = json.loads(wheel.read("tiny-1.0.0.dist-info/releasegate-promotion.json"))
    assert record["source"]["sha256"] == hashlib.sha256(made[0].read_bytes()).hexdigest()
    # Another version than the index holds: named, nothing written.
    again = run_cli("promote", "--to", "1.0.0", "--from", "tiny==1.0.0rc9", cwd=tmp_path, env=env)
    assert again.returncode == 1, again.stdout + again.stderr
    assert "no sdist or wheel of tiny==1.0.0rc9 on the index" in again.stderr
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == promoted


class _StaticIndex(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: ARG002 - the base class names them
        return


@pytest.fixture
def static_index(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A PEP 503 index of plain files (as a bucket or pages site serves one), bundles beside."""
    root = tmp_path / "static"
    (root / "simple" / "tiny").mkdir(parents=True)
    handler = functools.partial(_StaticIndex, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_from_a_registry_verifies_the_bundle_served_beside_a_file(
    tmp_path: Path, static_index: tuple[Path, str]
) -> None:
    root, url = static_index
    project = tmp_path / "project"
    made = _tiny_project(project, "static", url, f"{url}/simple/")
    links = []
    for path in made:
        copy_into_static = root / "simple" / "tiny" / path.name
        copy_into_static.write_bytes(path.read_bytes())
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        links.append(f'<a href="{path.name}#sha256={digest}">{path.name}</a>')
    (root / "simple" / "tiny" / "index.html").write_text("\n".join(links), encoding="utf-8")
    # A real bundle, but of another file: the wheel's signature does not verify.
    bundle = SIGSTORE_FIXTURES / "bundle_v3.txt.sigstore"
    (root / "simple" / "tiny" / f"{made[0].name}.sigstore.json").write_bytes(bundle.read_bytes())
    result = run_cli(
        "promote", "--to", "1.0.0", "--from", "1.0.0rc1", "--registry", "static", cwd=project
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tiny-1.0.0rc1-py3-none-any.whl" in result.stdout
    assert "[verify/" in result.stdout, result.stdout
    assert not (project / "dist").exists()
    # Without the bundle, the same files promote.
    (root / "simple" / "tiny" / f"{made[0].name}.sigstore.json").unlink()
    result = run_cli(
        "promote", "--to", "1.0.0", "--from", "1.0.0rc1", "--registry", "static", cwd=project
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- real builds (slow)


def _build(root: Path, *, isolated: bool = False) -> list[Path]:
    args = [sys.executable, "-m", "build", "--outdir", str(root / "dist"), str(root)]
    if not isolated:
        args.insert(3, "--no-isolation")
    env = {**os.environ, "PIP_CONFIG_FILE": os.devnull, "SOURCE_DATE_EPOCH": "1700000000"}
    completed = subprocess.run(args, capture_output=True, text=True, check=False, env=env)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return sorted((root / "dist").iterdir())


def _hatch_project(root: Path, init: str) -> list[Path]:
    (root / "src" / "promo_demo").mkdir(parents=True)
    (root / "pyproject.toml").write_text(HATCH_PYPROJECT, encoding="utf-8")
    (root / "src" / "promo_demo" / "__init__.py").write_text(init, encoding="utf-8")
    (root / "src" / "promo_demo" / "data.bin").write_bytes(os.urandom(200_000))
    (root / "CHANGELOG.md").write_text("# Changes\n\n## 1.4.0rc2\n\n- first\n", encoding="utf-8")
    return _build(root)


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_pypiserver(tmp_path_factory.mktemp("pypi"), "staging", "pw-promote-Zq8")
    try:
        wait_http(server.index_url, server.process)
        yield server
    finally:
        server.stop()


def _archive(path: Path) -> tuple[Layout, str]:
    kind = "wheel" if path.name.endswith(".whl") else "sdist"
    stem, version = path.name.removesuffix(".tar.gz").split("-")[:2]
    archive = read_archive(path, Limits().keeping_everything())
    assert not archive.problems, archive.problems
    layout = Layout(kind, stem, version, ("src/scm_demo/_version.py",))
    return layout, digest(archive, layout)


def _installed_record_matches(target: Path, dist_info: str) -> None:
    """What pip installed is what the promoted RECORD says, file by file."""
    record = (target / dist_info / "RECORD").read_text(encoding="utf-8")
    for row in csv.reader(io.StringIO(record)):
        if not row or not row[1]:
            continue
        algorithm, _, value = row[1].partition("=")
        data = (target / row[0]).read_bytes()
        found = base64.urlsafe_b64encode(hashlib.new(algorithm, data).digest()).rstrip(b"=")
        assert found.decode() == value, row[0]


def _installed_version(target: Path, name: str, module: str) -> list[str]:
    code = (
        "import importlib.metadata as m, importlib\n"
        f"print(m.version({name!r})); print(importlib.import_module({module!r}).__version__)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    return completed.stdout.split()


def _install_and_check(
    registry: Server, promoted: list[Path], tmp: Path, name: str, module: str
) -> None:
    for path in promoted:
        copy_into(registry, path)
    target = tmp / "site"
    installed = pip_install(registry.index_url, f"{name}==1.4.0", target)
    assert installed.returncode == 0, installed.stderr
    dist_info = next(p.name for p in target.glob("*.dist-info"))
    assert dist_info == f"{module}-1.4.0.dist-info"
    _installed_record_matches(target, dist_info)
    assert _installed_version(target, name, module) == ["1.4.0", "1.4.0"]


@pytest.mark.slow
def test_hatchling_static_version_promoted_then_installed_from_a_registry(
    tmp_path: Path, registry: Server
) -> None:
    root = tmp_path / "project"
    sources = _hatch_project(root, READS_METADATA.format(name="promo-demo"))
    result = run_cli("promote", "--to", "1.4.0", "--outdir", "release", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    promoted = sorted((root / "release").iterdir())
    assert [p.name for p in promoted] == [
        "promo_demo-1.4.0-py3-none-any.whl",
        "promo_demo-1.4.0.tar.gz",
    ]
    for source, result_path in zip(sources, promoted, strict=True):
        assert _archive(source)[1] == _archive(result_path)[1]
    with zipfile.ZipFile(promoted[0]) as wheel:
        before = zipfile.ZipFile(sources[0])
        assert [i.filename.replace("1.4.0rc2", "1.4.0") for i in before.infolist()][:-1] == [
            i.filename for i in wheel.infolist() if "promotion" not in i.filename
        ][:-1]
        record = json.loads(wheel.read("promo_demo-1.4.0.dist-info/releasegate-promotion.json"))
    assert record["source"]["version"] == "1.4.0rc2"
    assert record["source"]["sha256"] == hashlib.sha256(sources[0].read_bytes()).hexdigest()
    assert record["payload_digest"] == _archive(sources[0])[1]
    audit = (root / ".releasegate" / "publish-audit.jsonl").read_text(encoding="utf-8")
    assert json.loads(audit)["artifacts"][0]["payload_digest"] == record["payload_digest"]
    with tarfile.open(promoted[1]) as sdist:
        pyproject = sdist.extractfile("promo_demo-1.4.0/pyproject.toml")
        assert pyproject is not None
        assert 'version = "1.4.0"' in pyproject.read().decode()
    _install_and_check(registry, promoted, tmp_path, "promo-demo", "promo_demo")
    # A rebuild from the promoted sdist yields the promoted version.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(promoted[1]) as sdist:
        sdist.extractall(unpacked, filter="data")
    rebuilt = _build(unpacked / "promo_demo-1.4.0")
    assert "promo_demo-1.4.0-py3-none-any.whl" in [p.name for p in rebuilt]


@pytest.mark.slow
def test_a_payload_stating_the_version_is_refused_with_file_and_line(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _hatch_project(root, '"""Demo."""\n\n__version__ = "1.4.0rc2"\n')
    result = run_cli("promote", "--to", "1.4.0", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    found = {
        (f["path"], f["line"])
        for r in json.loads(result.stdout)["checks"]
        for f in r["findings"]
        if f["rule"] == "promote/embedded-version"
    }
    assert found == {("promo_demo/__init__.py", 3), ("src/promo_demo/__init__.py", 3)}
    assert not list((root / "dist").glob("*1.4.0-*")) + list((root / "dist").glob("*1.4.0.tar*"))
    # Listed to rewrite: exactly the version changes, and the diff is recorded.
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[tool.releasegate.promote]\nrewrite = ["src/promo_demo/__init__.py"]\n')
    result = run_cli("promote", "--to", "1.4.0", "--outdir", "out", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(root / "out" / "promo_demo-1.4.0-py3-none-any.whl") as wheel:
        assert wheel.read("promo_demo/__init__.py") == b'"""Demo."""\n\n__version__ = "1.4.0"\n'
        record = json.loads(wheel.read("promo_demo-1.4.0.dist-info/releasegate-promotion.json"))
    assert record["rewritten"][0]["path"] == "promo_demo/__init__.py"
    assert '-__version__ = "1.4.0rc2"\n+__version__ = "1.4.0"' in record["rewritten"][0]["diff"]


SCM8_VERSION_FILE = b"""\
# file generated by setuptools_scm
# don't change, don't track in version control
__version__ = version = '8.0.0rc1'
__version_tuple__ = version_tuple = (8, 0, 0)
"""


def _wheel_of(dist: Path, name: str, version: str, files: dict[str, bytes]) -> Path:
    """A wheel as a backend writes one: METADATA, WHEEL, RECORD and ``files``."""
    info = f"{name}-{version}.dist-info"
    members = {
        **files,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\n",
    }
    rows = [f"{n},{record_hash(d)},{len(d)}" for n, d in members.items()]
    members[f"{info}/RECORD"] = "\n".join([*rows, f"{info}/RECORD,,\n"]).encode()
    dist.mkdir(parents=True, exist_ok=True)
    path = dist / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as wheel:
        for member, data in members.items():
            wheel.writestr(member, data)
    return path


@pytest.mark.parametrize(
    "case",
    [
        # pytest 8.0.0rc1: setuptools-scm 8 writes the final's tuple for a pre-release.
        (
            "_pytest",
            "8.0.0rc1",
            "_pytest/_version.py",
            SCM8_VERSION_FILE,
            SCM8_VERSION_FILE.replace(b"'8.0.0rc1'", b"'8.0.0'"),
        ),
        # Django 5.0rc1: two release numbers, and a version_info-shaped tuple.
        (
            "django",
            "5.0rc1",
            "django/__init__.py",
            b'VERSION = (5, 0, 0, "rc", 1)\n__version__ = get_version(VERSION)\n',
            b'VERSION = (5, 0, 0, "final", 0)\n__version__ = get_version(VERSION)\n',
        ),
        # The same pre-release, spelt otherwise.
        (
            "demo",
            "1.4.0rc1",
            "demo/__init__.py",
            b"A = '1.4.0.rc1'\nB = 'v1.4.0RC1'\nC = '1.4.0c1'\nD = '1.4.0rc01'\n",
            b"A = '1.4.0'\nB = 'v1.4.0'\nC = '1.4.0'\nD = '1.4.0'\n",
        ),
    ],
)
def test_real_shapes_of_version_files_are_refused_with_their_line_then_rewritten(
    tmp_path: Path, case: tuple[str, str, str, bytes, bytes]
) -> None:
    name, version, path, content, promoted = case
    root = tmp_path / "project"
    _wheel_of(root / "dist", name, version, {path: content})
    (root / "pyproject.toml").write_text(f'[project]\nname = "{name}"\nversion = "0"\n')
    final = str(Version(Version(version).base_version))
    result = run_cli("promote", "--to", "final", "--format", "json", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    found = {
        f["path"]
        for r in json.loads(result.stdout)["checks"]
        for f in r["findings"]
        if f["rule"] == "promote/embedded-version"
    }
    assert found == {path}
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'[tool.releasegate.promote]\nrewrite = ["{path}"]\n')
    result = run_cli("promote", "--to", "final", "--outdir", "out", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    with zipfile.ZipFile(root / "out" / f"{name}-{final}-py3-none-any.whl") as wheel:
        assert wheel.read(path) == promoted


@pytest.mark.slow
def test_a_tampered_wheel_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    root = tmp_path / "project"
    wheel = _hatch_project(root, READS_METADATA.format(name="promo-demo"))[0]
    tampered = tmp_path / "tampered.whl"
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "promo_demo/__init__.py":
                data += b"import os; os.system('curl evil')\n"
            target.writestr(info, data)
    tampered.replace(wheel)
    result = run_cli("promote", "--to", "1.4.0", "--outdir", "out", cwd=root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "promo_demo/__init__.py does not match its RECORD hash" in result.stdout
    assert "[promote/tampered]" in result.stdout
    assert not (root / "out").exists()


def _scm_repo(make_repo: Callable[..., GitRepo], extra: str = "") -> GitRepo:
    return make_repo(
        {
            "pyproject.toml": SCM_PYPROJECT.format(extra=extra),
            "src/scm_demo/__init__.py": "from scm_demo._version import __version__\n",
            ".gitignore": "src/scm_demo/_version.py\ndist/\nout/\n.releasegate/\n",
        },
        tag="1.4.0rc2",
    )


@pytest.mark.slow
def test_setuptools_scm_version_file_is_refused_then_rewritten_when_listed(
    tmp_path: Path, make_repo: Callable[..., GitRepo], registry: Server
) -> None:
    repo = _scm_repo(make_repo)
    sources = _build(repo.root, isolated=True)
    assert [p.name for p in sources] == [
        "scm_demo-1.4.0rc2-py3-none-any.whl",
        "scm_demo-1.4.0rc2.tar.gz",
    ]
    refused = run_cli("promote", "--to", "1.4.0", "--outdir", "out", cwd=repo.root)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "src/scm_demo/_version.py:" in refused.stdout
    assert "scm_demo/_version.py:" in refused.stdout
    assert not (repo.root / "out").exists()
    repo.commit(
        {
            "pyproject.toml": SCM_PYPROJECT.format(
                extra='[tool.releasegate.promote]\nrewrite = ["src/scm_demo/_version.py"]\n'
            )
        },
        "list the version file",
    )
    result = run_cli(
        "promote", "--to", "1.4.0", "--outdir", "out", *map(str, sources), cwd=repo.root
    )
    assert result.returncode == 0, result.stdout + result.stderr
    promoted = sorted((repo.root / "out").iterdir())
    for source, path in zip(sources, promoted, strict=True):
        assert _archive(source)[1] == _archive(path)[1]
    with zipfile.ZipFile(promoted[0]) as wheel:
        record = json.loads(wheel.read("scm_demo-1.4.0.dist-info/releasegate-promotion.json"))
        version_file = wheel.read("scm_demo/_version.py").decode()
    assert record["commit"] == repo.git("rev-parse", "HEAD").strip()
    assert "1.4.0rc2" not in version_file
    assert "(1, 4, 0)" in version_file
    _install_and_check(registry, promoted, tmp_path, "scm-demo", "scm_demo")
    # A rebuild from the promoted sdist is 1.4.0: setuptools-scm 10 reads the version from the
    # egg-info's scm_version.json "tag" (found on this very build), so that is rewritten too.
    unpacked = tmp_path / "unpacked"
    with tarfile.open(promoted[1]) as sdist:
        sdist.extractall(unpacked, filter="data")
    rebuilt = _build(unpacked / "scm_demo-1.4.0", isolated=True)
    assert [p.name for p in rebuilt] == ["scm_demo-1.4.0-py3-none-any.whl", "scm_demo-1.4.0.tar.gz"]


def _checks_of(result: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    report = json.loads(result.stdout)
    return {c["check"]: [f["rule"] for f in c["findings"]] for c in report["checks"]}


@pytest.mark.slow
def test_verify_checks_a_promoted_artifacts_lineage(tmp_path: Path) -> None:
    root = tmp_path / "project"
    wheel = _hatch_project(root, READS_METADATA.format(name="promo-demo"))[0]
    assert run_cli("promote", "--to", "1.4.0", "--outdir", "out", cwd=root).returncode == 0
    promoted = root / "out" / "promo_demo-1.4.0-py3-none-any.whl"
    # On its own: no policy, no bundle, no network; the report says what was verified.
    alone = run_cli(
        "verify", "--format", "json", str(promoted), "--promoted-from", str(wheel), cwd=root
    )
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert _checks_of(alone) == {"lineage": ["lineage/lineage", "lineage/source-unsigned"]}
    assert "names promo_demo-1.4.0rc2-py3-none-any.whl by sha256" in alone.stdout
    # A bundle beside the source: its signature is checked too, under the policy.
    wheel.with_name(wheel.name + ".sigstore.json").write_text("{}", encoding="utf-8")
    args = (
        "verify",
        "--repository",
        "o/n",
        "--format",
        "json",
        str(promoted),
        "--promoted-from",
        str(wheel),
    )
    signed = run_cli(*args, cwd=root)
    checks = _checks_of(signed)
    assert checks["lineage"] == ["lineage/lineage"]
    assert checks["verify"]
    assert all(r.startswith("verify/") for r in checks["verify"])
    assert signed.returncode == 1  # that bundle is no signature
    # Another pre-release build (same version, other bytes) is not this one's source.
    other = _hatch_project(tmp_path / "other", READS_METADATA.format(name="promo-demo"))[0]
    args = (
        "verify",
        "--repository",
        "o/n",
        "--format",
        "json",
        str(promoted),
        "--promoted-from",
        str(other),
    )
    rules = _checks_of(run_cli(*args, cwd=root))["lineage"]
    # Named by the record? Same payload? The record's digest the source's? No, no and no.
    assert rules == ["lineage/broken-lineage"] * 3 + ["lineage/source-unsigned"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "version", "module", "listed"),
    [
        ("pytest", "8.0.0rc1", "_pytest._version", "_pytest/_version.py"),
        ("Django", "5.0rc1", "django", "django/__init__.py"),
        ("urllib3", "2.0.0a1", "urllib3", "urllib3/_version.py"),
        ("pydantic", "2.0b3", None, "pydantic/version.py"),
    ],
)
def test_real_pypi_pre_releases_are_refused_by_line_then_promoted_and_installed(
    tmp_path: Path, name: str, version: str, module: str | None, listed: str
) -> None:
    """Real wheels from PyPI: unlisted, the file stating the version is named with its line;
    listed, the promoted wheel installs and reports the final through importlib.metadata and
    its own __version__ (pydantic needs pydantic-core to import: its file is read)."""
    from tests.corpus_support import pure_wheel

    source = pure_wheel(name, version)
    root = tmp_path / "project"
    root.mkdir()
    (root / "pyproject.toml").write_text('[project]\nname = "x"\nversion = "0"\n')
    args = ("promote", "--to", "final", "--format", "json", "--outdir", "out", str(source))
    refused = run_cli(*args, cwd=root)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    paths = {
        f["path"]
        for r in json.loads(refused.stdout)["checks"]
        for f in r["findings"]
        if f["rule"] == "promote/embedded-version"
    }
    assert paths == {listed}
    with (root / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write(f'[tool.releasegate.promote]\nrewrite = ["{listed}"]\n')
    promoted = run_cli(*args, cwd=root)
    assert promoted.returncode == 0, promoted.stdout + promoted.stderr
    (built,) = (root / "out").glob("*.whl")
    final = str(Version(Version(version).base_version))
    target = ["--target", str(tmp_path / "t"), str(built)]
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", *target],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr
    probe = f"import importlib.metadata as m; print(m.version({name!r}))"
    if module is not None:
        probe += f"; import {module} as v; print(v.__version__)"
    shown = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(tmp_path / "t")},
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [final] * (2 if module else 1)
    if module is None:
        assert f"VERSION = '{final}'" in (tmp_path / "t" / listed).read_text(encoding="utf-8")
