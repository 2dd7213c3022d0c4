"""The one shape every metadata rule returns before it becomes a Finding."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    key: tuple[str | int, ...] = ()
    """Key path from the top of pyproject.toml (e.g. ``("project", "license")``), for the line."""
    hint: str | None = None

    def to_json(self) -> list[object]:
        return [self.rule, self.message, list(self.key), self.hint]

    @classmethod
    def from_json(cls, item: list[object]) -> Problem:
        rule, message, key, hint = item
        parts = tuple(p for p in key if isinstance(p, (str, int))) if isinstance(key, list) else ()
        return cls(str(rule), str(message), parts, hint if isinstance(hint, str) else None)
