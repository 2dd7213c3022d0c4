"""What makes a hash well-formed: a strong algorithm and a hex digest of its length."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from releasegate._internal.findings import quoted

if TYPE_CHECKING:
    from releasegate._internal.lockfiles.model import Hash

# pip accepts only these three for --hash; PEP 751 asks for hashlib names and the
# same strong ones are what every tool writes.
DIGEST_LENGTHS: dict[str, int] = {"sha256": 64, "sha384": 96, "sha512": 128}
_HEX = re.compile(r"[0-9a-f]+\Z")


def hash_problem(value: Hash) -> str | None:
    """Why ``value`` is not a usable hash, or None when it is."""
    expected = DIGEST_LENGTHS.get(value.algorithm)
    if expected is None:
        strong = ", ".join(DIGEST_LENGTHS)
        return f"hash algorithm {quoted(value.algorithm)} is not one of {strong}"
    if len(value.digest) != expected:
        return f"{value.algorithm} digest has {len(value.digest)} characters, expected {expected}"
    if not _HEX.match(value.digest):
        return f"{value.algorithm} digest is not lower-case hexadecimal"
    return None


def all_well_formed(values: tuple[Hash, ...]) -> bool:
    """The fast yes of ``hash_problem`` for each of an entry's hashes (one regex match for all:
    it runs once per entry of every lockfile)."""
    for algorithm, digest in values:
        if DIGEST_LENGTHS.get(algorithm) != len(digest):
            return False
    return bool(_HEX.match("".join([digest for _, digest in values])))
