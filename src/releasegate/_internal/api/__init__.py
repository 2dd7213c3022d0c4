"""API-aware SemVer: what changed in the public API and metadata, and the bump it needs.

The modules here are pure logic plus git and griffe reads; ``checks/api.py`` turns an
``assess.Assessment`` into findings and ``cli/version.py`` into a proposed version.
griffe is imported only inside the functions that load code, never at module top.
"""
