"""The release dossier: one page of everything releasegate recorded about a release.

Built only from records other commands wrote (the JSON reports, ``SHA256SUMS``,
``BUILDINFO.json``, Sigstore bundles and PEP 740 attestations, the CycloneDX SBOM, the publish
ledger and audit log, a ``verify-mirrors`` report); it asks no registry and runs nothing.
records.py reads each record (a missing or unreadable one becomes a line that says so),
signatures.py the identity each bundle's certificate states, components.py the SBOM,
gather.py assembles the dossier's data (``schema.json`` documents it), timeline.py draws the
publish timeline as SVG and page.py writes the self-contained HTML page.
"""

from __future__ import annotations

FORMAT = 1
"""The version of the dossier's JSON form (``schema.json``)."""
