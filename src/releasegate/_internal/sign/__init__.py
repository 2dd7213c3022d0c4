"""Sigstore signing and offline verification, PEP 740 attestations, and the CycloneDX SBOM.

Every module here imports sigstore, pypi-attestations and cyclonedx lazily, inside
functions, so that importing the package costs nothing on a hook's start-up path.
"""

from __future__ import annotations
