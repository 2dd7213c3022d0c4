"""The explicit registry of gates.

Adding a gate is one module in this package (see ``base.Gate``) plus one line here.
Gates are imported only when they run, so a hook that runs one gate pays for one.
"""

from __future__ import annotations

from typing import NamedTuple


class GateEntry(NamedTuple):
    module: str
    default: bool
    """Whether ``releasegate check`` without names runs it."""
    description: str


# One line per gate, as the module docstring promises.
# fmt: off
GATES: dict[str, GateEntry] = {
    "semver": GateEntry("releasegate._internal.checks.semver", True, "version valid, faithful, consistent, monotonic"),
    "api": GateEntry("releasegate._internal.checks.api", True, "bump covers public API and metadata changes"),
    "lockfile": GateEntry("releasegate._internal.checks.lockfile", True, "exact pins, hashes, indexes, sync"),
    "metadata": GateEntry("releasegate._internal.checks.metadata", True, "[project] valid and complete, PEP 639 license rules, readme renders"),  # noqa: E501
    "license": GateEntry("releasegate._internal.checks.license", True, "REUSE, shipped files covered by the declared license, dependency license policy"),  # noqa: E501
    "manifest": GateEntry("releasegate._internal.checks.manifest", False, "built sdist and wheel: strict METADATA, License-File, completeness against git"),  # noqa: E501
    "vulns": GateEntry("releasegate._internal.checks.vulns", False, "known advisories (OSV) against locked dependencies; fails closed"),  # noqa: E501
    "reproducible": GateEntry("releasegate._internal.checks.reproducible", False, "sdist and wheel build bit for bit the same twice"),  # noqa: E501
}
# fmt: on
BUILD_GATES = frozenset({"manifest", "reproducible"})
"""Gates that build the project, so run its backend (the checkout's code): only when the job
names them (command line, library call) or trusts the commit, never because the checkout's own
``checks`` lists them (``artifacts.ensure_trusted``)."""
