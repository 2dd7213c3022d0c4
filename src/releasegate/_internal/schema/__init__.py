"""The JSON Schema of releasegate's configuration, shipped as data.

``base.json`` holds the global keys; each file in ``sections/`` is the schema of one
top-level section (``semver.json`` for ``[tool.releasegate.semver]``), so that a gate
adds its configuration by adding one file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent


@cache
def config_schema() -> dict[str, Any]:
    """The whole configuration schema (JSON Schema draft 2020-12)."""
    schema: dict[str, Any] = json.loads((_HERE / "base.json").read_text(encoding="utf-8"))
    properties = schema.setdefault("properties", {})
    for section in sorted((_HERE / "sections").glob("*.json")):
        properties[section.stem] = json.loads(section.read_text(encoding="utf-8"))
    return schema
