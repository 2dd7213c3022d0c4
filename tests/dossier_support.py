"""The release dossier's tests: records written by releasegate's own writers, and the page read
back by a real HTML parser (what a browser builds from it: tags, attributes, text)."""

from __future__ import annotations

import json
import shutil
import time
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from releasegate._internal.dossier.page import SECTIONS
from releasegate._internal.findings import Finding, GateResult, Report, Severity
from releasegate._internal.publish import audit
from releasegate._internal.publish.artifacts import Artifact
from releasegate._internal.publish.ledger import Ledger
from releasegate._internal.publish.outcome import FileOutcome, FileState, RegistryOutcome
from releasegate._internal.publish.settings import Kind, RegistrySpec
from releasegate._internal.report.json_report import report_dict
from tests.conftest import REPO_ROOT

if TYPE_CHECKING:
    from pathlib import Path

SIGSTORE = REPO_ROOT / "tests" / "fixtures" / "sigstore"
SCHEMA = REPO_ROOT / "src" / "releasegate" / "_internal" / "dossier" / "schema.json"
WHEEL = "demo-1.0.0-py3-none-any.whl"
SDIST = "demo-1.0.0.tar.gz"

# What a page holds: anything else is markup a record brought in.
_TAGS = """html head meta title style body header h1 h2 p nav ul li a main section table caption
thead tbody tr th td span code pre br figure figcaption svg desc line text rect"""
ALLOWED_TAGS = frozenset(_TAGS.split())
_ATTRIBUTES = """lang charset name content href id aria-label aria-labelledby scope class width
height viewbox role x y x1 y1 x2 y2 text-anchor"""
ALLOWED_ATTRIBUTES = frozenset(_ATTRIBUTES.split())


class PageReader(HTMLParser):
    """Every tag, attribute and piece of text of a page, as a browser's tokenizer reads it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.append((name, value or ""))
            if name == "id" and value:
                self.ids.add(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def read_page(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    reader.close()
    return reader


def assert_safe_page(page: str) -> PageReader:
    """Only the page's own tags and attributes, no script, nothing loaded from anywhere."""
    reader = read_page(page)
    assert "<script" not in page.lower()
    assert set(reader.tags) <= ALLOWED_TAGS, set(reader.tags) - ALLOWED_TAGS
    names = {name for name, _ in reader.attributes}
    assert names <= ALLOWED_ATTRIBUTES, names - ALLOWED_ATTRIBUTES
    for name, value in reader.attributes:
        if name == "href":
            assert value.startswith("#"), value  # in-page links only: no request, no scheme
    assert not reader.comments
    style = page[page.index("<style>") : page.index("</style>")]
    assert "url(" not in style
    assert "@import" not in style
    assert {key for key, _ in SECTIONS} <= reader.ids
    return reader


def make_dists(dist: Path) -> dict[str, str]:
    """Two dists (bytes only: the dossier hashes files, it does not open archives), their
    SHA256SUMS and BUILDINFO.json as ``releasegate build`` writes them; name -> sha256."""
    from releasegate._internal.builder.pep517 import write_sha256sums
    from releasegate._internal.builder.shipping import BUILDINFO_FILE, BuildRecord
    from releasegate._internal.hashing import sha256_file

    dist.mkdir(parents=True, exist_ok=True)
    (dist / WHEEL).write_bytes(b"wheel bytes " * 100)
    (dist / SDIST).write_bytes(b"sdist bytes " * 200)
    paths = [dist / WHEEL, dist / SDIST]
    write_sha256sums(dist, paths)
    record = BuildRecord(
        315532800,
        {"requires": ["hatchling==1.27.0"], "build-backend": "hatchling.build"},
        {"hatchling": "1.27.0", "packaging": "25.0"},
    )
    (dist / BUILDINFO_FILE).write_text(json.dumps(record.as_json(paths)), encoding="utf-8")
    return {p.name: sha256_file(p) for p in paths}


def sign(dist: Path) -> None:
    """Real Sigstore material beside the dists (sigstore-python's and pypi-attestations'
    fixtures: the dossier reads identities, it does not verify digests)."""
    shutil.copy(SIGSTORE / "bundle_v3_github.whl.sigstore", dist / f"{WHEEL}.sigstore.json")
    shutil.copy(
        SIGSTORE / "pypi_attestations-0.0.19.tar.gz.publish.attestation",
        dist / f"{SDIST}.publish.attestation",
    )


