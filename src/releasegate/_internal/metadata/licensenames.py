"""License names as metadata states them, read as SPDX identifiers.

A ``License`` field (or an invalid ``License-Expression``) often holds the license's full
name from the SPDX list, in any case: ``MIT License``, ``Apache License 2.0``, ``MIT
license``; or the whole license text headed by that name (rich-click's ``MIT License``
followed by the MIT text). The SPDX list's names come from the copy reuse ships, a
dependency already; without it only the common aliases are known.
"""

from __future__ import annotations

import functools
import json

# Common ways of naming one license that are not the SPDX list's names.
_ALIASES = {
    "mit license": "MIT",
    "the mit license": "MIT",
    "the mit license (mit)": "MIT",
    "mit/x11": "MIT",
    "apache 2.0": "Apache-2.0",
    "apache 2": "Apache-2.0",
    "apache-2": "Apache-2.0",
    "apache license 2.0": "Apache-2.0",
    "apache license, version 2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "apache software license 2.0": "Apache-2.0",
    "bsd 3-clause": "BSD-3-Clause",
    "bsd-3": "BSD-3-Clause",
    "3-clause bsd": "BSD-3-Clause",
    "new bsd": "BSD-3-Clause",
    "new bsd license": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause",  # protobuf
    "bsd 3-clause license": "BSD-3-Clause",
    "modified bsd license": "BSD-3-Clause",
    "bsd 2-clause": "BSD-2-Clause",
    "bsd 2-clause license": "BSD-2-Clause",
    "2-clause bsd license": "BSD-2-Clause",
    "simplified bsd license": "BSD-2-Clause",
    "apache license version 2.0": "Apache-2.0",
    "mpl 2.0": "MPL-2.0",
    "psf": "PSF-2.0",
    "psf license": "PSF-2.0",
    "isc license": "ISC",
}
# A heading longer than this is not a license's name.
_NAME_LIMIT = 100


def spdx_of_name(text: str) -> str | None:
    """The SPDX identifier ``text`` names (an alias or the SPDX list's full name, any case)."""
    key = " ".join(text.split()).lower()
    if not key or len(key) > _NAME_LIMIT:
        return None
    return _ALIASES.get(key) or _full_names().get(key)


def spdx_of_heading(text: str) -> str | None:
    """The SPDX identifier named by the first line of a whole license text, if it names one."""
    lines = [line.strip() for line in text.strip().splitlines()]
    if len(lines) < 2:
        return None
    return spdx_of_name(lines[0])


@functools.cache
def _full_names() -> dict[str, str]:
    """The SPDX list's full names (lower case) -> identifier; deprecated ids left out."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("reuse")
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return {}
    try:
        data = json.loads((Path(next(iter(folders))) / "resources" / "licenses.json").read_text())
        return {
            " ".join(entry["name"].split()).lower(): entry["licenseId"]
            for entry in data["licenses"]
            if not entry.get("isDeprecatedLicenseId")
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # a reuse without its copy of the list: the aliases still count
