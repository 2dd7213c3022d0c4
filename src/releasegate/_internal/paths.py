"""Paths named by the repository's own configuration stay inside the repository.

The checkout is untrusted input (a pull request from a stranger, a release job holding
tokens): a configured ``output = "../.bashrc"`` or ``"/etc/x"``, or a committed symlink
that leads out, must not make releasegate read or write outside the project. Paths given
on the command line or by the job's environment are the user's own and are not checked here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from releasegate._internal.errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path


def inside(root: Path, configured: str, key: str) -> Path:
    """``root / configured`` with every link followed; ConfigError when it leaves ``root``.

    ``key`` names the setting in the message (e.g. ``[tool.releasegate.sbom] output``). The
    path need not exist yet: links are followed as far as they exist, a dangling one included.
    """
    base = root.resolve()
    target = (base / configured).resolve()
    if target == base or not target.is_relative_to(base):
        where = "the project root itself" if target == base else "outside the project"
        raise ConfigError(
            [f"{key} = {configured!r} resolves to {where} ({target})"],
            hint="configured paths stay inside the repository; to use another place, "
            "give it on the command line",
        )
    return target
