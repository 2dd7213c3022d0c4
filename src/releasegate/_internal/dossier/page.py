"""The dossier as one self-contained HTML page: no script, no request, nothing from elsewhere.

It opens from disk, as a workflow artifact or on GitHub Pages alike. Every value came from a
record a checkout, a fork or a registry could have written, so each one passes ``display()``
(one line, bounded) and then HTML escaping; no value is ever a link, an attribute other than
text, or markup. Verdicts are words (and symbols), never colour alone; a print stylesheet
drops the navigation and keeps tables whole where it can.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from releasegate._internal.display import display
from releasegate._internal.dossier.timeline import svg

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

SECTIONS = (
    ("gates", "Gate verdicts"),
    ("governance", "Governance"),
    ("artifacts", "Artifacts"),
    ("build", "Build and reproducibility"),
    ("signatures", "Signatures and attestations"),
    ("sbom", "Components (SBOM)"),
    ("api", "API changes"),
    ("registries", "Registries"),
    ("timeline", "Publish timeline"),
    ("gaps", "Missing records"),
)
"""Every section, always present (``id``, heading): a missing record is said, not skipped."""

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 1rem;
       color: #111; background: #fff; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { border-bottom: 2px solid #333; padding-bottom: .2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid #999; padding: .25rem .45rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
th { background: #eee; }
code, .hash { font-family: ui-monospace, monospace; font-size: .85em; }
code { overflow-wrap: break-word; } .hash { overflow-wrap: anywhere; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: .5rem; border: 1px solid #999; }
.pass { font-weight: 600; } .fail { font-weight: 700; text-decoration: underline; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
.empty { font-style: italic; }
svg.timeline text { font: 12px system-ui, sans-serif; fill: #111; }
svg.timeline .note { fill: #333; }
svg.timeline .axis { stroke: #333; } svg.timeline .grid { stroke: #ccc; }
svg.timeline rect.complete { fill: #3a5f8a; }
svg.timeline rect.incomplete { fill: #fff; stroke: #111; stroke-width: 2; stroke-dasharray: 4 3; }
svg.timeline line.file { stroke: #111; stroke-width: 2; }
@media print {
  nav { display: none; }
  body { max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  tr, figure { break-inside: avoid; }
  th { background: none; }
}
"""


def e(value: object, limit: int = 2000) -> str:
    """A value of a record as escaped text: one line, bounded, no markup."""
    return escape(display("" if value is None else str(value), limit), quote=True)


def _verdict(passed: bool | None, yes: str = "passed", no: str = "FAILED") -> str:
    if passed is None:
        return '<span class="empty">unknown</span>'
    return f'<span class="pass">✓ {yes}</span>' if passed else f'<span class="fail">✗ {no}</span>'


