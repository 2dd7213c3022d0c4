"""The one JSON Schema validator: every problem at once, each with its path.

It validates releasegate's own configuration (``schema/``) and ``[project]`` against
the schemas validate-pyproject ships (``metadata/projectschema.py``). The real
``jsonschema`` costs ~70 ms to import and fastjsonschema (validate-pyproject's) ~100 ms
and stops at the first error: half a hook's start-up budget, and one error per run.
The schemas are plain data, so this walks them directly. It knows the keywords those
schemas use: type, properties, patternProperties, additionalProperties,
propertyNames, items, required, enum, const, contains, not, if/then/else, allOf,
anyOf, oneOf, local ``$ref``, pattern, minLength, maxLength, minItems, maxItems, uniqueItems,
minimum, maximum and format (through the checkers given to it). The tests check that it
agrees with ``jsonschema`` and with validate-pyproject on what is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from releasegate._internal.findings import quoted

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


class SchemaProblem(NamedTuple):
    path: Path
    """Keys and indexes from the validated value's root to the offending value."""
    message: str


def is_type(value: object, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(name, (object,)))


def type_name(value: object) -> str:
    for name in ("boolean", "integer", "number", "string", "array", "object", "null"):
        if is_type(value, name):
            return name
    return type(value).__name__


def validate(
    value: Any,
    schema: Mapping[str, Any],
    formats: Mapping[str, Callable[[str], str | None]] | None = None,
) -> list[SchemaProblem]:
    """Every problem of ``value`` against ``schema`` (the root for ``$ref``), in document order."""
    return Validator(schema, formats or {}).errors(value, schema)


@dataclass
class Validator:
    root: Mapping[str, Any]
    formats: Mapping[str, Callable[[str], str | None]] = field(default_factory=dict)
    """Format checkers: None when the string is fine, else what is wrong with it."""

    def errors(self, value: Any, schema: Mapping[str, Any], path: Path = ()) -> list[SchemaProblem]:
        """Every problem of ``value`` against ``schema``; a wrong type stops descent into it."""
        if "$ref" in schema:
            return self.errors(value, self._resolve(schema["$ref"]), path)
        expected = schema.get("type")
        if expected is not None:
            names = expected if isinstance(expected, list) else [expected]
            if not any(is_type(value, n) for n in names):
                return [
                    SchemaProblem(path, f"expected {' or '.join(names)}, got {_described(value)}")
                ]
        found: list[SchemaProblem] = []
        for check in (self._value, self._combinators, self._conditional):
            found.extend(check(value, schema, path))
        if isinstance(value, str):
            found.extend(self._string(value, schema, path))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            found.extend(_number(value, schema, path))
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

    def _value(self, value: Any, schema: Mapping[str, Any], path: Path) -> list[SchemaProblem]:
        if "const" in schema and value != schema["const"]:
            return [SchemaProblem(path, f"must be {schema['const']!r}")]
        if "enum" in schema and value not in schema["enum"]:
            choices = ", ".join(repr(c) for c in schema["enum"])
            return [SchemaProblem(path, f"expected one of {choices}, got {_shown(value)}")]
        return []

    def _combinators(
        self, value: Any, schema: Mapping[str, Any], path: Path
    ) -> list[SchemaProblem]:
        found: list[SchemaProblem] = []
        for sub in schema.get("allOf", []):
            found.extend(self.errors(value, sub, path))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                found.extend(
                    self._alternatives(value, schema[key], path, exactly_one=key == "oneOf")
                )
        if "not" in schema and self.valid(value, schema["not"]):
            found.append(SchemaProblem(path, f"{_shown(value)} is not allowed here"))
        return found

    def _alternatives(
        self, value: Any, options: list[Mapping[str, Any]], path: Path, *, exactly_one: bool
    ) -> list[SchemaProblem]:
        results = [self.errors(value, option, path) for option in options]
        passing = sum(1 for r in results if not r)
        if passing == 1 or (passing > 1 and not exactly_one):
            return []
        if passing > 1:
            return [SchemaProblem(path, "matches more than one of the allowed forms")]
        # Report the errors of the form whose type fits, so the message says what is wrong inside.
        fitting = [r for r, o in zip(results, options, strict=False) if _type_fits(value, o)]
        if len(fitting) == 1:
            return fitting[0]
        if all("type" not in o and "required" in o for o in options):
            keys = " or ".join(repr(k) for o in options for k in o["required"])
            return [SchemaProblem(path, f"needs {keys}")]
        forms = " or ".join(dict.fromkeys(_describe_form(o) for o in options))
        return [SchemaProblem(path, f"expected {forms}, got {_described(value)}")]

    def _conditional(
        self, value: Any, schema: Mapping[str, Any], path: Path
    ) -> list[SchemaProblem]:
        if "if" not in schema:
            return []
        branch = "then" if self.valid(value, schema["if"]) else "else"
        return self.errors(value, schema[branch], path) if branch in schema else []

    def _string(self, value: str, schema: Mapping[str, Any], path: Path) -> list[SchemaProblem]:
        found = []
        if "minLength" in schema and len(value) < schema["minLength"]:
            minimum = schema["minLength"]
            message = (
                "must not be empty" if minimum == 1 else f"must have at least {minimum} characters"
            )
            found.append(SchemaProblem(path, message))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            found.append(SchemaProblem(path, f"must have at most {schema['maxLength']} characters"))
            return found  # a pattern over an oversized string is work an attacker chose
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(
                SchemaProblem(path, f"{_shown(value)} does not match {schema['pattern']!r}")
            )
        checker = self.formats.get(schema.get("format", ""))
        problem = checker(value) if checker is not None else None
        if problem is not None:
            found.append(SchemaProblem(path, problem))
        return found

    def _array(
        self, value: list[Any], schema: Mapping[str, Any], path: Path
    ) -> list[SchemaProblem]:
        found = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            found.append(SchemaProblem(path, f"needs at least {schema['minItems']} item(s)"))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            # Nothing below an oversized array is looked at: its size is the problem.
            return [*found, SchemaProblem(path, f"has more than {schema['maxItems']} item(s)")]
        if schema.get("uniqueItems") and len({repr(v) for v in value}) != len(value):
            found.append(SchemaProblem(path, "has duplicate items"))
        items = schema.get("items")
        if isinstance(items, dict):
            for index, item in enumerate(value):
                found.extend(self.errors(item, items, (*path, index)))
        if "contains" in schema and not any(self.valid(v, schema["contains"]) for v in value):
            found.append(SchemaProblem(path, "has no item of the required kind"))
        return found

    def _object(
        self, value: dict[str, Any], schema: Mapping[str, Any], path: Path
    ) -> list[SchemaProblem]:
        found = [
            SchemaProblem(path, f"missing required key {quoted(name)}")
            for name in schema.get("required", [])
            if name not in value
        ]
        properties: Mapping[str, Any] = schema.get("properties", {})
        patterns: Mapping[str, Any] = schema.get("patternProperties", {})
        names = schema.get("propertyNames")
        for key, item in value.items():
            if names is not None:
                found.extend(
                    SchemaProblem((*path, key), f"key {quoted(key)}: {e.message}")
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
    ) -> list[SchemaProblem]:
        extra = schema.get("additionalProperties", True)
        if extra is False:
            import difflib  # only on a mistake: every config is validated on every run

            close = difflib.get_close_matches(key, list(schema.get("properties", {})), n=1)
            suggestion = f" (did you mean {quoted(close[0])}?)" if close else ""
            return [SchemaProblem((*path, key), f"unknown key {quoted(key)}{suggestion}")]
        if isinstance(extra, dict):
            return self.errors(item, extra, (*path, key))
        return []


