"""URLs in findings never show credentials (``https://user:token@host`` -> ``https://***@host``)."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")


def redact(text: str) -> str:
    return _USERINFO.sub(r"\g<scheme>***@", text)
