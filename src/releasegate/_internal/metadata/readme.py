"""The readme: where it is, its content type, and whether it renders as PyPI renders it.

Rendering uses readme-renderer (what PyPI and ``twine check`` use). Its docutils
import alone costs more than a hook's budget, so verdicts are cached by content.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from releasegate._internal.findings import quoted
from releasegate._internal.metadata import cache
from releasegate._internal.metadata.problem import Problem

if TYPE_CHECKING:
    from collections.abc import Iterator

CONTENT_TYPES = ("text/plain", "text/x-rst", "text/markdown")
_SUFFIX_TYPES = {".md": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
_DOCUTILS_LINE = re.compile(r"^<string>:(\d+): \(\w+/\d\) (.*)$")
_MAX_README = 5 * 1024 * 1024


@dataclass(frozen=True)
class Readme:
    text: str
    content_type: str
    path: str | None
    """The readme file relative to the project root; None for inline text."""


@dataclass(frozen=True)
class RenderProblem:
    message: str
    line: int | None = None
    """Line in the readme text, when the renderer names one."""


_KEY = ("project", "readme")


def locate(value: Any, root: Path) -> Readme | Problem | None:
    """The readme ``project.readme`` declares; None when absent or malformed (schema's job)."""
    if isinstance(value, str):
        content_type = _SUFFIX_TYPES.get(PurePosixPath(value).suffix.lower())
        if content_type is None:
            return Problem(
                "readme-content-type",
                f"cannot tell the content type of readme {quoted(value)}",
                _KEY,
                "name it .md or .rst, or use readme = {file = ..., content-type = ...}",
            )
        return _read(value, content_type, root)
    if isinstance(value, dict) and isinstance(value.get("content-type"), str):
        content_type = value["content-type"]
        if isinstance(value.get("text"), str):
            return Readme(value["text"], content_type, None)
        if isinstance(value.get("file"), str):
            return _read(value["file"], content_type, root)
    return None


def _bad_name(relative: str) -> Problem | None:
    if "\0" in relative:  # no file has such a name; stat() would raise ValueError
        return Problem("readme-missing", f"readme {quoted(relative)} holds a NUL character", _KEY)
    if PurePosixPath(relative).is_absolute() or ".." in PurePosixPath(relative).parts:
        return Problem(
            "readme-path",
            f"readme {quoted(relative)} points outside the project",
            _KEY,
            "keep the readme inside the project directory",
        )
    return None


def _read(relative: str, content_type: str, root: Path) -> Readme | Problem:
    bad = _bad_name(relative)
    if bad is not None:
        return bad
    from releasegate._internal.paths import read_inside

    path = root / relative
    try:
        if path.stat().st_size > _MAX_README:
            return Problem(
                "readme-too-large", f"readme {quoted(relative)} is larger than 5 MiB", _KEY
            )
        # Inside the project after links, a regular file, bounded: a committed symlink
        # README.md -> /dev/zero or -> a secret outside is refused before a byte is read.
        raw = read_inside(root, path, _MAX_README)
        return Readme(raw.decode("utf-8"), content_type, relative)
    except FileNotFoundError:
        return Problem(
            "readme-missing",
            f"readme {quoted(relative)} does not exist",
            _KEY,
            "add the file or fix the path",
        )
    except UnicodeDecodeError:
        return Problem("readme-encoding", f"readme {quoted(relative)} is not UTF-8", _KEY)
    except OSError as exc:
        return Problem(
            "readme-unreadable", f"readme {quoted(relative)} cannot be read: {exc.strerror}", _KEY
        )


def content_type_problem(content_type: str) -> str | None:
    kind, params = _parse_content_type(content_type)
    if kind not in CONTENT_TYPES:
        return f"content type {quoted(content_type)} is not one PyPI renders ({', '.join(CONTENT_TYPES)})"
    if params.get("charset", "utf-8").lower() != "utf-8":
        return f"charset {quoted(params['charset'])} is not UTF-8"
    if kind == "text/markdown" and params.get("variant", "GFM") not in ("GFM", "CommonMark"):
        return f"markdown variant {quoted(params['variant'])} is not GFM or CommonMark"
    return None


def _parse_content_type(value: str) -> tuple[str, dict[str, str]]:
    kind, *rest = (part.strip() for part in value.split(";"))
    params = dict(([*p.split("=", 1), ""])[:2] for p in rest if p)
    return kind.lower(), {k.strip().lower(): v.strip().strip('"') for k, v in params.items()}


def render_problems(text: str, content_type: str) -> list[RenderProblem]:
    """Why ``text`` does not render as ``content_type`` on PyPI; cached by content."""
    wrong = content_type_problem(content_type)
    if wrong is not None:
        return [RenderProblem(wrong)]
    name = cache.key("readme", content_type, _renderer_stamp(), text)
    cached = cache.get("readme", name)
    if isinstance(cached, list):
        return [
            RenderProblem(str(m), line if isinstance(line, int) else None) for m, line in cached
        ]
    problems = list(_render(text, content_type))
    cache.put("readme", name, [[p.message, p.line] for p in problems])
    return problems


def _renderer_stamp() -> str:
    """Identifies the installed readme-renderer, so an upgrade invalidates cached verdicts."""
    spec = find_spec("readme_renderer")
    if spec is None or spec.origin is None:
        return "absent"
    try:
        return f"{spec.origin}:{Path(spec.origin).stat().st_mtime_ns}"
    except OSError:
        return spec.origin


def _render(text: str, content_type: str) -> Iterator[RenderProblem]:
    kind, params = _parse_content_type(content_type)
    if kind == "text/x-rst":
        from readme_renderer.rst import render as render_rst

        stream = io.StringIO()
        if render_rst(text, stream=stream) is None:
            yield from _docutils_problems(stream.getvalue())
    elif kind == "text/markdown":
        from readme_renderer.markdown import render as render_md

        if render_md(text, variant=params.get("variant", "GFM")) is None:
            yield RenderProblem("markdown did not render (is cmarkgfm installed?)")


def _docutils_problems(output: str) -> Iterator[RenderProblem]:
    found = False
    for line in output.splitlines():
        match = _DOCUTILS_LINE.match(line)
        if match:
            found = True
            yield RenderProblem(f"does not render on PyPI: {match.group(2)}", int(match.group(1)))
    if not found:
        yield RenderProblem(
            "reStructuredText does not render on PyPI"
            + (f": {output.strip()}" if output.strip() else "")
        )
