"""Keep secrets out of every message that leaves the process.

Secrets reach releasegate only through environment variables named in the
configuration. Their values, and the forms an HTTP stack derives from them
(Basic auth, percent-encoding), are replaced before any text is printed, written
to the ledger or the audit log, or put in a report. Exception texts from HTTP
libraries may quote headers or URLs, so every error is scrubbed, not just ours.
"""

from __future__ import annotations

import base64
import re
import threading
from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

MASK = "***"
SHORT = 6
"""Secrets shorter than this are masked where they stand alone, not inside other words."""
# userinfo in URLs (https://user:pass@host) never leaves either.
_SECRET_NAME = re.compile(r"TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|CREDENTIAL", re.IGNORECASE)
_USERINFO = re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+@")


class Scrubber:
    """Replaces every registered secret (and its derived forms) with ``***``."""

    def __init__(self) -> None:
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add(self, secret: str | None, username: str | None = None) -> None:
        if not secret:
            return
        forms = {secret, quote(secret, safe=""), base64.b64encode(secret.encode()).decode()}
        if username is not None:
            pair = f"{username}:{secret}".encode()
            forms.add(base64.b64encode(pair).decode())
        with self._lock:
            self._secrets.update(form for form in forms if form)

    def text(self, message: object) -> str:
        result = _USERINFO.sub(MASK + "@", str(message))
        with self._lock:
            secrets = sorted(self._secrets, key=len, reverse=True)
        for secret in secrets:
            if len(secret) >= SHORT:
                result = result.replace(secret, MASK)
            else:
                # A short secret hidden inside every word would erase every "1" of a
                # message; as a token of its own it is still hidden.
                pattern = rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])"
                result = re.sub(pattern, MASK, result)
        return result

    @classmethod
    def for_env(cls, env: Mapping[str, str], names: Iterable[str | None] = ()) -> Scrubber:
        """Seeded with the named variables' values and any that look like secrets by name."""
        scrubber = cls()
        for name in names:
            if name:
                scrubber.add(env.get(name))
        for name, value in env.items():
            if _SECRET_NAME.search(name) and len(value) >= 6:
                scrubber.add(value)
        return scrubber
