from __future__ import annotations

from releasegate._internal.cli import entry

raise SystemExit(entry())
