"""URLs in findings never show credentials (``https://user:token@host`` -> ``https://***@host``)."""

from __future__ import annotations

import re

# The look-behind makes a scheme start only where a word starts: without it, a long run of
# scheme characters with no "://" was rescanned from every position (quadratic: a 100,000
# character value took 24 s).
_USERINFO = re.compile(r"(?<![A-Za-z0-9+.-])(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")


def redact(text: str) -> str:
    return _USERINFO.sub(r"\g<scheme>***@", text)
