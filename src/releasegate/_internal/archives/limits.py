"""How much of an archive the reader accepts and keeps, and the compression-ratio rule."""

from __future__ import annotations

from dataclasses import dataclass, replace

from releasegate._internal.archives.model import Problem

_MiB = 1 << 20
_RATIO_FLOOR = 4 * _MiB
"""Below this many uncompressed bytes a high ratio is harmless (a file of zeros)."""
HEAD_BYTES = 16 * 1024
"""Every regular file keeps this much of its start (license headers), whatever its size."""


@dataclass(frozen=True)
class Limits:
    """The stricter of the two former readers' limits, on every axis."""

    max_total: int = 512 * _MiB
    """Uncompressed bytes, all members (and tar headers) together."""
    max_members: int = 20_000
    max_ratio: int = 200
    """Uncompressed / compressed size, per archive and (zip) per member."""
    keep_content: int = 2 * _MiB
    """Regular files up to this size keep their bytes; larger ones keep their head only."""
    max_kept: int = 32 * _MiB
    """Bytes kept for all regular files together; files past it keep their head only.

    Without it the member cap was no memory cap: 250 members of 2 MiB of zeros beside 3 MB
    of random padding (so the ratio check passes) made ``check manifest`` hold 553 MB.
    """

    max_kept_metadata: int = 8 * _MiB
    """Bytes kept for the metadata files (``*.dist-info/METADATA``, ``PKG-INFO``, ...) apart
    from ``max_kept``: a wheel of 32 MiB and more (transformers, gradio) lists its dist-info
    last, and its dependency metadata must still be read (issue 26)."""

    def keeping_everything(self) -> Limits:
        """These limits with every regular file's bytes kept (up to ``max_total``)."""
        return replace(self, keep_content=self.max_total, max_kept=self.max_total)


def is_metadata(name: str) -> bool:
    """A dist's core metadata file: ``<x>.dist-info/METADATA|WHEEL|RECORD``, ``[<top>/]PKG-INFO``."""
    parts = name.split("/")
    if len(parts) == 2 and parts[0].endswith(".dist-info"):
        return parts[1] in ("METADATA", "WHEEL", "RECORD")
    return len(parts) <= 2 and parts[-1] == "PKG-INFO"


def ratio_problem(
    uncompressed: int, compressed: int, max_ratio: int, where: str = ""
) -> Problem | None:
    if uncompressed > _RATIO_FLOOR and uncompressed > max_ratio * max(compressed, 1):
        return Problem(
            "compression-ratio", f"{where}compression ratio above {max_ratio}:1 (a zip bomb?)"
        )
    return None
