"""Write the generated parts of the reference pages from their one source each.

    python docs/gen_pages.py          # rewrite them in place
    python docs/gen_pages.py --check  # exit 1 when a committed page is stale

- ``reference/rules.md``: the rule registry (``releasegate rules --format markdown``);
- ``reference/configuration.md``: the JSON Schema of the configuration (``config-schema``);
- ``reference/action.md``: the inputs and outputs of ``action.yml``.

Each page is prose written by hand around one generated region between ``<!-- NAME:start``
and ``<!-- NAME:end -->`` markers, so that an explanation never has to live in a generator.
``tests/docs/test_docs.py`` fails when a committed region is not what this writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent


def _cell(text: str) -> str:
    """One table cell: `|` ends a cell even inside backticks, and `<x>` outside code would be
    read as an HTML tag and vanish from the page."""
    parts = text.replace("\n", " ").split("`")
    for i in range(0, len(parts), 2):
        parts[i] = parts[i].replace("<", "&lt;").replace(">", "&gt;")
    return "`".join(parts).replace("|", "\\|")


def _code(value: object) -> str:
    return _cell(f"`{json.dumps(value)}`")


def _kind(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " or ".join(_code(v) for v in schema["enum"])
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            return " or ".join(_kind(option) for option in schema[combinator])
    kind = schema.get("type", "any")
    if kind == "array":
        return f"array of {_kind(schema.get('items', {}))}"
    if kind == "object" and "additionalProperties" in schema and "properties" not in schema:
        values = schema["additionalProperties"]
        return f"table of {_kind(values)}" if isinstance(values, dict) else "table"
    return " or ".join(kind) if isinstance(kind, list) else str(kind)


def _rows(properties: dict[str, Any], prefix: str = "") -> list[str]:
    rows = []
    for key, schema in properties.items():
        name = prefix + key
        default = _code(schema["default"]) if "default" in schema else ""
        description = _cell(schema.get("description", ""))
        rows.append(f"| `{name}` | {_kind(schema)} | {default} | {description} |")
        if "properties" in schema:
            rows.extend(_rows(schema["properties"], f"{name}."))
        items = schema.get("items", {})
        if isinstance(items, dict) and "properties" in items:
            rows.extend(_rows(items["properties"], f"{name}[]."))
    return rows


def _table(properties: dict[str, Any]) -> list[str]:
    return ["| key | type | default | meaning |", "|---|---|---|---|", *_rows(properties)]


def configuration() -> str:
    """Every key of the configuration schema, one table per section."""
    from releasegate._internal.schema import config_schema

    schema = config_schema()
    properties = dict(schema["properties"])
    sections = {
        key: value
        for key, value in properties.items()
        if "properties" in value or ("items" in value and "properties" in value["items"])
    }
    top = {key: value for key, value in properties.items() if key not in sections}
    out = ["## `[tool.releasegate]`", "", *_table(top)]
    for key, section in sections.items():
        heading = f"[[tool.releasegate.{key}]]" if section.get("type") == "array" else None
        out += ["", f"## `{heading or f'[tool.releasegate.{key}]'}`", ""]
        if section.get("description"):
            out += [_cell(section["description"]), ""]
        body = section["items"]["properties"] if heading else section["properties"]
        out += _table(body)
    return "\n".join(out) + "\n"


def rules() -> str:
    from releasegate._internal.cli.rules import markdown_table

    return markdown_table()


def action() -> str:
    """The inputs and outputs of action.yml, in its order."""
    document = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    out = ["## Inputs", "", "| input | default | meaning |", "|---|---|---|"]
    for name, spec in document["inputs"].items():
        default = spec.get("default", "")
        shown = f"`{default}`" if default != "" else "empty"
        out.append(f"| `{name}` | {_cell(shown)} | {_cell(spec.get('description', ''))} |")
    out += ["", "## Outputs", "", "| output | meaning |", "|---|---|"]
    for name, spec in document["outputs"].items():
        out.append(f"| `{name}` | {_cell(spec.get('description', ''))} |")
    return "\n".join(out) + "\n"


# page -> (marker name, the text between the markers)
PAGES = {
    "reference/rules.md": ("rules", rules),
    "reference/configuration.md": ("config", configuration),
    "reference/action.md": ("action", action),
}


def render(text: str, name: str, body: str) -> str:
    """``text`` with the region between NAME's markers replaced by ``body``."""
    start = text.index(f"<!-- {name}:start")
    end = text.index(f"<!-- {name}:end -->")
    opening = text.index("\n", start) + 1
    return text[:opening] + body + text[end:]


def stale() -> list[str]:
    """The pages whose generated region is not what its source gives today."""
    out = []
    for page, (name, make) in PAGES.items():
        text = (DOCS / page).read_text(encoding="utf-8")
        if render(text, name, make()) != text:
            out.append(page)
    return out


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        pages = stale()
        for page in pages:
            print(f"docs/{page} is stale: run python docs/gen_pages.py", file=sys.stderr)
        return 1 if pages else 0
    for page, (name, make) in PAGES.items():
        path = DOCS / page
        path.write_text(render(path.read_text(encoding="utf-8"), name, make()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main(sys.argv[1:]))
