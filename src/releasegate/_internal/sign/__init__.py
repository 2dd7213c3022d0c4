"""Sigstore signing and offline verification, and PEP 740 attestations.

Every module here imports sigstore and pypi-attestations lazily, inside
functions, so that importing the package costs nothing on a hook's start-up path.
"""

from __future__ import annotations
