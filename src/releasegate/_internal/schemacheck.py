"""A small JSON Schema validator for the subset the config schema uses.

The real ``jsonschema`` package costs ~70 ms to import, half the start-up budget of
a pre-commit hook. The config schema sticks to: type, properties,
additionalProperties, items, enum, pattern, minimum, maximum, minItems, required,
oneOf/anyOf of those, description and default. The tests check that this validator
and ``jsonschema`` agree on the shipped schema.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


@dataclass(frozen=True)
class Problem:
    path: tuple[str | int, ...]
    message: str


def _type_name(value: object) -> str:
    for name, kinds in _TYPES.items():
        if isinstance(value, kinds) and not (
            name in ("integer", "number") and isinstance(value, bool)
        ):
            return name
    return type(value).__name__


def _is_type(value: object, expected: str) -> bool:
    if expected in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[expected])


def validate(value: Any, schema: dict[str, Any], path: tuple[str | int, ...] = ()) -> list[Problem]:
    """Every problem of ``value`` against ``schema``, in document order."""
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            options = schema[combinator]
            results = [validate(value, option, path) for option in options]
            if not any(not problems for problems in results):
                kinds = " or ".join(o.get("description", o.get("type", "value")) for o in options)
                return [Problem(path, f"expected {kinds}, got {_describe(value)}")]
            return []
    expected = schema.get("type")
    if expected is not None:
        names = expected if isinstance(expected, list) else [expected]
        if not any(_is_type(value, name) for name in names):
            return [Problem(path, f"expected {' or '.join(names)}, got {_describe(value)}")]
    if "enum" in schema and value not in schema["enum"]:
        choices = ", ".join(repr(choice) for choice in schema["enum"])
        return [Problem(path, f"expected one of {choices}, got {_shown(value)}")]
    problems = _validate_scalar(value, schema, path)
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            problems.append(Problem(path, f"needs at least {schema['minItems']} item(s)"))
        if "items" in schema:
            for index, item in enumerate(value):
                problems.extend(validate(item, schema["items"], (*path, index)))
    if isinstance(value, dict):
        problems.extend(_validate_object(value, schema, path))
    return problems


def _validate_scalar(
    value: Any, schema: dict[str, Any], path: tuple[str | int, ...]
) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(value, str) and "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(Problem(path, f"{_shown(value)} does not match {schema['pattern']!r}"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(Problem(path, f"must be at least {schema['minimum']}, got {value}"))
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(Problem(path, f"must be at most {schema['maximum']}, got {value}"))
    return problems


def _validate_object(
    value: dict[str, Any], schema: dict[str, Any], path: tuple[str | int, ...]
) -> list[Problem]:
    problems: list[Problem] = []
    properties: dict[str, Any] = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            problems.append(Problem(path, f"missing required key {name!r}"))
    extra = schema.get("additionalProperties", True)
    for key, item in value.items():
        if key in properties:
            problems.extend(validate(item, properties[key], (*path, key)))
        elif extra is False:
            close = difflib.get_close_matches(key, list(properties), n=1)
            suggestion = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem((*path, key), f"unknown key {key!r}{suggestion}"))
        elif isinstance(extra, dict):
            problems.extend(validate(item, extra, (*path, key)))
    return problems


_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@")


def _shown(value: object) -> str:
    """``repr`` of a rejected value, with URL credentials blanked: config errors get printed."""
    return _USERINFO.sub(r"\g<scheme>***@", repr(value))


def _describe(value: object) -> str:
    text = _shown(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{_type_name(value)} {text}"


def apply_defaults(value: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``value`` with the schema's defaults filled in for absent keys."""
    result = dict(value)
    for key, subschema in schema.get("properties", {}).items():
        if key not in result and "default" in subschema:
            result[key] = subschema["default"]
        elif isinstance(result.get(key), dict) and subschema.get("type") == "object":
            result[key] = apply_defaults(result[key], subschema)
        elif key not in result and subschema.get("type") == "object" and "properties" in subschema:
            result[key] = apply_defaults({}, subschema)
    return result
