"""The ledger: each file's state per registry, rewritten atomically after every change.

``--resume`` trusts it only for files it marks verified with the same sha256 on the
same registry: the name in the configuration and its identity (kind and URLs), so a
registry whose URL changed is planned again;
everything else is planned again from what the registry serves, so a lost or
stale ledger costs time, never correctness.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from releasegate._internal.publish.outcome import FileOutcome
    from releasegate._internal.publish.settings import RegistrySpec

FORMAT = 1


def identity(spec: RegistrySpec) -> str:
    """What a registry is, beyond the name it has in the configuration."""
    return " ".join(part for part in (spec.kind.value, spec.url, spec.index_url) if part)


class Ledger:
    def __init__(self, path: Path, data: dict[str, Any] | None = None) -> None:
        self.path = path
        self._data: dict[str, Any] = data or {"format": FORMAT, "registries": {}}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path) -> tuple[Ledger, str | None]:
        """The ledger at ``path`` and a warning when it was unreadable (then it starts empty)."""
        if not path.is_file():
            return cls(path), None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            return cls(path), f"{path}: unreadable ledger ignored ({type(exc).__name__})"
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or not isinstance(data.get("registries"), dict)
        ):
            return cls(path), f"{path}: not a releasegate ledger (format {FORMAT}); ignored"
        return cls(path, data), None

    def verified(self, spec: RegistrySpec, filename: str, sha256: str) -> bool:
        entry = self._data["registries"].get(spec.name, {}).get(filename)
        return (
            isinstance(entry, dict)
            and entry.get("sha256") == sha256
            and entry.get("verified") is True
            and entry.get("registry") == identity(spec)
        )

    def published(self, filename: str) -> set[str]:
        """The sha256 of every verified upload of ``filename`` the ledger holds, any registry:
        what a rollback expects to download again."""
        found = set()
        for files in self._data["registries"].values():
            entry = files.get(filename) if isinstance(files, dict) else None
            if isinstance(entry, dict) and entry.get("verified") is True:
                sha = entry.get("sha256")
                if isinstance(sha, str):
                    found.add(sha)
        return found

    def record(self, spec: RegistrySpec, outcome: FileOutcome) -> None:
        entry = {
            **asdict(outcome),
            "state": outcome.state.value,
            "registry": identity(spec),
            "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        with self._lock:
            self._data["registries"].setdefault(spec.name, {})[outcome.filename] = entry
            self._write()

    def _write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=self.path.parent, prefix=".ledger-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(self._data, stream, indent=2, sort_keys=True)
        Path(name).replace(self.path)
