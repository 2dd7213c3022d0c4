"""The dossier in a real browser: Chromium (Debian's ``chromium``) started headless by the tests.

Loaded with the network disabled and every request it makes logged (``--log-net-log``): the
page requests nothing but itself. Its DOM holds every section; its screenshot is not blank; it
loads and lays out in under a second with a 200-component SBOM. Skipped where no Chromium is
installed (``apt-get install chromium``).
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import subprocess
import zlib
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from releasegate._internal.dossier.gather import gather
from releasegate._internal.dossier.page import SECTIONS, render
from tests.dossier.test_dossier import full_sources
from tests.dossier_support import read_page, sbom

if TYPE_CHECKING:
    from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)"),
]
# The browser's own services (updates, time, accounts, spelling dictionaries): asked whatever
# the page is, as loading an empty page shows. Anything else was asked for by the page.
BROWSER_SERVICES = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")
OFFLINE = (
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pings",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    shutil.rmtree(profile, ignore_errors=True)
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
               f"--user-data-dir={profile}", *OFFLINE, *args]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def requested(tmp_path: Path, page: Path) -> tuple[set[str], str]:
    """The URLs loading ``page`` asked for (but the browser's own services), and its DOM."""
    log = tmp_path / "net.json"
    result = chromium(tmp_path, f"--log-net-log={log}", "--dump-dom", page.as_uri())
    events = json.loads(log.read_text(encoding="utf-8"))["events"]
    urls = {
        e["params"]["url"]
        for e in events
        if isinstance(e.get("params"), dict) and "url" in e["params"]
    }
    own = {u for u in urls if (urlsplit(u).hostname or "").endswith(BROWSER_SERVICES)}
    return urls - own - {page.as_uri()}, result.stdout


def write_page(tmp_path: Path, components: int = 200) -> Path:
    sources = full_sources(tmp_path / "release")
    sbom(tmp_path / "release" / "sbom.cdx.json", components=components)
    page = tmp_path / "dossier.html"
    page.write_text(render(gather(sources)), encoding="utf-8")
    return page


def test_offline_the_page_requests_nothing_and_its_dom_has_every_section(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    urls, dom = requested(tmp_path, page)
    assert urls == set()
    reader = read_page(dom)
    assert {key for key, _ in SECTIONS} <= reader.ids
    assert "script" not in reader.tags
    assert reader.tags.count("rect") == 2  # the timeline, drawn

    # The same log sees a page that does load something: the check above can fail.
    other = tmp_path / "loads.html"
    other.write_text('<p>x</p><img src="http://evil.example/x.png">', encoding="utf-8")
    assert requested(tmp_path, other)[0] == {"http://evil.example/x.png"}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def inked(png: bytes) -> float:
    """The share of a screenshot's pixels that are not white (8-bit RGB or RGBA PNG)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, list[bytes]] = {}
    at = 8
    while at < len(png):
        size, kind = struct.unpack(">I4s", png[at : at + 8])
        chunks.setdefault(kind, []).append(png[at + 8 : at + 8 + size])
        at += 12 + size
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8, depth
    assert colour in (2, 6), colour
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride, previous, ink = width * step, bytearray(width * step), 0
    for row in range(height):
        method, line = (
            raw[row * (stride + 1)],
            bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = previous[i], previous[i - step] if i >= step else 0
            line[i] = (
                line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, corner))[method]
            ) & 0xFF
        ink += sum(1 for i in range(0, stride, step) if line[i : i + 3] != b"\xff\xff\xff")
        previous = line
    return float(ink / (width * height))


def test_the_screenshot_is_not_blank(tmp_path: Path) -> None:
    page = write_page(tmp_path)
    shot = tmp_path / "dossier.png"
    chromium(tmp_path, "--window-size=800,1000", f"--screenshot={shot}", page.as_uri())
    # Text, table rules and header cells ink a few percent of a page; a blank one inks none.
    assert inked(shot.read_bytes()) > 0.03


def test_it_prints_without_the_navigation(tmp_path: Path) -> None:
    page = write_page(tmp_path, components=20)
    pdf = tmp_path / "dossier.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    document = pdf.read_bytes()
    assert document.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", document)) >= 2  # paged, not one clipped sheet
    assert "@media print { nav { display: none; }" in " ".join(page.read_text().split())


def test_a_200_component_dossier_loads_and_lays_out_in_under_a_second(tmp_path: Path) -> None:
    page = write_page(tmp_path, components=200)
    harness = tmp_path / "harness.html"
    # The harness (ours, not the page) times the page in a frame: loaded, styled and laid out.
    harness.write_text(
        "<!DOCTYPE html><title>pending</title><script>var t0 = performance.now();</script>"
        f'<iframe src="{page.name}" width="1200" height="1600" onload="'
        "var h = this.contentDocument.body.scrollHeight;"
        "document.title = 'loaded ' + Math.round(performance.now() - t0) + ' ' + h;\"></iframe>",
        encoding="utf-8",
    )
    dom = chromium(
        tmp_path, "--allow-file-access-from-files", "--dump-dom", harness.as_uri()
    ).stdout
    title = read_page(dom)
    words = " ".join(title.text).split()
    index = words.index("loaded")
    milliseconds, height = int(words[index + 1]), int(words[index + 2])
    assert height > 5000  # the page was laid out: 200 component rows and more
    assert milliseconds < 1000, milliseconds
