"""``[tool.releasegate.promote]``; defaults live only in ``schema/sections/promote.json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping


@dataclass(frozen=True)
class PromoteSettings:
    SECTION: ClassVar[str] = "promote"
    rewrite: tuple[str, ...]
    keep: tuple[str, ...]

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> PromoteSettings:
        return cls(rewrite=tuple(section["rewrite"]), keep=tuple(section["keep"]))