def spec(name: str) -> RegistrySpec:
    return RegistrySpec(name, Kind.PYPI, f"http://127.0.0.1:1/{name}/", True, False, "")


def publish_records(root: Path, shas: dict[str, str], registries: list[str]) -> None:
    """The ledger and the audit log of one run, written by the publish run's own writers."""
    ledger = Ledger(root / ".releasegate/publish-ledger.json")
    outcomes = []
    for index, name in enumerate(registries):
        outcome = RegistryOutcome(name, "pypi", True, seconds=1.5 + index)
        for filename, sha in shas.items():
            file = FileOutcome(filename, sha, FileState.UPLOADED, verified=True, attempts=1)
            outcome.files[filename] = file
            ledger.record(spec(name), file)
        outcomes.append(outcome)
    artifacts = [
        Artifact(root / "dist" / f, f, sha, 10, "demo", "1.0.0") for f, sha in shas.items()
    ]
    started = time.time() - 1  # the ledger was written during the run
    entry = audit.record(
        run="0123456789abcdef",
        env={"GITHUB_ACTOR": "maintainer"},
        commit="abc",
        artifacts=artifacts,
        outcomes=outcomes,
        started=started,
        ended=started + 4,
    )
    audit.append(root / ".releasegate/publish-audit.jsonl", entry)


def report_file(path: Path, results: list[GateResult]) -> Path:
    report = Report.of(results, str(path.parent), Severity.ERROR)
    path.write_text(json.dumps(report_dict(report)), encoding="utf-8")
    return path


def gate_reports(root: Path, shas: dict[str, str], registries: list[str]) -> list[Path]:
    """Reports of check, build --verify and verify-mirrors, as the commands write them."""
    api = GateResult(
        "api",
        (
            Finding(
                "api", "object-removed", "demo.old was removed", Severity.ERROR, "src/demo.py", 3
            ),
        ),
        summary="base release v0.9.0",
        data={
            "base": {"tag": "v0.9.0", "version": "0.9.0", "commit": "c0ffee", "ancestor": True},
            "changes": [
                {
                    "kind": "object-removed",
                    "impact": "breaking",
                    "target": "demo.old",
                    "detail": "removed",
                    "path": "src/demo.py",
                    "line": 3,
                },
                {
                    "kind": "object-added",
                    "impact": "addition",
                    "target": "demo.new_thing",
                    "detail": "added",
                    "path": "src/demo.py",
                    "line": 9,
                },
            ],
        },
    )
    semver = GateResult("semver", (), summary="version 1.0.0")
    reproducible = GateResult(
        "reproducible",
        (),
        data={
            "reproducible": True,
            "artifacts": [
                {
                    "kind": "wheel",
                    "name": WHEEL,
                    "identical": True,
                    "builds": [
                        {"label": "a", "sha256": shas[WHEEL]},
                        {"label": "b", "sha256": shas[WHEEL]},
                    ],
                },
            ],
            "conditions": ["umask 022 vs 002", "TZ=UTC0 vs TZ=<+14>-14"],
            "shipped": list(shas),
        },
    )
    served = {name: dict(shas) for name in registries}
    mirrors = GateResult("verify-mirrors", (), data={"version": "1.0.0", "served": served})
    return [
        report_file(root / "check.json", [semver, api]),
        report_file(root / "build.json", [reproducible]),
        report_file(root / "mirrors.json", [mirrors]),
    ]


def sbom(path: Path, components: int = 3) -> Path:
    document: dict[str, Any] = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
        "components": [
            {
                "bom-ref": f"pkg{i}",
                "name": f"dep{i}",
                "version": f"1.{i}",
                "purl": f"pkg:pypi/dep{i}@1.{i}",
                "licenses": [{"expression": "MIT OR Apache-2.0"}]
                if i % 2
                else [{"license": {"id": "BSD-3-Clause"}}],
            }
            for i in range(components)
        ],
        "vulnerabilities": [
            {
                "id": "GHSA-xxxx-yyyy-zzzz",
                "ratings": [{"severity": "high"}],
                "affects": [{"ref": "pkg1"}],
            }
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
