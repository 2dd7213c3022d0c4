"""The CycloneDX SBOM of a project and everything its lockfile pins.

``pins`` reads the lockfile model into what the SBOM needs, ``cyclonedx`` builds the
document, ``run`` is what ``releasegate sbom`` does with a project. cyclonedx is
imported lazily, inside functions, so that nothing here slows a hook's start-up.
"""

from __future__ import annotations