def _number(value: float, schema: Mapping[str, Any], path: Path) -> list[SchemaProblem]:
    found = []
    if "minimum" in schema and value < schema["minimum"]:
        found.append(SchemaProblem(path, f"must be at least {schema['minimum']}, got {value}"))
    if "maximum" in schema and value > schema["maximum"]:
        found.append(SchemaProblem(path, f"must be at most {schema['maximum']}, got {value}"))
    return found


def _type_fits(value: Any, option: Mapping[str, Any]) -> bool:
    expected = option.get("type")
    if expected is None:
        return False
    names = expected if isinstance(expected, list) else [expected]
    return any(is_type(value, n) for n in names)


def _describe_form(option: Mapping[str, Any]) -> str:
    if "description" in option:
        return str(option["description"])
    if "enum" in option:
        return "one of " + ", ".join(repr(c) for c in option["enum"])
    expected = option.get("type")
    base = expected if isinstance(expected, str) else "a value"
    required = option.get("required")
    return f"{base} with {' and '.join(repr(r) for r in required)}" if required else base


_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@")


def path_part(part: str | int) -> str:
    """One key of a problem's path as shown: a key the checkout wrote may be 100,000 characters
    long or hold control characters, so such a key is quoted and cut (``findings.quoted``)."""
    text = str(part)
    return text if len(text) <= 60 and text.isprintable() else quoted(text, 60)


def _shown(value: object) -> str:
    """``repr`` of a rejected value, shortened, URL credentials blanked: problems get printed."""
    text = _USERINFO.sub(r"\g<scheme>***@", repr(value))
    return text if len(text) <= 60 else text[:57] + "..."


def _described(value: object) -> str:
    return f"{type_name(value)} {_shown(value)}"


def apply_defaults(value: dict[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``value`` with the schema's defaults filled in for absent keys.

    The schema is releasegate's one source of defaults: the typed settings read the
    filled-in tables and carry no defaults of their own.
    """
    result = dict(value)
    for key, subschema in schema.get("properties", {}).items():
        if key not in result and "default" in subschema:
            result[key] = subschema["default"]
        elif isinstance(result.get(key), dict) and subschema.get("type") == "object":
            result[key] = apply_defaults(result[key], subschema)
        elif key not in result and subschema.get("type") == "object" and "properties" in subschema:
            result[key] = apply_defaults({}, subschema)
        elif isinstance(result.get(key), list) and "properties" in subschema.get("items", {}):
            # Tables in an array (``[[registries]]``) get their item defaults too.
            item = subschema["items"]
            result[key] = [
                apply_defaults(v, item) if isinstance(v, dict) else v for v in result[key]
            ]
    return result
