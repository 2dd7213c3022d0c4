"""``[tool.releasegate.reproducible]``: how the reproducible gate, ``build --verify`` and
``rebuild`` build; defaults live only in ``schema/sections/reproducible.json``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from releasegate._internal.builder.pep517 import Installer
    from releasegate._internal.builder.reproducibility import VerifyOptions


@dataclass(frozen=True)
class ReproducibleSettings:
    """``[tool.releasegate.reproducible]``; defaults only in ``schema/sections/reproducible.json``."""

    SECTION: ClassVar[str] = "reproducible"
    isolation: bool
    installer: Installer
    source_date_epoch: str | int
    vary: tuple[str, ...]
    from_sdist: bool

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> ReproducibleSettings:
        return cls(
            isolation=bool(section["isolation"]),
            installer=section["installer"],
            source_date_epoch=section["source-date-epoch"],
            vary=tuple(section["vary"]),
            from_sdist=bool(section["from-sdist"]),
        )

    def options(
        self,
        *,
        isolated: bool | None = None,
        outdir: Path | None = None,
        keep: Path | None = None,
    ) -> VerifyOptions:
        from releasegate._internal.builder.reproducibility import VerifyOptions

        epoch = self.source_date_epoch
        return VerifyOptions(
            isolated=self.isolation if isolated is None else isolated,
            installer=self.installer,
            source_date_epoch=epoch if isinstance(epoch, int) else None,
            set_epoch=epoch != "unset",
            vary=frozenset(self.vary),
            from_sdist=self.from_sdist,
            outdir=outdir,
            keep=keep,
        )
