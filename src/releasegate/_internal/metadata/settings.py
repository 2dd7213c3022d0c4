"""``[tool.releasegate.metadata]`` as typed settings; defaults live only in the schema.

The license gate's settings, which the SBOM shares, are in ``licensepolicy.py`` with its
verdict rules: the metadata hook does not pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class MetadataSettings:
    """``[tool.releasegate.metadata]``; defaults live only in ``schema/sections/metadata.json``."""

    SECTION: ClassVar[str] = "metadata"
    required: tuple[str, ...]
    render_readme: bool

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> MetadataSettings:
        return cls(tuple(section["required"]), bool(section["render-readme"]))
