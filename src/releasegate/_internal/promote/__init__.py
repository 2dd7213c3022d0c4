"""Promotion of a tested pre-release to its final version without rebuilding it.

``versions`` picks the target version, ``payload`` proves the content unchanged, ``embedded``
finds (or, when listed, rewrites) the old version inside the payload, ``wheel`` and ``sdist``
write the promoted archives, ``record`` describes what was done, ``run`` ties them together
and ``lineage`` lets ``releasegate verify`` check a promoted artifact against its source.
"""
