"""Configuration: ``[tool.releasegate]`` in pyproject.toml, or a ``releasegate.toml``.

Every key has a default so that a repository with no configuration at all gets the
useful checks. Every problem in the configuration is reported at once, each with
the file and line it is on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from releasegate._internal.errors import ConfigError
from releasegate._internal.schema import config_schema
from releasegate._internal.schemacheck import apply_defaults, path_part, validate
from releasegate._internal.tomldoc import TomlDocument, read_toml

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from typing_extensions import Self

CONFIG_FILE = "releasegate.toml"
PYPROJECT = "pyproject.toml"


class SectionSettings(Protocol):
    """Typed settings of one section, built from its table with the schema's defaults filled in.

    The schema is the only source of defaults, so ``from_config`` reads every key with
    ``section[key]`` and the classes carry no default values of their own.
    """

    SECTION: ClassVar[str]

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Self: ...


S = TypeVar("S", bound=SectionSettings)


@dataclass(frozen=True)
class Config:
    """The validated configuration with defaults filled in."""

    data: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    """Where it came from, e.g. ``pyproject.toml [tool.releasegate]``; None for defaults only."""
    document: TomlDocument | None = field(default=None, repr=False, compare=False)
    """The TOML document it was read from; None for defaults only."""
    table: tuple[str, ...] = ()
    """The keys of the releasegate table in ``document``: ``("tool", "releasegate")`` in a
    pyproject.toml, none in a releasegate.toml."""
    _settings: dict[type, object] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def section(self, name: str) -> Mapping[str, Any]:
        """The table of one gate, e.g. ``[tool.releasegate.semver]``, defaults filled in."""
        value = self.data.get(name, {})
        return value if isinstance(value, dict) else {}

    def value(self, name: str) -> Any:
        return self.data.get(name)

    def line(self, *keys: str | int) -> int | None:
        """The line in ``document`` of ``keys`` below the releasegate table (or of their
        nearest ancestor); None for defaults only."""
        return None if self.document is None else self.document.line(*self.table, *keys)

    def settings(self, kind: type[S]) -> S:
        """The typed settings of ``kind``'s section, built on first use and then shared.

        Built lazily so that a one-gate hook pays only for its gate; the caller imports
        ``kind``, so this module imports none of the gates.
        """
        built = self._settings.get(kind)
        if not isinstance(built, kind):
            built = self._settings[kind] = kind.from_config(self.section(kind.SECTION))
        return built


def _table_prefix(document: TomlDocument) -> tuple[str, ...]:
    return ("tool", "releasegate") if document.path.name == PYPROJECT else ()


def from_document(document: TomlDocument, display: str) -> Config:
    """Validate the releasegate table of ``document``; raise ConfigError listing every problem."""
    prefix = _table_prefix(document)
    raw = document.get(*prefix) if prefix else document.data
    if raw is None:
        return Config(apply_defaults({}, config_schema()), None)
    where = f"{display} [{'.'.join(prefix)}]" if prefix else display
    if not isinstance(raw, dict):
        raise ConfigError(
            [f"{display}:{document.line(*prefix)}: {'.'.join(prefix)} must be a table"]
        )
    schema = config_schema()
    problems = validate(raw, schema)
    if problems:
        lines = []
        for problem in problems:
            line = document.line(*prefix, *problem.path)
            location = f"{display}:{line}" if line else display
            dotted = ".".join(map(path_part, (*prefix, *problem.path)))
            lines.append(f"{location}: {dotted}: {problem.message}")
        raise ConfigError(lines, hint="the configuration schema: `releasegate config-schema`")
    return Config(apply_defaults(raw, schema), where, document, prefix)


def load(root: Path, explicit: Path | None = None, pyproject: TomlDocument | None = None) -> Config:
    """Find and validate the configuration of the project at ``root``.

    ``--config`` wins; then ``releasegate.toml``; then ``[tool.releasegate]`` of the
    already parsed ``pyproject`` (read once per run, shared with the gates).
    """
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError([f"{explicit}: config file not found"])
        return from_document(read_toml(explicit, str(explicit)), str(explicit))
    standalone = root / CONFIG_FILE
    if standalone.is_file():
        return from_document(read_toml(standalone, CONFIG_FILE, root=root), CONFIG_FILE)
    if pyproject is not None:
        return from_document(pyproject, PYPROJECT)
    return Config(apply_defaults({}, config_schema()), None)
