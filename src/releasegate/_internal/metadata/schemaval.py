"""A JSON Schema (draft-07 subset) validator that reports every error, not the first.

validate-pyproject compiles its schemas with fastjsonschema, which stops at the first
error and costs ~100 ms to import with its format plug-ins. The schemas themselves
are plain data; this walks them directly and collects every problem, so one run
shows them all. It knows the keywords those schemas use: type, properties,
patternProperties, additionalProperties, propertyNames, items, required, enum,
const, contains, not, if/then/else, allOf, anyOf, oneOf, local ``$ref``, pattern,
minLength, minItems, uniqueItems and format (through the checkers given to it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

Path = tuple[str | int, ...]

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "an array",
    "object": "a table",
    "null": "null",
}


@dataclass(frozen=True)
class SchemaError:
    path: Path
    message: str


def is_type(value: object, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(name, (object,)))


def type_name(value: object) -> str:
    for name in ("boolean", "integer", "number", "string", "array", "object"):
        if is_type(value, name):
            return _NAMES[name]
    return type(value).__name__


@dataclass
class Validator:
    root: Mapping[str, Any]
    formats: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)
    """Format checkers: None when the string is fine, else what is wrong with it."""

    def errors(self, value: Any, schema: Mapping[str, Any], path: Path = ()) -> list[SchemaError]:
        """Every error of ``value`` against ``schema``; type errors stop descent into that value."""
        if "$ref" in schema:
            return self.errors(value, self._resolve(schema["$ref"]), path)
        expected = schema.get("type")
        if expected is not None:
            names = expected if isinstance(expected, list) else [expected]
            if not any(is_type(value, n) for n in names):
                wanted = " or ".join(_NAMES.get(str(n), str(n)) for n in names)
                return [SchemaError(path, f"must be {wanted}, not {type_name(value)}")]
        found: list[SchemaError] = []
        for check in (self._value, self._combinators, self._conditional):
            found.extend(check(value, schema, path))
        if isinstance(value, str):
            found.extend(self._string(value, schema, path))
        elif isinstance(value, list):
            found.extend(self._array(value, schema, path))
        elif isinstance(value, dict):
            found.extend(self._object(value, schema, path))
        return found

    def valid(self, value: Any, schema: Mapping[str, Any]) -> bool:
        return not self.errors(value, schema)

    def _resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith("#/"):
            return {}  # remote references are not followed: nothing to check against
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node.get(part, {}) if isinstance(node, dict) else {}
        return node if isinstance(node, dict) else {}

    def _value(self, value: Any, schema: Mapping[str, Any], path: Path) -> list[SchemaError]:
        if "const" in schema and value != schema["const"]:
            return [SchemaError(path, f"must be {schema['const']!r}")]
        if "enum" in schema and value not in schema["enum"]:
            choices = ", ".join(repr(c) for c in schema["enum"])
            return [SchemaError(path, f"{_short(value)} is not one of {choices}")]
        return []

    def _combinators(self, value: Any, schema: Mapping[str, Any], path: Path) -> list[SchemaError]:
        found: list[SchemaError] = []
        for sub in schema.get("allOf", []):
            found.extend(self.errors(value, sub, path))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                found.extend(
                    self._alternatives(value, schema[key], path, exactly_one=key == "oneOf")
                )
        if "not" in schema and self.valid(value, schema["not"]):
            found.append(SchemaError(path, f"{_short(value)} is not allowed here"))
        return found

    def _alternatives(
        self, value: Any, options: list[Mapping[str, Any]], path: Path, *, exactly_one: bool
    ) -> list[SchemaError]:
        results = [self.errors(value, option, path) for option in options]
        passing = sum(1 for r in results if not r)
        if passing == 1 or (passing > 1 and not exactly_one):
            return []
        if passing > 1:
            return [SchemaError(path, "matches more than one of the allowed forms")]
        # Report the errors of the form whose type fits, so the message says what is wrong inside.
        fitting = [r for r, o in zip(results, options, strict=False) if _type_fits(value, o)]
        if len(fitting) == 1:
            return fitting[0]
        if all("type" not in o and "required" in o for o in options):
            keys = " or ".join(repr(k) for o in options for k in o["required"])
            return [SchemaError(path, f"needs {keys}")]
        forms = " or ".join(dict.fromkeys(_describe_form(o) for o in options))
        return [SchemaError(path, f"must be {forms}, not {type_name(value)} {_short(value)}")]

    def _conditional(self, value: Any, schema: Mapping[str, Any], path: Path) -> list[SchemaError]:
        if "if" not in schema:
            return []
        branch = "then" if self.valid(value, schema["if"]) else "else"
        return self.errors(value, schema[branch], path) if branch in schema else []

    def _string(self, value: str, schema: Mapping[str, Any], path: Path) -> list[SchemaError]:
        found = []
        if "minLength" in schema and len(value) < schema["minLength"]:
            found.append(
                SchemaError(
                    path,
                    "must not be empty"
                    if schema["minLength"] == 1
                    else f"must have at least {schema['minLength']} characters",
                )
            )
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(SchemaError(path, f"{_short(value)} does not match {schema['pattern']!r}"))
        checker = self.formats.get(schema.get("format", ""))
        problem = checker(value) if checker is not None else None
        if problem is not None:
            found.append(SchemaError(path, problem))
        return found

    def _array(self, value: list[Any], schema: Mapping[str, Any], path: Path) -> list[SchemaError]:
        found = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            found.append(SchemaError(path, f"needs at least {schema['minItems']} item(s)"))
        if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            found.append(SchemaError(path, "has duplicate items"))
        items = schema.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(value):
                found.extend(self.errors(item, items, (*path, index)))
        if "contains" in schema and not any(self.valid(v, schema["contains"]) for v in value):
            found.append(SchemaError(path, "has no item of the required kind"))
        return found

    def _object(
        self, value: dict[str, Any], schema: Mapping[str, Any], path: Path
    ) -> list[SchemaError]:
        found = [
            SchemaError(path, f"missing required key {name!r}")
            for name in schema.get("required", [])
            if name not in value
        ]
        properties: Mapping[str, Any] = schema.get("properties", {})
        patterns: Mapping[str, Any] = schema.get("patternProperties", {})
        names = schema.get("propertyNames")
        for key, item in value.items():
            if names is not None:
                found.extend(
                    SchemaError((*path, key), f"key {key!r}: {e.message}")
                    for e in self.errors(key, names, path)
                )
            matched = [sub for pattern, sub in patterns.items() if re.search(pattern, key)]
            if key in properties:
                matched.append(properties[key])
            for sub in matched:
                found.extend(self.errors(item, sub, (*path, key)))
            if not matched:
                found.extend(self._additional(key, item, schema, path))
        return found

    def _additional(
        self, key: str, item: Any, schema: Mapping[str, Any], path: Path
    ) -> list[SchemaError]:
        extra = schema.get("additionalProperties", True)
        if extra is False:
            return [SchemaError((*path, key), f"unknown key {key!r}")]
        if isinstance(extra, dict):
            return self.errors(item, extra, (*path, key))
        return []


def _type_fits(value: Any, option: Mapping[str, Any]) -> bool:
    expected = option.get("type")
    if expected is None:
        return False
    names = expected if isinstance(expected, list) else [expected]
    return any(is_type(value, n) for n in names)


def _describe_form(option: Mapping[str, Any]) -> str:
    expected = option.get("type")
    base = _NAMES.get(expected, "a value") if isinstance(expected, str) else "a value"
    required = option.get("required")
    return f"{base} with {' and '.join(repr(r) for r in required)}" if required else base


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