def _table(caption: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """``rows`` hold HTML already escaped cell by cell."""
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><caption>{caption}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody></table>"


def _empty(text: str) -> str:
    return f'<p class="empty">{text}</p>'


def _findings(findings: Sequence[dict[str, Any]], caption: str) -> str:
    if not findings:
        return ""
    rows = [
        (
            e(f["severity"]),
            f"<code>{e(f['rule'])}</code>",
            e(f["path"] or "-") + (f":{e(f['line'])}" if f["line"] else ""),
            e(f["message"]) + (f"<br>Hint: {e(f['hint'])}" if f["hint"] else ""),
        )
        for f in findings
    ]
    return _table(caption, ("severity", "rule", "location", "message"), rows)


def _gates(dossier: dict[str, Any]) -> str:
    gates = dossier["gates"]
    if not gates:
        return _empty("No gate results: no JSON report was given.")
    rows = [
        (e(g["check"]), _verdict(g["passed"]), str(len(g["findings"])), e(g["summary"]))
        for g in gates
    ]
    parts = [_table("Each gate's verdict", ("gate", "verdict", "findings", "summary"), rows)]
    parts += [_findings(g["findings"], f"Findings of {e(g['check'])}") for g in gates]
    return "\n".join(parts)


def _governance(dossier: dict[str, Any]) -> str:
    governance = dossier["governance"]
    if governance is None:
        return _empty("No governance record (GOVERNANCE.json): no policy governed the publish.")
    verdict = _verdict(governance["allowed"], "allowed", "REFUSED")
    covers = _verdict(governance["covers_artifacts"], "yes", "NO: another release's record")
    facts = [
        ("decision", f"{e(governance['action'])}: {verdict}"),
        ("policy", e(governance["policy"])),
        ("policy digest", f'<span class="hash">{e(governance["policy_digest"] or "-")}</span>'),
        ("commit", f'<span class="hash">{e(governance["commit"] or "-")}</span>'),
        ("publish run", e(governance["run"] or "-")),
        ("names these artifacts' sha256", covers),
        *(
            # As text: the page links within itself only (opened from disk, nothing to follow).
            (f"attached to {e(a['registry'])}", f"<code>{e(a['url'])}</code>")
            for a in governance["attached"]
        ),
    ]
    parts = [_table("The decision (GOVERNANCE.json)", ("", "value"), facts)]
    claims = [(f"<code>{e(k)}</code>", e(v)) for k, v in governance["claims"].items()]
    if claims:
        parts.append(_table("The verified OIDC claims", ("claim", "value"), claims))
    rows = [
        (f"<code>{e(v['condition'])}</code>", e(v["verdict"]), e(v["detail"]))
        for v in governance["verdicts"]
    ]
    parts.append(_table("Each condition's verdict", ("condition", "verdict", "detail"), rows))
    return "\n".join(parts)


def _artifacts(dossier: dict[str, Any]) -> str:
    if not dossier["artifacts"]:
        return _empty("No artifact was found in the dist directory.")
    rows = [
        (
            e(a["filename"]),
            f"{a['size']:,}",
            f'<span class="hash">{e(a["sha256"])}</span>',
            e(a["sha256sums"]),
        )
        for a in dossier["artifacts"]
    ]
    header = ("file", "bytes", "sha256", "in SHA256SUMS")
    return _table("The files of the release", header, rows)


def _build(dossier: dict[str, Any]) -> str:
    build = dossier["build"]
    verdict = _verdict(build["reproducible"], "reproducible", "NOT reproducible")
    parts = [f"<p>Reproducibility verdict: {verdict}</p>"]
    if build["builds"]:
        rows = [
            (
                e(b["name"]),
                _verdict(b["identical"], "identical", "DIFFERENT"),
                "<br>".join(f'<span class="hash">{e(s)}</span>' for s in b["sha256"]),
            )
            for b in build["builds"]
        ]
        parts.append(_table("The two builds", ("artifact", "builds", "sha256 of each"), rows))
    if build["conditions"]:
        items = "".join(f"<li>{e(c)}</li>" for c in build["conditions"])
        parts.append(f"<p>Conditions varied between the builds:</p><ul>{items}</ul>")
    info = build["buildinfo"]
    if info:
        facts = [
            ("SOURCE_DATE_EPOCH", e(info["source_date_epoch"] or "unset")),
            ("Python", e(info["python"])),
            ("build backend", e(info["build_backend"])),
            ("build requires", e(", ".join(info["requires"]))),
            (
                "build environment",
                e(", ".join(f"{k}=={v}" for k, v in info["environment"].items()), 8000),
            ),
        ]
        parts.append(_table("Build conditions (BUILDINFO.json)", ("condition", "value"), facts))
    if build["rebuild_command"]:
        parts.append(
            "<p>Anyone can rebuild the wheel from the published sdist and compare:</p>"
            f"<pre><code>{e(build['rebuild_command'])}</code></pre>"
        )
    return "\n".join(parts)


def _signatures(dossier: dict[str, Any]) -> str:
    signatures = dossier["signatures"]
    if not signatures:
        return _empty("No signature or attestation was found beside the artifacts.")
    rows = [
        (
            e(s["subject"]),
            e(s["kind"]),
            e(s.get("identity") or s.get("error")),
            e(", ".join(s.get("sans", []))),
            e(s.get("log_index") or "-"),
        )
        for s in signatures
    ]
    header = ("signed file", "kind", "identity the certificate states", "SAN", "Rekor log index")
    note = (
        "<p>What each certificate states; <code>releasegate verify</code> checks the bundles "
        "against the release's identity policy (its report, when given, is among the gates).</p>"
    )
    return note + _table("Signatures", header, rows)


def _sbom(dossier: dict[str, Any]) -> str:
    sbom = dossier["sbom"]
    if sbom is None:
        return _empty("No SBOM was given or found.")
    vulnerable = sum(1 for c in sbom["components"] if c["vulnerabilities"])
    rows = [
        (
            e(c["name"]),
            e(c["version"]),
            e(", ".join(c["licenses"]) or "unknown"),
            e(
                ", ".join(f"{v['id']} ({v['severity']})" for v in c["vulnerabilities"])
                or "none known"
            ),
        )
        for c in sbom["components"]
    ]
    intro = (
        f"<p>{len(sbom['components'])} component(s) in {e(sbom['file'])}"
        f" (CycloneDX {e(sbom['spec_version'])}); {vulnerable} with known vulnerabilities.</p>"
    )
    header = ("component", "version", "licenses", "known vulnerabilities")
    return intro + _table("Components", header, rows)


def _api(dossier: dict[str, Any]) -> str:
    api = dossier["api"]
    if api is None:
        return _empty("No API gate result was given.")
    base = api["base"]
    against = (
        f"<p>Compared with the base release {e(base.get('tag'))} "
        f"(version {e(base.get('version'))}, commit <code>{e(base.get('commit'))}</code>).</p>"
        if base
        else _empty("No base release was named (first release, or the gate could not compare).")
    )
    summary = f"<p>{e(api['summary'])}</p>" if api["summary"] else ""
    rows = [
        (
            e(c["impact"]),
            f"<code>{e(c['kind'])}</code>",
            f"<code>{e(c['target'])}</code>",
            e(c["detail"]),
            e(c["path"] or "-") + (f":{e(c['line'])}" if c["line"] else ""),
        )
        for c in api["changes"]
    ]
    header = ("impact", "change", "object", "detail", "location")
    changes = (
        _table("Changes since the base release", header, rows)
        if rows
        else _empty("No API change was recorded.")
    )
    return against + summary + changes + _findings(api["findings"], "What the API gate found")


def _publish_outcome(dossier: dict[str, Any]) -> str:
    """How the last publish run ended, above the table (no publish report: nothing said)."""
    publish = dossier["publish"]
    if publish is None:
        return ""
    outcome = _verdict(publish["outcome"] == "published", "published", e(publish["outcome"]))
    lines = [f"<p>The publish run: {outcome}</p>"]
    stopped = [r for r in publish["runs"] if r["error"]]
    if stopped:
        items = "".join(
            f"<li>{e(r['member']) + ': ' if r['member'] else ''}{e(r['error'])}</li>"
            for r in stopped
        )
        lines.append(f"<ul>{items}</ul>")
    for registry in dossier["registries"]:
        if registry["completed"] is False:
            why = "; ".join(registry["errors"]) or "not every file was uploaded and verified"
            lines.append(f"<p>{e(registry['name'])} did not complete: {e(why)}</p>")
    return "\n".join(lines) + "\n"


def _registries(dossier: dict[str, Any]) -> str:
    if not dossier["registries"]:
        return _publish_outcome(dossier) + _empty("No registry is configured or recorded.")
    rows = []
    for registry in dossier["registries"]:
        for f in registry["files"]:
            served = f["served_sha256"]
            rows.append(
                (
                    e(registry["name"]) + (f" ({e(registry['kind'])})" if registry["kind"] else ""),
                    e(f["filename"]),
                    e(f["state"]) + (f": {e(f['error'])}" if f["error"] else ""),
                    _verdict(f["verified"], "verified", "not verified"),
                    '<span class="empty">not compared</span>'
                    if served is None
                    else f'<span class="hash">{e(served)}</span> '
                    + _verdict(f["served_matches"], "same bytes", "OTHER BYTES"),
                    e(f["updated"] or "-"),
                )
            )
    header = ("registry", "file", "state", "upload verified", "sha256 served", "recorded")
    return _publish_outcome(dossier) + _table("Each registry's state for each file", header, rows)


def _timeline(dossier: dict[str, Any]) -> str:
    chart = svg(dossier["timeline"])
    if chart is None:
        return _empty("No publish run of these artifacts was recorded.")
    rows = [
        (
            e(b["registry"]),
            e(b["started"]),
            f"{b['seconds']:.1f}",
            _verdict(b["completed"], "complete", "incomplete"),
            e(b["run"]),
        )
        for b in dossier["timeline"]
    ]
    table = _table("The runs", ("registry", "run started", "seconds", "result", "run"), rows)
    return f"<figure>{chart}<figcaption>Upload and verification per registry.</figcaption></figure>\n{table}"


def _gaps(dossier: dict[str, Any]) -> str:
    if not dossier["gaps"]:
        return _empty("None: every record was found.")
    rows = [(e(g["record"]), e(g["state"]), e(g["detail"])) for g in dossier["gaps"]]
    return _table("Records this dossier could not show", ("record", "state", "detail"), rows)


_RENDER = {
    "gates": _gates,
    "governance": _governance,
    "artifacts": _artifacts,
    "build": _build,
    "signatures": _signatures,
    "sbom": _sbom,
    "api": _api,
    "registries": _registries,
    "timeline": _timeline,
    "gaps": _gaps,
}


def render(dossier: dict[str, Any]) -> str:
    release = dossier["release"]
    title = f"{e(release['name'] or 'release')} {e(release['version'] or '')}".strip()
    nav = "".join(f'<li><a href="#{key}">{heading}</a></li>' for key, heading in SECTIONS)
    sections = "\n".join(
        f'<section id="{key}" aria-labelledby="{key}-h">\n<h2 id="{key}-h">{heading}</h2>\n'
        f"{_RENDER[key](dossier)}\n</section>"
        for key, heading in SECTIONS
    )
    generated = f"{e(release['generated'])} by releasegate {e(release['tool']['version'])}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Release dossier: {title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<header><h1>Release dossier: {title}</h1><p>Generated {generated} from the "
        "records of the release; it asks no registry.</p></header>\n"
        f'<nav aria-label="Sections"><ul>{nav}</ul></nav>\n<main>\n{sections}\n</main>\n'
        "</body>\n</html>\n"
    )
